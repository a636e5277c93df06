// Assertions and steps shared by the journey tests (test/journey*.test.mjs): what the LMS record
// must hold after the generic learner of lib/generic.mjs went through a module, against the
// module's own data (an oracle independent of the runtime).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { names } from './scorm.mjs';
import { heading, VERDICT, CHECKED } from './generic.mjs';
import { leave, stored, storedInteractions } from './moodle.mjs';

export const COURSE = 'digital-leadership-for-libraries';

export const norm = (s) => String(s).replace(/\s+/g, ' ').trim();

/** The question of `data` a group named `name` is (its legend is the question text). */
export function questionOf(data, name) {
  const n = norm(name);
  return data.questions.find((q) => norm(q.text) === n) ?? data.questions.find((q) => n.startsWith(norm(q.text)) || norm(q.text).startsWith(n));
}

/** Questions a learner checks with a button (all but the likert scales, which have none). */
export const checkable = (data) => data.questions.filter((q) => q.kind !== 'likert');

/** The score (0–100, 2 decimals) the stored interactions earn, from the module's own weights: an
 *  oracle independent of the runtime's arithmetic. */
export function scoreFrom(data, its) {
  let total = 0, got = 0;
  for (const q of data.questions.filter((x) => x.scored)) {
    total += q.weight;
    const it = its.filter((x) => x.id === q.id).pop();
    if (it && it.result === 'correct') got += q.weight;
  }
  return Math.round(10000 * got / total) / 100;
}

/** SetValue calls that report a result: a score, a 2004 success other than unknown, a 1.2
 *  passed/failed. */
export function resultWrites(rec, v12) {
  return rec.calls.filter((c) => /SetValue$/.test(c.fn) && c.ret === 'true' && (
    /^cmi(\.core)?\.score\.(raw|scaled)$/.test(c.args[0]) ||
    (!v12 && c.args[0] === 'cmi.success_status' && c.args[1] !== 'unknown') ||
    (v12 && c.args[0] === 'cmi.core.lesson_status' && /^(passed|failed)$/.test(c.args[1]))));
}

/** No result written before the learner checked the last scored question or pressed Finish. */
export function assertNoEarlyResult(rec, v12, data, L) {
  const scored = L.checks.filter((c) => questionOf(data, c.group)?.scored);
  assert.equal(scored.length, data.questions.filter((q) => q.scored).length, 'the learner checked every scored question');
  const last = Math.max(...scored.map((c) => c.t));
  const until = Math.min(last, L.finishedAt ?? Infinity);
  const early = resultWrites(rec, v12).filter((c) => c.t < until);
  const when = (c) => `${c.fn}(${c.args.join(', ')}) after ${scored.filter((x) => x.t < c.t).length} of ${scored.length} scored answers`;
  assert.deepEqual(early.map(when), [], 'a score or a pass/fail reached the LMS before every scored question was answered');
}

/** What every check of the generic learner must have shown (every finding listed). */
export function assertChecks(data, L) {
  const bad = [];
  for (const c of L.checks) {
    const q = questionOf(data, c.group);
    if (!q) { bad.push(`"${c.group.slice(0, 70)}" is not a question of the module`); continue; }
    if (!CHECKED.test(c.button)) bad.push(`${q.id}: the button reads "${c.button}" after checking`);
    else if ((c.button === 'Answer checked') !== c.disabled) bad.push(`${q.id}: "${c.button}" ${c.disabled ? 'is' : 'is not'} disabled (aria-disabled)`);
    if (c.verdicts.length !== 1 || !VERDICT.test(c.verdicts[0])) bad.push(`${q.id}: one verdict line wanted, got ${JSON.stringify(c.verdicts.map((v) => v.slice(0, 60)))}`);
    else if (/^(Correct\.|Not quite\.)\s*(Correct\.|Not quite\.)/.test(c.verdicts[0])) bad.push(`${q.id}: the verdict said twice: ${c.verdicts[0].slice(0, 60)}`);
  }
  const seen = L.checks.map((c) => questionOf(data, c.group)?.id);
  const want = checkable(data).map((q) => q.id);
  const missing = want.filter((id) => !seen.includes(id)), twice = seen.filter((id, i) => seen.indexOf(id) !== i);
  if (missing.length || twice.length) bad.push(`every question with a Check button checked once: missing ${missing}, twice ${twice}`);
  assert.deepEqual(bad, [], 'what the learner saw when checking');
}

