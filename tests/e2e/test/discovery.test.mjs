// API discovery from a nested frame and from a popup; standalone mode (no API) with its notice
// and progress in localStorage; the runtime's time formatters; the size budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { setup } from '../lib/setup.mjs';
import { newContext, openInLms, lms, booted, runAxe, formatViolations } from '../lib/browser.mjs';
import { launchHref, moduleData, REPO } from '../lib/packages.mjs';
import { Learner, answer, questionState } from '../lib/learner.mjs';
import { TIMESPAN_12, DURATION_2004, names, assertClean, assertEndedOnce } from '../lib/scorm.mjs';

const env = setup(['fixtures/every-block'], { targets: ['scorm12', 'scorm2004', 'xapi', 'cmi5', 'web'] });
const T = { timeout: 30_000 };

for (const std of ['scorm12', 'scorm2004']) {
  for (const mode of ['nested', 'popup']) {
    test(`${std}: the API is found from ${mode === 'nested' ? 'a frame nested two levels down' : 'a popup (window.opener)'}`, T, async () => {
      const name = `all-blocks-${std}`, pk = env.P[name], n = names(pk.version === '1.2');
      const ctx = await newContext(env.browser);
      try {
        const s = await openInLms(ctx, env.srv.origin, { version: pk.version, launch: `/pkg/${name}/${launchHref(pk.dir)}`, mode });
        if (mode === 'nested') assert.equal(s.frame.parentFrame().parentFrame(), s.page.mainFrame());
        else assert.notEqual(s.sco, s.page);
        let rec = await lms(s.page);
        assert.equal(rec.initialized, true);
        assert.equal(await s.frame.evaluate(() => document.getElementById('lp-status').textContent), '');
        await new Learner(s.sco, s.frame).next();
        if (mode === 'popup') await s.sco.close({ runBeforeUnload: true });
        else await s.page.evaluate(() => { document.getElementById('sco').src = 'about:blank'; });
        await s.page.waitForFunction(() => window.__lms.finished, null, { timeout: 5_000 });
        rec = await lms(s.page);
        assertClean(rec);
        assertEndedOnce(rec);
        assert.equal(rec.calls.filter((c) => c.fn === n.init).length, 1);
      } finally {
        await ctx.close();
      }
    });
  }
}

