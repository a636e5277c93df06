// Per-file set-up: build the packages, serve them on loopback, start one browser.
import { before, after } from 'node:test';
import fs from 'node:fs';
import { buildPackages } from './packages.mjs';
import { startServer } from './server.mjs';
import { launchBrowser } from './browser.mjs';

/** E2E_COURSE=all tests every module of course/ (the default); E2E_COURSE=<module id>[,...] some. */
export const COURSE_MODULES = (process.env.E2E_COURSE || 'all').split(',').filter(Boolean);

export function setup(sources = ['fixtures/every-block', 'course'], { targets, api, modes = ['module'] } = {}) {
  const env = { P: {}, srv: null, browser: null, tmp: [] };
  before(async () => {
    // `modes`: 'module' (a package per module) and/or 'course' (one package, a SCO per module;
    // pk.package is 'course' for those, and kept only when E2E_COURSE is all).
    for (const mode of modes) {
      const built = buildPackages(sources, targets, mode);
      env.tmp.push(built.dir);
      for (const [name, pk] of Object.entries(built.packages)) {
        pk.package = mode;
        if (pk.source === 'course' && !COURSE_MODULES.includes('all') && (mode === 'course' || !COURSE_MODULES.includes(pk.module))) continue;
        env.P[name] = pk;
      }
    }
    env.srv = await startServer(Object.fromEntries(Object.entries(env.P).map(([k, v]) => [k, v.dir])), api ? await api() : null);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.srv?.close();
    for (const d of env.tmp) fs.rmSync(d, { recursive: true, force: true });
  });
  return env;
}

/** Package names of `source` ('fixtures/every-block' or 'course'), as built by the lmspack CLI. */
export function namesOf(source) {
  if (source === 'course') {
    const mods = fs.readdirSync(new URL('../../../course/', import.meta.url), { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(new URL(`../../../course/${d.name}/module.yaml`, import.meta.url)))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((d) => /^id:\s*["']?([\w-]+)/m.exec(fs.readFileSync(new URL(`../../../course/${d.name}/module.yaml`, import.meta.url), 'utf8'))[1]);
    return mods.filter((m) => COURSE_MODULES.includes('all') || COURSE_MODULES.includes(m));
  }
  return ['all-blocks'];
}
