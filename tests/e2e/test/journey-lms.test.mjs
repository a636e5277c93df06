// Focused journeys of the generic learner (lib/generic.mjs) against the Moodle-like LMS
// (harness/player.js, lms=moodle): a relaunch of a passed 1.2 attempt (review, no-credit, the
// record kept), an LMS that refuses writes for a while, a reload of the SCO frame, a hostile
// suspend_data, and the course packages' SCO to SCO navigation and relaunch (issue 18).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, namesOf } from '../lib/setup.mjs';
import { newContext, lms } from '../lib/browser.mjs';
import { moduleData } from '../lib/packages.mjs';
import { GenericLearner, heading, statuses, onePage, CHECKED } from '../lib/generic.mjs';
import { openMoodle, scoReady, leave, next, failWrites, reloadSco, initCalls, stored, storedInteractions } from '../lib/moodle.mjs';
import {
  COURSE, pkgOf, checkable, scoreFrom, scoData, assertFinalRecord, assertNoErrors, finishOrLeave, finishRecorded, playPages, hostile,
} from '../lib/journey.mjs';

const env = setup(['course'], { targets: ['scorm12', 'scorm2004'], modes: ['module', 'course'] });
const T = { timeout: 90_000 };
const MODULES = namesOf('course');
// The module each test uses (different ones, so more of the course is covered; with
// E2E_COURSE=<one module> they all use that one).
const MOD = (k) => MODULES[k % MODULES.length];

// ---------------------------------------------------------------- what reaches the LMS

test(`${MOD(0)} scorm12 (Moodle): a relaunch of a passed attempt opens in review / no-credit and the record keeps score 90 and "passed"; a new attempt starts clean`, T, async () => {
  const name = pkgOf(MOD(0), 'scorm12'), pk = env.P[name], data = moduleData(pk.dir);
  const ctx = await newContext(env.browser);
  try {
    // A whole attempt (the record is real: suspend_data, interactions, location).
    let s = await openMoodle(ctx, env.srv.origin, { version: '1.2', pkg: name });
    let L = new GenericLearner(s.frame);
    await L.playToResults();
    await finishOrLeave(L, s.page);
    let rec = await lms(s.page);
    const sco = rec.sessions[0].sco, first = L.pages[0];
    await s.page.close();
    // As if the learner had passed with 90 (the case: a relaunch turned 90 into 0).
    const store = JSON.parse(JSON.stringify(rec.store));
    store.tracks[sco].core.lesson_status = 'passed';
    store.tracks[sco].core.score.raw = '90';

    s = await openMoodle(ctx, env.srv.origin, { version: '1.2', pkg: name, store });
    rec = await lms(s.page);
    assert.equal(rec.launchMode, 'review', 'Moodle opens a finished attempt in review mode');
    L = new GenericLearner(s.frame);
    await L.playToResults();
    await finishOrLeave(L, s.page);
    rec = await lms(s.page);
    const lowered = rec.calls.filter((c) => c.fn === 'LMSSetValue' && (
      (c.args[0] === 'cmi.core.score.raw' && c.args[1] !== '90') || (c.args[0] === 'cmi.core.lesson_status' && c.args[1] !== 'passed')));
    assert.deepEqual(lowered.map((c) => `${c.args[0]}=${c.args[1]}`), [], 'nothing in review mode may lower the recorded result');
    assert.equal(stored(rec, sco, 'core.lesson_status'), 'passed');
    assert.equal(stored(rec, sco, 'core.score.raw'), '90');
    assertNoErrors(ctx, rec);
    await s.page.close();

    // "Start a new attempt": attempt 2, ab-initio, no data.
    s = await openMoodle(ctx, env.srv.origin, { version: '1.2', pkg: name, store, params: { newattempt: '1' } });
    rec = await lms(s.page);
    assert.equal(rec.store.attempt, 2);
    assert.equal(rec.launchMode, 'normal');
    assert.equal(await heading(s.frame), first, 'a new attempt starts on the first page');
    assert.ok(!(await statuses(s.frame)).some((t) => /^Welcome back/.test(t)), 'no "Welcome back" on a new attempt');
    L = new GenericLearner(s.frame);
    await L.next();
    assert.ok(await s.frame.getByRole('button', { name: 'Check answer', exact: true }).count() > 0, 'the questions are asked afresh');
    assertNoErrors(ctx, rec);
  } finally {
    await ctx.close();
  }
});

