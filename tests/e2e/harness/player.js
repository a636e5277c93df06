// The "LMS": scorm-again's API on this window, the SCO in an iframe (as Moodle does), in a nested
// frame, or in a popup. Every API call the SCO makes is recorded in window.__lms for the tests.
// Query: ?version=1.2|2004&launch=URL&mode=iframe|nested|popup
// Preloaded CMI data (resume): window.__lmsState, set by the test before this script runs.
(function () {
  'use strict';
  var q = new URLSearchParams(location.search);
  var version = q.get('version'), launch = q.get('launch'), mode = q.get('mode') || 'iframe';
  var is12 = version === '1.2';
  var api = is12
    ? new window.Scorm12API({ logLevel: 5, autocommit: false, lmsCommitUrl: false })
    : new window.Scorm2004API({ logLevel: 5, autocommit: false, lmsCommitUrl: false });
  if (window.__lmsState) api.loadFromJSON(window.__lmsState, '');
  var N = is12
    ? ['LMSInitialize', 'LMSGetValue', 'LMSSetValue', 'LMSCommit', 'LMSFinish', 'LMSGetLastError', 'LMSGetErrorString', 'LMSGetDiagnostic']
    : ['Initialize', 'GetValue', 'SetValue', 'Commit', 'Terminate', 'GetLastError', 'GetErrorString', 'GetDiagnostic'];
  var rec = window.__lms = {
    version: version, calls: [], errors: [], afterEnd: [], throws: [],
    initialized: false, finished: false, final: null, commits: [],
  };
  function snapshot() {
    try { return JSON.parse(JSON.stringify(api.renderCommitCMI(true))); } catch (e) { return { error: String(e) }; }
  }
  N.forEach(function (fn, k) {
    var orig = api[fn];
    api[fn] = function () {
      var args = [].slice.call(arguments);
      var ret;
      try { ret = orig.apply(api, args); } catch (e) { rec.throws.push(fn + ': ' + e); throw e; }
      var err = String(api.lastErrorCode);
      var c = { fn: fn, args: args.map(String), ret: String(ret), err: err, t: Date.now() };
      if (rec.finished) rec.afterEnd.push(c);
      rec.calls.push(c);
      // Getting/setting/committing: any error code is a failure (GetLastError etc. only report).
      if (k <= 4 && err !== '0') {
        c.msg = api.getLmsErrorMessageDetails(err);
        rec.errors.push(c);
      }
      if (k === 0 && ret === 'true') rec.initialized = true;
      if (k === 3) rec.commits.push(snapshot());
      if (k === 4 && ret === 'true') {
        rec.final = snapshot();
        rec.finished = true;
      }
      return ret;
    };
  });
  window[is12 ? 'API' : 'API_1484_11'] = api;
  window.__api = api;

  window.addEventListener('DOMContentLoaded', function () {
    var frame = document.getElementById('sco');
    document.getElementById('player-status').textContent = 'running ' + version;
    if (mode === 'popup') {
      frame.hidden = true;
      // The test clicks this button: a popup needs a user gesture.
      document.getElementById('open-popup').addEventListener('click', function () {
        window.__popup = window.open(launch, 'sco', 'width=900,height=700');
      });
    } else if (mode === 'nested') {
      frame.src = '/harness/frame.html?src=' + encodeURIComponent(launch);
    } else {
      frame.src = launch;
    }
  });
})();
