// Ralph (PyPI ralph-malph, a FastAPI LRS) on 127.0.0.1 with its filesystem backend, for the Tin Can
// tests, and the harness's front for it: Ralph has no State API, so the harness serves
// activities/state itself and forwards /statements to Ralph. run.sh installs Ralph into
// tests/e2e/.venv; RALPH_BIN points elsewhere.
//
//   /tincan/lrs/statements        -> Ralph /xAPI/statements (every posted statement also goes
//                                    through @learninglocker/xapi-validation)
//   /tincan/lrs/activities/state  -> served here
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const xapiValidation = require('@learninglocker/xapi-validation');
const validateStatement = xapiValidation.default || xapiValidation;
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const RALPH_BIN = process.env.RALPH_BIN || path.join(HERE, '../.venv/bin/ralph');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

export class Ralph {
  /** Starts Ralph; resolves once it answers. */
  static async start() {
    if (!fs.existsSync(RALPH_BIN)) throw new Error(`Ralph is not installed at ${RALPH_BIN}: run tests/e2e/run.sh (it creates tests/e2e/.venv)`);
    const r = new Ralph();
    r.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmspack-ralph-'));
    fs.mkdirSync(path.join(r.dir, 'data'));
    fs.mkdirSync(path.join(r.dir, 'app'));
    const password = crypto.randomBytes(12).toString('hex');
    const env = {
      ...process.env, RALPH_APP_DIR: path.join(r.dir, 'app'), RALPH_AUTH_FILE: path.join(r.dir, 'app/auth.json'),
      RALPH_RUNSERVER_BACKEND: 'fs',
    };
    execFileSync(RALPH_BIN, ['auth', '-u', 'lmspack', '-p', password, '-s', 'all', '-M', 'mailto:lrs@example.org', '-w'], { env, stdio: 'pipe' });
    r.auth = 'Basic ' + Buffer.from(`lmspack:${password}`).toString('base64');
    r.port = await freePort();
    r.log = '';
    // Not `ralph runserver`: see lib/ralph-serve.py (Ralph 5.1.0's filesystem backend fails every
    // statement POST after the first).
    r.proc = spawn(path.join(path.dirname(RALPH_BIN), 'python'), [path.join(HERE, 'ralph-serve.py'), '127.0.0.1', String(r.port)],
      { env: { ...env, RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH: path.join(r.dir, 'data') }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    r.proc.stdout.on('data', (d) => { r.log += d; });
    r.proc.stderr.on('data', (d) => { r.log += d; });
    const until = Date.now() + 30_000;
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${r.port}/xAPI/statements?limit=1`, { headers: { Authorization: r.auth, 'X-Experience-API-Version': '1.0.3' } });
        if (res.ok) break;
      } catch { /* not up yet */ }
      if (Date.now() > until || r.proc.exitCode !== null) { r.stop(); throw new Error(`Ralph did not start:\n${r.log.slice(-2000)}`); }
      await new Promise((ok) => setTimeout(ok, 200));
    }
    r.state = new Map();
    r.validated = 0;
    r.invalid = [];
    r.failStatements = 0;
    r.failedPosts = 0;
    return r;
  }

  /** Stops Ralph (its process group: uvicorn's reloader and server) and removes its files. */
  stop() {
    try { process.kill(-this.proc.pid, 'SIGTERM'); } catch { /* gone */ }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Every statement of `registration`, as Ralph returns it, oldest first. */
  async statements(registration) {
    const res = await fetch(`http://127.0.0.1:${this.port}/xAPI/statements?registration=${registration}&limit=1000`,
      { headers: { Authorization: this.auth, 'X-Experience-API-Version': '1.0.3' } });
    if (!res.ok) throw new Error(`Ralph GET statements: HTTP ${res.status}`);
    const { statements } = await res.json();
    return statements.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  }

  /** The request handler for lib/server.mjs. */
  handle(req, res, url) {
    const m = /^\/tincan\/lrs\/(.*)$/.exec(url.pathname);
    if (!m) return false;
    readBody(req).then(async (body) => {
      if (req.headers.authorization !== this.auth) { res.writeHead(401); return res.end(); }
      if (m[1] === 'activities/state') {
        const key = ['activityId', 'agent', 'registration', 'stateId'].map((k) => url.searchParams.get(k)).join('\n');
        if (req.method === 'GET') {
          if (!this.state.has(key)) { res.writeHead(404); return res.end(); }
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(this.state.get(key));
        }
        if (req.method === 'PUT' || req.method === 'POST') this.state.set(key, body);
        if (req.method === 'DELETE') this.state.delete(key);
        res.writeHead(204);
        return res.end();
      }
      if (m[1] !== 'statements') { res.writeHead(404); return res.end(); }
      if (req.method === 'POST' && this.failStatements > 0) {
        this.failStatements--;
        this.failedPosts++;
        res.writeHead(503);
        return res.end();
      }
      if (req.method === 'POST' || req.method === 'PUT') {
        const list = [].concat(JSON.parse(body.toString('utf8')));
        for (const st of list) {
          const w = validateStatement(st);
          this.validated++;
          if (w.length) this.invalid.push(`${st.verb?.id}: ${JSON.stringify(w).slice(0, 300)}`);
        }
      }
      const upstream = await fetch(`http://127.0.0.1:${this.port}/xAPI/statements${url.search}`, {
        method: req.method,
        headers: { Authorization: this.auth, 'X-Experience-API-Version': req.headers['x-experience-api-version'] || '', 'Content-Type': 'application/json' },
        body: req.method === 'GET' ? undefined : body,
      });
      if (upstream.status >= 400) this.rejected = (this.rejected || []).concat(`${upstream.status} ${(await upstream.clone().text()).slice(0, 600)} for ${body.toString('utf8').slice(0, 1500)}`);
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') || 'application/json' });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    }).catch((e) => { res.writeHead(500); res.end(String(e)); });
    return true;
  }
}