test('standalone (the web package, no LMS): a visible "not connected" notice, progress kept in localStorage across a reload', T, async () => {
  const name = 'all-blocks-web', pk = env.P[name], data = moduleData(pk.dir);
  assert.equal(data.api, 'standalone');
  const ctx = await newContext(env.browser);
  try {
    const page = await ctx.newPage();
    await page.goto(`${env.srv.origin}/pkg/${name}/${launchHref(pk.dir)}`);
    const frame = page.mainFrame();
    await booted(frame);
    const notice = await frame.evaluate(() => {
      const el = document.getElementById('lp-status'), r = el.getBoundingClientRect();
      return { text: el.textContent, visible: r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden', role: el.getAttribute('role') };
    });
    assert.match(notice.text, /not connected to an LMS/i);
    assert.ok(notice.visible, 'the notice is visible');
    const v = await runAxe(frame);
    assert.deepEqual(v, [], formatViolations(v));
    const L = new Learner(page, frame);
    const a = await answer(L, data, 1, true);
    await L.next();
    await page.reload();
    await booted(frame);
    const stored = await frame.evaluate((k) => localStorage.getItem(k), `lmspack:${data.course.id}:${data.module.id}`);
    assert.ok(stored, 'progress is in localStorage');
    assert.equal(await frame.evaluate(() => document.querySelector('.lp-page:not([hidden])').id), `p-${data.pages[1]}`);
    assert.deepEqual((await questionState(frame, a.q)).checked, a.a);
    assert.match(await frame.evaluate(() => document.getElementById('lp-status').textContent), /not connected/i);
    assert.deepEqual(ctx.log.pageErrors, []);
    assert.deepEqual(ctx.log.offsite, []);
  } finally {
    await ctx.close();
  }
});

test('time formatters match the spec formats, exact cases and 20,000 random durations', T, async () => {
  const name = 'all-blocks-scorm12', pk = env.P[name];
  const ctx = await newContext(env.browser);
  try {
    const page = await ctx.newPage();
    await page.goto(`${env.srv.origin}/pkg/${name}/${launchHref(pk.dir)}`);
    await booted(page.mainFrame());
    const exact = await page.evaluate(() => [0, -5, NaN, 4, 5, 10, 1234, 1500, 59999, 60000, 3600000, 3723450, 360005000, 1e15]
      .map((ms) => [ms, window.lmspack.time12(ms), window.lmspack.time2004(ms)]));
    const want = {
      0: ['0000:00:00.00', 'PT0S'], 4: ['0000:00:00.00', 'PT0S'], 5: ['0000:00:00.01', 'PT0.01S'], 10: ['0000:00:00.01', 'PT0.01S'],
      1234: ['0000:00:01.23', 'PT1.23S'], 1500: ['0000:00:01.50', 'PT1.5S'], 59999: ['0000:01:00.00', 'PT1M'],
      60000: ['0000:01:00.00', 'PT1M'], 3600000: ['0001:00:00.00', 'PT1H'], 3723450: ['0001:02:03.45', 'PT1H2M3.45S'],
      360005000: ['0100:00:05.00', 'PT100H5S'], 1e15: ['9999:59:59.99', null],
    };
    for (const [ms, t12, t04] of exact) {
      assert.match(t12, TIMESPAN_12, `time12(${ms})`);
      assert.match(t04, DURATION_2004, `time2004(${ms})`);
      if (want[ms]) {
        assert.equal(t12, want[ms][0], `time12(${ms})`);
        if (want[ms][1]) assert.equal(t04, want[ms][1], `time2004(${ms})`);
      }
    }
    // Property: any duration formats to a valid value that reads back as the same centiseconds.
    const rand = await page.evaluate(() => {
      let seed = 12345;
      const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      const out = [];
      for (let i = 0; i < 20000; i++) {
        const scale = [1e3, 6e4, 3.6e6, 8.64e7, 3.6e9, 3.6e10][i % 6];
        const ms = i % 97 === 0 ? -next() * 1e5 : next() * scale;
        out.push([ms, window.lmspack.time12(ms), window.lmspack.time2004(ms)]);
      }
      return out;
    });
    const cs12 = (t) => { const [h, m, s] = t.split(':'); return Math.round(((+h * 60 + +m) * 60 + +s) * 100); };
    const cs04 = (t) => {
      const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(t);
      return Math.round((((+(m[1] || 0)) * 60 + +(m[2] || 0)) * 60 + +(m[3] || 0)) * 100);
    };
    for (const [ms, t12, t04] of rand) {
      assert.match(t12, TIMESPAN_12, `time12(${ms})`);
      assert.match(t04, DURATION_2004, `time2004(${ms})`);
      const cs = Math.max(0, Math.round(ms / 10));
      assert.equal(cs12(t12), cs, `time12(${ms}) = ${t12}`);
      assert.equal(cs04(t04), cs, `time2004(${ms}) = ${t04}`);
    }
  } finally {
    await ctx.close();
  }
});

test('option order: shuffled per learner and the same on every launch; the author\'s order without shuffle; the author\'s letters in interactions', T, async () => {
  const name = 'all-blocks-scorm12', pk = env.P[name], data = moduleData(pk.dir);
  const launch = `/pkg/${name}/${launchHref(pk.dir)}`;
  const orders = async (who) => {
    const ctx = await newContext(env.browser);
    try {
      const { page, frame, sco } = await openInLms(ctx, env.srv.origin, { version: '1.2', launch, state: { cmi: { core: { student_id: who } } } });
      const seen = await frame.evaluate(() => Object.fromEntries([...document.querySelectorAll('[data-q]')].map((el) => [el.dataset.q,
        [...el.querySelectorAll('.lp-options input')].map((i) => i.value).join(',')])));
      // The first shuffled question, answered right: the interaction names the author's letters.
      const i = data.questions.findIndex((q) => q.shuffle);
      const a = await answer(new Learner(sco, frame), data, i, true);
      await page.waitForFunction(() => window.__lms.calls.some((c) => /interactions\.0\.student_response/.test(c.args[0])));
      const rec = await lms(page);
      const sent = rec.calls.find((c) => c.args[0] === 'cmi.interactions.0.student_response').args[1];
      return { seen, sent, want: a.r12 };
    } finally {
      await ctx.close();
    }
  };
  const a1 = await orders('learner-a'), a2 = await orders('learner-a'), b = await orders('learner-b');
  const shuffled = data.questions.map((q, i) => [q, String(i)]).filter(([q]) => q.shuffle);
  assert.ok(shuffled.length >= 2, 'the fixture has shuffled questions');
  assert.deepEqual(a1.seen, a2.seen, 'the same learner sees the same order on every launch');
  assert.ok(shuffled.some(([, i]) => a1.seen[i] !== b.seen[i]), 'another learner sees another order');
  const author = (seen) => seen.split(',').map(Number).sort((x, y) => x - y).join(',');
  assert.ok(shuffled.some(([, i]) => a1.seen[i] !== author(a1.seen[i])), 'options are not in the author\'s order');
  for (const [i, q] of data.questions.entries()) {
    if (!q.shuffle && q.kind !== 'matching' && a1.seen[i]) assert.equal(a1.seen[i], author(a1.seen[i]), `${q.id}: the author's order`);
  }
  for (const r of [a1, a2, b]) assert.equal(r.sent, r.want, 'the response is in the author\'s letters');
});

test('size budget: runtime + UI JS ≤ 12 KB gzip, CSS ≤ 5 KB gzip in every package kind (as shipped)', () => {
  const gz = (f) => zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length;
  for (const target of ['scorm12', 'scorm2004', 'xapi', 'cmi5', 'web']) {
    const dir = env.P[`all-blocks-${target}`].dir;
    const js = gz(path.join(dir, 'lmspack/lmspack.js')), css = gz(path.join(dir, 'lmspack/lmspack.css'));
    console.log(`${target}: lmspack.js ${js} B gzip, lmspack.css ${css} B gzip`);
    if (process.env.E2E_RUNTIME === 'source') continue; // the whole source, not what is shipped
    assert.ok(js <= 12 * 1024, `${target}: lmspack.js is ${js} B gzipped, over 12 KB`);
    assert.ok(css <= 5 * 1024, `${target}: lmspack.css is ${css} B gzipped, over 5 KB`);
    // Every JS/CSS file the player loads is counted: nothing else ships in lmspack/.
    assert.deepEqual(fs.readdirSync(path.join(dir, 'lmspack')).sort(), ['lmspack.css', 'lmspack.js']);
  }
  assert.ok(fs.existsSync(path.join(REPO, 'runtime/lmspack.js')));
});
