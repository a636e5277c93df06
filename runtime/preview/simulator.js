/* lmspack preview: the LMS simulator page. It puts a strict SCORM API (scorm-api.js) in this
   window, where the module's runtime finds it by walking window.parent, launches the module in an
   iframe, and shows what the LMS records as it happens. The attempt is kept in this browser's
   localStorage, so reloading the page (or a rebuild) resumes where the learner was. */
(function () {
  'use strict';
  var W = window, doc = document;
  var cfg = JSON.parse(doc.getElementById('pv-config').textContent);
  var v12 = cfg.lms === 'scorm12';
  var key = 'lmspack-preview:' + (cfg.course || '') + ':' + cfg.module + ':' + cfg.mode;
  var sim = null, build = null, launches = 0, launchMode = 'normal', launched = false;
  var log = [], lastErrors = [], changedAt = {}, pending = false;
  // The call log is a live region (role="log"): entries are appended as they come, never
  // redrawn, or a screen reader would read the whole log again on every call.
  var drawn = 0, redraw = true;
  var LOG_MAX = 1000;

  W.LmspackSimulator = { config: cfg };

  function load() {
    try { return JSON.parse(W.localStorage.getItem(key) || 'null'); } catch (e) { return null; }
  }
  function persist(data) {
    try { W.localStorage.setItem(key, JSON.stringify({ data: data, mode: launchMode })); } catch (e) { note('warn', 'localStorage is unavailable: the attempt will not survive a reload'); }
  }

  var stored = load();
  if (stored && stored.mode) launchMode = stored.mode;
  if (cfg.lms === 'scorm12' || cfg.lms === 'scorm2004') {
    sim = W.LmspackScorm.create(v12 ? '1.2' : '2004', {
      data: stored && stored.data,
      masteryScore: cfg.masteryScore,
      save: function (d) { persist(d); schedule(); },
      onCall: onCall,
      onNote: note
    });
    W[v12 ? 'API' : 'API_1484_11'] = sim.api;
    if (stored && stored.data && stored.data.open) {
      note('warn', 'The last session never ended (the page was closed or reloaded before ' + (v12 ? 'LMSFinish' : 'Terminate') + '): what it did not commit is lost, as it would be in an LMS.');
    }
  }

  // ------------------------------------------------------------------ the log

  function onCall(c) {
    if (c.fn.indexOf('SetValue') >= 0 && c.code === 0) changedAt[c.args[0]] = Date.now();
    var entry = { kind: c.code ? 'error' : c.meta ? 'meta' : 'call', call: c, at: new Date() };
    push(entry);
    if (c.code) {
      lastErrors.push(entry);
      if (lastErrors.length > 5) lastErrors.shift();
    }
  }

  function note(level, text) { push({ kind: level, text: text, at: new Date() }); }

  function push(entry) {
    log.push(entry);
    if (log.length > LOG_MAX) {
      var gone = log.splice(0, log.length - LOG_MAX);
      gone.forEach(function (e) { if (e.node && e.node.parentNode) e.node.parentNode.removeChild(e.node); });
      drawn = Math.max(0, drawn - gone.length);
    }
    schedule();
  }

  function quote(v) { return JSON.stringify(String(v)); }

  function describe(entry) {
    if (!entry.call) return entry.text;
    var c = entry.call;
    var text = c.fn + '(' + c.args.map(quote).join(', ') + ') → ' + quote(c.result);
    if (c.code) text += '  error ' + c.code + ' (' + W.LmspackScorm.errorStrings[sim.version][c.code] + ')' + (c.diag ? ': ' + c.diag : '');
    return text;
  }

  // ------------------------------------------------------------------ rendering

  function $(id) { return doc.getElementById(id); }
  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function schedule() {
    if (pending) return;
    pending = true;
    (W.requestAnimationFrame || W.setTimeout)(function () { pending = false; render(); });
  }

  function render() {
    renderErrors();
    renderModel();
    renderLog();
  }

  function renderErrors() {
    var list = $('pv-errors');
    list.textContent = '';
    lastErrors.slice().reverse().forEach(function (e) { list.appendChild(el('li', 'pv-error', describe(e))); });
    $('pv-no-errors').hidden = lastErrors.length > 0;
  }

  function renderModel() {
    var body = $('pv-model');
    body.textContent = '';
    if (!sim) {
      $('pv-session').textContent = 'No LMS: the module runs standalone and keeps its progress in this browser’s storage.';
      return;
    }
    var d = sim.data();
    $('pv-session').textContent = 'SCORM ' + sim.version + ' · session ' + (d.sessions + (sim.state() === 'terminated' ? 0 : 1)) +
      ' · ' + ({ 'new': 'not initialized', running: 'running', terminated: 'ended' })[sim.state()] +
      (d.lastExit !== null ? ' · last exit "' + d.lastExit + '"' : '');
    var now = Date.now();
    sim.dump().forEach(function (row) {
      var tr = el('tr', row[2] === 'wo' ? 'pv-wo' : '');
      if (now - (changedAt[row[0]] || 0) < 2500) tr.className += ' pv-changed';
      var th = el('th', null, row[0]);
      th.scope = 'row';
      tr.appendChild(th);
      var td = el('td', null, row[1]);
      if (row[2] === 'wo') td.appendChild(el('span', 'pv-tag', ' write-only'));
      else if (row[2] === 'ro') td.appendChild(el('span', 'pv-tag', ' read-only'));
      tr.appendChild(td);
      body.appendChild(tr);
    });
  }

  // Appends the entries logged since the last call; everything again after a filter change or Clear.
  function renderLog() {
    var list = $('pv-log'), box = $('pv-log-box');
    var errorsOnly = $('pv-errors-only').checked, meta = $('pv-meta').checked;
    var atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 8;
    if (redraw) {
      list.textContent = '';
      log.forEach(function (e) { e.node = null; });
      drawn = 0;
      redraw = false;
    }
    for (; drawn < log.length; drawn++) {
      var e = log[drawn];
      if (e.kind === 'meta' && !meta) continue;
      if (errorsOnly && e.kind !== 'error' && e.kind !== 'warn') continue;
      var li = el('li', 'pv-' + e.kind);
      var label = { error: 'Error: ', warn: 'Warning: ', info: 'Note: ' }[e.kind];
      if (label) li.appendChild(el('strong', null, label));
      li.appendChild(doc.createTextNode(describe(e)));
      e.node = li;
      list.appendChild(li);
    }
    if (atEnd) box.scrollTop = box.scrollHeight;
  }

  function redrawLog() { redraw = true; renderLog(); }

  // ------------------------------------------------------------------ launching

  function frame() { return $('pv-frame'); }

  function launch(how) {
    if (sim) {
      var d = sim.data(), entry = 'ab-initio';
      if (!how.reset && d.sessions > 0) {
        entry = 'resume';
        var wanted = 'suspend';
        if (d.lastExit !== wanted) {
          note('warn', 'The SCO last exited with ' + (v12 ? 'cmi.core.exit' : 'cmi.exit') + ' = "' + d.lastExit + '", not "suspend": an LMS would start a new attempt' +
            (v12 ? ' (cmi.core.entry = "")' : ' with fresh data') + '. The simulator resumes anyway to keep your place.');
        }
      }
      sim.launch({ reset: !!how.reset, entry: entry, mode: launchMode });
      note('info', 'Launch ' + (++launches) + ': entry "' + entry + '", mode "' + launchMode + '"');
    }
    launched = true;
    frame().src = cfg['package'] + '?build=' + (build || 0) + '&launch=' + launches;
    schedule();
  }

  // Unload the module (its runtime should end the session on pagehide), then continue.
  function unload(then) {
    var f = frame(), done = false;
    function next() {
      if (done) return;
      done = true;
      f.removeEventListener('load', next);
      if (sim) sim.terminate();
      then();
    }
    if (!launched) { next(); return; }
    f.addEventListener('load', next);
    f.src = 'about:blank';
    W.setTimeout(next, 3000);
  }

  function relaunch(how) { unload(function () { launch(how); }); }

  function resetAttempt() {
    unload(function () {
      if (!sim) {
        try { W.localStorage.removeItem('lmspack:' + cfg.course + ':' + cfg.module); } catch (e) { /* no storage */ }
      }
      log = []; lastErrors = []; changedAt = {}; redraw = true;
      note('info', 'Attempt reset: the data model is back to a first launch.');
      launch({ reset: true });
    });
  }

  // ------------------------------------------------------------------ builds and errors

  function fetchStatus() {
    return fetch('/__lmspack/status', { cache: 'no-store' }).then(function (r) { return r.json(); });
  }

  function showStatus(s) {
    $('pv-build').textContent = 'Build ' + s.build + (s.ok ? '' : ': errors') + ' · ' + Math.round(s.elapsed_ms) + ' ms';
    var overlay = $('pv-overlay');
    if (s.ok) {
      overlay.hidden = true;
      frame().removeAttribute('aria-hidden');
      return;
    }
    var errors = (s.diagnostics || []).filter(function (d) { return d.severity === 'error'; });
    $('pv-overlay-title').textContent = 'The course has ' + (errors.length || 1) + ' error(s)';
    var box = $('pv-diags');
    box.textContent = '';
    box.appendChild(W.LmspackOverlay.render({ error: s.error, diagnostics: errors }));
    overlay.hidden = false;
    frame().setAttribute('aria-hidden', 'true');
  }

  function onStatus(s) {
    var first = build === null, changed = s.build !== build;
    build = s.build;
    showStatus(s);
    if (s.modules && !s.modules.some(function (m) { return m.id === cfg.module; })) {
      note('warn', 'The course has no module "' + cfg.module + '".');
      return;
    }
    if (first) {
      if (s.served_build !== null) launch({});
    } else if (changed && s.ok) {
      note('info', 'Build ' + s.build + ': reloading the module.');
      relaunch({});
    }
  }

  function refresh() { fetchStatus().then(onStatus, function () { /* server stopped; EventSource retries */ }); }

  function listen() {
    if (W.EventSource) {
      var es = new W.EventSource('/__lmspack/events');
      es.addEventListener('build', function (e) {
        var b = JSON.parse(e.data);
        if (b.build !== build) refresh();
      });
    } else {
      W.setInterval(refresh, 1000);
    }
  }

  // ------------------------------------------------------------------ controls

  function setup() {
    $('pv-title').textContent = cfg.title + (cfg.courseTitle ? ' – ' + cfg.courseTitle : '');
    var standard = $('pv-standard');
    cfg.modes.forEach(function (m) {
      var o = el('option', null, m.label);
      o.value = m.name;
      o.selected = m.name === cfg.mode;
      standard.appendChild(o);
    });
    standard.addEventListener('change', function () {
      unload(function () { W.location.href = '/' + encodeURIComponent(standard.value) + '/' + encodeURIComponent(cfg.module) + '/'; });
    });
    var mode = $('pv-launch');
    mode.value = launchMode;
    mode.disabled = !sim;
    mode.addEventListener('change', function () {
      launchMode = mode.value;
      note('info', 'Launch mode "' + launchMode + '": closing and relaunching.');
      relaunch({});
    });
    $('pv-resume').disabled = !sim;
    $('pv-resume').addEventListener('click', function () {
      note('info', 'Close and resume: unloading the module, keeping the data model.');
      relaunch({});
    });
    $('pv-reset').addEventListener('click', resetAttempt);
    $('pv-clear').addEventListener('click', function () { log = []; lastErrors = []; redraw = true; render(); });
    $('pv-errors-only').addEventListener('change', redrawLog);
    $('pv-meta').addEventListener('change', redrawLog);
    render();
    refresh();
    listen();
  }

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', setup);
  else setup();
})();
