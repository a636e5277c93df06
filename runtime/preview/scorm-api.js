/* lmspack preview: a strict SCORM 1.2 and SCORM 2004 (4th edition) run-time API for the LMS
   simulator. It enforces the data model (access, types, vocabularies, lengths, ranges, array order,
   dependencies) and answers with the standard error codes, so a course that works here does not
   depend on a lenient LMS. Dependency-free; works in a browser (window.LmspackScorm) and in node
   (module.exports) for its tests.

   create(version, options) → { api, launch(), terminate(), dump(), data(), state() }
     version   '1.2' or '2004'
     options   data: a saved attempt (from a previous data()), learner: {id, name},
               masteryScore: 0–100 or null, save(data), onCall(entry), onNote(level, text) */
(function (root) {
  'use strict';

  var STRINGS = {
    '1.2': {
      0: 'No error', 101: 'General exception', 201: 'Invalid argument error',
      202: 'Element cannot have children', 203: 'Element not an array - cannot have count',
      301: 'Not initialized', 401: 'Not implemented error',
      402: 'Invalid set value, element is a keyword', 403: 'Element is read only',
      404: 'Element is write only', 405: 'Incorrect Data Type'
    },
    '2004': {
      0: 'No Error', 101: 'General Exception', 102: 'General Initialization Failure',
      103: 'Already Initialized', 104: 'Content Instance Terminated', 111: 'General Termination Failure',
      112: 'Termination Before Initialization', 113: 'Termination After Termination',
      122: 'Retrieve Data Before Initialization', 123: 'Retrieve Data After Termination',
      132: 'Store Data Before Initialization', 133: 'Store Data After Termination',
      142: 'Commit Before Initialization', 143: 'Commit After Termination',
      201: 'General Argument Error', 301: 'General Get Failure', 351: 'General Set Failure',
      391: 'General Commit Failure', 401: 'Undefined Data Model Element',
      402: 'Unimplemented Data Model Element', 403: 'Data Model Element Value Not Initialized',
      404: 'Data Model Element Is Read Only', 405: 'Data Model Element Is Write Only',
      406: 'Data Model Element Type Mismatch', 407: 'Data Model Element Value Out Of Range',
      408: 'Data Model Dependency Not Established'
    }
  };

  // ------------------------------------------------------------------ value checks
  // Each check returns null when the value is fine, else [kind, diagnostic] where kind is
  // 'type' (1.2: 405, 2004: 406), 'range' (1.2: 405, 2004: 407) or 'set' (1.2: 201, 2004: 351).

  function bad(kind, text) { return [kind, text]; }
  function oneOf(list) {
    return function (v) { return list.indexOf(v) >= 0 ? null : bad('type', '"' + v + '" is not one of: ' + list.map(function (x) { return '"' + x + '"'; }).join(', ')); };
  }
  function matches(re, what) {
    return function (v) { return re.test(v) ? null : bad('type', '"' + clip(v) + '" is not ' + what); };
  }
  function clip(v) { return v.length > 60 ? v.slice(0, 57) + '…' : v; }
  function all() {
    var checks = [].slice.call(arguments);
    return function (v, ctx) {
      for (var i = 0; i < checks.length; i++) { var r = checks[i](v, ctx); if (r) return r; }
      return null;
    };
  }

  var DECIMAL12 = /^-?\d+(\.\d+)?$/;
  var REAL = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

  // 1.2 strings have hard maximum lengths (CMIString255, CMIString4096).
  function max12(n) {
    return function (v) { return v.length <= n ? null : bad('type', 'the value has ' + v.length + ' characters; this element holds at most ' + n); };
  }
  function decimal12(lo, hi, blank) {
    return function (v) {
      if (blank && v === '') return null;
      if (!DECIMAL12.test(v)) return bad('type', '"' + clip(v) + '" is not a CMIDecimal');
      var n = parseFloat(v);
      if (lo !== undefined && (n < lo || n > hi)) return bad('range', v + ' is outside ' + lo + '–' + hi);
      return null;
    };
  }
  function sinteger12(lo, hi) {
    return function (v) {
      if (!/^-?\d+$/.test(v)) return bad('type', '"' + clip(v) + '" is not a CMISInteger');
      var n = parseInt(v, 10);
      return n < lo || n > hi ? bad('range', v + ' is outside ' + lo + '–' + hi) : null;
    };
  }
  var identifier12 = matches(/^[\x21-\x7e]{1,255}$/, 'a CMIIdentifier (1–255 printable characters, no spaces)');
  var timespan12 = matches(/^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$/, 'a CMITimespan (HHHH:MM:SS.SS)');
  var time12 = matches(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$/, 'a CMITime (HH:MM:SS.SS)');
  var status12 = oneOf(['passed', 'completed', 'failed', 'incomplete', 'browsed', 'not attempted']);

  // 1.2 interaction responses (CMIFeedback), by interaction type.
  var SHORT12 = '[0-9a-z]';
  var LIST12 = new RegExp('^(\\{?' + SHORT12 + '(,' + SHORT12 + ')*\\}?)?$');
  var PAIRS12 = new RegExp('^(\\{?' + SHORT12 + '\\.' + SHORT12 + '(,' + SHORT12 + '\\.' + SHORT12 + ')*\\}?)?$');
  function feedback12(v, ctx) {
    if (v.length > 255) return bad('type', 'the value has ' + v.length + ' characters; CMIFeedback holds at most 255');
    var type = ctx.get('cmi.interactions.' + ctx.idx[0] + '.type');
    switch (type) {
      case 'true-false': return /^(0|1|t|f)$/.test(v) ? null : bad('type', '"' + clip(v) + '" is not a true-false response (0, 1, t or f)');
      case 'choice': case 'sequencing':
        return LIST12.test(v) ? null : bad('type', '"' + clip(v) + '" is not a ' + type + ' response (single characters 0-9, a-z, separated by commas)');
      case 'matching': return PAIRS12.test(v) ? null : bad('type', '"' + clip(v) + '" is not a matching response (pairs like 1.a separated by commas)');
      case 'likert': return /^[0-9a-z]?$/.test(v) ? null : bad('type', '"' + clip(v) + '" is not a likert response (one character or blank)');
      case 'numeric': return DECIMAL12.test(v) ? null : bad('type', '"' + clip(v) + '" is not a numeric response (a CMIDecimal)');
      default: return null;
    }
  }

  // 2004: smallest permitted maxima. An LMS must keep at least this many characters and may
  // truncate beyond: the simulator keeps the value and warns.
  function spm(n) {
    return function (v, ctx) {
      if (v.length > n) ctx.note('warn', ctx.el + ' is ' + v.length + ' characters long; SCORM 2004 only guarantees ' + n + ' (an LMS may truncate it)');
      return null;
    };
  }
  function real(lo, hi) {
    return function (v) {
      if (!REAL.test(v)) return bad('type', '"' + clip(v) + '" is not a real number');
      var n = parseFloat(v);
      if ((lo !== null && n < lo) || (hi !== null && n > hi)) return bad('range', v + ' is outside ' + (lo === null ? '−∞' : lo) + '…' + (hi === null ? '∞' : hi));
      return null;
    };
  }
  var DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,2})?)S)?)?$/;
  function duration(v) {
    if (!DURATION.test(v) || v === 'P' || /T$/.test(v)) return bad('type', '"' + clip(v) + '" is not an ISO 8601 duration (timeinterval, e.g. PT1H5M30.5S)');
    return null;
  }
  var TIME2004 = /^(\d{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3])(:[0-5]\d(:[0-5]\d(\.\d{1,2})?)?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?)?)?)?$/;
  function time2004(v) {
    var m = TIME2004.exec(v);
    if (!m) return bad('type', '"' + clip(v) + '" is not a time (second,10,0): YYYY-MM-DDThh:mm:ss.s[TZD]');
    var y = parseInt(m[1], 10);
    return y < 1970 || y > 2038 ? bad('range', 'the year ' + y + ' is outside 1970–2038') : null;
  }
  var LANG = /^(([a-zA-Z]{2,3}|[iIxX])(-[a-zA-Z0-9]{1,8})*)?$/;
  var language = matches(LANG, 'a language tag (like en or en-GB)');
  function localized(n) {
    return function (v, ctx) {
      var m = /^\{lang=([^}]*)\}/.exec(v);
      if (m && (!m[1] || !LANG.test(m[1]))) return bad('type', '"' + m[1] + '" in {lang=…} is not a language tag');
      return spm(n)(m ? v.slice(m[0].length) : v, ctx);
    };
  }
  function shortId(v) { return /^\S+$/.test(v) ? null : bad('type', '"' + clip(v) + '" is not an identifier (no spaces, not empty)'); }
  var longId = all(function (v) { return /^\S+$/.test(v) ? null : bad('type', '"' + clip(v) + '" is not a long identifier: a URI, not empty and without spaces'); }, spm(4000));

  // 2004 interaction responses and patterns, by interaction type.
  function listOf(v, each, sep) {
    var parts = v.split(sep || '[,]');
    for (var i = 0; i < parts.length; i++) { var r = each(parts[i]); if (r) return r; }
    return null;
  }
  function pair(sep, left, right) {
    return function (p) {
      var lr = p.split(sep);
      if (lr.length !== 2) return bad('type', '"' + clip(p) + '" is not a pair like source' + sep + 'target');
      return left(lr[0]) || right(lr[1]);
    };
  }
  function unique(v) {
    var parts = v.split('[,]'), seen = {};
    for (var i = 0; i < parts.length; i++) {
      if (seen['$' + parts[i]]) return bad('type', '"' + parts[i] + '" appears twice');
      seen['$' + parts[i]] = true;
    }
    return null;
  }
  function flags(v, allowed) {
    var re = /^\{(case_matters|order_matters)=(true|false)\}/, m;
    while ((m = re.exec(v))) {
      if (allowed.indexOf(m[1]) < 0) return { err: bad('type', '{' + m[1] + '} is not allowed here') };
      v = v.slice(m[0].length);
    }
    return { rest: v };
  }
  function performanceStep(pattern) {
    return function (s) {
      var lr = s.split('[.]');
      if (lr.length !== 2 || (lr[0] === '' && lr[1] === '')) return bad('type', '"' + clip(s) + '" is not a performance step (name[.]answer)');
      if (lr[0] !== '' && shortId(lr[0])) return shortId(lr[0]);
      if (pattern && lr[1].indexOf('[:]') >= 0) return range(lr[1]);
      return null;
    };
  }
  function range(v) {
    var lr = v.split('[:]');
    if (lr.length !== 2) return REAL.test(v) ? null : bad('type', '"' + clip(v) + '" is not a number or a range min[:]max');
    for (var i = 0; i < 2; i++) if (lr[i] !== '' && !REAL.test(lr[i])) return bad('type', '"' + lr[i] + '" is not a real number');
    if (lr[0] !== '' && lr[1] !== '' && parseFloat(lr[0]) > parseFloat(lr[1])) return bad('type', 'the range ' + v + ' has min > max');
    return null;
  }
  function response2004(pattern) {
    return function (v, ctx) {
      var type = ctx.get('cmi.interactions.' + ctx.idx[0] + '.type');
      var f;
      switch (type) {
        case 'true-false': return /^(true|false)$/.test(v) ? null : bad('type', '"' + clip(v) + '" is not true or false');
        case 'choice': return v === '' ? null : listOf(v, shortId) || unique(v);
        case 'fill-in':
          f = pattern ? flags(v, ['case_matters', 'order_matters']) : { rest: v };
          if (f.err) return f.err;
          if (f.rest.split('[,]').length > 10) ctx.note('warn', ctx.el + ' has more than 10 items; SCORM 2004 only guarantees 10');
          return listOf(f.rest, function (x) { return localized(250)(x, ctx); });
        case 'long-fill-in':
          f = pattern ? flags(v, ['case_matters']) : { rest: v };
          return f.err || localized(4000)(f.rest, ctx);
        case 'likert': return shortId(v);
        case 'matching': return listOf(v, pair('[.]', shortId, shortId));
        case 'performance':
          f = pattern ? flags(v, ['order_matters']) : { rest: v };
          return f.err || listOf(f.rest, performanceStep(pattern));
        case 'sequencing': return listOf(v, shortId);
        case 'numeric': return pattern ? range(v) : real(null, null)(v);
        default: return spm(4000)(v, ctx);
      }
    };
  }

  // ------------------------------------------------------------------ the data models
  // pattern → { a: 'ro' | 'rw' | 'wo', c: check, d: default (for fresh attempts and new array items) }

  function model12(o) {
    var score = decimal12(0, 100, true);
    return {
      arrays: ['cmi.objectives', 'cmi.interactions', 'cmi.interactions.n.objectives', 'cmi.interactions.n.correct_responses'],
      children: {
        'cmi.core': 'student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time',
        'cmi.core.score': 'raw,min,max',
        'cmi.objectives': 'id,score,status',
        'cmi.objectives.n.score': 'raw,min,max',
        'cmi.student_data': 'mastery_score,max_time_allowed,time_limit_action',
        'cmi.student_preference': 'audio,language,speed,text',
        'cmi.interactions': 'id,objectives,time,type,correct_responses,weighting,student_response,result,latency'
      },
      elements: {
        'cmi.core.student_id': { a: 'ro', d: o.learner.id },
        'cmi.core.student_name': { a: 'ro', d: o.learner.name },
        'cmi.core.lesson_location': { a: 'rw', c: max12(255), d: '' },
        'cmi.core.credit': { a: 'ro', d: 'credit' },
        'cmi.core.lesson_status': { a: 'rw', c: function (v) { return v === 'not attempted' ? bad('type', 'a SCO cannot set "not attempted"') : status12(v); }, d: 'not attempted' },
        'cmi.core.entry': { a: 'ro', d: 'ab-initio' },
        'cmi.core.score.raw': { a: 'rw', c: score, d: '' },
        'cmi.core.score.min': { a: 'rw', c: score, d: '' },
        'cmi.core.score.max': { a: 'rw', c: score, d: '' },
        'cmi.core.total_time': { a: 'ro', d: '0000:00:00.00' },
        'cmi.core.lesson_mode': { a: 'ro', d: 'normal' },
        'cmi.core.exit': { a: 'wo', c: oneOf(['time-out', 'suspend', 'logout', '']) },
        'cmi.core.session_time': { a: 'wo', c: timespan12 },
        'cmi.suspend_data': { a: 'rw', c: max12(4096), d: '' },
        'cmi.launch_data': { a: 'ro', d: '' },
        'cmi.comments': { a: 'rw', c: max12(4096), d: '' },
        'cmi.comments_from_lms': { a: 'ro', d: '' },
        'cmi.objectives.n.id': { a: 'rw', c: identifier12, d: '' },
        'cmi.objectives.n.score.raw': { a: 'rw', c: score, d: '' },
        'cmi.objectives.n.score.min': { a: 'rw', c: score, d: '' },
        'cmi.objectives.n.score.max': { a: 'rw', c: score, d: '' },
        'cmi.objectives.n.status': { a: 'rw', c: status12, d: 'not attempted' },
        'cmi.student_data.mastery_score': { a: 'ro', d: o.masteryScore === null || o.masteryScore === undefined ? '' : String(o.masteryScore) },
        'cmi.student_data.max_time_allowed': { a: 'ro', d: '' },
        'cmi.student_data.time_limit_action': { a: 'ro', d: 'continue,no message' },
        'cmi.student_preference.audio': { a: 'rw', c: sinteger12(-1, 100), d: '0' },
        'cmi.student_preference.language': { a: 'rw', c: max12(255), d: '' },
        'cmi.student_preference.speed': { a: 'rw', c: sinteger12(-100, 100), d: '0' },
        'cmi.student_preference.text': { a: 'rw', c: sinteger12(-1, 1), d: '0' },
        'cmi.interactions.n.id': { a: 'wo', c: identifier12 },
        'cmi.interactions.n.objectives.n.id': { a: 'wo', c: identifier12 },
        'cmi.interactions.n.time': { a: 'wo', c: time12 },
        'cmi.interactions.n.type': { a: 'wo', c: oneOf(['true-false', 'choice', 'fill-in', 'matching', 'performance', 'sequencing', 'likert', 'numeric']) },
        'cmi.interactions.n.correct_responses.n.pattern': { a: 'wo', c: feedback12 },
        'cmi.interactions.n.weighting': { a: 'wo', c: decimal12() },
        'cmi.interactions.n.student_response': { a: 'wo', c: feedback12 },
        'cmi.interactions.n.result': { a: 'wo', c: function (v) { return DECIMAL12.test(v) ? null : oneOf(['correct', 'wrong', 'unanticipated', 'neutral'])(v); } },
        'cmi.interactions.n.latency': { a: 'wo', c: timespan12 }
      }
    };
  }

  function model2004(o) {
    var scaled = real(-1, 1), any = real(null, null), unit = real(0, 1);
    var completion = oneOf(['completed', 'incomplete', 'not attempted', 'unknown']);
    var success = oneOf(['passed', 'failed', 'unknown']);
    var nav = ['continue', 'previous', 'exit', 'exitAll', 'abandon', 'abandonAll', 'suspendAll', '_none_'];
    return {
      arrays: ['cmi.comments_from_learner', 'cmi.comments_from_lms', 'cmi.interactions', 'cmi.interactions.n.objectives', 'cmi.interactions.n.correct_responses', 'cmi.objectives'],
      children: {
        'cmi.comments_from_learner': 'comment,location,timestamp',
        'cmi.comments_from_lms': 'comment,location,timestamp',
        'cmi.interactions': 'id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description',
        'cmi.learner_preference': 'audio_level,language,delivery_speed,audio_captioning',
        'cmi.objectives': 'id,score,success_status,completion_status,progress_measure,description',
        'cmi.objectives.n.score': 'scaled,raw,min,max',
        'cmi.score': 'scaled,raw,min,max'
      },
      elements: {
        'cmi._version': { a: 'ro', d: '1.0' },
        'cmi.comments_from_learner.n.comment': { a: 'rw', c: localized(4000) },
        'cmi.comments_from_learner.n.location': { a: 'rw', c: spm(250) },
        'cmi.comments_from_learner.n.timestamp': { a: 'rw', c: time2004 },
        'cmi.comments_from_lms.n.comment': { a: 'ro' },
        'cmi.comments_from_lms.n.location': { a: 'ro' },
        'cmi.comments_from_lms.n.timestamp': { a: 'ro' },
        'cmi.completion_status': { a: 'rw', c: completion, d: 'unknown' },
        'cmi.completion_threshold': { a: 'ro' },
        'cmi.credit': { a: 'ro', d: 'credit' },
        'cmi.entry': { a: 'ro', d: 'ab-initio' },
        'cmi.exit': { a: 'wo', c: function (v, ctx) {
          if (v === 'logout') ctx.note('warn', 'cmi.exit "logout" is deprecated in SCORM 2004 4th edition');
          return oneOf(['time-out', 'suspend', 'logout', 'normal', ''])(v);
        } },
        'cmi.interactions.n.id': { a: 'rw', c: longId },
        'cmi.interactions.n.type': { a: 'rw', c: oneOf(['true-false', 'choice', 'fill-in', 'long-fill-in', 'likert', 'matching', 'performance', 'sequencing', 'numeric', 'other']) },
        'cmi.interactions.n.objectives.n.id': { a: 'rw', c: longId },
        'cmi.interactions.n.timestamp': { a: 'rw', c: time2004 },
        'cmi.interactions.n.correct_responses.n.pattern': { a: 'rw', c: response2004(true) },
        'cmi.interactions.n.weighting': { a: 'rw', c: any },
        'cmi.interactions.n.learner_response': { a: 'rw', c: response2004(false) },
        'cmi.interactions.n.result': { a: 'rw', c: function (v) { return REAL.test(v) ? null : oneOf(['correct', 'incorrect', 'unanticipated', 'neutral'])(v); } },
        'cmi.interactions.n.latency': { a: 'rw', c: duration },
        'cmi.interactions.n.description': { a: 'rw', c: localized(250) },
        'cmi.launch_data': { a: 'ro' },
        'cmi.learner_id': { a: 'ro', d: o.learner.id },
        'cmi.learner_name': { a: 'ro', d: o.learner.name },
        'cmi.learner_preference.audio_level': { a: 'rw', c: real(0, null), d: '1' },
        'cmi.learner_preference.language': { a: 'rw', c: language, d: '' },
        'cmi.learner_preference.delivery_speed': { a: 'rw', c: real(0, null), d: '1' },
        'cmi.learner_preference.audio_captioning': { a: 'rw', c: oneOf(['-1', '0', '1']), d: '0' },
        'cmi.location': { a: 'rw', c: spm(1000) },
        'cmi.max_time_allowed': { a: 'ro' },
        'cmi.mode': { a: 'ro', d: 'normal' },
        'cmi.objectives.n.id': { a: 'rw', c: longId },
        'cmi.objectives.n.score.scaled': { a: 'rw', c: scaled },
        'cmi.objectives.n.score.raw': { a: 'rw', c: any },
        'cmi.objectives.n.score.min': { a: 'rw', c: any },
        'cmi.objectives.n.score.max': { a: 'rw', c: any },
        'cmi.objectives.n.success_status': { a: 'rw', c: success, d: 'unknown' },
        'cmi.objectives.n.completion_status': { a: 'rw', c: completion, d: 'unknown' },
        'cmi.objectives.n.progress_measure': { a: 'rw', c: unit },
        'cmi.objectives.n.description': { a: 'rw', c: localized(250) },
        'cmi.progress_measure': { a: 'rw', c: unit },
        'cmi.scaled_passing_score': o.masteryScore === null || o.masteryScore === undefined ? { a: 'ro' } : { a: 'ro', d: String(o.masteryScore / 100) },
        'cmi.score.scaled': { a: 'rw', c: scaled },
        'cmi.score.raw': { a: 'rw', c: any },
        'cmi.score.min': { a: 'rw', c: any },
        'cmi.score.max': { a: 'rw', c: any },
        'cmi.session_time': { a: 'wo', c: duration },
        'cmi.success_status': { a: 'rw', c: success, d: 'unknown' },
        'cmi.suspend_data': { a: 'rw', c: spm(64000) },
        'cmi.time_limit_action': { a: 'ro', d: 'continue,no message' },
        'cmi.total_time': { a: 'ro', d: 'PT0S' },
        'adl.nav.request': { a: 'rw', c: function (v) {
          return /^\{target=\S+\}(choice|jump)$/.test(v) ? null : oneOf(nav)(v);
        }, d: '_none_' },
        'adl.nav.request_valid.continue': { a: 'ro', d: 'unknown' },
        'adl.nav.request_valid.previous': { a: 'ro', d: 'unknown' }
      }
    };
  }

  // ------------------------------------------------------------------ time arithmetic

  function centisFrom12(v) {
    var m = /^(\d+):(\d+):(\d+)(?:\.(\d{1,2}))?$/.exec(v || '');
    if (!m) return 0;
    return ((+m[1] * 60 + +m[2]) * 60 + +m[3]) * 100 + (m[4] ? Math.round(parseFloat('0.' + m[4]) * 100) : 0);
  }
  function centisFrom2004(v) {
    var m = DURATION.exec(v || '');
    if (!m) return 0;
    var days = (+m[1] || 0) * 365 + (+m[2] || 0) * 30 + (+m[3] || 0);
    return Math.round((((days * 24 + (+m[4] || 0)) * 60 + (+m[5] || 0)) * 60 + (parseFloat(m[6]) || 0)) * 100);
  }
  function pad(n, w) { n = String(n); while (n.length < w) n = '0' + n; return n; }
  function format12(cs) {
    cs = Math.min(cs, 9999 * 360000 + 359999);
    return pad(Math.floor(cs / 360000), 4) + ':' + pad(Math.floor(cs / 6000) % 60, 2) + ':' + pad(Math.floor(cs / 100) % 60, 2) + '.' + pad(cs % 100, 2);
  }
  function format2004(cs) {
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = (cs % 6000) / 100;
    var out = 'PT' + (h ? h + 'H' : '') + (m ? m + 'M' : '') + (s ? s + 'S' : '');
    return out === 'PT' ? 'PT0S' : out;
  }

  // ------------------------------------------------------------------ the API

  function create(version, options) {
    if (version !== '1.2' && version !== '2004') throw new Error('unknown SCORM version ' + version);
    var o = options || {};
    o.learner = o.learner || { id: 'preview-learner', name: version === '1.2' ? 'Learner, Preview' : 'Preview Learner' };
    var v12 = version === '1.2';
    var M = v12 ? model12(o) : model2004(o);
    var K = v12
      ? { entry: 'cmi.core.entry', exit: 'cmi.core.exit', session: 'cmi.core.session_time', total: 'cmi.core.total_time', mode: 'cmi.core.lesson_mode', credit: 'cmi.core.credit' }
      : { entry: 'cmi.entry', exit: 'cmi.exit', session: 'cmi.session_time', total: 'cmi.total_time', mode: 'cmi.mode', credit: 'cmi.credit' };
    var saved = o.data && o.data.version === version ? o.data : null;
    var data = saved || fresh();
    var state = 'new';   // 'new' → 'running' → 'terminated'; launch() starts a new session
    var last = { code: 0, diag: '' };
    var save = o.save || function () {};
    var noteTo = o.onNote || function () {};
    var callTo = o.onCall || function () {};

    function fresh() {
      var values = {};
      Object.keys(M.elements).forEach(function (k) {
        if (k.indexOf('.n.') < 0 && M.elements[k].d !== undefined) values[k] = M.elements[k].d;
      });
      return { version: version, values: values, counts: {}, sessions: 0, lastExit: null, open: false };
    }

    function err(code, diag) { last = { code: code, diag: diag || STRINGS[version][code] }; return code; }
    function ok() { last = { code: 0, diag: '' }; }

    function parse(el) {
      var idx = [];
      var pattern = el.split('.').map(function (s) {
        if (/^\d+$/.test(s)) { idx.push(parseInt(s, 10)); return 'n'; }
        return s;
      }).join('.');
      return { pattern: pattern, idx: idx };
    }
    // The concrete path of the i-th array level of an element: cmi.interactions.2.objectives → …
    function arrayPath(el, level) {
      var segs = el.split('.'), seen = -1;
      for (var i = 0; i < segs.length; i++) {
        if (/^\d+$/.test(segs[i]) && ++seen === level) return segs.slice(0, i).join('.');
      }
      return null;
    }
    function count(path) { return data.counts[path] || 0; }
    function known(pattern) { return !!M.elements[pattern] || M.arrays.indexOf(pattern) >= 0 || !!M.children[pattern]; }
    function note(level, text) { noteTo(level, text); }

    // Are the array indices of `el` in range? For a set, the last may be the next free index.
    function indices(el, p, forSet) {
      for (var level = 0; level < p.idx.length; level++) {
        var path = arrayPath(el, level), n = count(path), i = p.idx[level], lastLevel = level === p.idx.length - 1;
        if (i < n) continue;
        if (forSet && i === n && lastLevel) continue;
        if (forSet && i === n && !v12) return [408, path + '.' + i + ' does not exist yet: set its id first'];
        return [v12 ? 201 : (forSet ? 351 : 301), path + '.' + i + ' is out of range: ' + path + '._count is ' + n + (forSet ? ' (items must be added in order)' : '')];
      }
      return null;
    }

    function guard(kind) {
      // kind: 'get', 'set', 'commit'
      if (state === 'running') return 0;
      if (v12) return err(301, 'the API is not initialized' + (state === 'terminated' ? ' (LMSFinish was called)' : ''));
      var codes = { get: [122, 123], set: [132, 133], commit: [142, 143] }[kind];
      return err(state === 'new' ? codes[0] : codes[1]);
    }

    function getValue(el) {
      if (guard('get')) return '';
      el = el === undefined || el === null ? '' : String(el);
      if (el === '') return err(v12 ? 201 : 301, 'GetValue needs an element name'), '';
      var kw = /^(.*)\._(children|count|version)$/.exec(el);
      if (kw && kw[2] !== 'version') {
        var bp = parse(kw[1]);
        if (kw[2] === 'children') {
          if (M.children[bp.pattern]) return ok(), M.children[bp.pattern];
          if (known(bp.pattern)) return err(v12 ? 202 : 301, kw[1] + ' has no children'), '';
        } else {
          if (M.arrays.indexOf(bp.pattern) >= 0) {
            var up = indices(kw[1], bp, false);  // the items above a nested array must exist
            if (up) return err(up[0], up[1]), '';
            return ok(), String(count(kw[1]));
          }
          if (known(bp.pattern)) return err(v12 ? 203 : 301, kw[1] + ' is not an array: it has no _count'), '';
        }
        return err(v12 ? 201 : 401, kw[1] + ' is not a data model element'), '';
      }
      var p = parse(el), def = M.elements[p.pattern];
      if (!def) {
        if (known(p.pattern)) return err(v12 ? 201 : 401, el + ' is a category, not an element with a value'), '';
        return err(v12 ? 201 : 401, el + ' is not a SCORM ' + version + ' data model element'), '';
      }
      if (def.a === 'wo') return err(v12 ? 404 : 405, el + ' is write-only'), '';
      var r = indices(el, p, false);
      if (r) return err(r[0], r[1]), '';
      var value = data.values[el];
      if (value === undefined) {
        if (v12) return ok(), '';
        return err(403, el + ' has not been set'), '';
      }
      ok();
      return value;
    }

    function ctxFor(el, p) {
      return {
        el: el, idx: p.idx, note: note,
        get: function (k) { return data.values[k]; }
      };
    }

    function setValue(el, value) {
      if (guard('set')) return 'false';
      el = el === undefined || el === null ? '' : String(el);
      if (arguments.length < 2 || value === undefined || value === null) return err(v12 ? 201 : 351, 'SetValue needs a value'), 'false';
      if (typeof value !== 'string') note('warn', 'SetValue(' + el + ') was given a ' + typeof value + ', not a string; it was converted');
      value = String(value);
      if (el === '') return err(v12 ? 201 : 351, 'SetValue needs an element name'), 'false';
      if (/\._(children|count|version)$/.test(el)) return err(v12 ? 402 : 404, el + ' is a keyword: it is read-only'), 'false';
      var p = parse(el), def = M.elements[p.pattern];
      if (!def) {
        if (known(p.pattern)) return err(v12 ? 201 : 401, el + ' is a category, not an element with a value'), 'false';
        return err(v12 ? 201 : 401, el + ' is not a SCORM ' + version + ' data model element'), 'false';
      }
      if (def.a === 'ro') return err(v12 ? 403 : 404, el + ' is read-only'), 'false';
      var r = indices(el, p, true);
      if (r) return err(r[0], r[1]), 'false';
      if (!v12) {
        var dep = dependency(el);
        if (dep) return err(408, dep), 'false';
      }
      var ctx = ctxFor(el, p);
      var problem = def.c ? def.c(value, ctx) : null;
      if (problem) {
        var code = problem[0] === 'set' ? (v12 ? 201 : 351) : v12 ? 405 : problem[0] === 'range' ? 407 : 406;
        return err(code, el + ': ' + problem[1]), 'false';
      }
      if (!v12) {
        var clash = uniqueness(el, value);
        if (clash) return err(351, clash), 'false';
      }
      // A new array item: count it, and give its elements their defaults.
      for (var level = 0; level < p.idx.length; level++) {
        var path = arrayPath(el, level);
        if (p.idx[level] === count(path)) {
          data.counts[path] = count(path) + 1;
          var item = path + '.' + p.idx[level] + '.', itemPattern = parse(item.slice(0, -1)).pattern + '.';
          Object.keys(M.elements).forEach(function (k) {
            if (k.indexOf(itemPattern) === 0 && k.slice(itemPattern.length).indexOf('.n.') < 0 && M.elements[k].d !== undefined) {
              data.values[item + k.slice(itemPattern.length)] = M.elements[k].d;
            }
          });
        }
      }
      data.values[el] = value;
      ok();
      return 'true';
    }

    // 2004: an interaction or objective needs its id first, and responses need the type.
    function dependency(el) {
      var m = /^cmi\.(interactions|objectives)\.(\d+)\.(.+)$/.exec(el);
      if (!m || m[3] === 'id') return null;
      var base = 'cmi.' + m[1] + '.' + m[2];
      if (data.values[base + '.id'] === undefined) return el + ' needs ' + base + '.id to be set first';
      if (m[1] === 'interactions' && /^(correct_responses\.\d+\.pattern|learner_response)$/.test(m[3]) && data.values[base + '.type'] === undefined) {
        return el + ' needs ' + base + '.type to be set first (its format depends on the type)';
      }
      return null;
    }

    function uniqueness(el, value) {
      var m = /^cmi\.objectives\.(\d+)\.id$/.exec(el);
      if (m) {
        var old = data.values[el];
        if (old !== undefined && old !== value) return el + ' is already "' + old + '": an objective id cannot change';
        for (var i = 0; i < count('cmi.objectives'); i++) {
          if (i !== +m[1] && data.values['cmi.objectives.' + i + '.id'] === value) return 'cmi.objectives.' + i + '.id is already "' + value + '": objective ids are unique';
        }
      }
      m = /^cmi\.interactions\.(\d+)\.objectives\.(\d+)\.id$/.exec(el);
      if (m) {
        var path = 'cmi.interactions.' + m[1] + '.objectives';
        for (var j = 0; j < count(path); j++) {
          if (j !== +m[2] && data.values[path + '.' + j + '.id'] === value) return path + '.' + j + '.id is already "' + value + '": ids are unique within an interaction';
        }
      }
      m = /^cmi\.interactions\.(\d+)\.correct_responses\.(\d+)\.pattern$/.exec(el);
      if (m && +m[2] > 0) {
        var type = data.values['cmi.interactions.' + m[1] + '.type'];
        if (['true-false', 'likert', 'numeric', 'other'].indexOf(type) >= 0) return 'a ' + type + ' interaction has at most one correct response pattern';
      }
      return null;
    }

    function commit(param) {
      if (guard('commit')) return 'false';
      if (param !== '' && param !== undefined) return err(201, 'the parameter must be ""'), 'false';
      save(data);
      ok();
      return 'true';
    }

    function initialize(param) {
      if (param !== '' && param !== undefined) return err(201, 'the parameter must be ""'), 'false';
      if (state === 'running') return err(v12 ? 101 : 103, 'the API is already initialized'), 'false';
      if (state === 'terminated') return err(v12 ? 101 : 104, 'this session has ended; a SCO is initialized once per launch'), 'false';
      state = 'running';
      data.open = true;
      ok();
      return 'true';
    }

    function finish(param) {
      if (state === 'new') return err(v12 ? 301 : 112, 'the API was not initialized'), 'false';
      if (state === 'terminated') return err(v12 ? 301 : 113, 'the session has already ended'), 'false';
      if (param !== '' && param !== undefined) return err(201, 'the parameter must be ""'), 'false';
      end();
      ok();
      return 'true';
    }

    // End the session: add the session time to the total and keep how the SCO exited.
    function end() {
      var session = data.values[K.session];
      var total = v12 ? centisFrom12(data.values[K.total]) + centisFrom12(session) : centisFrom2004(data.values[K.total]) + centisFrom2004(session);
      data.values[K.total] = v12 ? format12(total) : format2004(total);
      data.lastExit = data.values[K.exit] === undefined ? '' : data.values[K.exit];
      if (session === undefined) note('warn', 'the SCO ended its session without setting ' + K.session);
      data.sessions += 1;
      data.open = false;
      state = 'terminated';
      save(data);
    }

    // A new launch of the SCO: `entry` ('ab-initio', 'resume' or ''), `mode` (normal, browse, review).
    function launch(how) {
      how = how || {};
      if (state === 'running') terminate();
      if (how.reset) data = fresh();
      delete data.values[K.exit];
      delete data.values[K.session];
      data.values[K.entry] = how.entry !== undefined ? how.entry : data.sessions ? 'resume' : 'ab-initio';
      data.values[K.mode] = how.mode || 'normal';
      data.values[K.credit] = data.values[K.mode] === 'normal' ? 'credit' : 'no-credit';
      state = 'new';
      last = { code: 0, diag: '' };
      save(data);
    }

    // The simulator closes a session the SCO left open (a real LMS would lose unsaved data).
    function terminate() {
      if (state !== 'running') return false;
      note('warn', 'the SCO did not call ' + (v12 ? 'LMSFinish' : 'Terminate') + ' before it was unloaded; the simulator ended the session');
      end();
      return true;
    }

    function lastError() { return String(last.code); }
    function errorString(code) { var s = STRINGS[version][parseInt(code, 10)]; return s === undefined ? '' : s; }
    function diagnostic(code) {
      if (code === '' || code === undefined || parseInt(code, 10) === last.code) return last.diag;
      return errorString(code);
    }

    // Every method is logged: name, arguments, result and the error it left.
    function logged(name, fn, meta) {
      return function () {
        var args = [].slice.call(arguments);
        var result = fn.apply(null, args);
        callTo({ fn: name, args: args, result: result, code: meta ? 0 : last.code, diag: meta ? '' : last.diag, meta: !!meta });
        return result;
      };
    }

    var api = {};
    var names = v12
      ? ['LMSInitialize', 'LMSFinish', 'LMSGetValue', 'LMSSetValue', 'LMSCommit', 'LMSGetLastError', 'LMSGetErrorString', 'LMSGetDiagnostic']
      : ['Initialize', 'Terminate', 'GetValue', 'SetValue', 'Commit', 'GetLastError', 'GetErrorString', 'GetDiagnostic'];
    var fns = [initialize, finish, getValue, setValue, commit, lastError, errorString, diagnostic];
    names.forEach(function (n, i) { api[n] = logged(n, fns[i], i >= 5); });

    // The data model for the inspector: [element, value, access], in a readable order.
    function dump() {
      return Object.keys(data.values).sort(natural).map(function (k) {
        var def = M.elements[parse(k).pattern];
        return [k, data.values[k], def ? def.a : 'rw'];
      });
    }

    return {
      api: api,
      version: version,
      launch: launch,
      terminate: terminate,
      dump: dump,
      counts: function () { return data.counts; },
      data: function () { return data; },
      state: function () { return state; }
    };
  }

  function natural(a, b) {
    var x = a.split(/(\d+)/), y = b.split(/(\d+)/);
    for (var i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] === y[i]) continue;
      var nx = /^\d+$/.test(x[i]), ny = /^\d+$/.test(y[i]);
      if (nx && ny) return parseInt(x[i], 10) - parseInt(y[i], 10);
      return x[i] < y[i] ? -1 : 1;
    }
    return x.length - y.length;
  }

  var LmspackScorm = { create: create, errorStrings: STRINGS };
  if (typeof module === 'object' && module.exports) module.exports = LmspackScorm;
  else root.LmspackScorm = LmspackScorm;
})(typeof window !== 'undefined' ? window : this);