for (const std of ['scorm12', 'scorm2004']) {
  test(`${MOD(1)} ${std} (Moodle): the LMS refuses every write for 3 s mid-module (from the first one after the first answer) → a polite "could not be saved … retrying" banner, then nothing is lost (every interaction, the final score)`, T, async () => {
    const name = pkgOf(MOD(1), std), pk = env.P[name], v12 = pk.version === '1.2', data = moduleData(pk.dir);
    const ctx = await newContext(env.browser);
    const seen = [];
    let watching = true;
    try {
      const { page, frame } = await openMoodle(ctx, env.srv.origin, { version: pk.version, pkg: name });
      // What the status regions say, all along (as a screen reader user would hear it).
      const watch = (async () => {
        while (watching && !page.isClosed()) {
          const st = await frame.getByRole('status').evaluateAll((els) => els.map((e) => ({
            text: e.textContent.replace(/\s+/g, ' ').trim(), live: e.getAttribute('aria-live') }))).catch(() => []);
          for (const x of st) if (x.text) seen.push({ t: Date.now(), ...x });
          await new Promise((r) => setTimeout(r, 100));
        }
      })().catch(() => {});
      const L = new GenericLearner(frame);
      let failedAt = 0;
      await L.playToResults({
        onPage: async (h, l) => {
          if (!failedAt && l.checks.length > 0) { failedAt = Date.now(); await failWrites(page, { ms: 3_000 }); }
        },
      });
      assert.ok(failedAt, 'the outage was armed after the first answer');
      // The outage runs for 3 s from the first write refused; then the runtime has 10 s to retry.
      const started = await page.waitForFunction(() => window.__lms.outageStarted, null, { timeout: 5_000 }).then((h) => h.jsonValue(), () => 0);
      assert.ok(started, 'the runtime wrote nothing to the LMS in the 5 s after the learner answered more questions');
      await page.waitForTimeout(Math.max(0, started + 3_000 - Date.now()));
      for (const end = Date.now() + 10_000; Date.now() < end;) {
        const st = await statuses(frame);
        if (!st.some((t) => /could not be saved/.test(t))) break;
        await page.waitForTimeout(100);
      }
      const stillFailing = (await statuses(frame)).filter((t) => /could not be saved/.test(t));
      await finishRecorded(L, page);
      watching = false;
      await watch;
      const rec = await lms(page);
      const sco = rec.sessions[0].sco;

      const banner = seen.filter((x) => x.t >= rec.outageStarted && x.t <= rec.outageStarted + 3_000 + 1_000 && /could not be saved/.test(x.text));
      assert.ok(banner.length > 0, `no "could not be saved" status during the outage; statuses seen: ${JSON.stringify([...new Set(seen.map((x) => x.text))])}`);
      assert.match(banner[0].text, /retrying/, 'the banner says it is retrying');
      assert.ok(banner.every((x) => x.live === null || x.live === 'polite'), 'the banner is polite');
      assert.deepEqual(stillFailing, [], 'the banner went away (or says saved) within 10 s of the LMS recovering');
      const refused = rec.sessions[0].errors;
      assert.ok(refused.length > 0, 'the runtime did write during the outage');
      assert.ok(refused.every((c) => ['101', '351', '391'].includes(c.err)), `only the outage's refusals: ${JSON.stringify(refused.filter((c) => !['101', '351', '391'].includes(c.err)))}`);
      assertFinalRecord(rec, v12, data, sco, L);
      assert.deepEqual(ctx.log.pageErrors, []);
    } finally {
      watching = false;
      await ctx.close();
    }
  });
}

// ---------------------------------------------------------------- reload mid-module

