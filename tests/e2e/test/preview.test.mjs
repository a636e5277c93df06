// `lmspack preview` in a real browser: the LMS simulator's inspector shows what the module wrote
// (SCORM 1.2 and 2004) after a learner answers a question, an edit reloads the module with the
// new text (server-sent events), an error in the sources shows the overlay with file:line until
// it is fixed, and the simulator page itself is axe-clean. The preview serves a temporary copy of
// fixtures/every-block, so the edits never touch the repository.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, newContext, booted, runAxe, formatViolations } from '../lib/browser.mjs';
import { REPO } from '../lib/packages.mjs';
import { Learner, answer } from '../lib/learner.mjs';

const T = { timeout: 30_000 };
const MODULE = 'all-blocks';
let browser = null, tmp = null, course = null, origin = null, proc = null, output = '';

/** Starts `lmspack preview <dir> --port 0`; resolves with its origin once it printed its URL. */
function startPreview(dir) {
  const bin = process.env.LMSPACK_BIN || path.join(REPO, 'target/debug/lmspack');
  if (!fs.existsSync(bin)) throw new Error(`no lmspack binary at ${bin}: run \`cargo build\` (or set LMSPACK_BIN)`);
  proc = spawn(bin, ['preview', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`lmspack preview printed no URL in 10 s:\n${output}`)), 10_000);
    const onData = (chunk) => {
      output += chunk;
      const m = /serving .* at (http:\/\/(?:127\.0\.0\.1|localhost):\d+)\//.exec(output);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    proc.stdout.setEncoding('utf8').on('data', onData);
    proc.stderr.setEncoding('utf8').on('data', onData);
    proc.once('error', (e) => { clearTimeout(timer); reject(e); });
    proc.once('exit', (code, sig) => { clearTimeout(timer); reject(new Error(`lmspack preview exited (${code ?? sig}):\n${output}`)); });
  });
}

/** Ends the preview: SIGTERM, then SIGKILL if it is still there after 3 s. */
async function stopPreview() {
  const p = proc;
  proc = null;
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  const t = setTimeout(() => p.kill('SIGKILL'), 3_000);
  await gone;
  clearTimeout(t);
}
// Should the runner die without running after(), the preview goes with it.
process.once('exit', () => { try { proc?.kill('SIGKILL'); } catch { /* gone */ } });

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lmspack-e2e-preview-'));
  course = path.join(tmp, 'every-block');
  fs.cpSync(path.join(REPO, 'fixtures/every-block'), course, { recursive: true });
  origin = await startPreview(course);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopPreview();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const status = () => fetch(`${origin}/__lmspack/status`, { cache: 'no-store' }).then((r) => r.json());

/** Polls `fn` until it returns a truthy value (then returns it); fails with `what` after `ms`. */
async function until(fn, what, ms = 10_000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The module iframe of the simulator (the same Frame across relaunches). */
async function moduleFrame(page) {
  return (await page.locator('#pv-frame').elementHandle()).contentFrame();
}

/** Opens the simulator of `mode` in a fresh context; resolves once the module booted in it. */
async function openSimulator(mode) {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  // Requests still unanswered, for the message when the module does not boot (a server that
  // left a connection waiting once made the module hang on a script).
  const pending = new Set();
  page.on('request', (r) => pending.add(r));
  page.on('requestfinished', (r) => pending.delete(r));
  page.on('requestfailed', (r) => pending.delete(r));
  await page.goto(`${origin}/${mode}/${MODULE}/`);
  const frame = await moduleFrame(page);
  await until(() => /\/package\/index\.html/.test(frame.url()), 'the module to be launched');
  await booted(frame).catch((e) => {
    const open = [...pending].map((r) => r.url()).filter((u) => !u.endsWith('/__lmspack/events'));
    throw new Error(`the module did not boot in the simulator (unanswered requests: ${open.join(', ') || 'none'})\n${e.message}`);
  });
  const data = await frame.evaluate(() => JSON.parse(document.getElementById('lmspack-data').textContent));
  return { ctx, page, frame, data };
}

/** The inspector's data model table: { element: value } (the read-only/write-only tags left out). */
function inspector(page) {
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#pv-model tr')].map((tr) => [
    tr.querySelector('th').textContent,
    [...tr.querySelector('td').childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(''),
  ])));
}

/** Waits until the inspector shows every element of `want` with its value; returns the model. */
async function inspectorShows(page, want, ms = 8_000) {
  let model = {};
  try {
    return await until(async () => {
      model = await inspector(page);
      return Object.entries(want).every(([k, v]) => model[k] === v) && model;
    }, 'the inspector', ms);
  } catch {
    const got = Object.fromEntries(Object.keys(want).map((k) => [k, model[k]]));
    assert.deepEqual(got, want, 'the inspector panel never showed these values');
  }
}

