// Tin Can (xAPI) packages in Chromium against a real LRS: Ralph (lib/ralph.mjs). A Tin Can launch
// as Moodle's mod_tincanlaunch makes it (endpoint, the whole Authorization value in `auth`, the
// old array form of `actor`, registration, activity_id = the first activity of tincan.xml); the
// statements are read back from Ralph. Every posted statement also passes
// @learninglocker/xapi-validation.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { setup, namesOf } from '../lib/setup.mjs';
import { newContext } from '../lib/browser.mjs';
import { moduleData, tincanActivities } from '../lib/packages.mjs';
import { Learner, answer, expectedScore, playAll } from '../lib/learner.mjs';
import { Ralph } from '../lib/ralph.mjs';

let ralph = null;
const env = setup(['fixtures/every-block', 'course'], {
  targets: ['xapi'],
  api: async () => {
    ralph = await Ralph.start();
    return (req, res, url) => ralph.handle(req, res, url);
  },
});
after(() => ralph?.stop());
const T = { timeout: 90_000 };
const V = 'http://adlnet.gov/expapi/verbs/';
const verb = (st) => st.verb.id.replace(/.*\//, '');

async function until(pred, what, ms = 20_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await pred();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function launchUrl(name, registration) {
  const first = tincanActivities(env.P[name].dir)[0];
  // The xAPI 0.9 actor form (arrays, mbox without mailto:) that old launchers still send.
  const actor = { name: ['A Learner'], mbox: ['learner@example.org'] };
  const q = { endpoint: `${env.srv.origin}/tincan/lrs/`, auth: ralph.auth, actor: JSON.stringify(actor), registration, activity_id: first.id };
  return { first, url: `${env.srv.origin}/pkg/${name}/${first.launch}?${Object.entries(q).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}` };
}

/** One attempt: launch, play everything, close; returns Ralph's statements of the registration. */
async function attempt(name, { registration = crypto.randomUUID(), onPage, playIt = true } = {}) {
  const ctx = await newContext(env.browser), data = moduleData(env.P[name].dir);
  try {
    const { first, url } = launchUrl(name, registration);
    const page = await ctx.newPage();
    await page.goto(url);
    await until(async () => (await ralph.statements(registration)).length > 0, 'the first statement');
    const answered = playIt ? await playAll(new Learner(page, page.mainFrame()), data, onPage) : [];
    await page.waitForTimeout(1500);
    await page.goto('about:blank');
    const sts = await until(async () => {
      const s = await ralph.statements(registration);
      return ['terminated', 'suspended'].includes(verb(s[s.length - 1])) && s;
    }, 'terminated or suspended', 40_000).catch(async (e) => {
      const s = await ralph.statements(registration);
      throw new Error(`${e.message}; Ralph has: ${s.map(verb).join(' ')}; console: ${ctx.log.console.slice(0, 5).join(' | ')}; rejected: ${(ralph.rejected || []).slice(0, 1).join('\n')}; Ralph log: ${ralph.log.slice(-3000)}`);
    });
    assert.deepEqual(ctx.log.pageErrors, []);
    return { sts, answered, data, first, registration };
  } finally {
    await ctx.close();
  }
}

function assertAttempt({ sts, answered, data, first }) {
  const v = sts.map(verb);
  assert.equal(v[0], 'initialized');
  assert.equal(v[v.length - 1], 'terminated');
  assert.equal(new Set(sts.map((s) => s.id)).size, sts.length, 'no statement stored twice');
  for (const s of sts) {
    assert.deepEqual(s.actor, { name: 'A Learner', mbox: 'mailto:learner@example.org' }, 'the actor, normalised from the 0.9 form');
    assert.match(s.timestamp, /Z$|\+00:00$/);
  }
  assert.equal(v.filter((x) => x === 'experienced').length, data.pages.length, 'one experienced per page');
  for (const a of answered) {
    const st = sts.filter((s) => verb(s) === 'answered' && s.object.id === a.q.iri);
    assert.equal(st.length, 1, `${a.q.id}: one answered`);
    assert.equal(st[0].object.definition.interactionType, a.q.type);
    assert.equal(typeof st[0].result.response, 'string');
    if (a.correct !== null) assert.equal(st[0].result.success, a.correct);
  }
  const done = sts.filter((s) => verb(s) === 'completed');
  assert.equal(done.length, 1, 'one completed');
  assert.equal(done[0].object.id, first.id, 'completed on the launch activity_id (what Moodle looks for)');
  const exp = expectedScore(data, answered);
  if (exp.score !== null) {
    assert.ok(Math.abs(done[0].result.score.scaled - exp.score / 100) < 1e-9, `scaled ${done[0].result.score.scaled} vs ${exp.score}`);
    assert.equal(done[0].result.success, exp.score >= data.mastery_score);
  }
  assert.deepEqual(ralph.invalid, [], 'xapi-validation');
  return exp;
}

const modules = [...namesOf('fixtures/every-block'), ...namesOf('course')];
const regs = {};


for (const mod of modules) {
  test(`Tin Can ${mod} → Ralph: initialized, experienced, answered, completed with score and success, terminated`, T, async () => {
    const r = await attempt(`${mod}-xapi`);
    regs[mod] = r.registration;
    const exp = assertAttempt(r);
    console.log(`${mod}-xapi: ${r.sts.length} statements in Ralph, score ${exp.score ?? '-'}`);
  });
}

test('Tin Can relaunch in the same registration → resumed from the State API, no second completed', T, async () => {
  const mod = modules[0];
  const { sts } = await attempt(`${mod}-xapi`, { registration: regs[mod], playIt: false });
  const v = sts.map(verb);
  assert.equal(v.filter((x) => x === 'completed').length, 1, 'still one completed in the registration');
  assert.ok(v.includes('resumed'), 'resumed');
  assert.equal(v[v.length - 1], 'terminated');
});

test('Tin Can: the LRS fails mid-attempt → statements retried, none lost, none duplicated', T, async () => {
  const before0 = ralph.failedPosts;
  const r = await attempt(`${modules[0]}-xapi`, { onPage: (p) => { if (p === 1) ralph.failStatements = 3; } });
  assert.ok(ralph.failedPosts - before0 >= 3, 'requests were refused');
  assertAttempt(r);
});

test('Tin Can: the LRS refuses every statement until the tab is closed → the next launch sends them first, none lost, none twice', T, async () => {
  const name = `${modules[0]}-xapi`, data = moduleData(env.P[name].dir), registration = crypto.randomUUID();
  const ctx = await newContext(env.browser);
  const keptIds = (page) => page.evaluate(() => Object.keys(localStorage)
    .filter((k) => k.startsWith('lmspack:xq:'))
    .flatMap((k) => JSON.parse(localStorage.getItem(k)).map((st) => st.id)));
  try {
    const { url } = launchUrl(name, registration);
    ralph.failStatements = 1e9;
    const page = await ctx.newPage();
    await page.goto(url);
    await until(async () => (await keptIds(page)).length > 0, 'the first statement kept in the browser');
    const q = data.questions.findIndex((x) => x.page === 0);
    assert.ok(q >= 0, 'a question on the first page');
    await answer(new Learner(page, page.mainFrame()), data, q, true);
    await page.waitForTimeout(1_000);
    await page.goto(`${env.srv.origin}/pkg/${name}/`);                  // leaves the module: `suspended`, refused too
    const kept = await keptIds(page);
    assert.ok(kept.length >= 3, `initialized, experienced, answered and suspended kept (${kept.length})`);
    assert.deepEqual(await ralph.statements(registration), [], 'nothing stored while the LRS refuses');

    ralph.failStatements = 0;
    await page.goto(url);                                                // the next launch, same browser
    const sts = await until(async () => {
      const s = await ralph.statements(registration);
      return kept.every((id) => s.some((st) => st.id === id)) && s;
    }, 'every kept statement stored');
    const v = sts.map(verb);
    assert.ok(v.includes('answered') && v.includes('suspended'), v.join(' '));
    assert.equal(new Set(sts.map((st) => st.id)).size, sts.length, 'none stored twice');
    await until(async () => (await keptIds(page)).length === 0, 'the browser copy emptied once stored');
    assert.deepEqual(ralph.invalid, [], 'xapi-validation');
  } finally {
    ralph.failStatements = 0;
    await ctx.close();
  }
});

after(() => console.log(`Tin Can statements validated with @learninglocker/xapi-validation: ${ralph?.validated}`));
