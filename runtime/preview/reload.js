/* lmspack preview: live reload and the error overlay. Added to every page the preview serves
   (never to a built package). Inside the LMS simulator it only lends the simulator its
   diagnostics renderer: the simulator reloads the module itself, keeping the attempt. */
(function () {
  'use strict';
  var W = window, doc = document;

  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // The diagnostics of a status (GET /__lmspack/status) as DOM: place, message, source, hints.
  function render(status) {
    var list = el('ol', 'lmspack-diags');
    if (status.error) list.appendChild(el('li', 'lmspack-diag', status.error));
    (status.diagnostics || []).forEach(function (d) {
      var li = el('li', 'lmspack-diag lmspack-' + d.severity);
      if (d.file) li.appendChild(el('p', 'lmspack-where', d.file + ':' + d.line + ':' + d.column));
      var msg = el('p', 'lmspack-msg');
      msg.appendChild(el('strong', null, d.severity + '[' + d.code + ']'));
      msg.appendChild(doc.createTextNode(': ' + d.message));
      li.appendChild(msg);
      if (d.source !== null && d.source !== undefined) {
        var caret = new Array(Math.max(0, d.column - 1) + 1).join(' ') + '^' + (d.label ? ' ' + d.label : '');
        li.appendChild(el('pre', 'lmspack-src', d.line + ' | ' + d.source + '\n' + new Array(String(d.line).length + 1).join(' ') + ' | ' + caret));
      }
      if (d.hints && d.hints.length) {
        var ul = el('ul', 'lmspack-hints');
        d.hints.forEach(function (h) { ul.appendChild(el('li', null, 'help: ' + h)); });
        li.appendChild(ul);
      }
      (d.related || []).forEach(function (r) {
        li.appendChild(el('p', 'lmspack-related', r.label + ': ' + r.file + ':' + r.line + ':' + r.column));
      });
      list.appendChild(li);
    });
    return list;
  }
  W.LmspackOverlay = { render: render };

  if (doc.documentElement.hasAttribute('data-lmspack-simulator')) return;
  try { if (W.parent !== W && W.parent.LmspackSimulator) return; } catch (e) { /* another origin */ }

  var seen = null, box = null;

  function status() {
    return fetch('/__lmspack/status', { cache: 'no-store' }).then(function (r) { return r.json(); });
  }

  function show(s) {
    hide();
    var errors = (s.diagnostics || []).filter(function (d) { return d.severity === 'error'; });
    box = el('div');
    box.setAttribute('role', 'alert');
    box.id = 'lmspack-overlay';
    var st = box.style;
    st.position = 'fixed'; st.inset = '0'; st.zIndex = '2147483647'; st.overflow = 'auto';
    st.background = 'rgba(20,20,20,.94)'; st.color = '#fff'; st.padding = '2rem';
    st.font = '15px/1.5 system-ui, sans-serif';
    box.appendChild(el('h2', null, 'The course has ' + (errors.length || 1) + ' error(s)'));
    var list = render({ error: s.error, diagnostics: errors });
    [].forEach.call(list.querySelectorAll('pre'), function (p) { p.style.background = '#000'; p.style.padding = '.5rem'; p.style.overflow = 'auto'; });
    box.appendChild(list);
    box.appendChild(el('p', null, 'Fix them and save: this page reloads by itself.'));
    doc.body.appendChild(box);
  }

  function hide() { if (box && box.parentNode) box.parentNode.removeChild(box); box = null; }

  function changed(ok) {
    if (ok) { W.location.reload(); return; }
    status().then(show, function () { /* server gone: keep the page */ });
  }

  function onBuild(b) {
    if (seen === null) { seen = b.build; if (!b.ok) changed(false); return; }
    if (b.build === seen) return;
    seen = b.build;
    changed(b.ok);
  }

  if (W.EventSource) {
    var es = new W.EventSource('/__lmspack/events');
    es.addEventListener('build', function (e) { try { onBuild(JSON.parse(e.data)); } catch (x) { /* bad event */ } });
  } else {
    W.setInterval(function () { status().then(onBuild, function () {}); }, 1000);
  }
})();