const panelErrors = (page) => page.evaluate(() => ({
  none: !document.getElementById('pv-no-errors').hidden,
  list: [...document.querySelectorAll('#pv-errors li')].map((li) => li.textContent),
}));

async function axeClean(page, what) {
  // The module frame is tested by the other suites; here the simulator's own page.
  const v = await runAxe(page.mainFrame());
  assert.deepEqual(v, [], `axe-core (WCAG 2.2 AA) violations on ${what}:\n${formatViolations(v)}`);
}

for (const [mode, v12, right] of [['scorm12', true, true], ['scorm2004', false, false]]) {
  test(`${mode}: a question answered in the module appears in the inspector panel`, T, async () => {
    const { ctx, page, frame, data } = await openSimulator(mode);
    try {
      const model = await inspectorShows(page, v12 ? { 'cmi.core.lesson_status': 'incomplete' } : { 'cmi.completion_status': 'incomplete' });
      assert.ok(!Object.keys(model).some((k) => k.startsWith('cmi.interactions.')), 'no interaction before the answer');
      const i = data.questions.findIndex((q) => q.scored && q.kind === 'single-choice');
      assert.ok(i >= 0, 'the fixture has a scored single-choice question');
      const q = data.questions[i];
      // Keyboard only: Tab from the simulator's controls into the module, arrows, Space, Check.
      const a = await answer(new Learner(page, frame), data, i, right);
      const it = 'cmi.interactions.0.';
      // One answer of several: the interaction, and no score or pass/fail yet (an LMS would judge
      // a partial score against the mastery score: issue 18).
      const want = v12 ? {
        [it + 'id']: q.id, [it + 'type']: 'choice', [it + 'student_response']: a.r12, [it + 'result']: right ? 'correct' : 'wrong',
        [it + 'weighting']: String(q.weight), 'cmi.core.lesson_status': 'incomplete',
      } : {
        [it + 'id']: q.id, [it + 'type']: 'choice', [it + 'learner_response']: a.r04, [it + 'result']: right ? 'correct' : 'incorrect',
        [it + 'weighting']: String(q.weight), 'cmi.completion_status': 'incomplete',
      };
      const shown = await inspectorShows(page, want);
      assert.deepEqual(Object.keys(shown).filter((k) => /score\.raw|success_status/.test(k) && shown[k] !== '' && shown[k] !== 'unknown'), [], 'no score before the end');
      if (!v12) assert.ok(+shown['cmi.progress_measure'] > 0 && +shown['cmi.progress_measure'] < 1, 'progress_measure meanwhile');
      // Write-only in 1.2: the inspector shows the value and marks it so.
      if (v12) {
        assert.ok(await page.evaluate(() => [...document.querySelectorAll('#pv-model tr.pv-wo th')].some((th) => th.textContent === 'cmi.interactions.0.id')),
          'cmi.interactions.0.id is marked write-only');
      }
      // The call log shows the SetValue of the interaction; the strict API rejected nothing.
      const calls = await page.evaluate(() => [...document.querySelectorAll('#pv-log li')].map((li) => li.textContent));
      const set = v12 ? 'LMSSetValue' : 'SetValue';
      assert.ok(calls.some((c) => c.startsWith(`${set}("cmi.interactions.0.id", "${q.id}") → "true"`)), `the call log shows the SetValue:\n${calls.join('\n')}`);
      assert.deepEqual(await panelErrors(page), { none: true, list: [] }, 'the simulator reported API errors');
      // The call log (a live region) gets new calls appended; its entries are not redrawn, or a
      // screen reader would read the whole log again.
      const n = await page.evaluate(() => { const li = document.querySelector('#pv-log li'); li.dataset.probe = '1'; return document.querySelectorAll('#pv-log li').length; });
      await page.evaluate((v) => (v ? window.API.LMSGetValue('cmi.core.lesson_location') : window.API_1484_11.GetValue('cmi.location')), v12);
      await until(() => page.evaluate((k) => document.querySelectorAll('#pv-log li').length > k, n), 'the new call in the log');
      assert.ok(await page.evaluate(() => document.querySelector('#pv-log li').dataset.probe === '1'), 'the log was redrawn, not appended to');
      // The filter shows errors and warnings only, and everything again.
      await page.check('#pv-errors-only');
      assert.ok(await page.evaluate(() => [...document.querySelectorAll('#pv-log li')].every((li) => /pv-(error|warn)/.test(li.className))));
      await page.uncheck('#pv-errors-only');
      assert.equal(await page.evaluate(() => document.querySelectorAll('#pv-log li').length), n + 1);
      await axeClean(page, `the ${mode} simulator`);
      assert.deepEqual(ctx.log.offsite, [], 'requests outside loopback');
      assert.deepEqual(ctx.log.pageErrors, [], 'uncaught errors');
    } finally {
      await ctx.close();
    }
  });
}