for (const [std, terminate, what] of [
  ['scorm2004', true, 'the unloading page terminated: Initialize → 104'],
  ['scorm2004', false, 'the unloading page did not terminate: Initialize → 103, the session goes on'],
  ['scorm12', true, 'Moodle\'s 1.2 API initializes again with the page\'s data (entry still ab-initio)'],
]) {
  test(`${MOD(2)} ${std} (Moodle): the frame reloaded on page 4 (${what}) → the same page, its answers shown, the learner told${terminate && std === 'scorm2004' ? '' : '; the attempt is then finished and recorded in full'}`, T, async () => {
    const name = pkgOf(MOD(2), std), pk = env.P[name], v12 = pk.version === '1.2', data = moduleData(pk.dir);
    const ctx = await newContext(env.browser);
    try {
      const { page, frame } = await openMoodle(ctx, env.srv.origin, { version: pk.version, pkg: name });
      const L = new GenericLearner(frame);
      const at = await playPages(L, 3);
      await L.answerPage();
      const here = L.checks.filter((c) => c.page === at).length;
      await page.waitForTimeout(1_200);   // a moment later, the learner presses F5 in the frame (or the browser reloads it)
      const inits = initCalls(await lms(page));
      await reloadSco(page, frame, { terminate });
      // The new page has started: it called Initialize and shows one page.
      await page.waitForFunction((n) => window.__lms.sessions.reduce((k, s) => k + s.calls.filter((c) => /Initialize$/.test(c.fn)).length, 0) > n, inits, { timeout: 10_000 });
      await onePage(frame);
      await page.waitForTimeout(300);

      assert.equal(await heading(frame), at, 'the page the learner was on');
      const checkNow = await frame.getByRole('button', { name: 'Check answer', exact: true }).count();
      const checked = await frame.getByRole('button', { name: CHECKED }).count();
      assert.equal(checkNow, 0, 'the answers given on this page are shown as checked, not asked again');
      assert.ok(checked >= here, `${here} checked question(s) on this page, ${checked} shown checked`);
      const told = await statuses(frame);
      assert.ok(told.length > 0, 'the learner is told what happened');
      assert.ok(!told.some((t) => /not connected/i.test(t)), `not "not connected": ${JSON.stringify(told)}`);
      assert.deepEqual(ctx.log.pageErrors, []);
      console.log(`${name} reload (terminate=${terminate}): told ${JSON.stringify(told)}`);
      if (terminate && !v12) {
        // Nothing more can reach this LMS in this session; the runtime must not pester it.
        const rec = await lms(page);
        const after = rec.sessions[0].afterEnd.filter((c) => !/Initialize|GetLastError|GetErrorString|GetDiagnostic/.test(c.fn));
        assert.deepEqual(after.map((c) => c.fn), [], 'no calls to the terminated API but Initialize');
        return;
      }
      await L.playToResults();
      await finishRecorded(L, page);
      const rec = await lms(page);
      const sco = rec.sessions[0].sco;
      const its = storedInteractions(rec, sco);
      for (const q of checkable(data)) assert.ok(its.some((x) => x.id === q.id), `interaction ${q.id} stored`);
      assert.equal(Number(stored(rec, sco, v12 ? 'core.score.raw' : 'score.raw')), scoreFrom(data, its));
      assert.equal(v12 ? stored(rec, sco, 'core.exit') : stored(rec, sco, 'exit'), v12 ? '' : 'normal');
    } finally {
      await ctx.close();
    }
  });
}

// ---------------------------------------------------------------- hostile suspend_data

for (const std of ['scorm12']) {
  test(`${MOD(3)} ${std} (Moodle): a suspend_data whose fingerprint matches but whose values and members have the wrong types → the module still runs to Finish, asks again what was lost, records the attempt`, T, async () => {
    const name = pkgOf(MOD(3), std), pk = env.P[name], v12 = pk.version === '1.2', data = moduleData(pk.dir);
    const ctx = await newContext(env.browser);
    try {
      let s = await openMoodle(ctx, env.srv.origin, { version: pk.version, pkg: name });
      let L = new GenericLearner(s.frame);
      const where = await playPages(L, 3);
      let rec = await leave(s.page);
      const sco = rec.sessions[0].sco;
      const store = JSON.parse(JSON.stringify(rec.store));
      const t = store.tracks[sco];
      assert.equal(v12 ? t.core.exit : t.exit, 'suspend', 'left mid-module: exit=suspend');
      assert.ok(L.checks.length > 0, 'answers given before leaving');
      t.suspend_data = hostile(t.suspend_data);
      await s.page.close();

      s = await openMoodle(ctx, env.srv.origin, { version: pk.version, pkg: name, store });
      assert.equal(await heading(s.frame), where, 'resumed on the page the LMS holds (cmi location is intact)');
      L = new GenericLearner(s.frame);
      const first = await L.playToResults();
      // The garbage is not taken for answers: what it held is still to do, and asked again.
      assert.ok(first.todo.length > 0, 'the answers lost with the hostile data are listed under "Still to do"');
      const res = await L.completeTodo();
      assert.deepEqual(res.todo, [], 'nothing left to do');
      await finishRecorded(L, s.page);
      rec = await lms(s.page);
      assert.deepEqual(ctx.log.pageErrors, [], 'no uncaught error on the hostile resume');
      assert.equal(await s.frame.evaluate(() => ({}).polluted), undefined, 'Object.prototype untouched');
      const its = storedInteractions(rec, sco);
      for (const q of checkable(data)) assert.ok(its.some((x) => x.id === q.id), `interaction ${q.id} stored`);
      assert.equal(Number(stored(rec, sco, v12 ? 'core.score.raw' : 'score.raw')), scoreFrom(data, its));
      if (!v12) assert.equal(stored(rec, sco, 'completion_status'), 'completed');
      assertNoErrors(ctx, rec);
    } finally {
      await ctx.close();
    }
  });
}

