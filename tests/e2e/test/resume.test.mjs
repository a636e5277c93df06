// Close halfway, relaunch with the CMI data the LMS kept (entry=resume): the bookmark, answers,
// reflections and scenario choices come back, and the attempt can be finished. Plus the longest
// possible attempt under SCORM 1.2 (suspend_data ≤ 4096).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, namesOf } from '../lib/setup.mjs';
import { newContext, openInLms, lms, closeSco } from '../lib/browser.mjs';
import { launchHref, moduleData } from '../lib/packages.mjs';
import { Learner, answer, doBlocks, expectedScore, questionState, expectedState } from '../lib/learner.mjs';
import { TIMESPAN_12, DURATION_2004, names, assertClean, assertEndedOnce, setsOf, lastSet, interactions } from '../lib/scorm.mjs';

const env = setup();
const T = { timeout: 60_000 };

/** What an LMS hands back on the next launch of a suspended attempt. */
function resumeState(final, v12) {
  const c = final.cmi;
  return v12
    ? { cmi: { suspend_data: c.suspend_data, interactions: c.interactions,
        core: { entry: 'resume', lesson_location: c.core.lesson_location, lesson_status: c.core.lesson_status, score: c.core.score } } }
    : { cmi: { entry: 'resume', suspend_data: c.suspend_data, location: c.location, completion_status: c.completion_status,
        success_status: c.success_status, score: c.score, interactions: c.interactions } };
}

async function closeSession(mode, page, sco) {
  if (mode === 'popup') await sco.close({ runBeforeUnload: true });   // the learner closes the tab
  else await closeSco(page);                                          // Moodle navigates its frame away
  await page.waitForFunction(() => window.__lms.finished, null, { timeout: 5_000 });
  await page.waitForTimeout(1_200);                                    // any late timer would call now
  return lms(page);
}

