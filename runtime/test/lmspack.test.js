// Unit tests of the runtime's pure functions: `node --test runtime/test/`. No dependencies.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const lp = require('../lmspack.js');

test('SCORM 1.2 session time is HHHH:MM:SS.SS', () => {
  assert.equal(lp.time12(0), '0000:00:00.00');
  assert.equal(lp.time12(-5), '0000:00:00.00');
  assert.equal(lp.time12(NaN), '0000:00:00.00');
  assert.equal(lp.time12(1234), '0000:00:01.23');
  assert.equal(lp.time12(3723450), '0001:02:03.45');
  assert.equal(lp.time12(59999), '0000:01:00.00');
  assert.equal(lp.time12(1e15), '9999:59:59.99');
  for (const ms of [0, 9, 999, 61001, 86399999, 123456789]) assert.match(lp.time12(ms), /^\d{4}:[0-5]\d:[0-5]\d\.\d\d$/);
});

test('SCORM 2004 session time is PT#H#M#S with at most 2 decimals', () => {
  assert.equal(lp.time2004(0), 'PT0S');
  assert.equal(lp.time2004(4), 'PT0S');
  assert.equal(lp.time2004(-1000), 'PT0S');
  assert.equal(lp.time2004(10), 'PT0.01S');
  assert.equal(lp.time2004(1500), 'PT1.5S');
  assert.equal(lp.time2004(60000), 'PT1M');
  assert.equal(lp.time2004(3600000), 'PT1H');
  assert.equal(lp.time2004(3723450), 'PT1H2M3.45S');
  assert.equal(lp.time2004(100 * 3600000 + 5000), 'PT100H5S');
  for (const ms of [0, 9, 999, 61001, 86399999, 123456789]) assert.match(lp.time2004(ms), /^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?$/);
});

const single = { kind: 'single-choice', type: 'choice', correct: [1], scored: true, weight: 2 };
const multi = { kind: 'multiple-choice', type: 'choice', correct: [0, 2], scored: true, weight: 1 };
const tf = { kind: 'true-false', type: 'true-false', answer: false, scored: true, weight: 1 };
const fill = { kind: 'fill-in', type: 'fill-in', answers: ['UK GDPR', 'GDPR'], case_sensitive: false, scored: true, weight: 1 };
const fillCase = { kind: 'fill-in', type: 'fill-in', answers: ['Wi-Fi'], case_sensitive: true, scored: false, weight: 1 };
const match = { kind: 'matching', type: 'matching', correct: [0, 1, 2], scored: true, weight: 1 };
const seq = { kind: 'sequencing', type: 'sequencing', correct: [0, 1, 2], scored: true, weight: 1 };
const likert = { kind: 'likert', type: 'likert', scored: false, weight: 0 };

test('answers are marked', () => {
  assert.ok(lp.isCorrect(single, 1));
  assert.ok(!lp.isCorrect(single, 0));
  assert.ok(lp.isCorrect(multi, [2, 0]));
  assert.ok(!lp.isCorrect(multi, [0]));
  assert.ok(!lp.isCorrect(multi, [0, 1, 2]));
  assert.ok(lp.isCorrect(tf, 1));
  assert.ok(!lp.isCorrect(tf, 0));
  assert.ok(lp.isCorrect(fill, '  uk gdpr '));
  assert.ok(!lp.isCorrect(fill, 'DPA'));
  assert.ok(lp.isCorrect(fillCase, 'Wi-Fi'));
  assert.ok(!lp.isCorrect(fillCase, 'wi-fi'));
  assert.ok(lp.isCorrect(match, [0, 1, 2]));
  assert.ok(!lp.isCorrect(match, [1, 0, 2]));
  assert.ok(lp.isCorrect(seq, [0, 1, 2]));
  assert.ok(!lp.isCorrect(seq, [2, 1, 0]));
});

test('interaction patterns and responses in SCORM 1.2 format', () => {
  const api = 'scorm12';
  assert.deepEqual(lp.patterns(single, api), ['b']);
  assert.deepEqual(lp.patterns(multi, api), ['a,c']);
  assert.deepEqual(lp.patterns(tf, api), ['f']);
  assert.deepEqual(lp.patterns(fill, api), ['UK GDPR', 'GDPR']);
  assert.deepEqual(lp.patterns(match, api), ['0.a,1.b,2.c']);
  assert.deepEqual(lp.patterns(seq, api), ['a,b,c']);
  assert.deepEqual(lp.patterns(likert, api), []);
  assert.equal(lp.response(single, 0, api), 'a');
  assert.equal(lp.response(multi, [0, 1], api), 'a,b');
  assert.equal(lp.response(tf, 0, api), 't');
  assert.equal(lp.response(fill, ' x ', api), 'x');
  assert.equal(lp.response(match, [1, 0, 2], api), '0.b,1.a,2.c');
  assert.equal(lp.response(seq, [2, 0, 1], api), 'c,a,b');
  assert.equal(lp.response(likert, 4, api), '5');
});

test('interaction patterns and responses in SCORM 2004 format', () => {
  const api = 'scorm2004';
  assert.deepEqual(lp.patterns(multi, api), ['a[,]c']);
  assert.deepEqual(lp.patterns(tf, api), ['false']);
  assert.deepEqual(lp.patterns(fillCase, api), ['{case_matters=true}Wi-Fi']);
  assert.deepEqual(lp.patterns(match, api), ['0[.]a[,]1[.]b[,]2[.]c']);
  assert.deepEqual(lp.patterns(seq, api), ['a[,]b[,]c']);
  assert.equal(lp.response(tf, 0, api), 'true');
  assert.equal(lp.response(match, [1, 0, 2], api), '0[.]b[,]1[.]a[,]2[.]c');
});

test('score is weighted over the scored questions only', () => {
  const qs = [single, multi, likert, { ...single, scored: false }];
  assert.deepEqual(lp.scoreOf(qs, {}), { score: 0, all: false });
  assert.deepEqual(lp.scoreOf(qs, { 0: 1 }), { score: 66.67, all: false });
  assert.deepEqual(lp.scoreOf(qs, { 0: 1, 1: [0] }), { score: 66.67, all: true });
  assert.deepEqual(lp.scoreOf(qs, { 0: 1, 1: [0, 2], 2: 3 }), { score: 100, all: true });
  assert.deepEqual(lp.scoreOf([likert], { 0: 1 }), { score: null, all: true });
});
