// The "LMS": scorm-again's API on this window, the SCO in an iframe (as Moodle does), in a nested
// frame, or in a popup. Every API call the SCO makes is recorded in window.__lms for the tests.
//
// Query:
//   version=1.2|2004   launch=URL (the SCO; optional with pkg=)   mode=iframe|nested|popup
//   pkg=/pkg/<name>/   the package root: its imsmanifest.xml gives the SCOs in organization order,
//                      the 1.2 adlcp:masteryscore and the 2004 minNormalizedMeasure of each
//   lms=moodle         Moodle 4.5 as it behaves by default; each part can be set on its own:
//     mastery=1          1.2 "mastery score overrides status": at LMSFinish, in normal mode with
//                        credit, lesson_status becomes passed/failed from score.raw vs the mastery score
//                        (scorm-again's mastery_override, the code of Moodle's StoreData)
//     attempts=1         a finished attempt (1.2: every SCO completed/passed/failed; 2004: every SCO
//                        completed) opens in review / no-credit; newattempt=1 starts attempt n+1
//                        (ab-initio, no data). The SCO launched is the first unfinished one.
//     sdmax=4096         1.2 suspend_data longer than this is refused with 405 (Moodle's CMIString4096)
//     staleapi=300       2004: after a SCO terminates, the next SCO is loaded in the same frame while the
//                        old, terminated API object stays in place for this many ms (Initialize: 104)
//     reinit=moodle      1.2: LMSInitialize after LMSFinish on the same object answers "true" and
//                        keeps this launch's data (Moodle's API resets its Initialized flag); otherwise
//                        (reinit=api) scorm-again answers 101 (1.2) / 104 (2004)
//     navdelay=500       1.2 nav.event / 2004 adl.nav.request continue|previous: the next/previous SCO is
//                        launched this many ms after LMSFinish/Terminate
//   flaky=after:N,ms:T | after:N,calls:K
//                      after N accepted SetValue calls, SetValue and Commit are refused ("false";
//                      1.2: 101, 2004: 351 / 391) for T ms or K calls, then accepted again
//
// Preloaded data: window.__lmsState (CMI JSON loaded as is, for a single SCO), or window.__lmsStore
// (the LMS's own record of earlier sessions, as returned in __lms.store: the launch data are then
// computed from it as Moodle does). Both are set by the test before this script runs.
//
// Control from the test: window.__lmsControl.next() / .prev() (Moodle's navigation buttons),
// .fail({ ms, calls }) (refuse writes from now), .reload({ terminate }) (reload the SCO frame; with
// terminate: false the unloading page's LMSFinish/Terminate is lost, so the API stays initialized).
(function () {
  'use strict';
  var q = new URLSearchParams(location.search);
  var version = q.get('version'), launch = q.get('launch'), mode = q.get('mode') || 'iframe';
  var is12 = version === '1.2';
  var moodle = q.get('lms') === 'moodle';
  function flag(name, dflt) { return q.has(name) ? q.get(name) === '1' : dflt; }
  function num(name, dflt) { return q.has(name) ? Number(q.get(name)) : dflt; }
  var opt = {
    pkg: q.get('pkg'),
    mastery: flag('mastery', moodle),
    attempts: flag('attempts', moodle),
    newattempt: flag('newattempt', false),
    sdmax: num('sdmax', moodle && is12 ? 4096 : 0),
    staleapi: num('staleapi', moodle && !is12 ? 300 : -1),
    reinit: q.get('reinit') || (moodle && is12 ? 'moodle' : 'api'),
    navdelay: num('navdelay', 500),
  };
  var FN = is12
    ? ['LMSInitialize', 'LMSGetValue', 'LMSSetValue', 'LMSCommit', 'LMSFinish', 'LMSGetLastError', 'LMSGetErrorString', 'LMSGetDiagnostic']
    : ['Initialize', 'GetValue', 'SetValue', 'Commit', 'Terminate', 'GetLastError', 'GetErrorString', 'GetDiagnostic'];
  var INIT = 0, GET = 1, SET = 2, COMMIT = 3, FIN = 4, LASTERR = 5;
  var settings = { logLevel: 5, autocommit: false, lmsCommitUrl: false };
  if (is12) {
    settings.mastery_override = opt.mastery;
    // Moodle's StoreData: a status still "not attempted" at LMSFinish becomes "completed".
    if (moodle) settings.autoCompleteLessonStatus = true;
  }

  var store = window.__lmsStore ? JSON.parse(JSON.stringify(window.__lmsStore)) : { attempt: 1, tracks: {}, last: null };
  var rec = window.__lms = {
    version: version, options: opt, scos: [], sessions: [], store: store, current: -1,
    launchMode: 'normal', courseEnded: false, navigations: [],
  };
  // The fields of the current session, as the single-SCO tests have always read them.
  ['calls', 'errors', 'afterEnd', 'throws', 'dropped', 'initialized', 'finished', 'final', 'commits', 'stored', 'sco'].forEach(function (k) {
    Object.defineProperty(rec, k, {
      enumerable: true,
      get: function () { var s = rec.sessions[rec.sessions.length - 1]; return s ? s[k] : (k === 'initialized' || k === 'finished' ? false : k === 'final' || k === 'stored' || k === 'sco' ? null : []); },
    });
  });

  // ------------------------------------------------------------------ flaky writes
  var flaky = null;   // { after, ms, calls, from, left, accepted }
  var accepted = 0;   // SetValue calls accepted in this player
  function parseFlaky(spec) {
    if (!spec) return null;
    var f = { after: 0, ms: 0, calls: 0, from: 0 };
    spec.split(',').forEach(function (kv) { var p = kv.split(':'); f[p[0]] = Number(p[1]); });
    f.left = f.calls;
    return f;
  }
  flaky = parseFlaky(q.get('flaky'));
  function refusing() {
    if (!flaky || accepted < flaky.after) return false;
    if (!flaky.from) { flaky.from = Date.now(); rec.outageStarted = flaky.from; }
    if (flaky.ms && Date.now() - flaky.from < flaky.ms) return true;
    if (flaky.calls && flaky.left > 0) { flaky.left--; return true; }
    if (!rec.outageEnded) rec.outageEnded = Date.now();
    return false;
  }

  // ------------------------------------------------------------------ manifest
  function attr(el, local) {
    for (var i = 0; i < el.attributes.length; i++) {
      var a = el.attributes[i];
      if ((a.localName || a.name).toLowerCase() === local) return a.value;
    }
    return null;
  }
  function kids(el, local) {
    return [].filter.call(el.children, function (c) { return c.localName === local; });
  }
  function parseManifest(text) {
    var doc = new DOMParser().parseFromString(text, 'application/xml');
    var res = {};
    [].forEach.call(doc.getElementsByTagNameNS('*', 'resource'), function (r) {
      res[r.getAttribute('identifier')] = { href: r.getAttribute('href'), sco: (attr(r, 'scormtype') || '').toLowerCase() === 'sco' };
    });
    var orgs = doc.getElementsByTagNameNS('*', 'organizations')[0];
    var def = orgs.getAttribute('default');
    var org = [].filter.call(doc.getElementsByTagNameNS('*', 'organization'), function (o) { return o.getAttribute('identifier') === def; })[0] ||
      doc.getElementsByTagNameNS('*', 'organization')[0];
    var out = [];
    (function walk(node) {
      kids(node, 'item').forEach(function (item) {
        var r = res[item.getAttribute('identifierref')];
        if (r && r.sco) {
          var m = kids(item, 'masteryscore')[0];
          var measure = null;
          [].forEach.call(item.getElementsByTagNameNS('*', 'primaryObjective'), function (po) {
            if (po.parentNode.parentNode.parentNode !== item) return;
            var mn = kids(po, 'minNormalizedMeasure')[0];
            if (po.getAttribute('satisfiedByMeasure') === 'true') measure = mn ? mn.textContent.trim() : '1.0';
          });
          var params = item.getAttribute('parameters') || '';
          out.push({
            id: item.getAttribute('identifier'), title: (kids(item, 'title')[0] || {}).textContent || '',
            href: opt.pkg + r.href + params, mastery: m ? m.textContent.trim() : '', passing: measure,
          });
        }
        walk(item);
      });
    })(org);
    return out;
  }

  // ------------------------------------------------------------------ attempts (Moodle's scorm_check_mode)
  function statusOf(t) {
    if (!t) return '';
    return is12 ? (t.core && t.core.lesson_status) || '' : t.completion_status || '';
  }
  function finishedSco(sco) {
    var st = statusOf(store.tracks[sco.id]);
    return is12 ? st === 'completed' || st === 'passed' || st === 'failed' : st === 'completed';
  }
  function chooseLaunch() {
    if (!opt.attempts) return 0;
    var anyTrack = Object.keys(store.tracks).length > 0;
    var done = anyTrack && rec.scos.every(finishedSco);
    if (done && opt.newattempt) {
      store.attempt++;
      store.tracks = {};
      store.last = null;
      rec.launchMode = 'normal';
      return 0;
    }
    rec.launchMode = done ? 'review' : 'normal';
    if (done) return 0;
    // The first SCO not yet finished, in organization order.
    for (var i = 0; i < rec.scos.length; i++) if (!finishedSco(rec.scos[i])) return i;
    return 0;
  }

  // What the LMS hands the SCO at launch, from its record of the SCO (as Moodle's get_scorm_default).
  function launchState(sco) {
    var t = store.tracks[sco.id] || null;
    var normal = rec.launchMode === 'normal';
    if (is12) {
      var core = { student_id: 'learner-1', student_name: 'Learner, A', lesson_mode: rec.launchMode, credit: normal ? 'credit' : 'no-credit' };
      var cmi = { core: core, student_data: { mastery_score: sco.mastery || '' } };
      if (!t || !statusOf(t)) {
        core.entry = 'ab-initio';
      } else {
        core.entry = t.core.exit === 'suspend' ? 'resume' : '';
        core.lesson_status = t.core.lesson_status;
        core.lesson_location = t.core.lesson_location || '';
        core.score = t.core.score;
        if (t.core.total_time) core.total_time = t.core.total_time;
        cmi.suspend_data = t.suspend_data || '';
        if (t.interactions) cmi.interactions = t.interactions;
      }
      return { cmi: cmi };
    }
    var c = {
      learner_id: 'learner-1', learner_name: 'Learner, A', mode: rec.launchMode, credit: normal ? 'credit' : 'no-credit',
      entry: 'ab-initio',
    };
    if (sco.passing !== null && sco.passing !== undefined) c.scaled_passing_score = sco.passing;
    // SCORM 2004 RTE 4.2.8: only an attempt left with exit=suspend is resumed with its data.
    if (t && (t.exit === 'suspend' || t.exit === 'logout')) {
      c.entry = 'resume';
      ['location', 'suspend_data', 'completion_status', 'success_status', 'progress_measure'].forEach(function (k) { if (t[k]) c[k] = t[k]; });
      if (t.score) c.score = t.score;
      if (t.interactions) c.interactions = t.interactions;
    }
    return { cmi: c };
  }

  // ------------------------------------------------------------------ sessions: one API object per SCO launch
  function newInner(state) {
    var api = is12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
    if (state) api.loadFromJSON(state, '');
    return api;
  }

  function snapshot(api) {
    try { return JSON.parse(JSON.stringify(api.renderCommitCMI(true))); } catch (e) { return { error: String(e) }; }
  }

  function newSession(index, state) {
    var sco = rec.scos[index] || { id: 'sco', href: launch, mastery: '', passing: null };
    var s = {
      sco: sco.id, href: sco.href, index: index, launchState: state,
      calls: [], errors: [], afterEnd: [], throws: [], dropped: [],
      initialized: false, finished: false, final: null, commits: [], stored: null,
      nav: '', dropFinish: false, reinits: 0,
    };
    var inner = newInner(state);
    var forced = null;   // an error this wrapper reported instead of scorm-again
    var facade = {};
    FN.forEach(function (fn, k) {
      facade[fn] = function () {
        var args = [].slice.call(arguments);
        var ret, err;
        if (k < LASTERR) forced = null;
        if (k === LASTERR && forced !== null) {
          ret = forced;
          err = forced;
        } else if (k === INIT && s.finished && opt.reinit === 'moodle' && is12) {
          // Moodle's 1.2 API: LMSFinish clears its Initialized flag, the data stay in the page.
          var kept = launchStateFrom(snapshot(inner).cmi, s.launchState);
          inner = newInner(kept);
          s.reinits++;
          s.finished = false;
          ret = inner[fn].apply(inner, args);
          err = String(inner.lastErrorCode);
        } else if ((k === SET || k === COMMIT) && s.initialized && !s.finished && refusing()) {
          ret = 'false';
          forced = err = is12 ? '101' : k === SET ? '351' : '391';
        } else if (k === SET && opt.sdmax && args[0] === 'cmi.suspend_data' && String(args[1]).length > opt.sdmax) {
          ret = 'false';
          forced = err = '405';
        } else if (k === FIN && s.dropFinish && s.initialized && !s.finished) {
          // The unloading page's LMSFinish/Terminate never reaches the LMS.
          s.dropFinish = false;
          s.dropped.push({ fn: fn, args: args.map(String), t: Date.now() });
          return 'true';
        } else {
          try { ret = inner[fn].apply(inner, args); } catch (e) { s.throws.push(fn + ': ' + e); throw e; }
          err = String(inner.lastErrorCode);
        }
        var c = { fn: fn, args: args.map(String), ret: String(ret), err: String(err), t: Date.now() };
        if (s.finished) s.afterEnd.push(c);
        s.calls.push(c);
        // Getting/setting/committing: any error code is a failure (GetLastError etc. only report).
        if (k <= FIN && c.err !== '0') {
          try { c.msg = inner.getLmsErrorMessageDetails(c.err); } catch (e) { c.msg = ''; }
          s.errors.push(c);
        }
        if (k === SET && c.ret === 'true') {
          accepted++;
          if (args[0] === (is12 ? 'nav.event' : 'adl.nav.request')) s.nav = String(args[1]);
        }
        if (k === INIT && c.ret === 'true') s.initialized = true;
        if (k === COMMIT) {
          var snap = snapshot(inner);
          s.commits.push(snap);
          if (c.ret === 'true') keep(s, snap);
        }
        if (k === FIN && c.ret === 'true') {
          s.final = snapshot(inner);
          s.finished = true;
          keep(s, s.final);
          afterFinish(s);
        }
        return ret;
      };
    });
    s.api = facade;
    Object.defineProperty(s, 'api', { enumerable: false });
    rec.sessions.push(s);
    rec.current = index;
    return s;
  }

  // 1.2 re-initialization on the same page (reinit=moodle): the data of this launch as they are now.
  function launchStateFrom(cmi, first) {
    var st = JSON.parse(JSON.stringify(first || { cmi: { core: {} } }));
    st.cmi.core = st.cmi.core || {};
    st.cmi.core.lesson_status = cmi.core.lesson_status;
    st.cmi.core.lesson_location = cmi.core.lesson_location;
    st.cmi.core.score = cmi.core.score;
    st.cmi.suspend_data = cmi.suspend_data;
    st.cmi.interactions = cmi.interactions;
    return st;
  }

  // The LMS's own record: what it stored at the last accepted Commit/Finish of each SCO.
  function keep(s, snap) {
    if (!snap || !snap.cmi) return;
    s.stored = snap;
    store.tracks[s.sco] = snap.cmi;
    store.last = s.sco;
  }

  function afterFinish(s) {
    var nav = s.nav;
    if (nav === 'continue' || nav === 'previous') {
      rec.navigations.push({ from: s.sco, request: nav, t: Date.now() });
      setTimeout(function () { go(s.index + (nav === 'continue' ? 1 : -1)); }, opt.navdelay);
    }
  }

  function install(s) {
    window[is12 ? 'API' : 'API_1484_11'] = s.api;
    window.__api = s.api;
  }

  // Moodle's scorm_activate_item: the SCO at `index` in the same frame.
  function go(index) {
    var frame = document.getElementById('sco');
    if (index < 0) return;
    if (index >= rec.scos.length) {
      rec.courseEnded = true;
      frame.src = 'about:blank';
      return;
    }
    var sco = rec.scos[index];
    var state = launchState(sco);
    if (opt.staleapi >= 0 && rec.sessions.length) {
      // The old API object stays on this window while the next SCO loads.
      rec.current = index;
      frame.src = sco.href;
      setTimeout(function () { install(newSession(index, state)); }, opt.staleapi);
    } else {
      install(newSession(index, state));
      frame.src = sco.href;
    }
  }

  window.__lmsControl = {
    next: function () { go(rec.current + 1); },
    prev: function () { go(rec.current - 1); },
    fail: function (spec) {
      // The next write is refused, and every write for T ms from then on (or the next K writes).
      flaky = { after: 0, ms: spec.ms || 0, calls: spec.calls || 0, from: 0 };
      flaky.left = flaky.calls;
      rec.outageStarted = rec.outageEnded = null;
    },
    reload: function (o) {
      var s = rec.sessions[rec.sessions.length - 1];
      if (s && o && o.terminate === false) s.dropFinish = true;
      document.getElementById('sco').contentWindow.location.reload();
    },
  };

  // ------------------------------------------------------------------ start
  function begin(index) {
    var sco = rec.scos[index];
    var s = newSession(index, sco ? launchState(sco) : window.__lmsState || null);
    install(s);
    return s;
  }

  function load(href) {
    var frame = document.getElementById('sco');
    document.getElementById('player-status').textContent = 'running ' + version;
    if (mode === 'popup') {
      frame.hidden = true;
      // The test clicks this button: a popup needs a user gesture.
      document.getElementById('open-popup').addEventListener('click', function () {
        window.__popup = window.open(href, 'sco', 'width=900,height=700');
      });
    } else if (mode === 'nested') {
      frame.src = '/harness/frame.html?src=' + encodeURIComponent(href);
    } else {
      frame.src = href;
    }
    rec.ready = true;
  }

  var loaded = new Promise(function (resolve) {
    if (document.readyState !== 'loading') resolve();
    else window.addEventListener('DOMContentLoaded', resolve);
  });
  if (!opt.pkg) {
    // One SCO at `launch`: its API is on this window before anything else runs.
    var only = begin(0);
    loaded.then(function () { load(only.href); });
  } else {
    // The package's manifest first; then the SCO the LMS picks (Moodle: the first unfinished one).
    var manifest = fetch(opt.pkg + 'imsmanifest.xml').then(function (r) { return r.text(); });
    Promise.all([manifest, loaded]).then(function (r) {
      rec.scos = parseManifest(r[0]);
      load(begin(chooseLaunch()).href);
    }).catch(function (e) { rec.loadError = String(e && e.stack || e); });
  }
})();
