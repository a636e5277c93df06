// The LMS simulator's strict SCORM API: data-model rules and error codes.
// Run: node --test runtime/preview/test/
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { create } = require('../scorm-api.js');

function v12(opts) {
  const sim = create('1.2', opts);
  const A = sim.api;
  return { sim, A, code: () => A.LMSGetLastError() };
}
function v2004(opts) {
  const sim = create('2004', opts);
  const A = sim.api;
  return { sim, A, code: () => A.GetLastError() };
}

test('1.2: the session state machine', () => {
  const { A, code } = v12();
  assert.equal(A.LMSGetValue('cmi.core.student_id'), '');
  assert.equal(code(), '301');
  assert.equal(A.LMSInitialize('x'), 'false');
  assert.equal(code(), '201');
  assert.equal(A.LMSInitialize(''), 'true');
  assert.equal(code(), '0');
  assert.equal(A.LMSInitialize(''), 'false');
  assert.equal(code(), '101');
  assert.equal(A.LMSCommit(''), 'true');
  assert.equal(A.LMSFinish(''), 'true');
  assert.equal(A.LMSSetValue('cmi.core.lesson_location', 'x'), 'false');
  assert.equal(code(), '301');
  assert.equal(A.LMSGetErrorString('405'), 'Incorrect Data Type');
});

test('1.2: access, keywords and unknown elements', () => {
  const { A, code } = v12();
  A.LMSInitialize('');
  assert.equal(A.LMSSetValue('cmi.core.student_name', 'x'), 'false');
  assert.equal(code(), '403');
  assert.equal(A.LMSGetValue('cmi.core.exit'), '');
  assert.equal(code(), '404');
  assert.equal(A.LMSGetValue('cmi.core.session_time'), '');
  assert.equal(code(), '404');
  assert.equal(A.LMSSetValue('cmi.core._children', 'x'), 'false');
  assert.equal(code(), '402');
  assert.equal(A.LMSGetValue('cmi.core.score._children'), 'raw,min,max');
  assert.equal(A.LMSGetValue('cmi.core.lesson_status._children'), '');
  assert.equal(code(), '202');
  assert.equal(A.LMSGetValue('cmi.core.score._count'), '');
  assert.equal(code(), '203');
  assert.equal(A.LMSGetValue('cmi.core.nonsense'), '');
  assert.equal(code(), '201');
  assert.equal(A.LMSGetValue('cmi.interactions._count'), '0');
  assert.equal(code(), '0');
});

test('1.2: types, vocabularies, ranges and lengths give 405', () => {
  const { A, code } = v12();
  A.LMSInitialize('');
  const bad = [
    ['cmi.core.lesson_status', 'done'],
    ['cmi.core.lesson_status', 'not attempted'],
    ['cmi.core.exit', 'normal'],
    ['cmi.core.score.raw', '101'],
    ['cmi.core.score.raw', '-1'],
    ['cmi.core.score.raw', 'ten'],
    ['cmi.core.session_time', 'PT1S'],
    ['cmi.core.session_time', '1:00:00'],
    ['cmi.core.session_time', '0000:60:00'],
    ['cmi.core.lesson_location', 'x'.repeat(256)],
    ['cmi.suspend_data', 'x'.repeat(4097)],
    ['cmi.student_preference.audio', '101'],
    ['cmi.student_preference.text', '2'],
  ];
  for (const [el, value] of bad) {
    assert.equal(A.LMSSetValue(el, value), 'false', `${el} = ${value.slice(0, 20)}`);
    assert.equal(code(), '405', `${el} = ${value.slice(0, 20)}`);
    assert.notEqual(A.LMSGetDiagnostic(''), '');
  }
  const good = [
    ['cmi.core.lesson_status', 'incomplete'],
    ['cmi.core.exit', 'suspend'],
    ['cmi.core.exit', ''],
    ['cmi.core.score.raw', '99.5'],
    ['cmi.core.score.raw', ''],
    ['cmi.core.session_time', '0000:01:02.50'],
    ['cmi.core.session_time', '12:00:00'],
    ['cmi.suspend_data', 'x'.repeat(4096)],
  ];
  for (const [el, value] of good) {
    assert.equal(A.LMSSetValue(el, value), 'true', `${el} = ${value.slice(0, 20)}: ${A.LMSGetDiagnostic('')}`);
  }
  assert.equal(A.LMSGetValue('cmi.suspend_data').length, 4096);
});