// ---------------------------------------------------------------- course packages

test(`${COURSE} scorm2004 course package (Moodle, stale API between SCOs): Finish in each module moves on with adl.nav.request=continue; every SCO initializes and records`, { timeout: 150_000 }, async (t) => {
  const name = `${COURSE}-scorm2004`, pk = env.P[name];
  if (!pk) return t.skip('the course package is built only when E2E_COURSE is all');
  const ctx = await newContext(env.browser);
  try {
    const { page, frame } = await openMoodle(ctx, env.srv.origin, { version: '2004', pkg: name });
    const scos = (await lms(page)).scos;
    assert.equal(scos.length, MODULES.length, 'one SCO per module');
    for (let i = 0; i < scos.length; i++) {
      if (i > 0) {
        await scoReady(page, frame, { session: i }).catch(async (e) => {
          const r = await lms(page);
          const stale = r.sessions[i - 1]?.afterEnd.filter((c) => c.fn === 'Initialize').map((c) => `${c.ret}/${c.err}`);
          throw new Error(`SCO ${i + 1} (${scos[i].title}) never initialized on the fresh API object (Initialize on the old one: ${JSON.stringify(stale)}): ${e.message}`);
        });
      }
      // Modules 1 and 2 are answered in full; the others are read through to their results (the
      // point there is each SCO's start and end on the LMS).
      const full = i < 2;
      const L = new GenericLearner(frame);
      await (full ? L.playToResults() : L.skimToResults());
      await L.pressFinish();
      await page.waitForFunction((k) => window.__lms.sessions[k].finished, i, { timeout: 3_000 }).catch(() => {});
      await page.waitForTimeout(100);
      const rec = await lms(page);
      const s = rec.sessions[i];
      assert.equal(s.sco, scos[i].id);
      assert.equal(s.calls.find((c) => c.fn === 'Initialize' && c.ret === 'true')?.ret, 'true', `SCO ${i + 1} initialized`);
      assert.equal(s.finished, true, `SCO ${i + 1}: Finish terminated the session`);
      if (i < scos.length - 1) assert.equal(s.nav, 'continue', `SCO ${i + 1}: adl.nav.request=continue before Terminate`);
      assert.ok(stored(rec, scos[i].id, 'location'), `SCO ${i + 1}: its place is recorded`);
      if (full) {
        // A module done in full ends its attempt (one read through without answers may stay suspended).
        assert.equal(stored(rec, scos[i].id, 'exit'), 'normal', `SCO ${i + 1}: exit normal after Finish`);
        const data = scoData(pk, scos[i]);
        assert.equal(stored(rec, scos[i].id, 'completion_status'), 'completed', `SCO ${i + 1} completed`);
        const its = storedInteractions(rec, scos[i].id);
        for (const q of checkable(data)) assert.ok(its.some((x) => x.id === q.id), `SCO ${i + 1}: interaction ${q.id} stored`);
        assert.equal(Number(stored(rec, scos[i].id, 'score.raw')), scoreFrom(data, its), `SCO ${i + 1}: the score its interactions earn`);
      }
    }
    // The stale API's 104 is Moodle's doing; the runtime must get past it, nothing else may fail.
    assertNoErrors(ctx, await lms(page), (c) => c.fn === 'Initialize' && c.err === '104');
  } finally {
    await ctx.close();
  }
});

