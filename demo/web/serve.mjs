#!/usr/bin/env node
// `npm run demo:web`: a small static server on 127.0.0.1 for the browser demo and tests. It serves
// the repository root (dist/web, fixtures, demo/web) with the two headers that make a page
// cross-origin isolated (COOP/COEP), without which browsers refuse SharedArrayBuffer, and so
// Atomics.wait-based blocking in the component's worker (docs/browser.md).
//   node demo/web/serve.mjs [--port 8787] [--build]   then open http://127.0.0.1:8787/demo/web/
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.css': 'text/css',
  '.map': 'application/json',
  '.onnx': 'application/octet-stream',
};

export function isolationHeaders() {
  return {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/** Starts the server; resolves with { url, close() }. Port 0 picks a free one. */
export function serve({ port = 8787, host = '127.0.0.1', root = ROOT } = {}) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let path = normalize(join(root, decodeURIComponent(url.pathname)));
    if (!path.startsWith(normalize(root + sep)) && path !== normalize(root)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
    if (url.pathname === '/') {
      res.writeHead(302, { Location: '/demo/web/' }).end();
      return;
    }
    if (!existsSync(path) || !statSync(path).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...isolationHeaders() }).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
      ...isolationHeaders(),
    });
    createReadStream(path).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: p } = server.address();
      resolve({ url: `http://${host}:${p}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--port');
  const port = i >= 0 ? Number(args[i + 1]) : Number(process.env.PORT ?? 8787);
  if (args.includes('--build') || !existsSync(join(ROOT, 'dist/web/worker.js'))) {
    const { buildBrowser } = await import('../../scripts/build-browser.mjs');
    await buildBrowser();
  }
  const { url } = await serve({ port });
  console.log(`wasi-edge-host browser demo: ${url}/demo/web/  (Ctrl-C to stop)`);
}
