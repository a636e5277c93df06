// The learner UI on the built `web` packages (no LMS): the table of contents, the download of
// every reflection and action plan, the character counter, print, reduced motion, and the layout
// at 320 px and at 200% zoom (no horizontal scrolling, navigation reachable, axe clean).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { buildPackages, moduleData } from '../lib/packages.mjs';
import { startServer } from '../lib/server.mjs';
import { launchBrowser, newContext, booted, runAxe, formatViolations } from '../lib/browser.mjs';
import { Learner } from '../lib/learner.mjs';

const T = { timeout: 60_000 };
const env = { P: {}, tmp: [] };

before(async () => {
  for (const mode of ['module', 'course']) {
    const built = buildPackages(['fixtures/every-block'], ['web'], mode);
    env.tmp.push(built.dir);
    Object.assign(env.P, built.packages);
  }
  env.srv = await startServer(Object.fromEntries(Object.entries(env.P).map(([k, v]) => [k, v.dir])));
  env.browser = await launchBrowser();
});
after(async () => {
  await env.browser?.close();
  await env.srv?.close();
  for (const d of env.tmp) fs.rmSync(d, { recursive: true, force: true });
});

async function open(opts = {}) {
  const ctx = await newContext(env.browser, opts);
  const page = await ctx.newPage();
  await page.goto(`${env.srv.origin}/pkg/all-blocks-web/index.html`);
  await booted(page.mainFrame());
  return { ctx, page, frame: page.mainFrame(), data: moduleData(env.P['all-blocks-web'].dir) };
}

// The content pages' entries (the last entry is the results page).
const tocState = (frame) => frame.evaluate(() => [...document.querySelectorAll('.lp-toc a')].map((a) => ({
  current: a.getAttribute('aria-current'), mark: a.querySelector('.lp-seen').textContent, text: a.textContent,
})));
const pageEntries = async (frame) => {
  const toc = await tocState(frame);
  assert.equal(toc.pop().text, 'Your results', 'the last entry of the contents is the results page');
  return toc;
};

test('contents: keyboard to any page; the current page has aria-current, visited pages say so in words', T, async () => {
  const { ctx, page, frame, data } = await open();
  try {
    assert.ok(data.pages.length >= 3);
    let toc = await pageEntries(frame);
    assert.equal(toc.length, data.pages.length);
    assert.deepEqual(toc.map((x) => x.current), data.pages.map((_, i) => (i === 0 ? 'page' : null)));
    const L = new Learner(page, frame);
    await L.tabTo('.lp-toc summary');
    await L.press('Enter');
    assert.ok(await frame.evaluate(() => document.querySelector('.lp-toc details').open), 'Enter opens the contents');
    const to = data.pages.length - 1;
    await L.tabTo(`.lp-toc a[href="#p-${data.pages[to]}"]`);
    await L.press('Enter');
    await frame.waitForFunction((id) => !document.getElementById(id).hidden, `p-${data.pages[to]}`);
    assert.ok(await frame.evaluate((id) => document.activeElement === document.querySelector(`#${id} h1`), `p-${data.pages[to]}`),
      'focus on the new page heading');
    assert.equal(await frame.evaluate(() => document.getElementById('lp-progress').textContent), `Page ${to + 1} of ${data.pages.length}`);
    toc = await pageEntries(frame);
    assert.deepEqual(toc.map((x) => x.current), data.pages.map((_, i) => (i === to ? 'page' : null)));
    assert.deepEqual(toc.map((x) => x.mark), data.pages.map((_, i) => (i === 0 || i === to ? ' (visited)' : '')),
      'visited pages marked in text, not by colour alone');
    const v = await runAxe(frame);
    assert.deepEqual(v, [], formatViolations(v));
    assert.deepEqual(ctx.log.pageErrors, []);
  } finally {
    await ctx.close();
  }
});

test('"Download my reflections and action plan": one Markdown file with every answer, offline', T, async () => {
  const { ctx, page, frame, data } = await open({ acceptDownloads: true });
  try {
    const texts = data.blocks.filter((b) => b.kind !== 'scenario');
    assert.ok(texts.some((b) => b.kind === 'reflection') && texts.some((b) => b.kind === 'action-plan'));
    // Fill every box wherever its page is (the pages are in one document).
    const typed = await frame.evaluate(() => [...document.querySelectorAll('[data-b] textarea')].map((t, i) => {
      t.value = `Answer ${i}: "quoted" line one\nline two`;
      t.dispatchEvent(new Event('input', { bubbles: true }));
      return t.value;
    }));
    assert.ok(await frame.evaluate(() => !document.getElementById('lp-notes').hidden), 'the button is shown');
    await ctx.setOffline(true);
    const [dl] = await Promise.all([page.waitForEvent('download'), frame.click('#lp-notes')]);
    assert.equal(dl.suggestedFilename(), `${data.module.id}-notes.md`);
    const md = fs.readFileSync(await dl.path(), 'utf8').replace(/^\ufeff/, '').replace(/\r\n/g, '\n');
    assert.ok(md.startsWith(`# ${data.module.title}\n`), md.slice(0, 80));
    for (const t of typed) assert.ok(md.includes(t), `the file holds "${t}"`);
    for (const b of texts.filter((x) => x.kind === 'action-plan')) {
      assert.ok(md.includes(`## ${b.title}\n`), `action plan title ${b.title}`);
      for (const f of b.fields) assert.ok(md.includes(`### ${f}\n`), `field ${f}`);
    }
    assert.deepEqual(ctx.log.pageErrors, []);
  } finally {
    await ctx.close();
  }
});