test('1.2: interactions are write-only, in order, in their formats', () => {
  const { A, code } = v12();
  A.LMSInitialize('');
  assert.equal(A.LMSSetValue('cmi.interactions.1.id', 'q1'), 'false');
  assert.equal(code(), '201');
  assert.equal(A.LMSSetValue('cmi.interactions.0.id', 'q 1'), 'false');
  assert.equal(code(), '405');
  assert.equal(A.LMSSetValue('cmi.interactions.0.id', 'q1'), 'true');
  assert.equal(A.LMSGetValue('cmi.interactions._count'), '1');
  assert.equal(A.LMSGetValue('cmi.interactions.0.id'), '');
  assert.equal(code(), '404');
  assert.equal(A.LMSSetValue('cmi.interactions.0.type', 'multiple-choice'), 'false');
  assert.equal(code(), '405');
  assert.equal(A.LMSSetValue('cmi.interactions.0.type', 'true-false'), 'true');
  assert.equal(A.LMSSetValue('cmi.interactions.0.student_response', 'true'), 'false');
  assert.equal(code(), '405');
  assert.equal(A.LMSSetValue('cmi.interactions.0.student_response', 't'), 'true');
  assert.equal(A.LMSSetValue('cmi.interactions.0.result', 'incorrect'), 'false');
  assert.equal(code(), '405');
  assert.equal(A.LMSSetValue('cmi.interactions.0.result', 'wrong'), 'true');
  assert.equal(A.LMSSetValue('cmi.interactions.0.time', '25:00:00'), 'false');
  assert.equal(code(), '405');
  assert.equal(A.LMSSetValue('cmi.interactions.0.time', '2024-01-01T10:00:00'), 'false');
  assert.equal(A.LMSSetValue('cmi.interactions.0.time', '10:00:00'), 'true');
  assert.equal(A.LMSSetValue('cmi.interactions.0.latency', '0000:00:05.20'), 'true');
  assert.equal(A.LMSSetValue('cmi.interactions.0.correct_responses.0.pattern', 't'), 'true');
  assert.equal(A.LMSGetValue('cmi.interactions.0.correct_responses._count'), '1');
  assert.equal(A.LMSSetValue('cmi.interactions.1.type', 'choice'), 'true');
  assert.equal(A.LMSSetValue('cmi.interactions.1.student_response', 'a,b'), 'true');
  assert.equal(A.LMSSetValue('cmi.interactions.1.student_response', 'apple'), 'false');
  assert.equal(code(), '405');
});

test('1.2: total time adds up and a resumed launch keeps the data', () => {
  let saved = null;
  const { sim, A } = v12({ save: (d) => { saved = JSON.parse(JSON.stringify(d)); }, masteryScore: 80 });
  sim.launch({});
  A.LMSInitialize('');
  assert.equal(A.LMSGetValue('cmi.core.entry'), 'ab-initio');
  assert.equal(A.LMSGetValue('cmi.student_data.mastery_score'), '80');
  A.LMSSetValue('cmi.core.lesson_location', 'p2');
  A.LMSSetValue('cmi.core.exit', 'suspend');
  A.LMSSetValue('cmi.core.session_time', '0000:01:30');
  A.LMSFinish('');
  assert.equal(saved.lastExit, 'suspend');
  const again = v12({ data: saved });
  again.sim.launch({ entry: 'resume' });
  again.A.LMSInitialize('');
  assert.equal(again.A.LMSGetValue('cmi.core.entry'), 'resume');
  assert.equal(again.A.LMSGetValue('cmi.core.lesson_location'), 'p2');
  assert.equal(again.A.LMSGetValue('cmi.core.total_time'), '0000:01:30.00');
  again.sim.launch({ reset: true });
  again.A.LMSInitialize('');
  assert.equal(again.A.LMSGetValue('cmi.core.lesson_location'), '');
  assert.equal(again.A.LMSGetValue('cmi.core.entry'), 'ab-initio');
});

