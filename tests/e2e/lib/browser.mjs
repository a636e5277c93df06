// Browser, contexts and the SCO session helpers.
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve('axe-core/axe.min.js');

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    // playwright-core adds --headless, --no-sandbox and a fresh temporary --user-data-dir itself
    // (it refuses --user-data-dir in args).
    headless: true,
    chromiumSandbox: false,
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    timeout: 30_000,
  });
}

const LOCAL = /^(https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/|data:|blob:|about:)/;

/** A fresh context (own storage) that blocks and records every non-loopback request, and
 *  records uncaught page errors and console warnings of every page it opens. */
export async function newContext(browser, opts = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1024, height: 800 }, ...opts });
  const log = { offsite: [], pageErrors: [], console: [] };
  await ctx.route('**/*', (route) => {
    const u = route.request().url();
    if (LOCAL.test(u)) return route.continue();
    log.offsite.push(u);
    return route.abort('blockedbyclient');
  });
  const watch = (p) => {
    p.on('pageerror', (e) => log.pageErrors.push(String(e)));
    p.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') log.console.push(`${m.type()}: ${m.text()}`); });
  };
  ctx.on('page', watch);
  ctx.log = log;
  return ctx;
}

/** Opens the LMS harness with the SCO in its iframe; resolves { page, frame } once the runtime booted. */
export async function openInLms(ctx, origin, { version, launch, mode = 'iframe', state = null }) {
  const page = await ctx.newPage();
  if (state) {
    await page.addInitScript((s) => { if (window === window.top) window.__lmsState = s; }, state);
  }
  await page.goto(`${origin}/harness/player.html?version=${version}&mode=${mode}&launch=${encodeURIComponent(launch)}`);
  let frame;
  if (mode === 'popup') {
    const [popup] = await Promise.all([ctx.waitForEvent('page'), page.click('#open-popup')]);
    await popup.waitForLoadState('load');
    frame = popup.mainFrame();
    await booted(frame);
    return { page, frame, sco: popup };
  }
  await page.waitForFunction(() => window.__lms && window.__lms.initialized !== undefined);
  frame = await scoFrame(page);
  await booted(frame);
  return { page, frame, sco: page };
}

/** The frame that holds the SCO (the one that loads lmspack.js). */
export async function scoFrame(page, timeout = 10_000) {
  const until = Date.now() + timeout;
  for (;;) {
    const f = page.frames().find((x) => /\/pkg\//.test(x.url()));
    if (f) return f;
    if (Date.now() > until) throw new Error('SCO frame not found: ' + page.frames().map((x) => x.url()).join(', '));
    await page.waitForTimeout(20);
  }
}

/** Waits until the runtime has run (it removes the no-js class and shows "Page 1 of n"). */
export async function booted(frame) {
  await frame.waitForFunction(() => !document.documentElement.classList.contains('no-js') &&
    window.lmspack && document.getElementById('lp-progress'), null, { timeout: 10_000 });
}

export const lms = (page) => page.evaluate(() => JSON.parse(JSON.stringify(window.__lms)));

/** Ends the SCO as a learner closing it: the iframe is navigated away (pagehide fires in it). */
export async function closeSco(page) {
  await page.evaluate(() => { document.getElementById('sco').src = 'about:blank'; });
  await page.waitForFunction(() => window.__lms.finished, null, { timeout: 5_000 }).catch(() => {});
}

/** axe-core in the SCO frame, WCAG 2.x A/AA rules up to 2.2. Returns trimmed violations. */
export async function runAxe(frame) {
  if (!(await frame.evaluate(() => !!window.axe))) await frame.addScriptTag({ path: AXE_PATH });
  const res = await frame.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    resultTypes: ['violations'],
  }));
  return res.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`),
  }));
}

export function formatViolations(vs) {
  return vs.map((v) => `[${v.impact}] ${v.id}: ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n');
}
