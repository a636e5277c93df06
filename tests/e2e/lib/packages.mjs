// Builds the packages under test with the lmspack binary and unzips them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Builds `sources` (course folders relative to the repo) for `targets` (both SCORM targets by
 *  default) into a fresh temporary folder;
 *  returns { dir, packages: { name: { dir, version, module, source, target } } }. */
export function buildPackages(sources, targets = ['scorm12', 'scorm2004'], mode = 'module') {
  const bin = process.env.LMSPACK_BIN || path.join(REPO, 'target/debug/lmspack');
  if (!fs.existsSync(bin)) throw new Error(`no lmspack binary at ${bin}: run \`cargo build\` (or set LMSPACK_BIN)`);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lmspack-e2e-'));
  const packages = {};
  for (const src of sources) {
    const dest = path.join(out, src.replace(/[^\w-]+/g, '_'));
    execFileSync(bin, ['build', path.join(REPO, src), '--out', dest, '--target', targets.join(','), '--package', mode, '--quiet'], { stdio: 'inherit' });
    for (const zip of fs.readdirSync(dest).filter((f) => f.endsWith('.zip')).sort()) {
      const m = /^(.*)-(scorm12|scorm2004|xapi|cmi5|web)\.zip$/.exec(zip);
      if (!m) continue;
      const name = `${m[1]}-${m[2]}`;
      const dir = path.join(dest, name);
      execFileSync('unzip', ['-q', '-o', path.join(dest, zip), '-d', dir]);
      if (process.env.E2E_RUNTIME === 'source') overlayRuntime(dir);
      packages[name] = { dir, version: m[2] === 'scorm12' ? '1.2' : m[2] === 'scorm2004' ? '2004' : m[2], module: m[1], source: src, target: m[2] };
    }
  }
  return { dir: out, packages };
}

/** The module data block of an unzipped package. */
export function moduleData(dir) {
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const m = /<script type="application\/json" id="lmspack-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error(`no lmspack-data in ${dir}/index.html`);
  return JSON.parse(m[1]);
}

/** Launch href of the first SCO in the manifest (a web site, which has none: its index.html). */
export function launchHref(dir) {
  if (!fs.existsSync(path.join(dir, 'imsmanifest.xml')) && fs.existsSync(path.join(dir, 'index.html'))) return 'index.html';
  const xml = fs.readFileSync(path.join(dir, 'imsmanifest.xml'), 'utf8');
  const res = [...xml.matchAll(/<resource\b[^>]*>/g)].map((m) => m[0]).find((t) => /scormtype\s*=\s*["']sco["']/i.test(t));
  const href = res && (/\bhref\s*=\s*["']([^"']+)["']/.exec(res) || [])[1];
  if (!href) throw new Error(`no SCO resource in ${dir}/imsmanifest.xml`);
  return href;
}

/** E2E_RUNTIME=source: test runtime/lmspack.js and .css from the working tree instead of the copy
 *  embedded in the binary (for work on the runtime without a rebuild; the theme line is kept). */
function overlayRuntime(dir) {
  fs.copyFileSync(path.join(REPO, 'runtime/lmspack.js'), path.join(dir, 'lmspack/lmspack.js'));
  const css = path.join(dir, 'lmspack/lmspack.css');
  const theme = fs.readFileSync(css, 'utf8').split('\n')[0];
  fs.writeFileSync(css, theme + '\n' + fs.readFileSync(path.join(REPO, 'runtime/lmspack.css'), 'utf8'));
}

/** The AUs of an unzipped cmi5 package's cmi5.xml: { id, moveOn, masteryScore, url }. */
export function cmi5Aus(dir) {
  const xml = fs.readFileSync(path.join(dir, 'cmi5.xml'), 'utf8');
  return [...xml.matchAll(/<au\b([^>]*)>([\s\S]*?)<\/au>/g)].map(([, attrs, body]) => {
    const attr = (n) => (new RegExp(`\\b${n}="([^"]*)"`).exec(attrs) || [])[1];
    return {
      id: attr('id'), moveOn: attr('moveOn'), url: /<url>([^<]*)<\/url>/.exec(body)[1],
      masteryScore: attr('masteryScore') === undefined ? undefined : Number(attr('masteryScore')),
    };
  });
}

/** The activities of an unzipped Tin Can package's tincan.xml, in order: { id, type, launch }. */
export function tincanActivities(dir) {
  const xml = fs.readFileSync(path.join(dir, 'tincan.xml'), 'utf8');
  return [...xml.matchAll(/<activity\b([^>]*)>([\s\S]*?)<\/activity>/g)].map(([, attrs, body]) => ({
    id: /\bid="([^"]*)"/.exec(attrs)[1], type: (/\btype="([^"]*)"/.exec(attrs) || [])[1],
    launch: (/<launch[^>]*>([^<]*)<\/launch>/.exec(body) || [])[1],
  }));
}
