// What the LMS recorded, checked against the SCORM specs' own formats.
import assert from 'node:assert/strict';

// SCORM 1.2 CMITimespan HHHH:MM:SS.SS (hours 2–4 digits, optional 1–2 decimals).
export const TIMESPAN_12 = /^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$/;
// SCORM 1.2 CMITime HH:MM:SS.SS (a time of day).
export const TIME_12 = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$/;
// SCORM 2004 timeinterval (ISO 8601 duration, at most 2 decimals on seconds, at least one number).
export const DURATION_2004 = /^P(?=.*\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$/;
// SCORM 2004 time (second) ISO 8601: YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]].
export const STAMP_2004 = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3])(:[0-5]\d(:[0-5]\d(\.\d{1,2})?)?)?(Z|[+-]\d{2}(:\d{2})?)?)?)?)?$/;

export const names = (v12) => (v12
  ? { init: 'LMSInitialize', set: 'LMSSetValue', get: 'LMSGetValue', commit: 'LMSCommit', fin: 'LMSFinish',
      status: 'cmi.core.lesson_status', loc: 'cmi.core.lesson_location', exit: 'cmi.core.exit', time: 'cmi.core.session_time',
      score: 'cmi.core.score', resp: 'student_response', stamp: 'time', entry: 'cmi.core.entry' }
  : { init: 'Initialize', set: 'SetValue', get: 'GetValue', commit: 'Commit', fin: 'Terminate',
      status: 'cmi.completion_status', loc: 'cmi.location', exit: 'cmi.exit', time: 'cmi.session_time',
      score: 'cmi.score', resp: 'learner_response', stamp: 'timestamp', entry: 'cmi.entry' });

/** No API call was rejected, none threw, none came after Finish/Terminate. */
export function assertClean(rec) {
  const bad = rec.errors.map((c) => `  ${c.fn}(${c.args.join(', ').slice(0, 120)}) -> ${c.ret}, error ${c.err} ${c.msg ?? ''}`);
  assert.deepEqual(bad, [], `scorm-again (SCORM ${rec.version}) rejected ${bad.length} call(s):\n${bad.join('\n')}`);
  assert.deepEqual(rec.throws, [], 'API calls threw');
  assert.deepEqual(rec.afterEnd.map((c) => `${c.fn}(${c.args.join(', ')})`), [], 'API calls after Finish/Terminate');
}

/** Every value the SCO set for `el`, in order. */
export const setsOf = (rec, el) => rec.calls.filter((c) => /SetValue$/.test(c.fn) && c.args[0] === el).map((c) => c.args[1]);
export const lastSet = (rec, el) => setsOf(rec, el).pop();

/** The interactions the SCO wrote, rebuilt from its SetValue calls: [{ id, type, ... }] by index. */
export function interactions(rec) {
  const out = [];
  for (const c of rec.calls) {
    const m = /^(LMS)?SetValue$/.test(c.fn) && /^cmi\.interactions\.(\d+)\.(.+)$/.exec(c.args[0]);
    if (!m) continue;
    const it = (out[+m[1]] ??= { correct_responses: [] });
    const cr = /^correct_responses\.(\d+)\.pattern$/.exec(m[2]);
    if (cr) it.correct_responses[+cr[1]] = c.args[1]; else it[m[2]] = c.args[1];
  }
  return out;
}

/** The session's Finish/Terminate is the very last call, made once; 1.2 commits right before it. */
export function assertEndedOnce(rec) {
  const n = names(rec.version === '1.2');
  const fins = rec.calls.filter((c) => c.fn === n.fin);
  assert.equal(fins.length, 1, `${n.fin} called ${fins.length} times`);
  assert.equal(fins[0].ret, 'true');
  assert.equal(rec.calls[rec.calls.length - 1].fn, n.fin, `${n.fin} is not the last call`);
  const work = rec.calls.filter((c) => !/GetLastError|GetErrorString|GetDiagnostic/.test(c.fn));
  if (rec.version === '1.2') assert.equal(work[work.length - 2].fn, 'LMSCommit', 'SCORM 1.2 must LMSCommit right before LMSFinish');
}
