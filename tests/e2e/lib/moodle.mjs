// The harness player (harness/player.js) set up as Moodle 4.5 behaves by default, for whole
// packages: the SCO is chosen from the manifest as Moodle does, each SCO has its own CMI record,
// the LMS's record (`store`) is carried from one launch to the next by the test.
import { lms } from './browser.mjs';
import { onePage } from './generic.mjs';

/** Opens the player on package `pkg` (a name served under /pkg/). `store`: the LMS's record from
 *  an earlier launch (rec.store). `params`: more query parameters (see harness/player.js), e.g.
 *  { newattempt: 1 }, { flaky: 'after:5,ms:3000' }, { lms: '' } for plain scorm-again.
 *  Resolves { page, frame } once the SCO has initialized and shows one page. */
export async function openMoodle(ctx, origin, { version, pkg, store = null, params = {}, ready = true }) {
  const page = await ctx.newPage();
  if (store) await page.addInitScript((s) => { if (window === window.top) window.__lmsStore = s; }, store);
  const qs = new URLSearchParams({ version, lms: 'moodle', pkg: `/pkg/${pkg}/`, ...params });
  await page.goto(`${origin}/harness/player.html?${qs}`);
  await page.waitForFunction(() => window.__lms && (window.__lms.ready || window.__lms.loadError), null, { timeout: 10_000 });
  const err = await page.evaluate(() => window.__lms.loadError);
  if (err) throw new Error('player: ' + err);
  const frame = page.mainFrame().childFrames()[0];   // the player's SCO frame (iframe#sco)
  if (ready) await scoReady(page, frame);
  return { page, frame };
}

/** Waits until the session of the SCO now in the frame has called Initialize and the module shows
 *  exactly one page (one visible level-1 heading). `session`: wait for this session number. */
export async function scoReady(page, frame, { session = null, timeout = 10_000 } = {}) {
  await page.waitForFunction((n) => {
    const r = window.__lms;
    const s = r.sessions[n === null ? r.sessions.length - 1 : n];
    return s && s.calls.some((c) => /Initialize$/.test(c.fn));
  }, session, { timeout });
  await onePage(frame, timeout);
}

/** The learner leaves: the LMS navigates the SCO frame away (pagehide in the SCO), as Moodle does
 *  when the learner follows a link out of the player. Resolves with the record. */
export async function leave(page, { wait = 800 } = {}) {
  await page.evaluate(() => { document.getElementById('sco').src = 'about:blank'; });
  await page.waitForFunction(() => window.__lms.finished, null, { timeout: 5_000 }).catch(() => {});
  await page.waitForTimeout(wait);
  return lms(page);
}

export const next = (page) => page.evaluate(() => window.__lmsControl.next());
export const failWrites = (page, spec) => page.evaluate((s) => window.__lmsControl.fail(s), spec);
/** Reloads the SCO frame (as F5 in it would); resolves once a new document has loaded there.
 *  `terminate: false`: the unloading page's LMSFinish/Terminate is lost (see harness/player.js). */
export async function reloadSco(page, frame, opts = {}) {
  await frame.evaluate(() => { window.__beforeReload = true; });
  await page.evaluate((o) => window.__lmsControl.reload(o), opts);
  await frame.waitForFunction(() => !window.__beforeReload && document.readyState === 'complete', null, { timeout: 10_000, polling: 50 });
}

/** How many times the SCO has called Initialize in this player (all sessions). */
export const initCalls = (rec) => rec.sessions.reduce((n, s) => n + s.calls.filter((c) => /Initialize$/.test(c.fn)).length, 0);

/** The SCO ids of the package in organization order, and the session records. */
export const sessions = (rec) => rec.sessions;

/** Element `el` (dotted, e.g. 'core.lesson_status' or 'score.raw') of the LMS's stored record of `sco`. */
export function stored(rec, sco, el) {
  let v = rec.store.tracks[sco];
  for (const k of el.split('.')) v = v == null ? undefined : v[k];
  return v;
}

/** The stored interactions of `sco` as a list. */
export function storedInteractions(rec, sco) {
  const its = rec.store.tracks[sco]?.interactions || {};
  return Object.keys(its).sort((a, b) => a - b).map((k) => its[k]);
}
