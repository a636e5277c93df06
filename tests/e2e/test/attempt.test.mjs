// A whole first attempt, keyboard only, for SCORM 1.2 and 2004 on fixtures/every-block and the
// modules of course/: status, score, interactions, session time, exit, the end of the session,
// and axe-core on every page (with the feedback shown).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, namesOf } from '../lib/setup.mjs';
import { newContext, openInLms, lms, closeSco, runAxe, formatViolations } from '../lib/browser.mjs';
import { launchHref, moduleData } from '../lib/packages.mjs';
import { Learner, answer, doBlocks, expectedScore, expectedPatterns } from '../lib/learner.mjs';
import {
  TIMESPAN_12, TIME_12, DURATION_2004, STAMP_2004, names, assertClean, assertEndedOnce, setsOf, lastSet, interactions,
} from '../lib/scorm.mjs';

const env = setup();
const T = { timeout: 60_000 };

/** Polls the LMS until `pred(rec)` holds (the runtime commits on a 1 s debounce). */
async function until(page, pred, what, ms = 5_000) {
  const end = Date.now() + ms;
  for (;;) {
    const rec = await lms(page);
    if (pred(rec)) return rec;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(100);
  }
}

async function fullAttempt(name, { axe: withAxe = true } = {}) {
  const pk = env.P[name], v12 = pk.version === '1.2', n = names(v12), data = moduleData(pk.dir);
  const ctx = await newContext(env.browser);
  try {
    const { page, frame, sco } = await openInLms(ctx, env.srv.origin, { version: pk.version, launch: `/pkg/${name}/${launchHref(pk.dir)}` });
    let rec = await lms(page);
    // Initialize first; a first attempt is marked incomplete before anything else is written.
    assert.equal(rec.calls[0].fn, n.init);
    assert.deepEqual(rec.calls.find((c) => c.fn === n.set)?.args, [n.status, 'incomplete']);
    assert.equal(await frame.evaluate(() => document.getElementById('lp-status').textContent), '', 'connected: no notice');

    const L = new Learner(sco, frame);
    const answered = [], axe = [];
    const firstScored = data.questions.findIndex((q) => q.scored);
    for (let p = 0; p < data.pages.length; p++) {
      for (const [i, q] of data.questions.entries()) {
        if (q.page === p) answered.push(await answer(L, data, i, i !== firstScored));
      }
      await doBlocks(L, data, p);
      const v = withAxe ? await runAxe(frame) : [];
      if (v.length) axe.push(`page "${data.pages[p]}":\n${formatViolations(v)}`);
      if (p < data.pages.length - 1) await L.next();
    }
    const exp = expectedScore(data, answered);
    assert.ok(exp.all && exp.score !== null);
    const success = exp.score >= data.mastery_score ? 'passed' : 'failed';
    // The final status is written and committed when reached, not left to the unload.
    rec = await until(page, (r) => r.commits.some((c) => (v12
      ? c.cmi.core.lesson_status === success
      : c.cmi.completion_status === 'completed' && c.cmi.success_status === success)), `a commit with status ${success}`);
    await closeSco(page);
    await page.waitForTimeout(300);
    rec = await lms(page);

    assertClean(rec);
    assertEndedOnce(rec);
    assert.deepEqual(ctx.log.offsite, [], 'requests outside loopback');
    assert.deepEqual(ctx.log.pageErrors, [], 'uncaught errors');
    assert.deepEqual(ctx.log.console, [], 'console errors or warnings');
    assert.deepEqual(axe, [], `axe-core (WCAG 2.2 AA) violations:\n${axe.join('\n')}`);

    const cmi = rec.final.cmi;
    const score = v12 ? cmi.core.score : cmi.score;
    assert.equal(lastSet(rec, `${n.score}.raw`), String(exp.score));
    assert.equal(score.raw, String(exp.score));
    assert.equal(lastSet(rec, `${n.score}.min`), '0');
    assert.equal(lastSet(rec, `${n.score}.max`), '100');
    for (const raw of setsOf(rec, `${n.score}.raw`)) assert.ok(+raw >= 0 && +raw <= 100, `score.raw ${raw}`);
    if (v12) {
      assert.equal(cmi.core.lesson_status, success);
      assert.equal(cmi.core.exit, '');
    } else {
      assert.equal(cmi.completion_status, 'completed');
      assert.equal(cmi.success_status, success);
      const scaled = Number(lastSet(rec, 'cmi.score.scaled'));
      assert.ok(Math.abs(scaled - exp.score / 100) < 1e-9, `scaled ${scaled} vs raw ${exp.score}`);
      assert.equal(cmi.exit, 'normal');
    }
    assert.equal(lastSet(rec, n.loc), data.pages[data.pages.length - 1]);
    const times = setsOf(rec, n.time);
    assert.ok(times.length > 0, 'session_time written');
    for (const t of times) assert.match(t, v12 ? TIMESPAN_12 : DURATION_2004);
    if (v12) for (const s of setsOf(rec, 'cmi.suspend_data')) assert.ok(s.length <= 4096, `suspend_data ${s.length} chars`);

    // Interactions: one per answer, in the order given, in this standard's own vocabulary.
    const its = interactions(rec);
    assert.equal(its.length, answered.length, 'one interaction per answer');
    answered.forEach((x, k) => {
      const it = its[k], q = x.q, where = `interaction ${k} (${q.id})`;
      assert.equal(it.id, q.id, where);
      assert.equal(it.type, q.type, where);
      assert.equal(it.result, x.correct === null ? 'neutral' : x.correct ? 'correct' : v12 ? 'wrong' : 'incorrect', where);
      assert.equal(Number(it.weighting), q.scored ? q.weight : 0, where);
      const resp = it[n.resp], want = v12 ? x.r12 : x.r04;
      if (x.set) assert.deepEqual(resp.split(v12 ? ',' : '[,]').sort(), want.split(v12 ? ',' : '[,]').sort(), where);
      else assert.equal(resp, want, where);
      if (v12 && q.type === 'choice') assert.match(resp, /^[0-9a-z](,[0-9a-z])*$/, where);
      assert.deepEqual(it.correct_responses, expectedPatterns(q, v12), where);
      assert.match(it[n.stamp], v12 ? TIME_12 : STAMP_2004, where);
      assert.match(it.latency ?? '', v12 ? TIMESPAN_12 : DURATION_2004, `${where}: latency`);
      if (!v12) {
        assert.equal(it.description, q.text, where);
        assert.ok(it.description.length <= 250, where);
      }
      for (const v of Object.values(it).flat()) assert.ok(String(v).length <= (v12 ? 255 : 4000), `${where}: value too long`);
    });
    console.log(`${name}: ${data.pages.length} pages, ${answered.length} answers, score ${exp.score} ${success}, ` +
      `${rec.calls.length} API calls, ${L.tabs} Tab presses`);
  } finally {
    await ctx.close();
  }
}

const modules = [...namesOf('fixtures/every-block'), ...namesOf('course')];
for (const mod of modules) {
  for (const std of ['scorm12', 'scorm2004']) {
    test(`${mod} ${std}: keyboard-only first attempt → interactions, score, status, exit, one terminate, axe clean${std === 'scorm12' || mod === 'all-blocks' ? '' : ' (axe: see scorm12)'}`, T,
      // The page markup is the same for both standards: axe runs once per module of course/.
      () => fullAttempt(`${mod}-${std}`, { axe: std === 'scorm12' || mod === 'all-blocks' }));
  }
}
