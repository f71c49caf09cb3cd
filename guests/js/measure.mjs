#!/usr/bin/env node
// The figures of docs/guests/js.md, the JavaScript face detector against the C one, measured the
// same way for both (npm run build first; it runs dist/):
//   size        the committed component
//   first run   `wasi-edge run` with an empty transpile cache (includes jco's transpile), 1 frame
//   cached      the same command again, the cache warm
//   ms/frame    both apps in this one process, a looping demo camera, FACEDETECT_TIMING=1: the
//               median of the apps' own per-frame "total" (and "post": anchors + NMS) over the
//               frames after the first 10 (V8 tiers the code up meanwhile)
//   node guests/js/measure.mjs [frames (60)]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const frames = Number(process.argv[2] ?? 60);
const apps = [
  ['C', 'facedetect'],
  ['JavaScript', 'js-facedetect'],
];
const camera = join(root, 'fixtures/demo/camera');
const wasm = (name) => join(root, 'fixtures/components', `${name}.wasm`);

function timedRun(name, cacheDir, config) {
  const t0 = performance.now();
  execFileSync(process.execPath, [join(root, 'dist/cli/main.js'), 'run', wasm(name), '--config', config, '--env', 'OUT_DIR=-', '--', '1'], {
    env: { ...process.env, WASI_EDGE_CACHE_DIR: cacheDir },
    stdio: 'ignore',
  });
  return (performance.now() - t0) / 1000;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const work = mkdtempSync(join(tmpdir(), 'js-measure-'));
try {
  const config = join(work, 'edge.json');
  writeFileSync(config, JSON.stringify({ sensor: { devices: { 'camera:0': { kind: 'image-fixture', directory: camera, loop: true, fps: [30, 1] } } } }));
  const rows = [];
  for (const [lang, name] of apps) {
    const cache = join(work, `cache-${name}`);
    const first = timedRun(name, cache, config);
    const cached = Math.min(timedRun(name, cache, config), timedRun(name, cache, config));
    rows.push({ lang, name, bytes: statSync(wasm(name)).size, first, cached });
  }

  // Both apps in this process, one after the other, on the same looping camera.
  const { runComponent } = await import(pathToFileURL(join(root, 'dist/index.js')).href);
  for (const row of rows) {
    const out = [];
    const r = await runComponent(
      wasm(row.name),
      {
        sensor: { devices: { 'camera:0': { kind: 'image-fixture', directory: camera, loop: true, fps: [30, 1] } } },
        wasi: { args: [row.name, String(frames)], env: { OUT_DIR: '-', FACEDETECT_TIMING: '1' } },
      },
      { stdio: { stdout: (b) => out.push(b), stderr: () => {} } },
    );
    if (r.code !== 0) throw new Error(`${row.name} exited with ${r.code}`);
    const us = Buffer.concat(out).toString().split('\n').filter((l) => l.startsWith('{"frame"')).map((l) => JSON.parse(l).us).slice(10);
    // "total" less "wait": the work per frame, not the camera's 33 ms between frames.
    row.msPerFrame = median(us.map((u) => (u.total - u.wait) / 1000));
    row.inferMs = median(us.map((u) => u.infer / 1000));
    row.postMs = median(us.map((u) => u.post / 1000));
  }
  const c = rows[0];
  console.log('| language | component | first run | cached | ms/frame (vs C) | infer ms | post ms |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.lang} | ${r.bytes.toLocaleString('en')} B | ${r.first.toFixed(1)} s | ${r.cached.toFixed(2)} s | ` +
        `${r.msPerFrame.toFixed(1)} (${(r.msPerFrame / c.msPerFrame).toFixed(2)}×) | ${r.inferMs.toFixed(1)} | ${r.postMs.toFixed(2)} |`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
