// cmi5 AU conformance in Chromium against the mock LMS of lib/cmi5lms.mjs: for every module of
// fixtures/every-block and course/, a Normal launch played to the end (completed, passed or failed
// with the right score, terminated, returnURL); a Browse launch (no completed/passed/failed); a
// relaunch in the same registration (no second completed/passed); and an attempt through a
// flaky network (statements retried, none lost, none duplicated). Every statement is checked
// against the cmi5 AU rules and @learninglocker/xapi-validation.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, namesOf } from '../lib/setup.mjs';
import { newContext } from '../lib/browser.mjs';
import { moduleData, cmi5Aus } from '../lib/packages.mjs';
import { Learner, expectedScore, playAll } from '../lib/learner.mjs';
import { Cmi5Lms } from '../lib/cmi5lms.mjs';

const lms = new Cmi5Lms();
const env = setup(['fixtures/every-block', 'course'], {
  targets: ['cmi5'],
  api: async () => (req, res, url) => {
    if (!lms.origin) lms.origin = `http://${req.headers.host}`;
    return lms.handle(req, res, url);
  },
});
const T = { timeout: 90_000 };
const V = 'http://adlnet.gov/expapi/verbs/';

async function until(pred, what, ms = 20_000) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; violations: ${lms.violations.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const verbs = (s) => s.statements.map((st) => st.verb.id.replace(V, '').replace(/.*\//, ''));

/** Opens the AU of package `name` as the LMS would; resolves once it sent `initialized`. */
async function launch(ctx, name, opts = {}) {
  const pk = env.P[name], [au] = cmi5Aus(pk.dir);
  if (!lms.origin) lms.origin = env.srv.origin;
  const { session, url } = lms.launch({ url: `/pkg/${name}/${au.url}`, auId: au.id, moveOn: au.moveOn, masteryScore: au.masteryScore, ...opts });
  const page = await ctx.newPage();
  await page.goto(url);
  await until(() => session.initialized || lms.violations.length, `${name}: initialized`);
  await page.waitForTimeout(100);
  return { page, session, au, data: moduleData(pk.dir), L: new Learner(page, page.mainFrame()) };
}

function assertNoViolations() {
  assert.deepEqual(lms.violations, [], `cmi5 / xAPI violations:\n${lms.violations.join('\n')}`);
}

/** What a whole session must hold: initialized first, terminated last, one experienced per page,
 *  one answered per answer, completed / passed / failed as expected. */
function assertSession(s, data, answered, { judged }) {
  const v = verbs(s);
  assert.equal(v[0], 'initialized');
  assert.equal(v[v.length - 1], 'terminated');
  assert.equal(v.filter((x) => x === 'experienced').length, data.pages.length, 'one experienced per page');
  assert.equal(v.filter((x) => x === 'answered').length, answered.length, 'one answered per answer');
  const ids = new Set(s.statements.map((st) => st.id));
  assert.equal(ids.size, s.statements.length, 'statement ids are unique');
  for (const a of answered) {
    // Likert items are sent once settled, so answered statements are matched by object.
    const sts = s.statements.filter((x) => x.verb.id === V + 'answered' && x.object.id === a.q.iri);
    assert.equal(sts.length, 1, `answered ${a.q.id}: one statement`);
    const st = sts[0];
    if (a.correct !== null) assert.equal(st.result.success, a.correct, `answered ${a.q.id}: success`);
    assert.equal(st.object.definition.interactionType, a.q.type);
  }
  if (!judged) {
    for (const x of ['completed', 'passed', 'failed']) assert.ok(!v.includes(x), `no ${x} expected: ${v.join(' ')}`);
    return;
  }
  const exp = expectedScore(data, answered);
  assert.equal(v.filter((x) => x === 'completed').length, 1, 'one completed');
  if (exp.score === null) {
    assert.ok(!v.includes('passed') && !v.includes('failed'));
    return exp;
  }
  const success = exp.score / 100 >= data.mastery_score / 100 ? 'passed' : 'failed';
  assert.equal(v.filter((x) => x === 'passed' || x === 'failed').join(), success);
  const st = s.statements.find((x) => x.verb.id === V + success);
  assert.ok(Math.abs(st.result.score.scaled - exp.score / 100) < 1e-9, `scaled ${st.result.score.scaled} vs ${exp.score}`);
  assert.equal(st.result.score.raw, exp.score);
  return exp;
}

const modules = [...namesOf('fixtures/every-block'), ...namesOf('course')];
const registrations = {};

for (const mod of modules) {
  test(`cmi5 ${mod}: Normal launch → completed/passed or failed with the score, terminated, returnURL`, T, async () => {
    const name = `${mod}-cmi5`, ctx = await newContext(env.browser);
    try {
      const { page, session: s, data, L } = await launch(ctx, name);
      registrations[mod] = s.reg;
      const answered = await playAll(L, data);
      await until(() => verbs(s).includes('completed') && (data.questions.every((q) => !q.scored) || verbs(s).some((x) => x === 'passed' || x === 'failed')), `${mod}: completion statements`);
      await L.tabTo('#lp-exit');
      await L.press('Enter');
      await page.waitForURL(/\/cmi5\/returned\?session=/, { timeout: 10_000 });
      await until(() => s.terminated, 'terminated');
      lms.finish(s);
      lms.checked.add('10.2.6.0-1');
      const exp = assertSession(s, data, answered, { judged: true });
      assertNoViolations();
      assert.deepEqual(ctx.log.pageErrors, []);
      assert.deepEqual(ctx.log.offsite, []);
      console.log(`${name}: ${s.statements.length} statements, score ${exp?.score ?? '-'}, ${verbs(s).filter((x) => /completed|passed|failed/.test(x)).join('+')}`);
    } finally {
      await ctx.close();
    }
  });

  test(`cmi5 ${mod}: relaunch in the same registration → answers restored, no second completed/passed`, T, async () => {
    const name = `${mod}-cmi5`, ctx = await newContext(env.browser);
    try {
      assert.ok(registrations[mod], 'the Normal launch ran first');
      const { page, session: s, data } = await launch(ctx, name, { registration: registrations[mod] });
      const scored = data.questions.findIndex((q) => q.scored);
      if (scored >= 0) {
        // The answers came back from the AU's state document: the question is locked with feedback.
        const locked = await page.evaluate((id) => [...document.querySelectorAll(`#b-${id} input`)].every((x) => x.disabled), data.questions[scored].id);
        assert.ok(locked, 'answers restored from the state document');
      }
      await page.waitForTimeout(1500);
      await page.goto('about:blank');
      await until(() => s.terminated, 'terminated');
      lms.finish(s);
      const v = verbs(s);
      assert.equal(v[0], 'initialized');
      assert.equal(v[v.length - 1], 'terminated');
      for (const x of ['completed', 'passed', 'failed']) assert.ok(!v.includes(x), `no second ${x}: ${v.join(' ')}`);
      assertNoViolations();
    } finally {
      await ctx.close();
    }
  });
}

for (const mode of ['Browse', 'Review']) test(`cmi5: ${mode} launch → initialized and terminated only, no completed/passed/failed`, T, async () => {
  const name = `${modules[0]}-cmi5`, ctx = await newContext(env.browser);
  try {
    const { page, session: s, data, L } = await launch(ctx, name, { mode, returnURL: false });
    const answered = await playAll(L, data);
    await page.waitForTimeout(1500);
    await page.goto('about:blank');
    await until(() => s.terminated, 'terminated');
    lms.finish(s);
    assertSession(s, data, answered, { judged: false });
    assertNoViolations();
  } finally {
    await ctx.close();
  }
});

test('cmi5: network errors mid-attempt → statements retried, none lost, none duplicated', T, async () => {
  const name = `${modules[0]}-cmi5`, ctx = await newContext(env.browser);
  try {
    const { page, session: s, data, L } = await launch(ctx, name, { returnURL: false });
    const before = lms.failedPosts;
    // The LRS fails the next 3 statement requests (503) from page 2 on.
    const answered = await playAll(L, data, (p) => { if (p === 1) lms.failStatements = 3; });
    await until(() => verbs(s).includes('completed') && verbs(s).some((x) => x === 'passed' || x === 'failed'), 'completion after the retries', 40_000);
    await page.goto('about:blank');
    await until(() => s.terminated, 'terminated');
    lms.finish(s);
    assert.ok(lms.failedPosts - before >= 3, `the LRS refused ${lms.failedPosts - before} requests`);
    assertSession(s, data, answered, { judged: true });
    assertNoViolations();
    console.log(`network: ${lms.failedPosts - before} refused requests, ${s.statements.length} statements stored once each, ${lms.redelivered} identical re-deliveries ignored`);
  } finally {
    await ctx.close();
  }
});

test('cmi5: a reload never posts to fetch again nor reopens the terminated session', T, async () => {
  const name = `${modules[0]}-cmi5`, ctx = await newContext(env.browser);
  try {
    const { page, session: s } = await launch(ctx, name, { returnURL: false });
    await page.reload();
    await until(() => s.terminated, 'terminated');
    await page.waitForTimeout(1000);
    assert.equal(s.fetches, 1, 'one POST to fetch across a reload');
    assert.match(await page.evaluate(() => document.getElementById('lp-status').textContent), /session has ended/);
    assertNoViolations();
    await page.goto('about:blank');
  } finally {
    await ctx.close();
  }
});

after(() => {
  const ids = [...lms.checked].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  console.log(`cmi5 requirements checked (${ids.length}): ${ids.join(' ')}`);
  console.log(`statements validated with @learninglocker/xapi-validation: ${lms.validated}`);
});

test('cmi5: a returnURL that is not a web address (javascript:, data:) is never followed: no Exit button, Finish stays on the page', T, async () => {
  const name = Object.keys(env.P).find((n) => n.endsWith('-cmi5'));
  for (const returnURL of ['javascript:window.top.__followed=1', 'data:text/html,<p>followed</p>']) {
    const ctx = await newContext(env.browser);
    try {
      const { page, session: s } = await launch(ctx, name, { returnURL });
      assert.equal(await page.getByRole('button', { name: 'Exit' }).isVisible(), false, `${returnURL}: no Exit button`);
      await page.getByText('Contents', { exact: true }).click();
      await page.getByRole('link', { name: 'Your results' }).click();
      await page.getByRole('button', { name: 'Finish' }).click();
      await until(() => s.terminated, 'terminated');
      await page.waitForTimeout(800);
      assert.equal(await page.evaluate(() => window.__followed), undefined, `${returnURL} was run`);
      assert.match(page.url(), /\/pkg\//, `${returnURL}: still on the AU`);
      assert.ok(await page.getByText(/You can now close this window\.$/).isVisible());
      lms.finish(s);
      assertNoViolations();
    } finally {
      await ctx.close();
    }
  }
});
