// The generic learner of lib/generic.mjs (roles and accessible names only) through every module of
// course/ as a cmi5 AU (the mock LMS of lib/cmi5lms.mjs) and as a web package (no LMS): to the
// results page and Finish, with the cmi5 record checked against what was answered (issue 18).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, namesOf } from '../lib/setup.mjs';
import { newContext } from '../lib/browser.mjs';
import { moduleData, cmi5Aus, launchHref } from '../lib/packages.mjs';
import { GenericLearner, heading, onePage } from '../lib/generic.mjs';
import { Cmi5Lms } from '../lib/cmi5lms.mjs';

const lms = new Cmi5Lms();
const env = setup(['course'], {
  targets: ['cmi5', 'web'],
  api: async () => (req, res, url) => {
    if (!lms.origin) lms.origin = `http://${req.headers.host}`;
    return lms.handle(req, res, url);
  },
});
const T = { timeout: 60_000 };
const V = 'http://adlnet.gov/expapi/verbs/';
const norm = (s) => String(s).replace(/\s+/g, ' ').trim();
const verb = (st) => st.verb.id.replace(V, '').replace(/.*\//, '');

async function until(pred, what, ms = 10_000) {
  for (const end = Date.now() + ms; !pred();) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; violations: ${lms.violations.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const questionOf = (data, name) => data.questions.find((q) => norm(q.text) === norm(name));

// Two learners at a time: each has its own browser context, and the mock LMS keeps sessions apart.
describe('every module of course/, as cmi5 and web', { concurrency: 2 }, () => {
for (const mod of namesOf('course')) {
  test(`cmi5 ${mod}: the generic learner reaches "Your results" and Finish → one completed, passed/failed with the score its answers earn, sent after the last scored answer; terminated`, T, async () => {
    const name = `${mod}-cmi5`, pk = env.P[name], data = moduleData(pk.dir), [au] = cmi5Aus(pk.dir);
    if (!lms.origin) lms.origin = env.srv.origin;
    const ctx = await newContext(env.browser);
    try {
      const { session: s, url } = lms.launch({ url: `/pkg/${name}/${au.url}`, auId: au.id, moveOn: au.moveOn, masteryScore: au.masteryScore });
      const page = await ctx.newPage();
      await page.goto(url);
      await until(() => s.initialized || lms.violations.length, 'initialized');
      await onePage(page.mainFrame());
      const L = new GenericLearner(page.mainFrame());
      await L.playToResults();
      await L.pressFinish();
      await until(() => s.terminated, 'terminated after Finish');
      lms.finish(s);
      assert.deepEqual(lms.violations, [], `cmi5 / xAPI violations:\n${lms.violations.join('\n')}`);
      assert.deepEqual(ctx.log.pageErrors, []);

      const sts = s.statements, vs = sts.map(verb);
      assert.equal(vs.filter((v) => v === 'completed').length, 1, `one completed: ${vs.join(' ')}`);
      const judged = sts.filter((st) => /passed|failed/.test(verb(st)));
      assert.equal(judged.length, 1, `one passed or failed: ${vs.join(' ')}`);
      // The score from the answered statements and the module's weights.
      let total = 0, got = 0;
      for (const q of data.questions.filter((x) => x.scored)) {
        total += q.weight;
        const a = sts.filter((st) => verb(st) === 'answered' && st.object.id === q.iri).pop();
        assert.ok(a, `answered ${q.id}`);
        if (a.result.success) got += q.weight;
      }
      const score = Math.round(10000 * got / total) / 100;
      assert.equal(judged[0].result.score.raw, score, 'the score the answers earn');
      assert.equal(verb(judged[0]), score >= data.mastery_score ? 'passed' : 'failed');
      const lastScored = Math.max(...L.checks.filter((c) => questionOf(data, c.group)?.scored).map((c) => c.t));
      assert.ok(Date.parse(judged[0].timestamp) >= Math.min(lastScored, L.finishedAt), `${verb(judged[0])} stamped ${judged[0].timestamp}, before the last scored answer`);
    } finally {
      await ctx.close();
    }
  });

  test(`web ${mod}: the generic learner reaches "Your results" and Finish → "You can now close this window"`, T, async () => {
    const name = `${mod}-web`, pk = env.P[name];
    const ctx = await newContext(env.browser);
    try {
      const page = await ctx.newPage();
      await page.goto(`${env.srv.origin}/pkg/${name}/${launchHref(pk.dir)}`);
      const f = page.mainFrame();
      await onePage(f);
      const L = new GenericLearner(f);
      const res = await L.playToResults();
      assert.deepEqual(res.todo, [], 'nothing still to do');
      const done = await L.finish();
      assert.match(done.status, /You can now close this window/);
      assert.equal(await heading(f), 'Your results');
      assert.deepEqual(ctx.log.pageErrors, []);
    } finally {
      await ctx.close();
    }
  });
}
});
