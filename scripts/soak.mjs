#!/usr/bin/env node
// `npm run soak`: the face-detection seed pipeline (fixtures/components/facedetect.wasm: camera →
// host-memory frame → wasi:vision → wasi:nn BlazeFace → BME280 over I2C) run for a configurable
// time, in field mode (KEEP_GOING=1), with faults injected into the live instance while it runs
// (docs/hardening.md, "Soak and faults under load"):
//   - the model file is broken when the app starts and repaired 100 frames later (loads fail with
//     invalid-encoding, the app retries every 10 frames and runs without detection meanwhile; a
//     named model, once loaded, stays loaded for the host's life, so this is when it can fail);
//   - the camera is unplugged and comes back 1.5 s later (its pool reads hardware-error, the app
//     restarts it until it starts again);
//   - the BME280 stops acknowledging for 60 transfers (temperatures are null, then come back).
// After each fault the pipeline must resume: frames flow, faces are found, temperatures return.
// The run is split into segments (`--segment-frames`, default 900: 30 s at the camera's 30 fps),
// each on a fresh host, so that host creation and teardown are soaked too. Heap and RSS are
// sampled (after a GC) every 5 s and at the end of each segment; the soak fails when the median of
// the last minute is more than 5 % above the median of the first minute after warm-up.
//   node --expose-gc scripts/soak.mjs [--minutes N] [--warmup-min M] [--segment-frames F] [--no-faults]
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(argv[i + 1]);
  if (!(v > 0)) throw new Error(`--${name} takes a positive number, got ${argv[i + 1]}`);
  return v;
};
const minutes = opt('minutes', 10);
const warmupMin = opt('warmup-min', Math.min(2, minutes * 0.2));
const segmentFrames = Math.round(opt('segment-frames', 900));
const faults = !argv.includes('--no-faults');
const gc = globalThis.gc ?? (() => {});
if (!globalThis.gc) console.log('soak: run node with --expose-gc for stable heap figures (npm run soak does)');

const { runComponent } = await import(join(root, 'dist/index.js'));
const { ImageFixtureDevice, UnpluggableDevice } = await import(join(root, 'dist/sensor/index.js'));
const { SimulatedBus, Bme280 } = await import(join(root, 'dist/i2c/index.js'));
const wasm = join(root, 'fixtures/components/facedetect.wasm');
const cameraImages = join(root, 'fixtures/demo/camera');
const scratch = mkdtempSync(join(tmpdir(), 'wasi-edge-soak-'));
const modelFile = join(scratch, 'blazeface.onnx');
const restoreModel = () => copyFileSync(join(root, 'fixtures/models/blazeface-128.onnx'), modelFile);
const breakModel = () => writeFileSync(modelFile, 'this is not an onnx model any more');
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** Frames into a segment at which each fault is injected (and, for the model, repaired). */
const SCHEDULE = { repairModel: 100, unplug: 300, nack: 500 };
const UNPLUG_MS = 1500;
const NACKS = 60;
if (faults && segmentFrames < SCHEDULE.nack + NACKS + 100) {
  throw new Error(`--segment-frames must be at least ${SCHEDULE.nack + NACKS + 100} for the faults to play out`);
}

const mib = (n) => (n / 2 ** 20).toFixed(1);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

const start = performance.now();
const end = start + minutes * 60_000;
const samples = []; // { t, heap, rss }
let lastSample = 0;
function sample() {
  gc();
  const m = process.memoryUsage();
  lastSample = performance.now();
  samples.push({ t: lastSample - start, heap: m.heapUsed, rss: m.rss });
  return m;
}

const totals = { segments: 0, frames: 0, faces: 0, outages: 0, nullTemperatures: 0, modelFailures: 0 };
const resumed = { camera: 0, i2c: 0, model: 0 };
const failures = [];
let lastProgress = start;