test('2004: the session state machine', () => {
  const { A, code } = v2004();
  assert.equal(A.GetValue('cmi.location'), '');
  assert.equal(code(), '122');
  assert.equal(A.SetValue('cmi.location', 'x'), 'false');
  assert.equal(code(), '132');
  assert.equal(A.Commit(''), 'false');
  assert.equal(code(), '142');
  assert.equal(A.Terminate(''), 'false');
  assert.equal(code(), '112');
  assert.equal(A.Initialize('x'), 'false');
  assert.equal(code(), '201');
  assert.equal(A.Initialize(''), 'true');
  assert.equal(A.Initialize(''), 'false');
  assert.equal(code(), '103');
  assert.equal(A.Terminate(''), 'true');
  assert.equal(A.GetValue('cmi.location'), '');
  assert.equal(code(), '123');
  assert.equal(A.SetValue('cmi.location', 'x'), 'false');
  assert.equal(code(), '133');
  assert.equal(A.Commit(''), 'false');
  assert.equal(code(), '143');
  assert.equal(A.Terminate(''), 'false');
  assert.equal(code(), '113');
  assert.equal(A.Initialize(''), 'false');
  assert.equal(code(), '104');
  assert.equal(A.GetErrorString('408'), 'Data Model Dependency Not Established');
});

test('2004: access, keywords, unset values and unknown elements', () => {
  const { A, code } = v2004();
  A.Initialize('');
  assert.equal(A.GetValue(''), '');
  assert.equal(code(), '301');
  assert.equal(A.SetValue('', 'x'), 'false');
  assert.equal(code(), '351');
  assert.equal(A.GetValue('cmi._version'), '1.0');
  assert.equal(A.SetValue('cmi._version', '2.0'), 'false');
  assert.equal(code(), '404');
  assert.equal(A.SetValue('cmi.learner_id', 'me'), 'false');
  assert.equal(code(), '404');
  assert.equal(A.GetValue('cmi.exit'), '');
  assert.equal(code(), '405');
  assert.equal(A.GetValue('cmi.session_time'), '');
  assert.equal(code(), '405');
  assert.equal(A.GetValue('cmi.location'), '');
  assert.equal(code(), '403');
  assert.equal(A.GetValue('cmi.suspend_data'), '');
  assert.equal(code(), '403');
  assert.equal(A.GetValue('cmi.score.raw'), '');
  assert.equal(code(), '403');
  assert.equal(A.GetValue('cmi.nonsense'), '');
  assert.equal(code(), '401');
  assert.equal(A.SetValue('cmi.core.lesson_status', 'passed'), 'false');
  assert.equal(code(), '401');
  assert.equal(A.GetValue('cmi.score._children'), 'scaled,raw,min,max');
  assert.equal(A.GetValue('cmi.location._children'), '');
  assert.equal(code(), '301');
  assert.equal(A.GetValue('cmi.score._count'), '');
  assert.equal(code(), '301');
  assert.equal(A.GetValue('cmi.interactions.0.id'), '');
  assert.equal(code(), '301');
  assert.equal(A.GetValue('cmi.completion_status'), 'unknown');
  assert.equal(code(), '0');
});

test('2004: types give 406 and ranges 407', () => {
  const { A, code } = v2004();
  A.Initialize('');
  const cases = [
    ['cmi.completion_status', 'done', '406'],
    ['cmi.success_status', 'completed', '406'],
    ['cmi.exit', 'quit', '406'],
    ['cmi.score.scaled', 'half', '406'],
    ['cmi.score.scaled', '1.01', '407'],
    ['cmi.score.scaled', '-2', '407'],
    ['cmi.progress_measure', '1.5', '407'],
    ['cmi.session_time', '0000:01:00', '406'],
    ['cmi.session_time', 'P', '406'],
    ['cmi.session_time', 'PT', '406'],
    ['cmi.session_time', 'PT1.234S', '406'],
    ['cmi.learner_preference.audio_level', '-1', '407'],
    ['cmi.learner_preference.audio_captioning', '2', '406'],
    ['cmi.learner_preference.language', 'english!', '406'],
    ['cmi.comments_from_learner.0.timestamp', '2024-13-01', '406'],
    ['cmi.comments_from_learner.0.timestamp', '1969-12-31', '407'],
    ['cmi.comments_from_learner.0.comment', '{lang=}hi', '406'],
    ['adl.nav.request', 'jump', '406'],
  ];
  for (const [el, value, want] of cases) {
    assert.equal(A.SetValue(el, value), 'false', `${el} = ${value}`);
    assert.equal(code(), want, `${el} = ${value}: ${A.GetDiagnostic('')}`);
  }
  const good = [
    ['cmi.completion_status', 'completed'],
    ['cmi.score.scaled', '0.75'],
    ['cmi.score.raw', '-12.5'],
    ['cmi.session_time', 'PT1H2M3.45S'],
    ['cmi.session_time', 'P1DT0S'],
    ['cmi.exit', 'suspend'],
    ['cmi.learner_preference.language', 'en-GB'],
    ['cmi.comments_from_learner.0.comment', '{lang=en}Nice'],
    ['cmi.comments_from_learner.0.timestamp', '2024-05-06T07:08:09.1Z'],
    ['adl.nav.request', 'continue'],
    ['cmi.suspend_data', 'x'.repeat(64000)],
  ];
  for (const [el, value] of good) {
    assert.equal(A.SetValue(el, value), 'true', `${el} = ${value.slice(0, 20)}: ${A.GetDiagnostic('')}`);
  }
});

