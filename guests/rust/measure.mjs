#!/usr/bin/env node
// The figures of docs/guests/rust.md, the Rust face detector against the C one, measured the same
// way in one Node process (run `npm run build` first):
//   size         the committed component
//   first run    runComponent until the first frame line, with an empty transpile cache (jco transpile
//                + instantiate + model load + one frame)
//   cached       the same with the cache warm
//   ms/frame     FRAMES=N on a virtual-clock camera (frames are there as soon as the app asks):
//                host-side time between the first and the last frame line / (N - 1); and the guest's
//                own FACEDETECT_TIMING total and post-processing (anchors + NMS) per frame, medians
// Each language runs ROUNDS times, alternating; medians are printed.
// Usage: node guests/rust/measure.mjs [frames (default 60)] [rounds (default 3)] [a.wasm b.wasm ...]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runComponent } from '../../dist/index.js';
import { root } from '../../scripts/wasm-tools.mjs';

const frames = Number(process.argv[2] ?? 60);
const rounds = Number(process.argv[3] ?? 3);
const components = process.argv.slice(4).length
  ? process.argv.slice(4)
  : ['facedetect', 'rust-facedetect'].map((n) => join(root, 'fixtures/components', `${n}.wasm`));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs the detector; returns ms to the first frame line, host ms per frame, guest µs per frame. */
async function run(file, n, timing) {
  const t0 = performance.now();
  const arrivals = [];
  const lines = [];
  let pending = '';
  const result = await runComponent(file, {
    sensor: {
      clock: 'virtual',
      devices: { 'camera:0': { kind: 'image-fixture', directory: join(root, 'fixtures/demo/camera'), loop: true, fps: [1000, 1], maxFps: 1000 } },
    },
    wasi: { args: ['app', String(n)], env: { OUT_DIR: '-', ...(timing ? { FACEDETECT_TIMING: '1' } : {}) } },
  }, {
    stdio: {
      stdout: (chunk) => {
        pending += Buffer.from(chunk).toString('utf8');
        for (let i; (i = pending.indexOf('\n')) >= 0; pending = pending.slice(i + 1)) {
          const line = pending.slice(0, i);
          if (line.startsWith('{"frame"')) arrivals.push(performance.now());
          lines.push(line);
        }
      },
      stderr: () => {},
    },
  });
  if (result.code !== 0 || arrivals.length !== n) throw new Error(`${file}: status ${result.code}, ${arrivals.length} frames`);
  const us = lines.filter((l) => l.startsWith('{"frame"')).map((l) => JSON.parse(l).us).filter(Boolean).slice(1);
  return {
    firstFrameMs: arrivals[0] - t0,
    msPerFrame: n > 1 ? (arrivals.at(-1) - arrivals[0]) / (n - 1) : NaN,
    guestTotalUs: us.length ? median(us.map((u) => u.total)) : NaN,
    guestPostUs: us.length ? median(us.map((u) => u.post)) : NaN,
  };
}

const cacheBefore = process.env.WASI_EDGE_CACHE_DIR;
const results = new Map(components.map((c) => [c, { first: [], cached: [], perFrame: [], guestTotal: [], guestPost: [] }]));
// Warm-up: loads onnxruntime and the model backend once, so that neither language pays it alone.
await run(components[0], 1, false);
for (let r = 0; r < rounds; r++) {
  for (const c of components) {
    const m = results.get(c);
    const cache = mkdtempSync(join(tmpdir(), 'wasi-edge-measure-'));
    process.env.WASI_EDGE_CACHE_DIR = cache;
    m.first.push((await run(c, 1, false)).firstFrameMs);
    m.cached.push((await run(c, 1, false)).firstFrameMs);
    rmSync(cache, { recursive: true, force: true });
    if (cacheBefore === undefined) delete process.env.WASI_EDGE_CACHE_DIR;
    else process.env.WASI_EDGE_CACHE_DIR = cacheBefore;
    m.perFrame.push((await run(c, frames, false)).msPerFrame);
    const t = await run(c, frames, true);
    m.guestTotal.push(t.guestTotalUs);
    m.guestPost.push(t.guestPostUs);
  }
}
console.log(`| component | bytes | first run (ms to first frame) | cached | ms/frame (host, ${frames} frames) | guest total µs/frame | guest post-processing µs/frame |`);
console.log('|---|---|---|---|---|---|---|');
for (const [c, m] of results) {
  const f = (xs, d = 0) => median(xs).toFixed(d);
  console.log(`| ${c.split('/').at(-1)} | ${statSync(c).size} | ${f(m.first)} | ${f(m.cached)} | ${f(m.perFrame, 2)} | ${f(m.guestTotal)} | ${f(m.guestPost)} |`);
}
