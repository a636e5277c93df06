// The test LMS itself (harness/player.js as Moodle 4.5): each behaviour the journey tests rely on,
// checked with a two-SCO package of blank pages whose API calls the test makes itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';
import { launchBrowser, newContext, lms } from '../lib/browser.mjs';
import { openMoodle, next, failWrites, reloadSco, stored } from '../lib/moodle.mjs';

const T = { timeout: 30_000 };
const env = {};

function manifest12() {
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="M" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <organizations default="ORG"><organization identifier="ORG"><title>T</title>
    <item identifier="ALL"><title>All</title>
      <item identifier="I1" identifierref="R1"><title>One</title><adlcp:masteryscore>80</adlcp:masteryscore></item>
      <item identifier="I2" identifierref="R2"><title>Two</title><adlcp:masteryscore>70</adlcp:masteryscore></item>
    </item></organization></organizations>
  <resources>
    <resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="one.html"/>
    <resource identifier="R2" type="webcontent" adlcp:scormtype="sco" href="two.html"/>
  </resources></manifest>`;
}

function manifest2004() {
  const seq = (m) => `<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="O" satisfiedByMeasure="true"><imsss:minNormalizedMeasure>${m}</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives></imsss:sequencing>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="M" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <organizations default="ORG"><organization identifier="ORG"><title>T</title>
    <item identifier="ALL"><title>All</title>
      <item identifier="I1" identifierref="R1"><title>One</title>${seq('0.8')}</item>
      <item identifier="I2" identifierref="R2"><title>Two</title>${seq('0.7')}</item>
    </item></organization></organizations>
  <resources>
    <resource identifier="R1" type="webcontent" adlcp:scormType="sco" href="one.html"/>
    <resource identifier="R2" type="webcontent" adlcp:scormType="sco" href="two.html"/>
  </resources></manifest>`;
}

before(async () => {
  env.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lmspack-lms-'));
  const pk = {};
  for (const [name, xml] of [['two12', manifest12()], ['two04', manifest2004()]]) {
    const dir = path.join(env.tmp, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'imsmanifest.xml'), xml);
    for (const f of ['one', 'two']) fs.writeFileSync(path.join(dir, `${f}.html`), `<!doctype html><title>${f}</title><h1>${f}</h1>`);
    pk[name] = dir;
  }
  env.srv = await startServer(pk);
  env.browser = await launchBrowser();
  env.ctx = await newContext(env.browser);   // one context: a page per launch is enough here
});
after(async () => {
  await env.browser?.close();
  await env.srv?.close();
  if (env.tmp) fs.rmSync(env.tmp, { recursive: true, force: true });
});

/** Calls the LMS API from the SCO frame, as the SCO would: `calls` is [[fn, ...args], ...];
 *  resolves [[ret, lastError], ...]. */
function api(frame, v12, calls) {
  return frame.evaluate(([name, cs]) => {
    let w = window, a = null;
    while (w && !(a = w[name]) && w.parent !== w) w = w.parent;
    const err = name === 'API' ? 'LMSGetLastError' : 'GetLastError';
    return cs.map(([fn, ...args]) => { const r = a[fn](...args); return [r, a[err]()]; });
  }, [v12 ? 'API' : 'API_1484_11', calls]);
}

async function open(version, pkg, opts = {}) {
  const s = await openMoodle(env.ctx, env.srv.origin, { version, pkg, ready: false, ...opts });
  await s.frame.waitForURL(/one\.html|two\.html/);
  await s.frame.waitForLoadState();
  return { ctx: { close: () => s.page.close() }, ...s };
}

test('1.2 mastery score overrides status at LMSFinish (not at LMSCommit): 50 with mastery 80 → failed, 85 → passed; mastery=0 keeps completed', T, async () => {
  for (const [raw, params, want] of [['50', {}, 'failed'], ['85', {}, 'passed'], ['50', { mastery: '0' }, 'completed']]) {
    const s = await open('1.2', 'two12', { params });
    try {
      const r = await api(s.frame, true, [
        ['LMSInitialize', ''], ['LMSGetValue', 'cmi.student_data.mastery_score'], ['LMSGetValue', 'cmi.core.lesson_mode'],
        ['LMSGetValue', 'cmi.core.credit'], ['LMSGetValue', 'cmi.core.entry'],
        ['LMSSetValue', 'cmi.core.score.raw', raw], ['LMSSetValue', 'cmi.core.lesson_status', 'completed'], ['LMSCommit', ''],
        ['LMSGetValue', 'cmi.core.lesson_status'],
      ]);
      assert.deepEqual(r.map((x) => x[0]), ['true', '80', 'normal', 'credit', 'ab-initio', 'true', 'true', 'true', 'completed']);
      let rec = await lms(s.page);
      assert.equal(stored(rec, 'I1', 'core.lesson_status'), 'completed', 'the commit stores the status as set');
      await api(s.frame, true, [['LMSFinish', '']]);
      rec = await lms(s.page);
      assert.equal(stored(rec, 'I1', 'core.lesson_status'), want, `raw ${raw} ${JSON.stringify(params)}`);
      assert.equal(stored(rec, 'I1', 'core.score.raw'), raw);
    } finally {
      await s.ctx.close();
    }
  }
});

test('1.2 attempts: a passed/failed/completed attempt relaunches in review / no-credit with its record; newattempt=1 starts clean (ab-initio)', T, async () => {
  let s = await open('1.2', 'two12');
  let rec;
  try {
    await api(s.frame, true, [['LMSInitialize', ''], ['LMSSetValue', 'cmi.core.score.raw', '90'], ['LMSSetValue', 'cmi.core.lesson_status', 'passed'],
      ['LMSSetValue', 'cmi.suspend_data', 'kept'], ['LMSFinish', '']]);
    await next(s.page);
    await s.frame.waitForURL(/two\.html/);
    await api(s.frame, true, [['LMSInitialize', ''], ['LMSSetValue', 'cmi.core.lesson_status', 'completed'], ['LMSFinish', '']]);
    rec = await lms(s.page);
    assert.equal(rec.sessions.length, 2);
    assert.deepEqual(rec.sessions.map((x) => x.sco), ['I1', 'I2']);
  } finally {
    await s.ctx.close();
  }
  s = await open('1.2', 'two12', { store: rec.store });
  try {
    const r = await api(s.frame, true, [['LMSInitialize', ''], ['LMSGetValue', 'cmi.core.lesson_mode'], ['LMSGetValue', 'cmi.core.credit'],
      ['LMSGetValue', 'cmi.core.entry'], ['LMSGetValue', 'cmi.core.score.raw'], ['LMSGetValue', 'cmi.core.lesson_status'], ['LMSGetValue', 'cmi.suspend_data']]);
    assert.deepEqual(r.map((x) => x[0]), ['true', 'review', 'no-credit', '', '90', 'passed', 'kept']);
    assert.match(s.frame.url(), /one\.html$/);
    // Writes in review mode are stored (Moodle's datamodel.php does not look at the mode), and the
    // mastery score does not apply without credit.
    await api(s.frame, true, [['LMSSetValue', 'cmi.core.score.raw', '10'], ['LMSFinish', '']]);
    const r2 = await lms(s.page);
    assert.equal(stored(r2, 'I1', 'core.score.raw'), '10');
    assert.equal(stored(r2, 'I1', 'core.lesson_status'), 'passed');
  } finally {
    await s.ctx.close();
  }
  s = await open('1.2', 'two12', { store: rec.store, params: { newattempt: '1' } });
  try {
    const r = await api(s.frame, true, [['LMSInitialize', ''], ['LMSGetValue', 'cmi.core.lesson_mode'], ['LMSGetValue', 'cmi.core.credit'],
      ['LMSGetValue', 'cmi.core.entry'], ['LMSGetValue', 'cmi.core.score.raw'], ['LMSGetValue', 'cmi.suspend_data']]);
    assert.deepEqual(r.map((x) => x[0]), ['true', 'normal', 'credit', 'ab-initio', '', '']);
    assert.equal((await lms(s.page)).store.attempt, 2);
  } finally {
    await s.ctx.close();
  }
});

test('1.2 multi-SCO: nav.event=continue moves on after LMSFinish; the relaunch opens the first unfinished SCO with entry=resume and its own data', T, async () => {
  let s = await open('1.2', 'two12');
  let rec;
  try {
    await api(s.frame, true, [['LMSInitialize', ''], ['LMSSetValue', 'cmi.core.score.raw', '40'], ['LMSSetValue', 'nav.event', 'continue'], ['LMSFinish', '']]);
    await s.frame.waitForURL(/two\.html/, { timeout: 3_000 });
    await s.frame.waitForLoadState();
    await api(s.frame, true, [['LMSInitialize', ''], ['LMSSetValue', 'cmi.suspend_data', 'two-data'], ['LMSSetValue', 'cmi.core.lesson_location', 'p3'],
      ['LMSSetValue', 'cmi.core.lesson_status', 'incomplete'], ['LMSSetValue', 'cmi.core.exit', 'suspend'], ['LMSFinish', '']]);
    rec = await lms(s.page);
    assert.equal(stored(rec, 'I1', 'core.lesson_status'), 'failed', 'SCO 1: 40 < mastery 80 at LMSFinish');
    assert.equal(stored(rec, 'I2', 'suspend_data'), 'two-data');
  } finally {
    await s.ctx.close();
  }
  s = await open('1.2', 'two12', { store: rec.store });
  try {
    assert.match(s.frame.url(), /two\.html$/, 'SCO 1 is finished (failed): the first unfinished SCO is launched');
    const r = await api(s.frame, true, [['LMSInitialize', ''], ['LMSGetValue', 'cmi.core.entry'], ['LMSGetValue', 'cmi.suspend_data'],
      ['LMSGetValue', 'cmi.core.lesson_location'], ['LMSGetValue', 'cmi.student_data.mastery_score'], ['LMSGetValue', 'cmi.core.lesson_mode']]);
    assert.deepEqual(r.map((x) => x[0]), ['true', 'resume', 'two-data', 'p3', '70', 'normal']);
  } finally {
    await s.ctx.close();
  }
});

test('1.2 suspend_data: 4096 characters are taken, 4097 refused with 405 (Moodle\'s CMIString4096)', T, async () => {
  const s = await open('1.2', 'two12');
  try {
    const r = await api(s.frame, true, [['LMSInitialize', ''], ['LMSSetValue', 'cmi.suspend_data', 'x'.repeat(4096)], ['LMSSetValue', 'cmi.suspend_data', 'y'.repeat(4097)]]);
    assert.deepEqual(r.slice(1), [['true', '0'], ['false', '405']]);
  } finally {
    await s.ctx.close();
  }
});

test('flaky LMS: after N accepted writes, SetValue and Commit are refused (1.2: 101; 2004: 351 / 391) for K calls or T ms, then accepted; refused values are not stored', T, async () => {
  let s = await open('1.2', 'two12', { params: { flaky: 'after:1,calls:3' } });
  try {
    const r = await api(s.frame, true, [['LMSInitialize', ''], ['LMSSetValue', 'cmi.core.lesson_location', 'a'], ['LMSSetValue', 'cmi.core.lesson_location', 'b'],
      ['LMSCommit', ''], ['LMSSetValue', 'cmi.suspend_data', 'lost'], ['LMSSetValue', 'cmi.core.lesson_location', 'c'], ['LMSCommit', '']]);
    assert.deepEqual(r.slice(1), [['true', '0'], ['false', '101'], ['false', '101'], ['false', '101'], ['true', '0'], ['true', '0']]);
    const rec = await lms(s.page);
    assert.equal(stored(rec, 'I1', 'core.lesson_location'), 'c');
    assert.equal(stored(rec, 'I1', 'suspend_data'), '', 'a refused SetValue never reaches the record');
  } finally {
    await s.ctx.close();
  }
  s = await open('2004', 'two04');
  try {
    await api(s.frame, false, [['Initialize', ''], ['SetValue', 'cmi.location', 'a']]);
    await failWrites(s.page, { ms: 400 });
    const r = await api(s.frame, false, [['SetValue', 'cmi.location', 'b'], ['Commit', ''], ['GetValue', 'cmi.location']]);
    assert.deepEqual(r, [['false', '351'], ['false', '391'], ['a', '0']]);
    await s.page.waitForTimeout(450);
    const r2 = await api(s.frame, false, [['SetValue', 'cmi.location', 'c'], ['Commit', '']]);
    assert.deepEqual(r2, [['true', '0'], ['true', '0']]);
    const rec = await lms(s.page);
    assert.equal(stored(rec, 'I1', 'location'), 'c');
    assert.ok(rec.outageStarted && rec.outageEnded > rec.outageStarted);
  } finally {
    await s.ctx.close();
  }
});

test('2004 multi-SCO: after Terminate with adl.nav.request=continue, SCO 2 loads in the same frame; the terminated API answers Initialize with 104 until a fresh one is installed (staleapi)', T, async () => {
  const s = await open('2004', 'two04', { params: { staleapi: '1500' } });   // wide enough for a slow machine
  try {
    const r = await api(s.frame, false, [['Initialize', ''], ['GetValue', 'cmi.scaled_passing_score'], ['SetValue', 'cmi.score.scaled', '0.5'],
      ['GetValue', 'cmi.success_status'], ['SetValue', 'cmi.exit', 'normal'], ['SetValue', 'adl.nav.request', 'continue'], ['Terminate', '']]);
    assert.deepEqual(r.map((x) => x[0]), ['true', '0.8', 'true', 'failed', 'true', 'true', 'true'],
      'a 2004 LMS computes success_status from score.scaled and the manifest\'s minNormalizedMeasure');
    await s.frame.waitForURL(/two\.html/, { timeout: 3_000 });
    // SCO 2 tries at once, then every 25 ms, as a runtime that retries would.
    const tries = await s.frame.evaluate(async () => {
      const out = [], t0 = Date.now();
      for (;;) {
        const a = window.parent.API_1484_11;
        const ok = a.Initialize('');
        out.push([ok, a.GetLastError(), Date.now() - t0]);
        if (ok === 'true' || Date.now() - t0 > 2000) return out;
        await new Promise((res) => setTimeout(res, 25));
      }
    });
    assert.deepEqual(tries[0].slice(0, 2), ['false', '104'], 'the first Initialize meets the terminated API');
    assert.equal(tries[tries.length - 1][0], 'true', 'a fresh API object is there later');
    const rec = await lms(s.page);
    assert.deepEqual(rec.sessions.map((x) => x.sco), ['I1', 'I2']);
    assert.equal(rec.sessions[0].nav, 'continue');
    assert.ok(rec.sessions[0].afterEnd.some((c) => c.fn === 'Initialize' && c.err === '104'), 'the 104 is recorded against SCO 1');
    assert.equal(stored(rec, 'I1', 'exit'), 'normal');
  } finally {
    await s.ctx.close();
  }
});

test('reload of the SCO frame: 2004 Initialize after the page\'s Terminate → 104; without it → 103; 1.2 (Moodle) → "true" with this launch\'s data, without LMSFinish → 101', T, async () => {
  for (const [version, pkg, terminate, want] of [['2004', 'two04', true, ['false', '104']], ['2004', 'two04', false, ['false', '103']],
    ['1.2', 'two12', true, ['true', '0']], ['1.2', 'two12', false, ['false', '101']]]) {
    const v12 = version === '1.2';
    const s = await open(version, pkg);
    try {
      // The page ends its session when it unloads, as a SCO does.
      await s.frame.evaluate(([n12]) => {
        const a = n12 ? window.parent.API : window.parent.API_1484_11;
        a[n12 ? 'LMSInitialize' : 'Initialize']('');
        a[n12 ? 'LMSSetValue' : 'SetValue'](n12 ? 'cmi.suspend_data' : 'cmi.suspend_data', 'before reload');
        window.addEventListener('pagehide', () => a[n12 ? 'LMSFinish' : 'Terminate'](''));
      }, [v12]);
      await reloadSco(s.page, s.frame, { terminate });
      const r = await api(s.frame, v12, [[v12 ? 'LMSInitialize' : 'Initialize', '']]);
      assert.deepEqual(r[0], want, `${version} reload, terminate=${terminate}`);
      const rec = await lms(s.page);
      assert.equal(rec.sessions.length, 1, 'a reload is the same session');
      assert.equal(rec.sessions[0].dropped.length, terminate ? 0 : 1);
      if (v12 && terminate) {
        const r2 = await api(s.frame, true, [['LMSGetValue', 'cmi.suspend_data'], ['LMSGetValue', 'cmi.core.entry']]);
        assert.deepEqual(r2.map((x) => x[0]), ['before reload', 'ab-initio'], 'Moodle 1.2: the page\'s data stay, entry is still that of the launch');
      }
    } finally {
      await s.ctx.close();
    }
  }
});