async function resume(name, mode) {
  const pk = env.P[name], v12 = pk.version === '1.2', n = names(v12), data = moduleData(pk.dir);
  const launch = `/pkg/${name}/${launchHref(pk.dir)}`;
  const firstScored = data.questions.findIndex((q) => q.scored);
  const stop = data.blocks.find((b) => b.kind === 'reflection').page;   // close on the first reflection's page
  assert.ok(stop < data.pages.length - 1);
  const ctx = await newContext(env.browser);
  try {
    // Session 1: up to and including page `stop`, then close.
    let s = await openInLms(ctx, env.srv.origin, { version: pk.version, launch, mode });
    let L = new Learner(s.sco, s.frame);
    const answered = [], blocks = [];
    for (let p = 0; p <= stop; p++) {
      for (const [i, q] of data.questions.entries()) if (q.page === p) answered.push(await answer(L, data, i, i !== firstScored));
      blocks.push(...await doBlocks(L, data, p));
      if (p < stop) await L.next();
    }
    let rec = await closeSession(mode, s.page, s.sco);
    assertClean(rec);
    assertEndedOnce(rec);
    const c1 = rec.final.cmi;
    assert.equal(v12 ? c1.core.exit : c1.exit, 'suspend', 'exit=suspend while unfinished');
    assert.equal(v12 ? c1.core.lesson_status : c1.completion_status, 'incomplete');
    const e1 = expectedScore(data, answered);
    // Success is known once every scored question is answered, whatever the pages.
    if (!v12) assert.equal(c1.success_status, e1.all ? (e1.score >= data.mastery_score ? 'passed' : 'failed') : 'unknown');
    assert.equal(lastSet(rec, n.loc), data.pages[stop]);
    for (const t of setsOf(rec, n.time)) assert.match(t, v12 ? TIMESPAN_12 : DURATION_2004);
    if (v12) assert.ok(c1.suspend_data.length <= 4096);
    const count1 = interactions(rec).length;
    assert.equal(count1, answered.length);
    await s.page.close();

    // Session 2: entry=resume with the data the LMS kept.
    s = await openInLms(ctx, env.srv.origin, { version: pk.version, launch, state: resumeState(rec.final, v12) });
    const page = s.page, frame = s.frame;
    assert.equal(lastSetGet(await lms(page), n.entry), 'resume');
    assert.equal(await frame.evaluate(() => document.querySelector('.lp-page:not([hidden])').id), `p-${data.pages[stop]}`, 'resumed at the bookmark');
    assert.equal(await frame.evaluate(() => document.getElementById('lp-progress').textContent), `Page ${stop + 1} of ${data.pages.length}`);
    for (const x of answered) {
      const st = await questionState(frame, x.q);
      const want = expectedState(x.q, x);
      for (const [k, v] of Object.entries(want)) assert.deepEqual(st[k], v, `${x.q.id}: ${k} restored`);
      if (x.q.kind !== 'likert') {
        assert.ok(st.feedback.startsWith(x.correct ? 'Correct.' : 'Not quite.'), `${x.q.id}: feedback restored`);
        if (x.q.scored) assert.ok(st.locked, `${x.q.id}: stays answered`);
      }
    }
    for (const { b, value } of blocks) {
      if (b.kind === 'reflection') assert.equal(await frame.evaluate((i) => document.getElementById(i).value, `b-${b.id}-text`), value);
      if (b.kind === 'action-plan') {
        assert.deepEqual(await frame.evaluate((i) => [...document.querySelectorAll(`#${i} textarea`)].map((t) => t.value), `b-${b.id}`), value);
      }
      if (b.kind === 'scenario') {
        const chose = await frame.evaluate((i) => { const c = document.querySelector(`#${i} .lp-consequence`); return c.hidden ? null : c.textContent; }, `b-${b.id}`);
        assert.ok(chose && chose.includes(value), `scenario ${b.id} restored (${chose})`);
      }
    }
    // Finish the attempt.
    L = new Learner(s.sco, frame);
    for (let p = stop + 1; p < data.pages.length; p++) {
      await L.next();
      for (const [i, q] of data.questions.entries()) if (q.page === p) answered.push(await answer(L, data, i, true));
      await doBlocks(L, data, p);
    }
    const exp = expectedScore(data, answered);
    const success = exp.score >= data.mastery_score ? 'passed' : 'failed';
    rec = await closeSession('iframe', page, s.sco);
    assertClean(rec);
    assertEndedOnce(rec);
    const c2 = rec.final.cmi;
    assert.equal(v12 ? c2.core.lesson_status : c2.success_status, success);
    if (!v12) assert.equal(c2.completion_status, 'completed');
    assert.equal((v12 ? c2.core.score : c2.score).raw, String(exp.score));
    // The journal goes on after the interactions the LMS already holds.
    const its = interactions(rec);
    assert.ok(its.slice(0, count1).every((x) => x === undefined), 'session 2 must not overwrite session 1 interactions');
    assert.deepEqual(its.slice(count1).map((x) => x.id), answered.slice(count1).map((x) => x.q.id));
    assert.deepEqual(ctx.log.pageErrors, []);
    assert.deepEqual(ctx.log.console, []);
    assert.deepEqual(ctx.log.offsite, []);
  } finally {
    await ctx.close();
  }
}

function lastSetGet(rec, el) {
  const c = rec.calls.find((x) => /GetValue$/.test(x.fn) && x.args[0] === el);
  return c && c.ret;
}

const course = namesOf('course')[0];
for (const [mod, std, mode] of [
  ['all-blocks', 'scorm12', 'popup'], ['all-blocks', 'scorm2004', 'iframe'],
  [course, 'scorm12', 'iframe'], [course, 'scorm2004', 'popup'],
]) {
  test(`${mod} ${std}: close halfway (${mode === 'popup' ? 'tab closed' : 'frame navigated away'}) → suspend; relaunch resumes page, answers, reflections`, T,
    () => resume(`${mod}-${std}`, mode));
}