test(`${COURSE} scorm12 course package (Moodle): left in module 1 → the relaunch resumes module 1 where the learner was ("Welcome back"); finished, Moodle's next button → module 2; left there → the relaunch resumes module 2 with its own data`, { timeout: 120_000 }, async (t) => {
  const name = `${COURSE}-scorm12`, pk = env.P[name];
  if (!pk) return t.skip('the course package is built only when E2E_COURSE is all');
  const ctx = await newContext(env.browser);
  try {
    // Module 1: two pages, then the learner leaves.
    let s = await openMoodle(ctx, env.srv.origin, { version: '1.2', pkg: name });
    let rec = await lms(s.page);
    const scos = rec.scos;
    assert.equal(rec.sessions[0].sco, scos[0].id, 'a first launch opens module 1');
    let L = new GenericLearner(s.frame);
    let where = await playPages(L, 2);
    await L.answerPage();
    rec = await leave(s.page);
    assert.equal(stored(rec, scos[0].id, 'core.lesson_status'), 'incomplete', 'module 1 left unfinished: incomplete (not failed)');
    assert.equal(stored(rec, scos[0].id, 'core.score.raw'), '', 'no score yet (the mastery score would turn it into "failed")');
    assert.equal(stored(rec, scos[0].id, 'core.exit'), 'suspend');
    await s.page.close();

    // Relaunch: Moodle opens the first unfinished SCO, module 1, with entry=resume.
    s = await openMoodle(ctx, env.srv.origin, { version: '1.2', pkg: name, store: rec.store });
    rec = await lms(s.page);
    assert.equal(rec.sessions[0].sco, scos[0].id, 'the relaunch opens module 1 again');
    assert.equal(rec.sessions[0].launchState.cmi.core.entry, 'resume');
    assert.equal(await heading(s.frame), where, 'on the page where the learner stopped');
    assert.ok((await statuses(s.frame)).some((x) => /^Welcome back/.test(x)), `"Welcome back …": ${JSON.stringify(await statuses(s.frame))}`);
    L = new GenericLearner(s.frame);
    await L.playToResults();
    await L.pressFinish();
    await s.page.waitForFunction(() => window.__lms.sessions[0].finished, null, { timeout: 3_000 }).catch(() => {});
    // Moodle moves on by itself after LMSFinish when the SCO asked for it (nav.event=continue);
    // otherwise the learner presses Moodle's ">" button.
    const moved = await s.page.waitForFunction(() => window.__lms.sessions.length > 1, null, { timeout: 1_500 }).then(() => true, () => false);
    if (!moved) await next(s.page);
    await scoReady(s.page, s.frame, { session: 1 });
    rec = await lms(s.page);
    const data1 = scoData(pk, scos[0]);
    assert.equal(rec.sessions[0].finished, true, 'module 1 finished');
    assert.equal(Number(stored(rec, scos[0].id, 'core.score.raw')), scoreFrom(data1, storedInteractions(rec, scos[0].id)));
    assert.equal(rec.sessions[1].sco, scos[1].id);

    // Module 2: two pages, then the learner leaves.
    L = new GenericLearner(s.frame);
    where = await playPages(L, 2);
    await L.answerPage();
    rec = await leave(s.page);
    assert.equal(stored(rec, scos[1].id, 'core.lesson_status'), 'incomplete');
    await s.page.close();

    s = await openMoodle(ctx, env.srv.origin, { version: '1.2', pkg: name, store: rec.store });
    rec = await lms(s.page);
    assert.equal(rec.sessions[0].sco, scos[1].id, 'the relaunch opens module 2, where the learner stopped');
    assert.equal(rec.sessions[0].launchState.cmi.core.entry, 'resume');
    assert.equal(await heading(s.frame), where, 'on the page of module 2 where the learner stopped');
    assert.ok((await statuses(s.frame)).some((x) => /^Welcome back/.test(x)), '"Welcome back …" in module 2');
    assertNoErrors(ctx, rec);
  } finally {
    await ctx.close();
  }
});