test('text boxes: maxlength from the build, a counter bound to the box, control characters dropped, a polite notice near the limit', T, async () => {
  const { ctx, page, frame, data } = await open();
  try {
    assert.ok(data.text_max >= 150);
    const b = data.blocks.find((x) => x.kind === 'reflection'), id = `b-${b.id}-text`;
    await frame.evaluate((p) => { document.querySelector(`.lp-toc a[href="#p-${p}"]`).click(); }, data.pages[b.page]);
    await frame.focus(`#${id}`);
    await page.keyboard.insertText('a\u0001b\u001fc');
    const st = () => frame.evaluate((i) => ({ v: document.getElementById(i).value, n: document.getElementById(i + '-n').textContent,
      live: document.getElementById('lp-live').textContent, max: document.getElementById(i).maxLength,
      by: document.getElementById(i).getAttribute('aria-describedby') }), id);
    let s = await st();
    assert.equal(s.v, 'abc');
    assert.equal(s.max, data.text_max);
    assert.equal(s.n, `3 of ${data.text_max} characters`);
    assert.ok(s.by.split(' ').includes(`${id}-n`));
    assert.equal(s.live, '', 'no announcement far from the limit');
    await page.keyboard.insertText('x'.repeat(data.text_max));
    await page.waitForTimeout(1_300);
    s = await st();
    assert.equal(s.v.length, data.text_max);
    assert.equal(s.live, '0 characters left');
    assert.ok(await frame.evaluate(() => document.getElementById('lp-live').getAttribute('aria-live') === 'polite'));
  } finally {
    await ctx.close();
  }
});

test('print shows every page with panels open and hides the controls; reduced motion has no motion', T, async () => {
  const { ctx, page, frame, data } = await open();
  try {
    await page.emulateMedia({ media: 'print', reducedMotion: 'reduce' });
    await frame.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    const r = await frame.evaluate(() => ({
      pages: [...document.querySelectorAll('.lp-page[data-page]')].map((p) => p.getBoundingClientRect().height > 0),
      results: document.getElementById('lp-results').getBoundingClientRect().height,
      hidden: ['.lp-nav', '.lp-tools', '.lp-check'].map((s) => [...document.querySelectorAll(s)].every((e) => getComputedStyle(e).display === 'none')),
      closed: [...document.querySelectorAll('main details')].filter((d) => !d.open).length,
      motion: document.getAnimations().length + [...document.querySelectorAll('*')].filter((e) => {
        const c = getComputedStyle(e);
        return c.scrollBehavior === 'smooth' || parseFloat(c.transitionDuration) > 0 || c.animationName !== 'none';
      }).length,
    }));
    assert.deepEqual(r.pages, data.pages.map(() => true), 'every page printed');
    assert.equal(r.results, 0, 'the results page (controls, no content) is not printed');
    assert.deepEqual(r.hidden, [true, true, true]);
    assert.equal(r.closed, 0, 'every reveal panel open');
    assert.equal(r.motion, 0);
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 10_000);
  } finally {
    await ctx.close();
  }
});

for (const [label, opts] of [
  ['320 px wide', { viewport: { width: 320, height: 640 } }],
  ['200% zoom (1280×800 at 2×)', { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 }],
]) {
  test(`${label}: no horizontal scrolling, Previous/Next/contents reachable by keyboard, axe clean on every page`, T, async () => {
    const { ctx, page, frame, data } = await open(opts);
    try {
      const L = new Learner(page, frame);
      const problems = [];
      for (let p = 0; p < data.pages.length; p++) {
        await frame.evaluate(() => { document.querySelectorAll('details').forEach((d) => { d.open = true; }); });
        const r = await frame.evaluate(() => {
          const w = document.documentElement.clientWidth;
          const inside = (s) => { const b = document.querySelector(s).getBoundingClientRect(); return b.width > 0 && b.left >= 0 && b.right <= w + 0.5; };
          return { scroll: document.documentElement.scrollWidth, w, next: inside('#lp-next'), prev: inside('#lp-prev'), toc: inside('.lp-toc summary') };
        });
        if (r.scroll > r.w) problems.push(`page ${data.pages[p]}: content ${r.scroll} px wide in ${r.w} px`);
        if (!(r.next && r.prev && r.toc)) problems.push(`page ${data.pages[p]}: controls off screen ${JSON.stringify(r)}`);
        const v = await runAxe(frame);
        if (v.length) problems.push(`page ${data.pages[p]}:\n${formatViolations(v)}`);
        if (p < data.pages.length - 1) await L.next();   // Tab reaches Next and it works
      }
      await L.tabTo('#lp-prev');
      await L.press('Enter');
      assert.equal(await L.current(), data.pages.length - 2);
      await L.tabTo('.lp-toc summary', 400);
      assert.deepEqual(problems, [], problems.join('\n'));
      assert.deepEqual(ctx.log.pageErrors, []);
    } finally {
      await ctx.close();
    }
  });
}

test('web course site: the menu links to each module page, which runs standalone', T, async () => {
  const ctx = await newContext(env.browser);
  try {
    const page = await ctx.newPage();
    await page.goto(`${env.srv.origin}/pkg/every-block-web/index.html`);
    const links = await page.evaluate(() => [...document.querySelectorAll('.lp-menu a')].map((a) => new URL(a.href).pathname.split('/').pop()));
    assert.deepEqual(links, ['all-blocks.html']);
    const v = await runAxe(page.mainFrame());
    assert.deepEqual(v, [], formatViolations(v));
    await page.click('.lp-menu a');
    await booted(page.mainFrame());
    assert.match(await page.evaluate(() => document.getElementById('lp-status').textContent), /not connected to an LMS/i);
    assert.deepEqual(ctx.log.pageErrors, []);
    assert.deepEqual(ctx.log.offsite, []);
  } finally {
    await ctx.close();
  }
});