// The longest attempt: every question answered, every text box filled to its maxlength with the
// characters that cost the most in JSON (", \, newline: 2 each). The build's text_max is computed
// so that all of it fits SCORM 1.2's 4096 characters: nothing is moved to the browser's storage.
for (const mod of ['all-blocks', course]) {
  test(`${mod} scorm12: longest possible attempt (every text box at its maxlength) keeps all of suspend_data ≤ 4096`, T, async () => {
    const name = `${mod}-scorm12`, pk = env.P[name], data = moduleData(pk.dir);
    assert.ok(data.text_max >= 150, `text_max ${data.text_max}`);
    const ctx = await newContext(env.browser);
    try {
      const s = await openInLms(ctx, env.srv.origin, { version: '1.2', launch: `/pkg/${name}/${launchHref(pk.dir)}` });
      const L = new Learner(s.sco, s.frame);
      // Four times the limit is offered: the box takes text_max of it (its maxlength).
      const worst = () => '"\\\nü'.repeat(data.text_max);
      const typed = [];
      for (let p = 0; p < data.pages.length; p++) {
        for (const [i, q] of data.questions.entries()) if (q.page === p) await answer(L, data, i, false);
        typed.push(...await doBlocks(L, data, p, worst));
        if (p < data.pages.length - 1) await L.next();
      }
      const boxes = await s.frame.evaluate(() => [...document.querySelectorAll('[data-b] textarea')].map((t) => ({
        id: t.id, len: t.value.length, max: t.maxLength,
        count: document.getElementById(t.id + '-n')?.textContent, describedby: t.getAttribute('aria-describedby'),
      })));
      assert.ok(boxes.length > 0);
      for (const b of boxes) {
        assert.equal(b.max, data.text_max, `${b.id}: maxlength`);
        assert.equal(b.len, data.text_max, `${b.id}: filled to its maxlength, no further`);
        assert.equal(b.count, `${data.text_max} of ${data.text_max} characters`, `${b.id}: counter`);
        assert.ok(b.describedby.split(' ').includes(`${b.id}-n`), `${b.id}: counter bound to the box`);
      }
      const rec = await closeSession('iframe', s.page, s.sco);
      assertClean(rec);
      const sd = setsOf(rec, 'cmi.suspend_data');
      assert.ok(sd.length > 0);
      for (const v of sd) assert.ok(v.length <= 4096, `suspend_data of ${v.length} chars`);
      if (process.env.E2E_DEBUG) console.log(sd[sd.length - 1]);
      const last = JSON.parse(sd[sd.length - 1]);
      for (const { b } of typed.filter((x) => x.b.kind !== 'scenario')) {
        const k = String(data.blocks.indexOf(b)), v = last.b[k];
        const lens = (Array.isArray(v) ? v : [v]).map((x) => x.length);
        assert.ok(lens.every((n) => n === data.text_max), `${b.id}: the whole text is in suspend_data (${lens})`);
      }
      assert.equal(await s.page.evaluate((k) => localStorage.getItem(k), `lmspack:${data.course.id}:${data.module.id}:text`), null,
        'nothing had to be kept in the browser');
      console.log(`${name}: ${boxes.length} text boxes of ${data.text_max}, longest suspend_data ${Math.max(...sd.map((v) => v.length))} chars`);
    } finally {
      await ctx.close();
    }
  });
}

// The back/forward cache: `pagehide` (persisted) ends the session, as any leaving does, since the
// page may never come back; when it does (`pageshow` persisted), the learner is told, and nothing
// reaches the finished API.
for (const std of ['scorm12', 'scorm2004']) {
  test(`all-blocks ${std}: restored from the back/forward cache after the session ended → a notice, no call after the end`, T, async () => {
    const name = `all-blocks-${std}`, pk = env.P[name], data = moduleData(pk.dir);
    const ctx = await newContext(env.browser);
    try {
      const s = await openInLms(ctx, env.srv.origin, { version: pk.version, launch: `/pkg/${name}/${launchHref(pk.dir)}` });
      const status = () => s.frame.evaluate(() => document.getElementById('lp-status').textContent);
      await s.frame.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
      assert.equal(await status(), '', 'a live session is not interrupted by a restore');
      await s.frame.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
      await s.page.waitForFunction(() => window.__lms.finished, null, { timeout: 5_000 });
      await s.frame.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
      assert.match(await status(), /reopened after your session ended: open the activity again/);
      const L = new Learner(s.sco, s.frame);
      const first = data.questions.findIndex((q) => q.page === 0 && q.kind !== 'likert');
      assert.ok(first >= 0, 'a question on the first page');
      await answer(L, data, first, true);
      await s.page.waitForTimeout(1_500);                                  // past the commit debounce
      const rec = await lms(s.page);
      assert.deepEqual(rec.afterEnd, [], 'no API call after the end');
      assertEndedOnce(rec);
    } finally {
      await ctx.close();
    }
  });
}
