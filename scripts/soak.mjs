#!/usr/bin/env node
// `npm run soak`: runs the face-detection seed pipeline (fixtures/components/facedetect.wasm:
// camera → host-memory frame → wasi:vision → wasi:nn BlazeFace → BME280 over I2C) again and again
// for a configurable time, each run on a fresh host (so host creation and teardown are soaked too),
// with faults injected under load (docs/hardening.md): I2C NACKs on the BME280, the camera
// unplugged, a model that fails to load. After every fault the next clean run must find the face
// again (the pipeline resumes). Heap and RSS are sampled after each run (after a GC); the soak
// fails when the median of the last minute is more than 5 % above the median of the first minute
// after warm-up, for either figure.
//   node --expose-gc scripts/soak.mjs [--minutes N] [--warmup-min M] [--no-faults]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : def;
};
const minutes = opt('minutes', 10);
const warmupMin = opt('warmup-min', Math.min(2, minutes * 0.2));
const faults = !argv.includes('--no-faults');
const gc = globalThis.gc ?? (() => {});
if (!globalThis.gc) console.log('soak: run node with --expose-gc for stable heap figures (npm run soak does)');

const { runComponent } = await import(join(root, 'dist/host/runner.js'));
const wasm = join(root, 'fixtures/components/facedetect.wasm');
const camera = join(root, 'fixtures/demo/camera');
const badModel = join(mkdtempSync(join(tmpdir(), 'soak-')), 'broken.onnx');
writeFileSync(badModel, Buffer.from('this is not an onnx model'));

const clean = () => ({
  sensor: { clock: 'virtual', devices: { 'camera:0': { kind: 'image-fixture', directory: camera, loop: false, fps: [30, 1] } } },
  wasi: { args: ['facedetect', '0'], env: { OUT_DIR: '-' } },
});
/** Each fault: how the configuration breaks the device, and what the guest may then report. */
const FAULTS = {
  'i2c-nack': (c) => ({ ...c, i2c: { buses: { 'i2c-sim0': { kind: 'simulated', devices: [{ chip: 'bme280', address: 0x76 }], faults: [{ kind: 'nack-address', address: 0x76, count: 1e6 }] } } } }),
  'camera-unplugged': (c) => ({ ...c, sensor: { clock: 'virtual', devices: { 'test-pattern:0': { kind: 'test-pattern' } } } }),
  'model-fails-to-load': (c) => ({ ...c, nn: { models: { blazeface: badModel } } }),
};
const faultNames = Object.keys(FAULTS);

const mib = (n) => (n / 2 ** 20).toFixed(1);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

const start = performance.now();
const end = start + minutes * 60_000;
const samples = []; // { t, heap, rss }
let runs = 0, faulted = 0, resumed = 0, failures = [];
let lastProgress = start;
let pendingResume;

console.log(`soak: ${minutes} min of facedetect on a fresh host per run, warm-up ${warmupMin} min, faults ${faults ? faultNames.join(', ') : 'off'}`);
while (performance.now() < end) {
  const fault = faults && runs % 4 === 3 ? faultNames[Math.floor(runs / 4) % faultNames.length] : undefined;
  const config = fault ? FAULTS[fault](clean()) : clean();
  let out = '', err = '';
  let result;
  try {
    result = await runComponent(wasm, config, { stdio: { stdout: (c) => (out += Buffer.from(c)), stderr: (c) => (err += Buffer.from(c)) } });
  } catch (e) {
    failures.push(`run ${runs}${fault ? ` (${fault})` : ''}: host exception ${e?.stack ?? e}`);
    break;
  }
  const lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const faces = lines.reduce((n, l) => n + (l.faces?.length ?? 0), 0);
  if (result.trap) failures.push(`run ${runs}${fault ? ` (${fault})` : ''}: trap ${result.trap}`);
  if (fault) {
    faulted++;
    pendingResume = fault;
  } else {
    if (result.code !== 0 || faces < 1) failures.push(`run ${runs}: clean run failed (status ${result.code}, ${faces} faces): ${err.trim().slice(-300)}`);
    else if (pendingResume) {
      resumed++;
      pendingResume = undefined;
    }
  }
  if (failures.length) break;
  runs++;
  gc();
  const m = process.memoryUsage();
  const t = performance.now() - start;
  samples.push({ t, heap: m.heapUsed, rss: m.rss });
  if (performance.now() - lastProgress > 30_000) {
    lastProgress = performance.now();
    console.log(`  ${(t / 60000).toFixed(1)} min: ${runs} runs (${faulted} with faults, ${resumed} resumed), heap ${mib(m.heapUsed)} MiB, RSS ${mib(m.rss)} MiB`);
  }
}

const warm = warmupMin * 60_000;
const after = samples.filter((s) => s.t >= warm);
const firstMin = after.filter((s) => s.t < warm + 60_000);
const lastT = samples.at(-1)?.t ?? 0;
const lastMin = after.filter((s) => s.t >= lastT - 60_000);
const verdict = [];
for (const key of ['heap', 'rss']) {
  const a = median(firstMin.map((s) => s[key]));
  const b = median(lastMin.map((s) => s[key]));
  const growth = (b / a - 1) * 100;
  console.log(`${key}: ${mib(a)} MiB after warm-up → ${mib(b)} MiB at the end (${growth >= 0 ? '+' : ''}${growth.toFixed(2)} %)`);
  if (!(growth <= 5)) verdict.push(`${key} grew ${growth.toFixed(2)} % (limit 5 %)`);
}
if (after.length < 2) verdict.push('too short to judge: no samples after warm-up');
console.log(`soak: ${runs} runs in ${(lastT / 60000).toFixed(1)} min, ${faulted} with injected faults, ${resumed} resumed after a fault`);
for (const f of failures) console.log(`FAIL: ${f}`);
for (const v of verdict) console.log(`FAIL: ${v}`);
console.log(failures.length || verdict.length ? 'soak: FAILED' : 'soak: passed');
process.exit(failures.length || verdict.length ? 1 : 0);
