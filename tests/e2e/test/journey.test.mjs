// Every module package of course/ played by a learner who knows nothing of lmspack's markup
// (lib/generic.mjs: roles and accessible names only) against an LMS that behaves as Moodle 4.5
// does by default (harness/player.js with lms=moodle), in SCORM 1.2 and 2004: to the results page
// and Finish, with no score before the last scored answer and an LMS record true to the answers
// (issue 18). The focused journeys (review mode, refused writes, reload, hostile suspend_data,
// course packages) are in journey-lms.test.mjs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, namesOf } from '../lib/setup.mjs';
import { newContext, lms } from '../lib/browser.mjs';
import { moduleData } from '../lib/packages.mjs';
import { GenericLearner } from '../lib/generic.mjs';
import { openMoodle, storedInteractions } from '../lib/moodle.mjs';
import { pkgOf, scoreFrom, assertChecks, assertNoEarlyResult, assertFinalRecord, assertNoErrors } from '../lib/journey.mjs';

const env = setup(['course'], { targets: ['scorm12', 'scorm2004'] });
const T = { timeout: 90_000 };
const MODULES = namesOf('course');

// ---------------------------------------------------------------- every module, both standards

// Two learners at a time (each in its own browser context, with its own LMS page).
describe('every module of course/ in SCORM 1.2 and 2004, against Moodle', { concurrency: 2 }, () => {
for (const mod of MODULES) {
  for (const std of ['scorm12', 'scorm2004']) {
    test(`${mod} ${std} (Moodle): the generic learner reaches "Your results" and Finish; no score before the last scored answer; the LMS record is complete and true`, T, async () => {
      const name = pkgOf(mod, std), pk = env.P[name], v12 = pk.version === '1.2', data = moduleData(pk.dir);
      const ctx = await newContext(env.browser);
      try {
        const { page, frame } = await openMoodle(ctx, env.srv.origin, { version: pk.version, pkg: name });
        const L = new GenericLearner(frame);
        const res = await L.playToResults();
        // Every finding is listed, not only the first: the runtime's author sees the whole picture.
        const problems = [];
        const soft = async (fn) => {
          try { await fn(); } catch (e) { problems.push(e.actual && Array.isArray(e.actual) && e.actual.length ? `${e.message.split('\n')[0]}: ${e.actual.join('; ')}` : e.message.split('\n')[0]); }
        };
        await soft(async () => assert.match((await L.finish()).status, /You can now close this window/));
        await page.waitForTimeout(300);
        const rec = await lms(page);
        const sco = rec.sessions[0].sco;
        let score = null;

        await soft(() => assert.equal(L.pages.length, data.pages.length + 1, `every page, then the results: ${L.pages.join(' | ')}`));
        await soft(() => {
          assert.ok(L.progress.every(Boolean), 'a progressbar named "Progress" on every page');
          const values = L.progress.map((p) => (p.now - p.min) / (p.max - p.min));
          assert.ok(values.every((v, i) => i === 0 || v >= values[i - 1]), `progress never goes back: ${values}`);
          assert.ok(values[values.length - 1] > values[0], 'progress grows');
        });
        await soft(() => assert.deepEqual(res.todo, [], 'nothing still to do after every page and every question'));
        await soft(() => assertChecks(data, L));
        await soft(() => assertNoEarlyResult(rec, v12, data, L));
        await soft(() => { score = assertFinalRecord(rec, v12, data, sco, L); });
        await soft(() => {
          const want = scoreFrom(data, storedInteractions(rec, sco));
          // The number itself, not a part of another one ("0" in "80%" is not a score of 0).
          const shown = new RegExp(`(^|[^\\d.])${String(want).replace('.', '\\.')}(?![\\d]|\\.\\d)`).test(res.text);
          assert.ok(shown, `the results page shows the score ${want}: "${res.text.slice(0, 120)}"`);
        });
        await soft(() => assertNoErrors(ctx, rec));
        console.log(`${name}: ${L.pages.length} pages, ${L.checks.length} checks, score ${score}, ${rec.calls.length} API calls`);
        assert.deepEqual(problems, [], `${problems.length} finding(s)`);
      } finally {
        await ctx.close();
      }
    });
  }
}
});