/** One segment: a fresh host, the app in field mode for `segmentFrames` frames, faults on schedule. */
async function segment(index) {
  let camera;
  const bus = new SimulatedBus();
  bus.attach(0x76, new Bme280());
  if (faults) breakModel();
  else restoreModel();
  const config = {
    sensor: {
      clock: 'real',
      devices: {
        'camera:0': {
          kind: 'custom',
          open: () => (camera = new UnpluggableDevice(
            new ImageFixtureDevice('camera:0: soak images', { directory: cameraImages, rate: { numerator: 30, denominator: 1 }, loop: true, pixelFormat: 'rgb24', maxFps: 1000 }),
          )),
        },
      },
    },
    i2c: { buses: { 'i2c-sim0': { kind: 'custom', bus } } },
    nn: { models: { blazeface: modelFile } },
    wasi: { args: ['facedetect', String(segmentFrames)], env: { OUT_DIR: '-', KEEP_GOING: '1' } },
  };

  // What the app reports, line by line, and where each fault stands.
  const state = { frames: 0, faces: 0, pending: '', summary: undefined, events: [] };
  // Each fault goes 'off' → 'on' (injected) → 'back' (the device or model is back) → 'resumed'
  // (full output again: faces after the camera and the model, a temperature after the NACKs).
  const phase = { camera: 'off', i2c: 'off', model: faults ? 'on' : 'off', nackEnd: 0 };
  const problem = (what) => failures.push(`segment ${index}: ${what}`);

  function onLine(line) {
    if (!line.startsWith('{')) return;
    const msg = JSON.parse(line);
    if (msg.event) {
      state.events.push(msg.event);
      if (msg.event === 'camera-back' && phase.camera === 'on') phase.camera = 'back';
      if (msg.event === 'camera-lost' && phase.camera !== 'on') problem(`camera lost without an unplug: ${msg.error}`);
      if (msg.event === 'model-failed') totals.modelFailures++;
      if (msg.event === 'model-failed' && phase.model !== 'on') problem(`the model failed to load while its file was sound: ${msg.error}`);
      if (msg.event === 'model-loaded' && phase.model === 'repaired') phase.model = 'back';
      return;
    }
    if (msg.summary) {
      state.summary = msg.summary;
      return;
    }
    state.frames++;
    state.faces += msg.faces.length;
    if (msg.temperature === null) totals.nullTemperatures++;
    if (msg.model === false && phase.model === 'off') problem('a frame without a model while its file was sound');
    if (phase.model === 'on' && msg.faces.length > 0) problem('faces found while the model could not be loaded');
    // A fault has been survived once the pipeline is back to full output after it.
    if (phase.camera === 'back' && msg.faces.length > 0) (phase.camera = 'resumed'), resumed.camera++;
    if (phase.i2c === 'on' && state.frames > phase.nackEnd && msg.temperature !== null) (phase.i2c = 'resumed'), resumed.i2c++;
    if (phase.model === 'back' && msg.model !== false && msg.faces.length > 0) (phase.model = 'resumed'), resumed.model++;
    if (!faults) return;
    if (state.frames === SCHEDULE.repairModel) {
      phase.model = 'repaired';
      restoreModel();
    }
    if (state.frames === SCHEDULE.unplug) {
      phase.camera = 'on';
      camera.unplug(UNPLUG_MS);
    }
    if (state.frames === SCHEDULE.nack) {
      phase.i2c = 'on';
      phase.nackEnd = state.frames + NACKS;
      bus.inject({ kind: 'nack-address', address: 0x76, count: NACKS });
    }
  }

  let err = '';
  const stdout = (chunk) => {
    state.pending += Buffer.from(chunk).toString();
    let nl;
    while ((nl = state.pending.indexOf('\n')) >= 0) {
      const line = state.pending.slice(0, nl);
      state.pending = state.pending.slice(nl + 1);
      try {
        onLine(line);
      } catch (e) {
        problem(`bad line ${JSON.stringify(line)}: ${e.message}`);
      }
    }
    if (performance.now() - lastSample > 5000) sample();
  };
  let result;
  try {
    result = await runComponent(wasm, config, { stdio: { stdout, stderr: (c) => (err += Buffer.from(c)) } });
  } catch (e) {
    problem(`host exception ${e?.stack ?? e}`);
    return;
  }
  if (result.code !== 0) problem(`status ${result.code}${result.trap ? ` (trap ${result.trap})` : ''}${result.stuck ? ` (stuck: ${result.stuck})` : ''}: ${err.trim().slice(-300)}`);
  if (!state.summary) problem('no summary line');
  if (state.frames !== segmentFrames) problem(`${state.frames} frame lines, expected ${segmentFrames}`);
  if (state.faces === 0) problem('no face found');
  if (faults) {
    if (phase.camera !== 'resumed') problem(`the camera did not come back with faces (events: ${state.events.join(', ')})`);
    if (phase.i2c !== 'resumed') problem('temperatures did not come back after the NACKs');
    if (phase.model !== 'resumed') problem(`the model did not come back (events: ${state.events.join(', ')})`);
    totals.outages += state.summary?.camera_outages ?? 0;
  }
  totals.segments++;
  totals.frames += state.frames;
  totals.faces += state.faces;
}

console.log(
  `soak: ${minutes} min of facedetect in field mode, ${segmentFrames} frames per host, warm-up ${warmupMin} min, ` +
    `faults ${faults ? 'model broken then repaired, camera unplugged and replugged, I2C NACKs (every segment)' : 'off'}`,
);
while (performance.now() < end && failures.length === 0) {
  await segment(totals.segments);
  const m = sample();
  if (performance.now() - lastProgress > 30_000) {
    lastProgress = performance.now();
    console.log(
      `  ${((performance.now() - start) / 60000).toFixed(1)} min: ${totals.segments} segments, ${totals.frames} frames, ` +
        `resumed ${resumed.camera}/${resumed.i2c}/${resumed.model} (camera/i2c/model), heap ${mib(m.heapUsed)} MiB, RSS ${mib(m.rss)} MiB`,
    );
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
if (after.length < 2 || lastT - warm < 60_000) verdict.push('too short to judge: less than a minute of samples after warm-up');
console.log(
  `soak: ${totals.segments} segments, ${totals.frames} frames (${totals.faces} faces) in ${(lastT / 60000).toFixed(1)} min; ` +
    `${totals.outages} camera outages, ${totals.nullTemperatures} frames without temperature, ${totals.modelFailures} failed model loads; ` +
    `resumed after ${resumed.camera} unplugs, ${resumed.i2c} NACK bursts, ${resumed.model} broken models`,
);
for (const f of failures) console.log(`FAIL: ${f}`);
for (const v of verdict) console.log(`FAIL: ${v}`);
console.log(failures.length || verdict.length ? 'soak: FAILED' : 'soak: passed');
process.exit(failures.length || verdict.length ? 1 : 0);