/** The LMS's record of SCO `sco` after a whole attempt: complete, true to the interactions. */
export function assertFinalRecord(rec, v12, data, sco, L) {
  const its = storedInteractions(rec, sco);
  const ids = its.map((x) => x.id);
  for (const q of checkable(data)) assert.ok(ids.includes(q.id), `interaction ${q.id} stored`);
  const want = scoreFrom(data, its);
  const n = names(v12);
  assert.equal(Number(stored(rec, sco, v12 ? 'core.score.raw' : 'score.raw')), want, 'stored score.raw = what the stored interactions earn');
  const success = want >= data.mastery_score ? 'passed' : 'failed';
  if (v12) {
    assert.equal(stored(rec, sco, 'core.lesson_status'), success);
    assert.equal(stored(rec, sco, 'core.exit'), '', 'exit "" after Finish');
  } else {
    assert.equal(stored(rec, sco, 'completion_status'), 'completed');
    assert.equal(stored(rec, sco, 'success_status'), success);
    assert.equal(stored(rec, sco, 'exit'), 'normal', 'exit normal after Finish');
  }
  const fins = rec.sessions.filter((s) => s.sco === sco).flatMap((s) => s.calls.filter((c) => c.fn === n.fin && c.ret === 'true'));
  assert.equal(fins.length, 1, `${n.fin} once`);
  return want;
}

export function assertNoErrors(ctx, rec, allowed = () => false) {
  assert.deepEqual(ctx.log.pageErrors, [], 'uncaught errors in the module');
  const bad = rec.sessions.flatMap((s) => s.errors.filter((c) => !allowed(c)).map((c) => `${s.sco}: ${c.fn}(${c.args.join(', ').slice(0, 80)}) -> ${c.ret} ${c.err}`));
  assert.deepEqual(bad, [], 'API calls the LMS refused');
}

export const pkgOf = (mod, std) => `${mod}-${std}`;

/** The module data of SCO `sco` (from rec.scos) of a course package. */
export function scoData(pk, sco) {
  const file = path.join(pk.dir, decodeURIComponent(new URL(sco.href, 'http://x').pathname.replace(/^\/pkg\/[^/]+\//, '')));
  const m = /<script type="application\/json" id="lmspack-data">([\s\S]*?)<\/script>/.exec(fs.readFileSync(file, 'utf8'));
  assert.ok(m, `module data in ${file}`);
  return JSON.parse(m[1]);
}

/** Presses Finish; when that does not end the session (no status, no Terminate), the learner
 *  leaves anyway (the frame is navigated away). Returns what Finish did, or its error. */
export async function finishOrLeave(L, page) {
  await L.pressFinish();
  const ended = await page.waitForFunction(() => window.__lms.finished, null, { timeout: 3_000 }).then(() => true, () => false);
  if (!ended) await leave(page, { wait: 300 });
  return ended;
}

/** Presses Finish and waits for the session to end on the LMS (the status message is checked by
 *  the tests of each module; here the record matters). */
export async function finishRecorded(L, page) {
  await L.pressFinish();
  const ended = await page.waitForFunction(() => window.__lms.finished, null, { timeout: 3_000 }).then(() => true, () => false);
  assert.ok(ended, '"Finish" did not end the session on the LMS');
  await page.waitForTimeout(200);
}

/** Plays pages until the learner is on page `count` (0-based index into the module's pages),
 *  answering every page before it; `onPage(i, L)` runs on page i before it is answered. */
export async function playPages(L, count, onPage) {
  for (let i = 0; i < count; i++) {
    if (onPage) await onPage(i, L);
    await L.answerPage();
    await L.next();
  }
  return heading(L.frame);
}

/** A value of another JSON type than `v`. */
export function wrongType(v) {
  if (typeof v === 'string') return { x: v };
  if (typeof v === 'number') return 'not a number';
  if (typeof v === 'boolean') return [v];
  if (v === null) return 7;
  if (Array.isArray(v)) return 'not a list';
  return 12345;
}

/** Every value but the fingerprint of another type: the first object (or list) in the data
 *  replaced whole, every member of the others replaced, plus members that cannot be (a huge and a
 *  negative index, NaN) and a __proto__ key (JSON.parse keeps it as an own property). */
export function hostile(text) {
  const s = JSON.parse(text);
  assert.ok(s && typeof s === 'object' && 'h' in s, `suspend_data is not a JSON object with a fingerprint "h": ${text.slice(0, 80)}`);
  const out = { h: s.h };
  let whole = false;
  for (const [k, v] of Object.entries(s)) {
    if (k === 'h') continue;
    if (v === null || typeof v !== 'object' || !whole) { whole = whole || (v !== null && typeof v === 'object'); out[k] = wrongType(v); continue; }
    out[k] = Array.isArray(v) ? v.map(wrongType)
      : { ...Object.fromEntries(Object.entries(v).map(([a, b]) => [a, wrongType(b)])), 99999: { deep: [1, 2] }, '-1': 'x', NaN: null };
  }
  return JSON.stringify(out).replace(/}$/, ',"__proto__":{"polluted":"yes"}}');
}