test('2004: beyond the smallest permitted maximum is kept, with a warning', () => {
  const notes = [];
  const { A } = v2004({ onNote: (level, text) => notes.push([level, text]) });
  A.Initialize('');
  assert.equal(A.SetValue('cmi.suspend_data', 'x'.repeat(64001)), 'true');
  assert.equal(notes.length, 1);
  assert.equal(notes[0][0], 'warn');
  assert.match(notes[0][1], /64000/);
});

test('2004: interactions need their id, then their type; arrays fill in order', () => {
  const { A, code } = v2004();
  A.Initialize('');
  assert.equal(A.SetValue('cmi.interactions.0.type', 'choice'), 'false');
  assert.equal(code(), '408');
  assert.equal(A.SetValue('cmi.interactions.1.id', 'q1'), 'false');
  assert.equal(code(), '351');
  assert.equal(A.SetValue('cmi.interactions.0.id', ''), 'false');
  assert.equal(code(), '406');
  assert.equal(A.SetValue('cmi.interactions.0.id', 'urn:q1'), 'true');
  assert.equal(A.GetValue('cmi.interactions.0.id'), 'urn:q1');
  assert.equal(A.SetValue('cmi.interactions.0.learner_response', 'a'), 'false');
  assert.equal(code(), '408');
  assert.equal(A.SetValue('cmi.interactions.0.correct_responses.0.pattern', 'a'), 'false');
  assert.equal(code(), '408');
  assert.equal(A.SetValue('cmi.interactions.0.type', 'choice'), 'true');
  assert.equal(A.SetValue('cmi.interactions.0.learner_response', 'a[,]b'), 'true');
  assert.equal(A.SetValue('cmi.interactions.0.learner_response', 'a[,]a'), 'false');
  assert.equal(code(), '406');
  assert.equal(A.SetValue('cmi.interactions.0.learner_response', 'a b'), 'false');
  assert.equal(code(), '406');
  assert.equal(A.SetValue('cmi.interactions.0.result', 'wrong'), 'false');
  assert.equal(code(), '406');
  assert.equal(A.SetValue('cmi.interactions.0.result', 'incorrect'), 'true');
  assert.equal(A.SetValue('cmi.interactions.0.latency', 'PT2.5S'), 'true');
  assert.equal(A.SetValue('cmi.interactions.0.timestamp', '2024-01-01T10:00:00'), 'true');
  assert.equal(A.SetValue('cmi.interactions.0.objectives.0.id', 'obj-1'), 'true');
  assert.equal(A.SetValue('cmi.interactions.0.objectives.1.id', 'obj-1'), 'false');
  assert.equal(code(), '351');
  assert.equal(A.GetValue('cmi.interactions.0.objectives._count'), '1');
  assert.equal(A.GetValue('cmi.interactions.0.weighting'), '');
  assert.equal(code(), '403');

  A.SetValue('cmi.interactions.1.id', 'tf');
  A.SetValue('cmi.interactions.1.type', 'true-false');
  assert.equal(A.SetValue('cmi.interactions.1.learner_response', 't'), 'false');
  assert.equal(code(), '406');
  assert.equal(A.SetValue('cmi.interactions.1.correct_responses.0.pattern', 'true'), 'true');
  assert.equal(A.SetValue('cmi.interactions.1.correct_responses.1.pattern', 'false'), 'false');
  assert.equal(code(), '351');

  A.SetValue('cmi.interactions.2.id', 'm');
  A.SetValue('cmi.interactions.2.type', 'matching');
  assert.equal(A.SetValue('cmi.interactions.2.learner_response', '0[.]a[,]1[.]b'), 'true');
  assert.equal(A.SetValue('cmi.interactions.2.learner_response', '0.a,1.b'), 'false');
  assert.equal(code(), '406');
  A.SetValue('cmi.interactions.3.id', 'n');
  A.SetValue('cmi.interactions.3.type', 'numeric');
  assert.equal(A.SetValue('cmi.interactions.3.correct_responses.0.pattern', '1[:]5'), 'true');
  assert.equal(A.SetValue('cmi.interactions.3.learner_response', 'three'), 'false');
  assert.equal(code(), '406');
  A.SetValue('cmi.interactions.4.id', 'f');
  A.SetValue('cmi.interactions.4.type', 'fill-in');
  assert.equal(A.SetValue('cmi.interactions.4.correct_responses.0.pattern', '{case_matters=true}Paris'), 'true');
  assert.equal(A.SetValue('cmi.interactions.4.correct_responses.0.pattern', '{case_matters=maybe}Paris'), 'true'); // not a delimiter: plain text
  assert.equal(A.GetValue('cmi.interactions._count'), '5');
});

