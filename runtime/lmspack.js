/* lmspack runtime: page navigation, interactive blocks, and tracking through the SCORM 1.2 or
   2004 API (or this browser's storage when there is no LMS). Dependency-free ES2017, no eval.
   Nothing here throws to the page: every LMS call is guarded and its result checked. */
(function (W) {
  'use strict';

  // ---------------------------------------------------------------- pure helpers (tested in node)

  function pad(n, w) {
    var s = String(n);
    while (s.length < w) s = '0' + s;
    return s;
  }

  // Whole centiseconds in a duration, never negative, NaN treated as 0.
  function centis(ms) {
    var cs = Math.round(Number(ms) / 10);
    return isFinite(cs) && cs > 0 ? cs : 0;
  }

  // SCORM 1.2 CMITimespan: HHHH:MM:SS.SS (at most 9999:59:59.99).
  function time12(ms) {
    var cs = Math.min(centis(ms), 9999 * 360000 + 359999);
    return pad(Math.floor(cs / 360000), 4) + ':' + pad(Math.floor(cs / 6000) % 60, 2) + ':' +
      pad(Math.floor(cs / 100) % 60, 2) + '.' + pad(cs % 100, 2);
  }

  // SCORM 2004 timeinterval: PT#H#M#S, seconds with at most 2 decimals, PT0S for nothing.
  function time2004(ms) {
    var cs = centis(ms);
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = Math.floor(cs / 100) % 60, c = cs % 100;
    var out = 'PT' + (h ? h + 'H' : '') + (m ? m + 'M' : '');
    if (s || c) out += s + (c ? '.' + pad(c, 2).replace(/0$/, '') : '') + 'S';
    return out === 'PT' ? 'PT0S' : out;
  }

  var LETTERS = 'abcdefghijklmnopqrstuvwxyz';

  function sameSet(a, b) {
    if (a.length !== b.length) return false;
    var x = a.slice().sort(), y = b.slice().sort();
    for (var i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  }

  function sameList(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  function norm(text, caseSensitive) {
    var t = String(text).trim();
    return caseSensitive ? t : t.toLowerCase();
  }

  // Is answer `a` to question `q` (from the data block) correct? Answers: an option index
  // (single-choice, true-false: 0 = true), indices (multiple-choice), a string (fill-in), the
  // chosen right for each left (matching), item indices in the learner's order (sequencing).
  function isCorrect(q, a) {
    switch (q.kind) {
      case 'single-choice': return q.correct.indexOf(a) >= 0 && q.correct.length === 1;
      case 'multiple-choice': return Array.isArray(a) && sameSet(a, q.correct);
      case 'true-false': return (a === 0) === q.answer;
      case 'fill-in': return q.answers.some(function (x) { return norm(x, q.case_sensitive) === norm(a, q.case_sensitive); });
      case 'matching':
      case 'sequencing': return Array.isArray(a) && sameList(a, q.correct);
      default: return false;
    }
  }

  // The correct_responses patterns and the learner response of an interaction, in the format of
  // `api` ('scorm12' or 'scorm2004').
  function patterns(q, api) {
    var v12 = api === 'scorm12', list = v12 ? ',' : '[,]', dot = v12 ? '.' : '[.]';
    var letters = function (ix) { return ix.map(function (i) { return LETTERS[i]; }).join(list); };
    switch (q.kind) {
      case 'single-choice':
      case 'multiple-choice':
      case 'sequencing': return [letters(q.correct)];
      case 'true-false': return [v12 ? (q.answer ? 't' : 'f') : String(q.answer)];
      case 'fill-in': return q.answers.slice(0, 5).map(function (x) { return fillIn(x, q, v12); });
      case 'matching': return [q.correct.map(function (r, l) { return l + dot + LETTERS[r]; }).join(list)];
      default: return [];
    }
  }

  function fillIn(text, q, v12) {
    var t = String(text).trim().slice(0, v12 ? 255 : 250);
    return !v12 && q.case_sensitive ? '{case_matters=true}' + t : t;
  }

  function response(q, a, api) {
    var v12 = api === 'scorm12', list = v12 ? ',' : '[,]', dot = v12 ? '.' : '[.]';
    switch (q.kind) {
      case 'single-choice': return LETTERS[a];
      case 'multiple-choice':
      case 'sequencing': return a.map(function (i) { return LETTERS[i]; }).join(list);
      case 'true-false': return v12 ? (a === 0 ? 't' : 'f') : String(a === 0);
      case 'fill-in': return String(a).trim().slice(0, v12 ? 255 : 250);
      case 'matching': return a.map(function (r, l) { return l + dot + LETTERS[r]; }).join(list);
      case 'likert': return String(a + 1);
      default: return '';
    }
  }

  // Score (0–100, 2 decimals) of `answers` (index → answer) to `qs`: null with no scored question.
  function scoreOf(qs, answers) {
    var total = 0, got = 0, all = true;
    qs.forEach(function (q, i) {
      if (!q.scored) return;
      total += q.weight;
      if (!(i in answers)) all = false;
      else if (isCorrect(q, answers[i])) got += q.weight;
    });
    return { score: total ? Math.round(10000 * got / total) / 100 : null, all: all };
  }

  var lmspack = {
    time12: time12, time2004: time2004, isCorrect: isCorrect, patterns: patterns,
    response: response, scoreOf: scoreOf
  };
  W.lmspack = lmspack;
  if (typeof module === 'object' && module.exports) module.exports = lmspack;
  if (typeof document === 'undefined') return;

  // ---------------------------------------------------------------- the player

  var doc = document, D, Q, B, v12, live = false, ended = false, readOnly = false, credit = true;
  var API = null, F = {}, K = {}, written = {}, started = Date.now(), timer = 0, dirty = false;
  var S = { v: [], a: {}, b: {}, t: {}, r: 0 }, cur = 0, pages = [], slots = {}, shownAt = started;
  // What the LMS held at launch (never lowered), the writes it has not taken yet, and the learner
  // (the seed of the option order).
  // X: the xAPI or cmi5 session (null under SCORM).
  var X = null, prior = { raw: NaN, st: '', ok: '' }, gone = false, Wq = [], fails = 0, retryT = 0, unsaved = false, closing = false, who = '';

  function $(sel, root) { return (root || doc).querySelector(sel); }
  function $$(sel, root) { return [].slice.call((root || doc).querySelectorAll(sel)); }
  function warn(msg) { try { W.console.warn('lmspack: ' + msg); } catch (e) { /* no console */ } }

  // #scorm: the SCORM transport (left out of other packages; docs/targets.md)
  // API discovery: this window, its parents (at most 500), then the opener and its parents.
  function findIn(win, name) {
    for (var hops = 0; win && hops <= 500; hops++) {
      try { if (win[name]) return win[name]; } catch (e) { /* cross-origin: keep climbing */ }
      var up = null;
      try { up = win.parent; } catch (e) { up = null; }
      if (!up || up === win) break;
      win = up;
    }
    return null;
  }

  function discover(name) {
    var api = findIn(W, name);
    if (!api) { try { if (W.opener) api = findIn(W.opener, name); } catch (e) { api = null; } }
    return api;
  }

  function call(fn) {
    if (!API || ended) return '';
    var args = [].slice.call(arguments, 1);
    try {
      var r = API[F[fn]].apply(API, args.length ? args : ['']);
      return r === null || r === undefined ? '' : String(r);
    } catch (e) {
      warn(F[fn] + ' threw: ' + e);
      return '';
    }
  }

  function ok(result, what) {
    if (result === 'true') return true;
    if (API && !ended) {
      var code = call('err');
      warn(what + ' failed (error ' + code + ': ' + call('str', code) + ')');
    }
    return false;
  }

  function get(el) { return live ? call('get', el) : ''; }

  // Queue a write; `push` sends the queue in order. A value the LMS already has is not sent again.
  function set(el, value) {
    value = String(value);
    if (!live || readOnly || ended) return;
    for (var i = 0; i < Wq.length; i++) if (Wq[i][0] === el) return void (Wq[i][1] = value);
    if (written[el] !== value) Wq.push([el, value]);
  }

  // Send the queued writes, in order, and commit when `commit`. A write or commit the LMS refuses
  // stays queued and is tried again with backoff (1 s, 2 s, … 30 s) while the learner is told; a
  // value the LMS can never take (a data-model error) is dropped, as retrying it would block the
  // queue for ever.
  function push(commit) {
    if (!live || ended) return true;
    W.clearTimeout(retryT);
    while (Wq.length) {
      var w = Wq[0];
      if (call('set', w[0], w[1]) !== 'true') {
        var code = call('err');
        if (!/^(201|40[1-8])$/.test(code)) return retry(w[0], code);
        warn('SetValue(' + w[0] + ') refused (error ' + code + ')');
      } else {
        written[w[0]] = w[1];
        unsaved = true;
      }
      Wq.shift();
    }
    if (commit && unsaved && !readOnly) {
      if (call('commit') !== 'true') return retry('Commit', call('err'));
      unsaved = false;
    }
    if (fails) {
      saving('Your progress is saved.', 1);
      W.setTimeout(function () { if (!fails) saving(''); }, 5000);
    }
    fails = 0;
    return true;
  }

  function retry(what, code) {
    warn(what + ' failed (error ' + code + '): retrying');
    saving('Your progress could not be saved to the LMS. It is kept on this page and we are retrying: please keep this page open.');
    retryT = W.setTimeout(function () { if (push(true) && closing) finish(); }, Math.min(30000, 1000 << Math.min(fails++, 5)));
    return false;
  }

  function saving(text, ok) {
    var el = $('#lp-save');
    el.textContent = text;
    el.classList.toggle('is-ok', !!ok);
  }

  // Connect to the LMS. An Initialize that fails leaves two cases: the session is still open (the
  // frame was reloaded before it ended: some LMSs answer "already initialized") and it carries on;
  // or it has ended (error 104), and the LMS may be about to put a fresh API object in place (as
  // Moodle does between SCOs): look again for 3 s before working from this tab's copy.
  function connect(done, tries) {
    API = discover(v12 ? 'API' : 'API_1484_11');
    if (API && call('init') === 'true') live = true;
    else if (API) {
      // 2004 says which: 103 already initialized, 104 terminated. 1.2 has only 101: ask it.
      var code = call('err');
      if (v12) { call('get', K.status); code = call('err') === '0' ? '103' : code; }
      if (code === '103') live = 'again';
      // This tab already has this module's state: a reload, not a new launch; no fresh API is coming.
      else if (tries < 12 && !mirror().s) return W.setTimeout(function () { connect(done, tries + 1); }, 250);
      else {
        warn(F.init + ' failed (error ' + call('err') + ')');
        API = null;
        live = false;
        return done(true);
      }
    }
    done(false);
  }

  // #end

  function setup(then) {
    v12 = D.api === 'scorm12';
    F = v12
      ? { init: 'LMSInitialize', get: 'LMSGetValue', set: 'LMSSetValue', commit: 'LMSCommit', fin: 'LMSFinish', err: 'LMSGetLastError', str: 'LMSGetErrorString' }
      : { init: 'Initialize', get: 'GetValue', set: 'SetValue', commit: 'Commit', fin: 'Terminate', err: 'GetLastError', str: 'GetErrorString' };
    K = v12
      ? { entry: 'cmi.core.entry', mode: 'cmi.core.lesson_mode', credit: 'cmi.core.credit', status: 'cmi.core.lesson_status', loc: 'cmi.core.lesson_location', score: 'cmi.core.score.', exit: 'cmi.core.exit', time: 'cmi.core.session_time', resp: 'student_response', stamp: 'time', who: 'cmi.core.student_id' }
      : { entry: 'cmi.entry', mode: 'cmi.mode', credit: 'cmi.credit', status: 'cmi.completion_status', loc: 'cmi.location', score: 'cmi.score.', exit: 'cmi.exit', time: 'cmi.session_time', resp: 'learner_response', stamp: 'timestamp', who: 'cmi.learner_id' };
    if (!v12 && D.api !== 'scorm2004') return begin(then, false);
    connect(function (lost) { begin(then, lost); }, 0);
  }

  function begin(then, lost) {
    var saved = '', back = false, m;
    // #scorm
    if (live) {
      var mode = get(K.mode);
      readOnly = mode === 'review' || mode === 'browse';
      credit = get(K.credit) !== 'no-credit';
      who = get(K.who);
      var again = get(K.entry) === 'resume' || live === 'again';
      // A 2004 attempt starts empty (reading an element not yet set is an error there); 1.2 keeps
      // the status and score across launches.
      if (v12 || again) {
        prior.st = get(K.status);
        prior.ok = v12 ? '' : get('cmi.success_status');
        if (v12 || rank(prior.ok) > 1) prior.raw = parseFloat(get(K.score + 'raw'));
      }
      // 1.2 has no attempts: what the LMS kept (Moodle keeps a reloaded page's data, with entry
      // still "ab-initio") is this learner's.
      if (again || v12) {
        saved = get('cmi.suspend_data');
        var at = D.pages.indexOf(get(K.loc));
        if (at >= 0) cur = at;
        back = !!saved;
      }
      if (!again && !readOnly && rank(prior.st) < 1) {
        set(K.status, 'incomplete');
        push(false);
      }
      if (!saved) {
        m = mirror();
        saved = m.s;
        cur = Math.max(cur, D.pages.indexOf(m.p));
      }
    } else if (lost) {
      gone = true;
      m = mirror();
      saved = m.s;
      cur = Math.max(0, D.pages.indexOf(m.p));
      notice('This page was reloaded after its session with the LMS ended. Your answers are shown, but the LMS will not record anything more from this page: close it and open the activity again from the LMS to carry on.');
    } else
    // #end
    {
      notice('Not connected to an LMS: progress is saved in this browser only.');
      try {
        var local = JSON.parse(W.localStorage.getItem(storeKey()) || 'null');
        if (local) { saved = local.s || ''; cur = Math.max(0, D.pages.indexOf(local.p)); back = !!saved; }
      } catch (e) { saved = ''; }
    }
    restore(saved);
    if (back && S.v.some(Boolean)) notice(($('#lp-status').textContent + ' Welcome back. You were on page ' + (cur + 1) + ' of ' + D.pages.length + ': you carry on from there.').trim());
    then();
  }

  function storeKey() { return 'lmspack:' + D.course.id + ':' + D.module.id; }

  function store(key, value) {
    try { W.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage unavailable or full */ }
  }

  // This tab's copy of the last state sent to the LMS: what a reloaded page shows when its LMS
  // session has ended. Session storage: it goes with the tab, never to the next user of a shared
  // computer.
  function mirror(value) {
    var key = storeKey();
    try {
      if (value) W.sessionStorage.setItem(key, JSON.stringify(value));
      else return JSON.parse(W.sessionStorage.getItem(key) || 'null') || {};
    } catch (e) { /* storage unavailable */ }
    return {};
  }

  function notice(text) { var el = $('#lp-status'); if (el) el.textContent = text; }

  // ---------------------------------------------------------------- learner state

  function fnv(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    return h;
  }

  // A fingerprint of the module's structure: saved answers are keyed by index, so they are only
  // restored into the same pages, questions and blocks (a republished module starts afresh).
  function shape() {
    return fnv(D.pages.join(',') + '|' + Q.map(function (q) { return q.id; }).join(',') + '|' + B.map(function (b) { return b.id; }).join(',')).toString(36);
  }

  // suspend_data: {"h":shape,"v":"<hex bitmask of visited pages>","a":{question index: answer},
  // "b":{block index: data},"t":{question index: checks made},"r":retakes}
  function encode(drop) {
    var bits = '', b = {};
    for (var i = 0; i < D.pages.length; i += 4) {
      var n = 0;
      for (var j = 0; j < 4; j++) if (S.v[i + j]) n |= 1 << j;
      bits += n.toString(16);
    }
    Object.keys(S.b).forEach(function (k) {
      if (!(drop && drop[k])) b[k] = S.b[k];
    });
    var s = { h: shape(), v: bits, a: S.a, b: b };
    if (Object.keys(S.t).length) s.t = S.t;
    if (S.r) s.r = S.r;
    return JSON.stringify(s);
  }

  var at = function (list, k) { return /^\d+$/.test(k) && list[k]; };
  var isInt = function (x, n) { return x === Math.floor(x) && x >= 0 && x < n; };
  var ints = function (x, n) { return Array.isArray(x) && x.every(function (y) { return isInt(y, n); }); };
  var texts = function (x) { return Array.isArray(x) && x.every(function (y) { return typeof y === 'string'; }); };

  // Does saved answer `a` fit question `q`? Saved data is only as good as the LMS that kept it.
  function fits(q, a) {
    switch (q.kind) {
      case 'multiple-choice': return ints(a, q.count);
      case 'fill-in': return typeof a === 'string';
      case 'matching':
      case 'sequencing': return ints(a, q.count) && a.length === q.count;
      default: return isInt(a, q.count || 2);
    }
  }

  function fitsBlock(b, v) {
    if (b.kind === 'reflection') return typeof v === 'string';
    if (b.kind === 'scenario') return ints(v, 1e4) && (v.length === 0 || v.length === 2);
    return texts(v);
  }

  // Restore what was saved, keeping only the values that fit this module: a wrong type in one
  // place (an LMS or a script that rewrote the data) loses that value, never the whole state.
  function restore(text) {
    var s = null, obj = function (x) { return x && typeof x === 'object' && !Array.isArray(x) ? x : {}; };
    try { s = JSON.parse(text || 'null'); } catch (e) { s = null; }
    if (s && typeof s === 'object' && s.h === shape()) {
      var bits = String(s.v || '');
      for (var i = 0; i < D.pages.length; i++) S.v[i] = !!(parseInt(bits.charAt(i >> 2) || '0', 16) & (1 << (i & 3)));
      Object.keys(obj(s.a)).forEach(function (k) { if (at(Q, k) && fits(Q[k], s.a[k])) S.a[k] = s.a[k]; });
      Object.keys(obj(s.b)).forEach(function (k) { if (at(B, k) && fitsBlock(B[k], s.b[k])) S.b[k] = s.b[k]; });
      Object.keys(obj(s.t)).forEach(function (k) { if (k in S.a && isInt(s.t[k], 99)) S.t[k] = s.t[k]; });
      if (isInt(s.r, 1e6)) S.r = s.r;
    }
    // Free text that did not fit in suspend_data was kept in this browser.
    try {
      var kept = JSON.parse(W.localStorage.getItem(storeKey() + ':text') || 'null');
      if (kept && kept.h === shape()) Object.keys(obj(kept.b)).forEach(function (k) { if (!(k in S.b) && at(B, k) && fitsBlock(B[k], kept.b[k])) S.b[k] = kept.b[k]; });
    } catch (e) { /* storage unavailable */ }
  }

  function tries() { return D.attempts || 1; }

  // Is question i answered for good: right, or out of tries (a practice question or likert item
  // once answered)?
  function settled(i) {
    var q = Q[i];
    return i in S.a && (!q.scored || isCorrect(q, S.a[i]) || (S.t[i] || 1) >= tries());
  }

  function answers() {
    var out = {};
    Object.keys(S.a).forEach(function (i) { if (Q[i] && settled(i)) out[i] = S.a[i]; });
    return out;
  }

  function finished(r) {
    var pagesSeen = S.v.length === D.pages.length && S.v.every(Boolean);
    var done = (D.completion === 'assessment' || pagesSeen) && (D.completion === 'pages' || r.all);
    return { done: done, end: done && (r.score === null || r.all) };
  }

  // How far through: pages seen and scored questions settled, 0–1.
  // Pages seen, and scored questions settled of how many.
  function tally() {
    var c = { seen: S.v.filter(Boolean).length, n: 0, k: 0 };
    Q.forEach(function (q, i) { if (q.scored) { c.n++; if (settled(i)) c.k++; } });
    return c;
  }

  function progress() {
    var c = tally();
    return Math.round(100 * (c.seen + c.k) / (D.pages.length + c.n)) / 100;
  }

  function save() {
    dirty = true;
    if (timer) W.clearTimeout(timer);
    timer = W.setTimeout(function () { flush(true); }, 1000);
    meter();
  }

  // Write everything, and commit when `commit` (not before Terminate: it commits itself).
  function flush(commit) {
    if (timer) W.clearTimeout(timer);
    timer = 0;
    if (!dirty || ended) return;
    dirty = false;
    if (X) {
      if (!X.over) { judge(); xsave(false); }
      return;
    }
    var data = encode(null), max = v12 ? 4096 : 64000;
    if (!live) {
      (gone ? mirror : function (v) { store(storeKey(), v); })({ p: D.pages[cur], s: data });
      return;
    }
    if (data.length > max) {
      // Too long for the LMS: the longest free texts, one by one, are kept in this browser only.
      var drop = {}, kept = {}, size = function (k) { return JSON.stringify(S.b[k]).length; };
      Object.keys(S.b).filter(function (k) { return B[k] && B[k].kind !== 'scenario'; })
        .sort(function (x, y) { return size(y) - size(x); })
        .forEach(function (k) {
          if (data.length <= max) return;
          drop[k] = true;
          kept[k] = S.b[k];
          data = encode(drop);
        });
      store(storeKey() + ':text', { h: shape(), b: kept });
    }
    mirror({ p: D.pages[cur], s: data });
    set(K.loc, D.pages[cur]);
    set('cmi.suspend_data', data);
    report();
    set(K.time, (v12 ? time12 : time2004)(Date.now() - started));
    push(commit);
  }

  function terminate() {
    if (X) return xend(false);
    if (ended) return;
    dirty = true;
    flush(v12);
    if (!live) return;
    ok(call('fin'), F.fin);
    ended = true;
  }

  function record(i, answer, correct) {
    if (X) xanswered(i, answer, correct);
    else if (live) journal(i, answer, correct);
  }

  // #scorm
  // 1.2 and 2004 statuses, ranked: a status is only ever replaced by one at least as good.
  function rank(st) { return { passed: 3, completed: 2, failed: 2, incomplete: 1, browsed: 1 }[st] || 0; }

  // What goes to the LMS. A score and a pass or fail only once every scored question is settled
  // (a score written earlier is a "failed" in any LMS that judges by the mastery score), never
  // lower than the one the LMS held at launch, and nothing at all without credit.
  function report() {
    var r = scoreOf(Q, answers()), f = finished(r), all = r.score !== null && r.all;
    var success = all ? (r.score >= D.mastery_score ? 'passed' : 'failed') : '';
    var status = v12 ? (f.done ? success || 'completed' : 'incomplete') : f.done ? 'completed' : 'incomplete';
    if (!v12 && rank(prior.st) < 2) set('cmi.progress_measure', progress());
    if (!credit) return set(K.exit, 'suspend');
    // `prior` follows what this session writes too: a retake never takes back its own best.
    if (all && (!v12 || f.done) && !(r.score < prior.raw)) {
      set(K.score + 'min', 0);
      set(K.score + 'max', 100);
      set(K.score + 'raw', prior.raw = r.score);
      if (!v12) set('cmi.score.scaled', Math.round(r.score * 100) / 10000);
    }
    if (rank(status) >= rank(prior.st)) set(K.status, prior.st = status);
    if (success && !v12 && !(success === 'failed' && prior.ok === 'passed')) set('cmi.success_status', prior.ok = success);
    set(K.exit, f.end ? (v12 ? '' : 'normal') : 'suspend');
  }

  function stamp() {
    var d = new Date();
    var hms = pad(d.getHours(), 2) + ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2);
    return v12 ? hms : d.getFullYear() + '-' + pad(d.getMonth() + 1, 2) + '-' + pad(d.getDate(), 2) + 'T' + hms;
  }

  // Journal one answer as a new interaction. A likert item keeps its interaction for the session:
  // arrowing through a radio group changes it on every key press. Slots are counted here, so
  // interactions queued while the LMS refuses writes keep their own places.
  var icount = -1;
  function journal(i, answer, correct) {
    if (readOnly || ended) return;
    var q = Q[i], api = D.api, n = slots[i];
    if (icount < 0) icount = parseInt(get('cmi.interactions._count'), 10) || 0;
    if (n === undefined) {
      if (icount >= 250) return;
      n = icount++;
      if (q.kind === 'likert') slots[i] = n;
    }
    var p = 'cmi.interactions.' + n + '.';
    set(p + 'id', q.id);
    set(p + 'type', q.type);
    if (!v12) set(p + 'description', q.text);
    set(p + 'weighting', q.scored ? q.weight : 0);
    patterns(q, api).forEach(function (pt, j) { set(p + 'correct_responses.' + j + '.pattern', pt); });
    set(p + K.resp, response(q, answer, api));
    set(p + 'result', q.kind === 'likert' ? 'neutral' : correct ? 'correct' : v12 ? 'wrong' : 'incorrect');
    set(p + K.stamp, stamp());
    set(p + 'latency', (v12 ? time12 : time2004)(Date.now() - shownAt));
  }
  // #end

  // #xapi: xAPI and cmi5 only
  // ---------------------------------------------------------------- xAPI (Tin Can launch) and cmi5
  // What is sent and when: docs/xapi-cmi5.md. X.q: statements not yet stored; X.f: what the
  // registration already sent (state document); X.lk: likert answers to send once settled.

  function uuid() {
    var b = W.crypto.getRandomValues(new Uint8Array(16)), h = '';
    b[6] = b[6] & 15 | 64;
    b[8] = b[8] & 63 | 128;
    for (var i = 0; i < 16; i++) h += (b[i] + 256).toString(16).slice(1) + (i & 1 && i > 2 && i < 10 ? '-' : '');
    return h;
  }

  function agent(a) {
    var o = {};
    Object.keys(a).forEach(function (k) {
      var v = Array.isArray(a[k]) ? a[k][0] : a[k];
      o[k] = k === 'mbox' && v.indexOf('mailto:') ? 'mailto:' + v : v;
    });
    return o;
  }

  function req(method, path, query, body, keep) {
    var qs = Object.keys(query || {}).map(function (k) { return k + '=' + encodeURIComponent(query[k]); }).join('&');
    return W.fetch(X.ep + path + (qs ? '?' + qs : ''), {
      method: method, keepalive: !!keep, credentials: 'omit', cache: 'no-store',
      headers: { Authorization: X.auth, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  }

  function fetchDoc(path, query) {
    return req('GET', path, query).then(function (r) {
      if (r.status === 404) return null;
      if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
      return r.json();
    });
  }

  function stateQuery(id) {
    var q = { stateId: id, activityId: X.act, agent: JSON.stringify(X.actor) };
    if (X.reg) q.registration = X.reg;
    return q;
  }

  function clone(o) { return JSON.parse(JSON.stringify(o || {})); }

  function send(verb, object, result, defined, extra) {
    if (!X || X.over) return;
    var ctx = clone(X.ctx), ca = ctx.contextActivities = ctx.contextActivities || {}, t = Math.max(Date.now(), X.last + 1);
    X.last = t;
    if (X.reg) ctx.registration = X.reg;
    if (X.cmi5 && defined) {
      ca.category = (ca.category || []).concat([{ id: D.xapi.cmi5 + 'categories/cmi5' }], extra ? [{ id: D.xapi.cmi5 + 'categories/moveon' }] : []);
      if (extra && X.ld.masteryScore !== undefined && result.success !== undefined) {
        ctx.extensions = ctx.extensions || {};
        ctx.extensions[D.xapi.cmi5 + 'extensions/masteryscore'] = X.ld.masteryScore;
      }
    }
    if (object.id !== X.act) ca.parent = (ca.parent || []).concat([{ id: X.act }]);
    if (!X.cmi5) ca.grouping = (ca.grouping || []).concat([{ id: D.xapi.course }]);
    var s = {
      id: uuid(), actor: X.actor, timestamp: new Date(t).toISOString(), context: ctx,
      verb: { id: D.xapi.verbs + verb },
      object: object
    };
    if (result) s.result = result;
    X.q.push(s);
    keep();
    pump(false);
  }

  // Tin Can: the statements not yet stored are kept in this browser as well, and sent first on
  // the next launch of the activity by the same learner at the same LRS, so an LRS that is down,
  // or a connection lost as the tab closes, loses nothing (the LRS keeps one statement per id).
  // Not for cmi5: its statements belong to one session and its one-time token.
  function kept() { return 'lmspack:xq:' + X.ep + '|' + JSON.stringify(X.actor) + '|' + X.act; }
  function keep() {
    if (X.cmi5) return;
    try {
      if (X.q.length) W.localStorage.setItem(kept(), JSON.stringify(X.q.slice(-500)));
      else W.localStorage.removeItem(kept());
    } catch (e) { /* storage unavailable or full */ }
  }


  function pump(final) {
    var batch = X.q.filter(function (s) { return X.fly.indexOf(s) < 0; }).slice(0, 20);
    if (!batch.length || (X.fly.length && !final)) return;
    X.fly = X.fly.concat(batch);
    var done = function (ok) {
      X.fly = X.fly.filter(function (s) { return batch.indexOf(s) < 0; });
      if (ok) {
        X.q = X.q.filter(function (s) { return batch.indexOf(s) < 0; });
        keep();
        X.wait = 500;
        return pump(false);
      }
      W.clearTimeout(X.retry);
      X.retry = W.setTimeout(function () { pump(false); }, X.wait = Math.min(2 * X.wait, 30000));
    };
    req('POST', 'statements', null, batch, true).then(function (r) {
      if (!r.ok && r.status !== 409) throw new Error('HTTP ' + r.status);
      done(true);
    }).catch(function (e) {
      warn('statements not stored (' + e.message + '): retrying');
      done(false);
    });
    if (final) pump(true);
  }

  function act(id, type, name) {
    var o = { objectType: 'Activity', id: id, definition: { type: D.xapi.types + type, name: {} } };
    o.definition.name[D.xapi.lang] = name;
    return o;
  }

  function xanswered(i, a, correct, settled) {
    if (Q[i].kind === 'likert' && !settled) {
      X.lk[i] = a;
      return;
    }
    var q = Q[i], t = q.type, o = act(q.iri, 'cmi.interaction', q.id), d = o.definition, pt = patterns(q, 'scorm2004');
    var ids = function (f) {
      var out = [];
      for (var k = 0; k < q.count; k++) out.push({ id: f ? LETTERS[k] : String(k + (t === 'likert')) });
      return out;
    };
    d.description = {};
    d.description[D.xapi.lang] = q.text;
    d.interactionType = t;
    if (pt.length) d.correctResponsesPattern = pt;
    if (t === 'choice' || t === 'sequencing') d.choices = ids(1);
    if (t === 'likert') d.scale = ids();
    if (t === 'matching') { d.source = ids(); d.target = ids(1); }
    var r = { response: response(q, a, 'scorm2004'), duration: time2004(Date.now() - shownAt) };
    if (q.type !== 'likert') r.success = correct;
    send('answered', o, r);
  }

  function judge() {
    Object.keys(X.lk).forEach(function (i) { xanswered(i, X.lk[i], false, true); });
    X.lk = {};
    if (X.mode !== 'Normal' || X.over) return;
    var r = scoreOf(Q, answers()), f = finished(r), dur = time2004(Date.now() - started), me = { objectType: 'Activity', id: X.act };
    var scored = r.score !== null && r.all, scaled = Math.round(r.score * 100) / 10000;
    var score = { scaled: scaled, raw: r.score, min: 0, max: 100 }, before = JSON.stringify(X.f);
    var pass = X.ld.masteryScore !== undefined ? X.ld.masteryScore : D.mastery_score / 100, c = { completion: true, duration: dur };
    if ((X.cmi5 ? f.done : f.end) && !X.f.c) {
      X.f.c = 1;
      if (scored && !X.cmi5) { c.success = scaled >= pass; c.score = score; }
      send('completed', me, c, true, true);
    }
    if (X.cmi5 && scored && !X.f.p && !X.f.f) {
      X.f[scaled >= pass ? 'p' : 'f'] = 1;
      send(scaled >= pass ? 'passed' : 'failed', me, { score: score, success: scaled >= pass, duration: dur }, true, true);
    }
    if (JSON.stringify(X.f) !== before) xsave(false);
  }

  function xsave(keep) {
    if (X.mode === 'Review') return;
    req('PUT', 'activities/state', stateQuery('lmspack'), { s: encode(null), p: D.pages[cur], f: X.f }, keep)
      .catch(function (e) { warn('state not saved: ' + e.message); });
  }

  function xend(exit) {
    if (X.over) return;
    judge();
    xsave(true);
    var f = finished(scoreOf(Q, answers())), dur = { duration: time2004(Date.now() - started) };
    send(X.cmi5 || f.end ? 'terminated' : 'suspended', { objectType: 'Activity', id: X.act }, dur, true);
    X.over = true;
    pump(true);
    try { if (X.cmi5) W.sessionStorage.setItem(X.key, '-'); } catch (e) { /* storage unavailable */ }
    if (exit && home()) W.setTimeout(function () { W.location.href = home(); }, 300);
  }

  // cmi5's returnURL, only when it is a web address: a `javascript:` or `data:` one from a
  // tampered launch would run script here.
  function home() {
    try {
      var u = new W.URL(X.ld.returnURL, W.location.href);
      return /^https?:$/.test(u.protocol) ? u.href : '';
    } catch (e) {
      return '';
    }
  }

  function xstart(done) {
    var p = {};
    new W.URLSearchParams(W.location.search).forEach(function (v, k) { p[k] = v; });
    var cmi5 = D.api === 'cmi5';
    if (!p.endpoint || !p.actor || (cmi5 && !(p.fetch && p.registration && p.activityId))) return false;
    var fail = function (e) { notice('Your progress cannot be recorded: ' + e.message); warn(e.message); X.over = true; done(); };
    try {
      X = {
        cmi5: cmi5, ep: p.endpoint.replace(/\/?$/, '/'), auth: p.auth, reg: p.registration, ctx: {}, ld: {},
        act: (cmi5 ? p.activityId : p.activity_id) || D.xapi.module, q: [], fly: [], lk: {}, wait: 500, last: 0, f: {}, mode: 'Normal', seen: {}
      };
      X.actor = cmi5 ? JSON.parse(p.actor) : agent(JSON.parse(p.actor));
      if (!cmi5) {
        var left = null;
        try { left = JSON.parse(W.localStorage.getItem(kept()) || 'null'); } catch (e) { left = null; }
        if (Array.isArray(left)) X.q = left;
      }
    } catch (e) {
      X = { over: true };
      notice('The launch link is broken: ' + e.message);
      done();
      return true;
    }
    var token = Promise.resolve();
    if (cmi5) {
      var key = X.key = 'lmspack:token:' + p.fetch, saved = null;
      try { saved = W.sessionStorage.getItem(key); } catch (e) { saved = null; }
      token = saved === '-' ? Promise.reject(new Error('this session has ended; launch the module again from your LMS')) : saved ? Promise.resolve(saved) : W.fetch(p.fetch, { method: 'POST', credentials: 'omit' }).then(function (r) { return r.json(); }).then(function (j) {
        if (!j['auth-token']) throw new Error('the LMS refused the launch (' + (j['error-text'] || j['error-code']) + ')');
        try { W.sessionStorage.setItem(key, j['auth-token']); } catch (e) { /* storage unavailable */ }
        return j['auth-token'];
      });
    }
    token.then(function (t) {
      if (cmi5) X.auth = 'Basic ' + t;
      return cmi5 ? fetchDoc('activities/state', stateQuery('LMS.LaunchData')) : null;
    }).then(function (ld) {
      if (cmi5) {
        if (!ld) throw new Error('no LMS.LaunchData');
        X.ld = ld;
        X.ctx = ld.contextTemplate || {};
        X.mode = ld.launchMode || 'Normal';
        return fetchDoc('agents/profile', { profileId: 'cmi5LearnerPreferences', agent: JSON.stringify(X.actor) }).catch(function () { return null; });
      }
    }).then(function (prefs) {
      X.prefs = prefs || {};
      return fetchDoc('activities/state', stateQuery('lmspack')).catch(function () { return null; });
    }).then(function (st) {
      st = st || {};
      X.f = st.f || {};
      readOnly = X.mode !== 'Normal';
      var at = D.pages.indexOf(st.p);
      if (at >= 0) cur = at;
      restore(st.s || '');
      send(!cmi5 && st.s ? 'resumed' : 'initialized', { objectType: 'Activity', id: X.act }, null, true);
      if (cmi5 && home()) {
        var b = $('#lp-exit');
        b.hidden = false;
        b.addEventListener('click', function () { xend(true); });
      }
      done();
    }).catch(fail);
    return true;
  }
  // #end

  // ---------------------------------------------------------------- pages

  // Page i of the module; pages.length - 1 is the results page.
  function show(i, focus) {
    cur = Math.max(0, Math.min(pages.length - 1, i));
    shownAt = Date.now();
    pages.forEach(function (p, j) { p.hidden = j !== cur; });
    var last = cur === pages.length - 1;
    if (last) results();
    else {
      S.v[cur] = true;
      if (X && !X.seen[cur]) {
        X.seen[cur] = 1;
        send('experienced', act(D.xapi.pages[cur], 'lesson', D.pages[cur]));
      }
    }
    $('#lp-prev').disabled = cur === 0;
    $('#lp-next').disabled = last;
    $('#lp-progress').textContent = last ? 'Results' : 'Page ' + (cur + 1) + ' of ' + D.pages.length;
    // Contents: the current page marked for assistive technology and in bold, visited ones ticked.
    $$('.lp-toc a').forEach(function (a, j) {
      if (j === cur) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
      a.classList.toggle('is-seen', !!S.v[j]);
      a.lastChild.textContent = S.v[j] ? ' (visited)' : '';
    });
    if (focus) {
      var h = $('h1', pages[cur]);
      try { W.scrollTo(0, 0); } catch (e) { /* not supported */ }
      if (h) h.focus();
    }
    save();
    // The results page is where a learner may stop or start again: what it shows is sent now.
    if (last) flush(true);
  }

  // The progress bar: pages seen and scored questions settled.
  function meter() {
    var m = $('#lp-meter'), c = tally();
    m.value = Math.round(100 * progress());
    m.setAttribute('aria-valuetext', c.seen + ' of ' + D.pages.length + ' pages' + (c.n ? ', ' + c.k + ' of ' + c.n + ' questions' : ''));
  }

  function go(page, target) {
    show(page, !target);
    if (target) { target.scrollIntoView(); target.focus(); }
  }

  function link(text, onclick) {
    var li = doc.createElement('li'), a = doc.createElement('a');
    a.href = '#';
    a.textContent = text;
    a.addEventListener('click', function (e) { e.preventDefault(); onclick(); });
    li.appendChild(a);
    return li;
  }

  // The results page: score against the pass mark, what is left to do (as links), the notes.
  function results() {
    var box = $('#lp-result'), r = scoreOf(Q, answers()), todo = doc.createElement('ul'), n = 0;
    box.textContent = '';
    if (r.score === null) box.appendChild(para('This module has no scored questions.'));
    else if (!r.all) box.appendChild(para('Your score appears here once you have answered every scored question. You need ' + D.mastery_score + '% to pass.'));
    else {
      var pass = r.score >= D.mastery_score;
      box.appendChild(para('Your score: ' + r.score + '%. The pass mark is ' + D.mastery_score + '%.', 'lp-score'));
      box.appendChild(para(pass ? 'You have passed this module.' : 'You have not reached the pass mark this time.', pass ? 'lp-verdict is-right' : 'lp-verdict is-wrong'));
    }
    // Per page: whether it is still to read, and its scored questions still to answer.
    D.pages.forEach(function (id, j) {
      var open = Q.map(function (q, i) { return q.page === j && q.scored && !settled(i) ? i : -1; }).filter(function (i) { return i >= 0; });
      var title = '“' + $('h1', pages[j]).textContent + '”', k = open.length, qs = k + (k > 1 ? ' questions' : ' question');
      if (S.v[j] && !k) return;
      n++;
      todo.appendChild(link(!S.v[j] ? 'Read ' + title + (k ? ' and answer its ' + qs : '') : 'Answer ' + qs + ' on ' + title, function () {
        var el = k && $('[data-q="' + open[0] + '"]');
        go(j, el && $('input, button', el));
      }));
    });
    var h = doc.createElement('h2');
    h.textContent = 'Still to do';
    box.appendChild(h);
    box.appendChild(n ? todo : para('Nothing: you have done everything in this module.'));
    var notes = B.filter(function (b, k) { return b.kind !== 'scenario' && [].concat(S.b[k] || '').join('').trim(); });
    if (notes.length) {
      h = doc.createElement('h2');
      h.textContent = 'Your notes';
      box.appendChild(h);
      B.forEach(function (b, k) {
        if (notes.indexOf(b) < 0) return;
        var el = $('[data-b="' + k + '"]');
        box.appendChild(para(b.title || ($('.lp-prompt', el) || $('label', el)).textContent.replace(/\s+/g, ' ').trim(), 'lp-label'));
        [].concat(S.b[k]).forEach(function (t) { if (t.trim()) box.appendChild(para(t)); });
      });
    }
    var f = finished(r);
    $('#lp-retake').hidden = !(D.retake !== false && f.done && !ended && !readOnly);
  }

  // Finish: the final state reaches the LMS (once the LMS has taken every write), the session
  // ends, and in a course package the LMS is asked for the next module.
  function finish() {
    closing = true;
    $('#lp-finish').hidden = true;
    $('#lp-retake').hidden = true;
    var f = finished(scoreOf(Q, answers()));
    $('#lp-end').textContent = 'Saving…';
    // #scorm
    if (!X && live && !ended) {
      dirty = true;
      flush(true);
      if (Wq.length || unsaved) return;
      // A course package launches each module as `<module id>.html` (a module package, index.html):
      // there, Finish asks the LMS for the next module (Moodle answers "unknown" before a request).
      var inCourse = W.location.pathname.split('/').pop() === D.module.id + '.html';
      if (!v12 && inCourse && /true|unknown/.test(get('adl.nav.request_valid.continue'))) set('adl.nav.request', 'continue');
      push(false);
    }
    // #end
    closing = false;
    if (X) xend(X.cmi5);
    else terminate();
    // The session is over: nothing more could be recorded, so nothing more can be answered.
    $$('main input, main textarea, main button:not(.lp-download)').forEach(function (c) { c.disabled = true; });
    $('#lp-end').textContent = (f.done ? 'You have finished this module.' : 'Your progress is saved: you can come back to finish this module later.') + ' You can now close this window.';
    $('#lp-end').focus();
  }

  // Start again: a fresh go at the questions and pages, in a new option order. The LMS record
  // keeps the best result (report never lowers it).
  function retake() {
    flush(true);
    S = { v: [], a: {}, b: S.b, t: {}, r: S.r + 1 };
    slots = {};
    $$('[data-q]').forEach(function (el) { reset(el); });
    show(0, true);
  }

  // ---------------------------------------------------------------- questions

  function controls(el) { return $$('input, textarea, .lp-seq button', el); }

  function read(q, el) {
    var inputs = $$('input[type=radio], input[type=checkbox]', el), picked;
    switch (q.kind) {
      case 'single-choice':
      case 'true-false':
      case 'likert':
        picked = inputs.filter(function (x) { return x.checked; })[0];
        return picked ? Number(picked.value) : null;
      case 'multiple-choice':
        picked = inputs.filter(function (x) { return x.checked; }).map(function (x) { return Number(x.value); });
        return picked.length ? picked.sort() : null;
      case 'fill-in':
        picked = $('input[type=text]', el).value.replace(CTRL, '').trim();
        return picked ? picked : null;
      case 'matching':
        picked = $$('.lp-pair', el).map(function (li) { var c = $('input:checked', li); return c ? Number(c.value) : -1; });
        return picked.indexOf(-1) < 0 ? picked : null;
      case 'sequencing':
        return $$('.lp-seq-item', el).map(function (li) { return Number(li.dataset.item); });
    }
    return null;
  }

  function fill(q, el, a) {
    var inputs = $$('input[type=radio], input[type=checkbox]', el);
    if (q.kind === 'fill-in') $('input[type=text]', el).value = a;
    else if (q.kind === 'matching') $$('.lp-pair', el).forEach(function (li, l) { $$('input', li).forEach(function (x) { x.checked = Number(x.value) === a[l]; }); });
    else if (q.kind === 'sequencing') a.forEach(function (item) { var li = $('[data-item="' + item + '"]', el); li.parentNode.appendChild(li); });
    else inputs.forEach(function (x) { x.checked = Array.isArray(a) ? a.indexOf(Number(x.value)) >= 0 : Number(x.value) === a; });
  }

  function para(text, cls) { var p = doc.createElement('p'); p.className = cls || ''; p.textContent = text; return p; }

  // A visible tag on an option or item: "Your answer", "Right answer", "In the right place"…
  function tag(el, text, cls) {
    var s = doc.createElement('span');
    s.className = 'lp-mark ' + cls;
    s.textContent = text;
    el.appendChild(s);
    el.classList.add(cls);
  }

  // What the learner sees after Check: one verdict, the author's feedback, and (per the course's
  // `review` setting, once the question is settled) the right answer.
  function feedback(q, el, a, correct, done) {
    var box = $('.lp-feedback', el), tpl = $(correct ? '.lp-fb-correct' : '.lp-fb-incorrect', el), mode = D.review || 'answers';
    unmark(el);
    if (mode === 'none') return box.appendChild(para('Your answer is recorded.', 'lp-verdict'));
    box.className = 'lp-feedback ' + (correct ? 'is-right' : 'is-wrong');
    box.appendChild(para(correct ? 'Correct.' : 'Not quite.', 'lp-verdict'));
    if (tpl) box.appendChild(tpl.content.cloneNode(true));
    var reveal = done && !correct && mode === 'answers';
    if (q.type === 'choice' || q.kind === 'true-false') {
      $$('.lp-option', el).forEach(function (li) {
        var i = Number(li.dataset.o), chosen = Array.isArray(a) ? a.indexOf(i) >= 0 : a === i;
        var right = q.kind === 'true-false' ? (i === 0) === q.answer : q.correct.indexOf(i) >= 0;
        if (chosen) tag(li, right ? 'Your answer: right' : 'Your answer: wrong', right ? 'is-right' : 'is-wrong');
        else if (reveal && right) tag(li, 'Right answer', 'is-answer');
        var t = $('template', li);
        if (chosen && t) {
          box.appendChild(para('About “' + $('label', li).textContent.trim() + '”:', 'lp-about'));
          box.appendChild(t.content.cloneNode(true));
        }
      });
    } else if (q.kind === 'matching') {
      $$('.lp-pair', el).forEach(function (li, l) {
        var ok = a[l] === q.correct[l];
        tag(li, ok ? 'Right match' : reveal ? 'Right match: ' + $('[value="' + q.correct[l] + '"] + label', li).textContent : 'Wrong match', ok ? 'is-right' : 'is-wrong');
      });
    } else if (q.kind === 'sequencing') {
      $$('.lp-seq-item', el).forEach(function (li, k) {
        var ok = a[k] === q.correct[k];
        tag(li, ok ? 'In the right place' : reveal ? 'Goes in place ' + (q.correct.indexOf(a[k]) + 1) : 'Not in the right place', ok ? 'is-right' : 'is-wrong');
      });
    } else if (reveal && q.kind === 'fill-in') {
      box.appendChild(para('A right answer: ' + q.answers[0], 'lp-about'));
    }
  }

  function unmark(el) {
    $$('.lp-mark', el).forEach(function (m) { m.remove(); });
    $$('.is-right, .is-wrong, .is-answer', el).forEach(function (x) { x.classList.remove('is-right', 'is-wrong', 'is-answer'); });
    var box = $('.lp-feedback', el);
    if (box) { box.className = 'lp-feedback'; box.textContent = ''; } // a likert item has none
  }

  // After Check the button says what is next: "Try again" while tries remain, else "Answer
  // checked" (it stays focusable: a disabled button would drop the keyboard focus).
  function lock(q, el, done) {
    if (!q.scored) return;
    var b = $('.lp-check', el);
    controls(el).forEach(function (c) { c.disabled = true; });
    b.textContent = done ? 'Answer checked' : 'Try again';
    if (done) b.setAttribute('aria-disabled', 'true');
  }

  function reset(el) {
    var q = Q[Number(el.dataset.q)], b = $('.lp-check', el);
    if (!q) return;
    unmark(el);
    controls(el).forEach(function (c) { c.disabled = false; });
    if (b) { b.textContent = 'Check answer'; b.removeAttribute('aria-disabled'); }
    fill(q, el, q.kind === 'fill-in' ? '' : q.kind === 'matching' ? q.correct.map(function () { return ''; }) : q.kind === 'sequencing' ? el.start : -1);
    order(q, el);
  }

  // Choice options in an order of this learner's own for this attempt (the author's order when
  // `shuffle` is off); interactions still report the author's option letters.
  function order(q, el) {
    if (!q || !q.shuffle) return;
    var ul = $('.lp-options', el), h = fnv(who + ':' + S.r + ':' + q.id);
    var lis = $$('.lp-option', el).sort(function (x, y) { return x.dataset.o - y.dataset.o; });
    for (var k = lis.length - 1; k > 0; k--) {
      h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
      var j = h % (k + 1), t = lis[k];
      lis[k] = lis[j];
      lis[j] = t;
    }
    lis.forEach(function (li) { ul.appendChild(li); });
  }

  // Sequencing: Move up / Move down buttons; the list is always an order of every item.
  function move(el, btn) {
    var li = btn.closest('li'), up = btn.classList.contains('lp-up'), to = up ? li.previousElementSibling : li.nextElementSibling;
    if (!to) return;
    li.parentNode.insertBefore(li, up ? to : to.nextElementSibling);
    btn.focus();
    var items = $$('.lp-seq-item', el);
    $('#lp-live').textContent = $('.lp-seq-text', li).textContent.trim() + ': place ' + (items.indexOf(li) + 1) + ' of ' + items.length;
  }

  function initQuestion(el) {
    var i = Number(el.dataset.q), q = Q[i];
    if (!q) return;
    order(q, el);
    el.start = read(q, el);
    if (q.kind === 'likert') {
      el.addEventListener('change', function () {
        var a = read(q, el);
        if (a === null) return;
        S.a[i] = a;
        record(i, a, false);
        save();
      });
      if (i in S.a) fill(q, el, S.a[i]);
      return;
    }
    var check = function () {
      var b = $('.lp-check', el), box = $('.lp-feedback', el);
      if (b.getAttribute('aria-disabled') === 'true') return;
      if (b.textContent === 'Try again') {
        reset(el);
        fill(q, el, S.a[i]);
        return controls(el)[0].focus();
      }
      var a = read(q, el);
      if (a === null) {
        box.className = 'lp-feedback';
        box.textContent = '';
        box.appendChild(para(q.kind === 'matching' ? 'Choose a match for every item first.' : 'Answer the question first.'));
        return;
      }
      var correct = isCorrect(q, a);
      S.a[i] = a;
      S.t[i] = Math.min(98, (S.t[i] || 0) + 1);
      feedback(q, el, a, correct, settled(i));
      lock(q, el, settled(i));
      record(i, a, correct);
      save();
    };
    $('.lp-check', el).addEventListener('click', check);
    el.addEventListener('click', function (e) {
      var t = e.target.closest && e.target.closest('.lp-seq button');
      if (t && !t.disabled) move(el, t);
    });
    var text = $('input[type=text]', el);
    if (text && q.max) text.maxLength = q.max;
    if (text) text.addEventListener('keydown', function (e) { if (e.key === 'Enter') { e.preventDefault(); check(); } });
    if (i in S.a) {
      fill(q, el, S.a[i]);
      feedback(q, el, S.a[i], isCorrect(q, S.a[i]), settled(i));
      lock(q, el, settled(i));
    }
  }

  // ---------------------------------------------------------------- other blocks

  // Control characters other than \n and \t are dropped from free text: then no character takes
  // more than 2 in suspend_data, the worst case the build's text_max is computed for.
  var CTRL = /[\0-\x08\x0b-\x1f]/g, said = 0;

  // "120 of 400 characters" under a text box; near the limit, said once typing pauses.
  function count(t, speak) {
    var max = D.text_max, n = t.value.length, c = $('#' + t.id + '-n');
    if (!c) return;
    c.textContent = n + ' of ' + max + ' characters';
    if (!speak) return;
    W.clearTimeout(said);
    if (max - n <= max / 10) said = W.setTimeout(function () { $('#lp-live').textContent = (max - n) + ' characters left'; }, 1000);
  }

  function initText(el, k) {
    var areas = $$('textarea', el), b = B[k];
    var value = S.b[k];
    areas.forEach(function (t, j) {
      var v = b.kind === 'reflection' ? value : value && value[j];
      if (typeof v === 'string') t.value = v;
      if (D.text_max) {
        t.maxLength = D.text_max;
        var c = para('', 'lp-count');
        c.id = t.id + '-n';
        t.setAttribute('aria-describedby', ((t.getAttribute('aria-describedby') || '') + ' ' + c.id).trim());
        t.parentNode.insertBefore(c, t.nextSibling);
        count(t);
      }
      t.addEventListener('input', function () {
        var v = t.value.replace(CTRL, '');
        if (v !== t.value) t.value = v;
        S.b[k] = b.kind === 'reflection' ? t.value : areas.map(function (x) { return x.value; });
        count(t, true);
        save();
      });
    });
    var dl = $('.lp-download', el);
    if (dl) dl.addEventListener('click', function () { download(b, areas); });
  }

  function download(b, areas) {
    var lines = [b.title, ''];
    areas.forEach(function (t, j) { lines.push(b.fields[j], t.value.trim() || '-', ''); });
    lines.push(D.course.title + ' - ' + D.module.title);
    saveFile(b.id + '.txt', lines, 'text/plain');
  }

  // Every reflection and action plan of the module, as Markdown.
  function notes() {
    var out = ['# ' + D.module.title, '', D.course.title, ''];
    $$('[data-b]').forEach(function (el) {
      var b = B[el.dataset.b];
      if (!b || b.kind === 'scenario') return;
      out.push('## ' + (b.title || ($('.lp-prompt', el) || $('label', el)).textContent.replace(/\s+/g, ' ').trim()), '');
      $$('textarea', el).forEach(function (t) {
        if (b.fields) out.push('### ' + $('label[for="' + t.id + '"]').textContent.trim(), '');
        out.push(t.value.trim() || '-', '');
      });
    });
    saveFile(D.module.id + '-notes.md', out, 'text/markdown');
  }

  function saveFile(name, lines, type) {
    try {
      var blob = new W.Blob(['\ufeff' + lines.join('\r\n') + '\r\n'], { type: type + ';charset=utf-8' });
      var url = W.URL.createObjectURL(blob), a = doc.createElement('a');
      a.href = url;
      a.download = name;
      doc.body.appendChild(a);
      a.click();
      a.remove();
      W.setTimeout(function () { W.URL.revokeObjectURL(url); }, 10000);
    } catch (e) {
      warn('download failed: ' + e);
    }
  }

  function initScenario(el, k) {
    var steps = $$('.lp-step', el), box = $('.lp-consequence', el), start = Number(el.dataset.start);
    // The state is the learner's last decision, [step, choice] ([] at the start): a scenario
    // that loops keeps a state of fixed length.
    var render = function (st, focus) {
      var last = st.length === 2 && steps[st[0]] ? $('.lp-choice[data-choice="' + st[1] + '"]', steps[st[0]]) : null;
      var at = last ? Number(last.dataset.next) : start;
      steps.forEach(function (s, j) { s.hidden = j !== at; });
      box.textContent = '';
      box.hidden = !last;
      if (last) {
        box.appendChild(para('You chose: ' + last.textContent.trim(), 'lp-chose'));
        var t = last.parentNode.querySelector('template');
        if (t) box.appendChild(t.content.cloneNode(true));
      }
      if (focus) (last ? box : steps[at]).focus();
    };
    var st = Array.isArray(S.b[k]) ? S.b[k] : [];
    el.addEventListener('click', function (e) {
      var t = e.target.closest ? e.target.closest('button') : null;
      if (!t) return;
      if (t.classList.contains('lp-choice')) st = [steps.indexOf(t.closest('.lp-step')), Number(t.dataset.choice)];
      else if (t.classList.contains('lp-restart')) st = [];
      else return;
      S.b[k] = st;
      render(st, true);
      save();
    });
    render(st, false);
  }

  // A link that replaced the SCO's page would end the LMS session: links open in a new tab.
  function links() {
    $$('main a[href]').forEach(function (a) {
      if (a.getAttribute('href').charAt(0) === '#' || a.target) return;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      var s = doc.createElement('span');
      s.className = 'lp-vh';
      s.textContent = ' (opens in a new tab)';
      a.appendChild(s);
    });
  }

  function boot() {
    doc.documentElement.classList.remove('no-js');
    // The menu of a Tin Can course package: each module gets the launch, with its own activity.
    $$('.lp-menu a').forEach(function (a) {
      a.href += W.location.search.replace(/([?&])activity_id=[^&]*&?/, '$1').replace(/[?&]$/, '');
    });
    if (!$('#lmspack-data')) return;
    try {
      D = JSON.parse($('#lmspack-data').textContent);
    } catch (e) {
      warn('no module data: ' + e);
      return;
    }
    Q = D.questions;
    B = D.blocks;
    if (!(D.xapi && xstart(ui))) setup(ui);
  }

  function ui() {
    pages = $$('.lp-page');
    $$('[data-q]').forEach(initQuestion);
    $$('[data-b]').forEach(function (el) {
      var k = el.dataset.b;
      if (!B[k]) return;
      if (B[k].kind === 'scenario') initScenario(el, k);
      else initText(el, k);
    });
    links();
    $$('.lp-toc a').forEach(function (a, j) {
      a.addEventListener('click', function (e) {
        e.preventDefault();
        a.closest('details').open = false;
        show(j, true);
      });
    });
    var n = $('#lp-notes');
    if (n && B.some(function (b) { return b.kind !== 'scenario'; })) {
      n.hidden = false;
      n.addEventListener('click', notes);
    }
    // Print the whole module: every page (the style sheet) and every panel open.
    W.addEventListener('beforeprint', function () { $$('details').forEach(function (d) { d.open = true; }); });
    $('#lp-finish').addEventListener('click', finish);
    $('#lp-retake').addEventListener('click', retake);
    $('#lp-prev').addEventListener('click', function () { show(cur - 1, true); });
    $('#lp-next').addEventListener('click', function () { show(cur + 1, true); });
    doc.addEventListener('visibilitychange', function () {
      if (doc.visibilityState !== 'hidden') return;
      dirty = true;
      flush(true);
    });
    W.addEventListener('pagehide', terminate);
    // Back in view from the back/forward cache after `pagehide` ended the session: the LMS takes
    // nothing more from this page (a SCORM session cannot start again), so say so rather than
    // let answers go unrecorded without a word.
    W.addEventListener('pageshow', function (e) {
      if (e.persisted && (X ? X.over : ended)) notice('This page was reopened after your session ended: open the activity again to record more progress.');
    });
    show(cur, false);
  }

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', boot);
  else boot();
})(typeof window !== 'undefined' ? window : this);
