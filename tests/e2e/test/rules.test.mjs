// The course's answer rules in the browser (fixtures/answer-rules): tries per question, what Check
// reveals (`review`), the results page, Finish and Start again (`retake`), and what the LMS gets:
// every check as an interaction, a score only once every scored question is settled, and a record
// that a retake never lowers. Driven by roles and accessible names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup } from '../lib/setup.mjs';
import { newContext, openInLms, lms } from '../lib/browser.mjs';
import { launchHref, moduleData } from '../lib/packages.mjs';
import { Learner, answer, expectedScore } from '../lib/learner.mjs';
import { interactions, setsOf, assertClean } from '../lib/scorm.mjs';

const env = setup(['fixtures/answer-rules'], { targets: ['scorm2004'] });
const T = { timeout: 60_000 };

async function open(name) {
  const pk = env.P[name];
  const ctx = await newContext(env.browser);
  const s = await openInLms(ctx, env.srv.origin, { version: pk.version, launch: `/pkg/${name}/${launchHref(pk.dir)}` });
  return { ctx, ...s };
}

/** The question whose prompt is `prompt`: its group, its Check button and its feedback. */
function question(frame, prompt) {
  const group = frame.getByRole('group', { name: prompt, exact: true });
  const block = group.locator('..');
  return { group, block, button: block.getByRole('button', { name: /^(Check answer|Try again|Answer checked)$/ }) };
}

async function check(q, option) {
  await q.group.getByRole('radio', { name: option, exact: true }).check();
  await q.button.click();
}

test('review: feedback, 3 tries: Try again until right or out of tries, no right answer shown; every check recorded; no retake', T, async () => {
  const { ctx, page, frame } = await open('inherits-scorm2004');
  try {
    const q1 = question(frame, 'Which one is right?');
    await check(q1, 'That one');
    assert.match(await q1.block.textContent(), /Not quite\./);
    assert.equal(await q1.button.textContent(), 'Try again', 'tries remain');
    assert.ok(await q1.group.getByText('Your answer: wrong').isVisible(), 'the locked choice is marked');
    assert.equal(await q1.block.getByText('Right answer').count(), 0, 'review: feedback never reveals the answer');
    assert.equal((await lms(page)).calls.filter((c) => c.args[0] === 'cmi.score.raw').length, 0, 'no score yet');
    await q1.button.click();
    assert.equal(await q1.button.textContent(), 'Check answer');
    await check(q1, 'This one');
    assert.match(await q1.block.textContent(), /Correct\./);
    assert.equal(await q1.button.textContent(), 'Answer checked');
    assert.equal(await q1.button.getAttribute('aria-disabled'), 'true');

    const q2 = question(frame, 'Which one is right, in any order?');
    for (let k = 0; k < 3; k++) {
      await check(q2, 'That one');
      if (k < 2) await q2.button.click();
    }
    assert.equal(await q2.button.textContent(), 'Answer checked', 'out of tries after 3 checks');
    assert.equal(await q2.block.getByText('Right answer').count(), 0);

    await frame.getByRole('button', { name: 'Next', exact: true }).click();
    await frame.getByRole('heading', { level: 1, name: 'Your results' }).waitFor();
    assert.match(await frame.getByText(/^Your score: /).textContent(), /^Your score: 50%\. The pass mark is 50%\.$/);
    assert.equal(await frame.getByRole('button', { name: 'Start again' }).isVisible(), false, 'retake: false');
    await frame.getByRole('button', { name: 'Finish' }).click();
    await frame.getByText(/You can now close this window\.$/).waitFor();
    // Nothing more can be recorded, so nothing more can be answered.
    await frame.getByRole('button', { name: 'Previous', exact: true }).click();
    assert.ok(await frame.getByRole('radio').first().isDisabled(), 'the questions are closed after Finish');

    const rec = await lms(page);
    assertClean(rec);
    assert.ok(rec.finished, 'Finish terminated the session');
    const its = interactions(rec);
    assert.deepEqual(its.map((x) => x.result), ['incorrect', 'correct', 'incorrect', 'incorrect', 'incorrect'], 'every check is an interaction');
    assert.deepEqual(setsOf(rec, 'cmi.score.raw'), ['50']);
    assert.deepEqual(setsOf(rec, 'cmi.success_status'), ['passed']);
    assert.equal(rec.final.cmi.completion_status, 'completed');
    assert.equal(rec.final.cmi.exit, 'normal');
  } finally {
    await ctx.close();
  }
});

test('review: answers, 1 try: the right answer shown; Start again clears the questions and the LMS record only goes up', T, async () => {
  const name = 'overrides-scorm2004', data = moduleData(env.P[name].dir);
  const { ctx, page, frame, sco } = await open(name);
  try {
    const L = new Learner(sco, frame);
    const first = data.questions.findIndex((q) => q.scored);
    const given = [];
    for (const i of data.questions.keys()) given.push(await answer(L, data, i, i !== first));
    const q1 = question(frame, data.questions[first].text);
    assert.equal(await q1.button.textContent(), 'Answer checked', 'one try');
    assert.ok(await q1.group.getByText('Right answer').isVisible(), 'review: answers reveals the right option');
    const exp = expectedScore(data, given);
    await frame.getByRole('button', { name: 'Next', exact: true }).click();
    await frame.getByText(`Your score: ${exp.score}%. The pass mark is ${data.mastery_score}%.`).waitFor();
    const again = frame.getByRole('button', { name: 'Start again' });
    assert.ok(await again.isVisible(), 'retake: true, the module is done');
    await again.click();
    const open = frame.getByRole('button', { name: 'Check answer' });
    await open.first().waitFor();
    assert.equal(await open.count(), data.questions.filter((q) => q.kind !== 'likert').length, 'every question open again');
    assert.equal(await frame.getByRole('radio', { checked: true }).count() + await frame.getByRole('checkbox', { checked: true }).count(), 0, 'no answer kept');
    // Right every time now: the score goes up to 100.
    for (const i of data.questions.keys()) await answer(L, data, i, true);
    await frame.getByRole('button', { name: 'Next', exact: true }).click();
    await frame.getByText(/^Your score: 100%/).waitFor();
    await frame.getByRole('button', { name: 'Finish' }).click();
    await frame.getByText(/You can now close this window\.$/).waitFor();
    const rec = await lms(page);
    assertClean(rec);
    assert.deepEqual(ctx.log.pageErrors, []);
    const status = setsOf(rec, 'cmi.completion_status');
    assert.deepEqual(status.slice(status.indexOf('completed')), ['completed'], 'never back to incomplete after completed');
    assert.deepEqual(setsOf(rec, 'cmi.score.raw'), [String(exp.score), '100']);
    assert.deepEqual(setsOf(rec, 'cmi.success_status'), [exp.score >= data.mastery_score ? 'passed' : 'failed', 'passed'].filter((s, k, a) => a.indexOf(s) === k));
  } finally {
    await ctx.close();
  }
});