test('2004: objectives have unique, unchanging ids and default statuses', () => {
  const { A, code } = v2004();
  A.Initialize('');
  assert.equal(A.SetValue('cmi.objectives.0.score.scaled', '0.5'), 'false');
  assert.equal(code(), '408');
  assert.equal(A.SetValue('cmi.objectives.0.id', 'o1'), 'true');
  assert.equal(A.GetValue('cmi.objectives.0.success_status'), 'unknown');
  assert.equal(A.SetValue('cmi.objectives.0.id', 'o2'), 'false');
  assert.equal(code(), '351');
  assert.equal(A.SetValue('cmi.objectives.1.id', 'o1'), 'false');
  assert.equal(code(), '351');
  assert.equal(A.SetValue('cmi.objectives.0.score.scaled', '2'), 'false');
  assert.equal(code(), '407');
});

test('2004: total time, exit and entry across launches', () => {
  let saved = null;
  const { sim, A } = v2004({ save: (d) => { saved = JSON.parse(JSON.stringify(d)); }, masteryScore: 75 });
  sim.launch({});
  A.Initialize('');
  assert.equal(A.GetValue('cmi.scaled_passing_score'), '0.75');
  A.SetValue('cmi.location', 'page-3');
  A.SetValue('cmi.exit', 'suspend');
  A.SetValue('cmi.session_time', 'PT1M30S');
  A.Terminate('');
  sim.launch({ entry: 'resume' });
  assert.equal(A.Initialize(''), 'true');
  assert.equal(A.GetValue('cmi.entry'), 'resume');
  assert.equal(A.GetValue('cmi.location'), 'page-3');
  assert.equal(A.GetValue('cmi.total_time'), 'PT1M30S');
  A.SetValue('cmi.session_time', 'PT45S');
  A.Terminate('');
  assert.equal(saved.values['cmi.total_time'], 'PT2M15S');
  assert.equal(saved.sessions, 2);
  sim.launch({ mode: 'review' });
  A.Initialize('');
  assert.equal(A.GetValue('cmi.mode'), 'review');
  assert.equal(A.GetValue('cmi.credit'), 'no-credit');
});

test('the simulator ends a session the SCO left open, and says so', () => {
  const notes = [];
  const { sim, A } = v2004({ onNote: (level, text) => notes.push(text) });
  A.Initialize('');
  assert.equal(sim.terminate(), true);
  assert.equal(sim.state(), 'terminated');
  assert.match(notes.join('\n'), /did not call Terminate/);
  assert.equal(sim.terminate(), false);
});

test('every call is reported with its error', () => {
  const calls = [];
  const { A } = v12({ onCall: (c) => calls.push(c) });
  A.LMSInitialize('');
  A.LMSSetValue('cmi.core.lesson_status', 'bogus');
  const last = calls[calls.length - 1];
  assert.equal(last.fn, 'LMSSetValue');
  assert.equal(last.result, 'false');
  assert.equal(last.code, 405);
  assert.match(last.diag, /bogus/);
});