test('an edit reloads the module with the new text, keeping the answer; an error shows the overlay with file:line until fixed', T, async () => {
  const { ctx, page, frame, data } = await openSimulator('scorm12');
  try {
    const i = data.questions.findIndex((q) => q.scored && q.kind === 'single-choice');
    const q = data.questions[i];
    await answer(new Learner(page, frame), data, i, true);
    await inspectorShows(page, { 'cmi.interactions.0.id': q.id });
    const b0 = (await status()).build;

    // 1. Edit a page: the module relaunches (resuming) with the new text.
    const pageFile = path.join(course, '01-all-blocks/pages/01-questions.md');
    const src = fs.readFileSync(pageFile, 'utf8');
    const NEW = 'Edited while the preview ran';
    assert.ok(src.includes('Some *prose*'));
    fs.writeFileSync(pageFile, src.replace('Some *prose*', NEW));
    await until(() => /[?&]build=(\d+)/.exec(frame.url())?.[1] > b0, 'the module to be relaunched after the edit');
    await booted(frame);
    await until(() => frame.evaluate((t) => document.body.textContent.includes(t), NEW), 'the new text in the module');
    assert.ok(await frame.evaluate(() => !document.body.textContent.includes('Some prose')), 'the old text is gone');
    const kept = await frame.evaluate((id) => document.querySelector(`input[name="${id}"]:checked`)?.value ?? null, `b-${q.id}`);
    assert.equal(kept, String(q.correct[0]), 'the answer is kept across the reload');
    assert.match(await page.textContent('#pv-build'), /^Build \d+ · \d+ ms$/);

    // 2. Break module.yaml: the overlay covers the module with file:line and the message.
    const yaml = path.join(course, '01-all-blocks/module.yaml');
    const good = fs.readFileSync(yaml, 'utf8');
    const line = good.trimEnd().split('\n').length + 1;
    fs.writeFileSync(yaml, good.trimEnd() + '\nbogus_key: 1\n');
    await page.locator('#pv-overlay').waitFor({ state: 'visible', timeout: 10_000 });
    const overlay = await page.evaluate(() => ({
      title: document.getElementById('pv-overlay-title').textContent,
      where: [...document.querySelectorAll('#pv-overlay .lmspack-where')].map((p) => p.textContent),
      text: document.getElementById('pv-overlay').textContent,
      hidden: document.getElementById('pv-frame').getAttribute('aria-hidden'),
    }));
    assert.equal(overlay.title, 'The course has 1 error(s)');
    assert.deepEqual(overlay.where, [`${yaml}:${line}:1`]);
    assert.match(overlay.text, /unknown key `bogus_key`/);
    assert.match(overlay.text, /bogus_key: 1/, 'the source line');
    assert.equal(overlay.hidden, 'true', 'the module behind the overlay is hidden from assistive technology');
    assert.match(await page.textContent('#pv-build'), /: errors/);
    const st = await status();
    assert.equal(st.ok, false);
    await axeClean(page, 'the simulator with the error overlay');

    // 3. Fix it: the overlay goes and the module comes back (still resuming the attempt).
    const broken = st.build;
    fs.writeFileSync(yaml, good);
    await page.locator('#pv-overlay').waitFor({ state: 'hidden', timeout: 10_000 });
    await until(() => /[?&]build=(\d+)/.exec(frame.url())?.[1] > broken, 'the module to be relaunched after the fix');
    await booted(frame);
    assert.ok(await frame.evaluate((t) => document.body.textContent.includes(t), NEW));
    assert.equal(await page.getAttribute('#pv-frame', 'aria-hidden'), null);
    assert.equal((await status()).ok, true);
    await inspectorShows(page, { 'cmi.interactions.0.id': q.id, 'cmi.core.entry': 'resume' });
    assert.deepEqual(await panelErrors(page), { none: true, list: [] }, 'the simulator reported API errors');
    assert.deepEqual(ctx.log.offsite, [], 'requests outside loopback');
    assert.deepEqual(ctx.log.pageErrors, [], 'uncaught errors');
  } finally {
    await ctx.close();
  }
});
