// The screens of issue 18 at 1280 px and 375 px, on a module of the bundled course in the test
// LMS: the sequencing reorder control, the progress bar, the save-failure banner (the LMS refuses
// writes, then recovers) and the results page. Each state is reached by roles and accessible
// names, checked (axe-core, no horizontal scrolling) and, with E2E_SCREENS=1, saved as a PNG in
// docs/screens/ (how the pictures in docs/learner-record.md are made).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setup } from '../lib/setup.mjs';
import { newContext, openInLms, runAxe, formatViolations } from '../lib/browser.mjs';
import { launchHref, moduleData, REPO } from '../lib/packages.mjs';

const env = setup(['course'], { targets: ['scorm2004'] });
const T = { timeout: 90_000 };
const SHOTS = process.env.E2E_SCREENS === '1' ? path.join(REPO, 'docs/screens') : null;

async function shot(what, width, locator) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await locator.screenshot({ path: path.join(SHOTS, `${what}-${width}.png`) });
}

async function clean(frame, what) {
  const v = await runAxe(frame);
  assert.deepEqual(v, [], `axe-core on ${what}:\n${formatViolations(v)}`);
  const wide = await frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(wide <= 0, `${what}: ${wide} px of horizontal scrolling`);
}

for (const width of [1280, 375]) {
  test(`${width} px: reorder control, progress bar, save-failure banner and results page`, T, async (t) => {
    // The first module of the course (the pictures in the docs), else any with a sequencing question.
    const name = ['digital-leadership-scorm2004', ...Object.keys(env.P).sort()]
      .find((n) => env.P[n] && moduleData(env.P[n].dir).questions.some((q) => q.kind === 'sequencing'));
    if (!name) return t.skip('no module with a sequencing question in E2E_COURSE');
    const pk = env.P[name], data = moduleData(pk.dir);
    const ctx = await newContext(env.browser, { viewport: { width, height: 900 } });
    try {
      const { page, frame } = await openInLms(ctx, env.srv.origin, { version: pk.version, launch: `/pkg/${name}/${launchHref(pk.dir)}` });
      // The harness's popup button out of the way, and a frame tall enough for element shots.
      await page.addStyleTag({ content: '#open-popup{display:none}#sco{height:2400px}' });
      const view = { path: null, clip: { x: 0, y: 0, width, height: 900 } };
      const top = { screenshot: async (o) => { await page.evaluate(() => window.scrollTo(0, 0)); return page.screenshot({ ...view, ...o }); } };
      const seq = data.questions.find((q) => q.kind === 'sequencing');
      for (let p = 0; p < seq.page; p++) await frame.getByRole('button', { name: 'Next', exact: true }).click();

      // The reorder control: every item has its own Move up / Move down, the focus follows the
      // item, and the list stays an order of every item.
      const ups = frame.getByRole('button', { name: /^Move up: / });
      const n = await ups.count();
      assert.equal(n, seq.count, 'a Move up button per item');
      const second = (await ups.nth(1).getAttribute('aria-label')).slice('Move up: '.length);
      await ups.nth(1).click();
      assert.equal(await ups.nth(0).getAttribute('aria-label'), `Move up: ${second}`, 'the item moved up one place');
      assert.equal(await frame.evaluate(() => document.activeElement.getAttribute('aria-label')), `Move up: ${second}`, 'the focus followed the item');
      const group = frame.getByRole('group').filter({ has: ups.first() });
      await clean(frame, 'the reorder control');
      await shot('reorder', width, group.locator('..'));

      // The progress bar: pages seen and questions settled, in words for screen readers.
      const bar = frame.getByRole('progressbar', { name: 'Progress' });
      assert.match(await bar.getAttribute('aria-valuetext'), new RegExp(`^${seq.page + 1} of ${data.pages.length} pages, 0 of \\d+ questions$`));
      await shot('progress', width, frame.getByRole('navigation', { name: 'Pages' }));

      // The LMS refuses writes for 4 s: the banner says so, the answer waits, and is saved after.
      await page.evaluate(() => window.__lmsControl.fail({ ms: 4000 }));
      await group.locator('..').getByRole('button', { name: 'Check answer' }).click();
      const banner = frame.getByRole('status').filter({ hasText: 'could not be saved' });
      await banner.waitFor({ timeout: 5000 });
      assert.match(await banner.textContent(), /retrying/);
      await clean(frame, 'the save-failure banner');
      await shot('save-failure', width, top);
      await frame.getByRole('status').filter({ hasText: 'Your progress is saved.' }).waitFor({ timeout: 15_000 });
      const stored = await page.evaluate((id) => window.__lms.calls.some((c) => /SetValue$/.test(c.fn) && c.args[1] === id && c.ret === 'true'), seq.id);
      assert.ok(stored, 'the interaction answered during the outage reached the LMS');

      // The results page, mid-module: no score yet, the pages and questions still to do as links.
      await frame.getByText('Contents', { exact: true }).click();
      await frame.getByRole('link', { name: 'Your results' }).click();
      await frame.getByRole('heading', { level: 1, name: 'Your results' }).waitFor();
      assert.ok(await frame.getByRole('heading', { name: 'Still to do' }).isVisible());
      assert.ok(await frame.getByRole('link', { name: /^Read “/ }).count() > 0, 'unvisited pages are listed');
      const skipped = frame.getByRole('link', { name: /^Answer \d+ questions? on “/ });
      assert.ok(await skipped.count() > 0, 'questions skipped on visited pages are listed');
      // Each link goes to its page, to the first question still to answer.
      await skipped.first().click();
      assert.ok(await frame.evaluate(() => !!document.activeElement.closest('fieldset')), 'the focus is on the question');
      await frame.getByText('Contents', { exact: true }).click();
      await frame.getByRole('link', { name: 'Your results' }).click();
      assert.ok(await frame.getByRole('button', { name: 'Finish' }).isVisible());
      await clean(frame, 'the results page');
      await shot('results', width, top);

      // Matching: each item is a group of radio buttons with every answer in full, inside the
      // width of the screen (a dropdown clipped long answers on a phone).
      const mq = data.questions.find((q) => q.kind === 'matching');
      if (mq) {
        const title = await frame.evaluate((id) => document.querySelector(`#p-${id} h1`).textContent, data.pages[mq.page]);
        await frame.getByText('Contents', { exact: true }).click();
        await frame.getByRole('link', { name: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).click();
        const block = frame.getByRole('group').filter({ has: frame.getByRole('group') }).filter({ hasText: mq.text.slice(0, 30) });
        const items = block.getByRole('group');
        assert.equal(await items.count(), mq.count, 'a group per item');
        const radios = items.first().getByRole('radio');
        assert.equal(await radios.count(), mq.count, 'every answer is a radio button of the group');
        const clipped = await block.evaluate((el) => [...el.querySelectorAll('label')].filter((l) => {
          const r = l.getBoundingClientRect();
          return l.scrollWidth > l.clientWidth + 1 || r.right > document.documentElement.clientWidth;
        }).map((l) => l.textContent));
        assert.deepEqual(clipped, [], 'answers clipped or off the screen');
        await radios.first().check();
        await clean(frame, 'a matching question');
        await shot('matching', width, block.locator('..'));
      }
    } finally {
      await ctx.close();
    }
  });
}
