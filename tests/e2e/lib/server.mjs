// Loopback static server for the e2e harness (127.0.0.1, ephemeral port).
//   /harness/<file>         -> harness/ (the "LMS" pages)
//   /vendor/scorm-again.js  -> node_modules/scorm-again/dist/scorm-again.min.js
//   /pkg/<name>/<path>      -> packages[name]/<path> (an unzipped package)
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.xml': 'application/xml',
  '.xsd': 'application/xml', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.mp4': 'video/mp4',
  '.mp3': 'audio/mpeg', '.vtt': 'text/vtt', '.woff2': 'font/woff2', '.txt': 'text/plain',
};
const FIXED = {
  '/vendor/scorm-again.js': path.join(ROOT, 'node_modules/scorm-again/dist/scorm-again.min.js'),
};

function safeJoin(base, rel) {
  const p = path.resolve(base, '.' + path.posix.normalize('/' + rel));
  return p === base || p.startsWith(base + path.sep) ? p : null;
}

/** `api(req, res, url)`, when given, sees every request first and returns true when it answered
 *  it (the mock LMS and LRS of the xAPI and cmi5 tests). */
export function startServer(packages, api = null) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (api && api(req, res, url)) return;
    let file = FIXED[url.pathname] ?? null;
    let m;
    if (!file && (m = /^\/harness\/([\w.-]+)$/.exec(url.pathname))) file = path.join(ROOT, 'harness', m[1]);
    if (!file && (m = /^\/pkg\/([^/]+)\/(.*)$/.exec(url.pathname)) && packages[m[1]]) {
      file = safeJoin(path.resolve(packages[m[1]]), decodeURIComponent(m[2]));
    }
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found: ' + url.pathname);
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    fs.createReadStream(file).pipe(res);
  });
  server.keepAliveTimeout = 1000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        origin: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}
