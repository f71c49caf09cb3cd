// The device runtime (docs/device.md): several apps, each fixtures/components/device_app.wasm in a
// worker of its own, over one test-pattern camera at 30 frames/s (640x480 rgb24) that the device
// captures once into shared memory. Real clock: these figures are frame rates and latencies.
//   apps_fps_ratio:                 four apps on the camera: the slowest app's frames/s / one app
//                                   alone on the same camera, same window (frames the guest read,
//                                   from its own output), median of REPS alternating pairs
//   replace_frames_lost_other_apps: camera frames the other two apps did not get (the guest counts
//                                   gaps in the camera's own frame numbers, plus frames overwritten
//                                   in the ring) while a third app's component is replaced REPLACES times
//                                   (their pools hold 32 frames, so that only what the swap costs counts)
//   app_restart_ms:                 from the device learning of an app's trap to the restarted
//                                   instance's first frame (AppState.lastRestartMs), the first failure
//                                   after a stable run (backoff 0, standby loaded), median of RESTARTS
//   device_frame_copies_per_app:    four apps with host-memory pools on the camera: frames copied out of
//                                   the shared ring per frame an app read, the worst app (lent: 0)
//   memory_cap_overshoot:           peak resident memory of a `wasi-edge run` process above its cap,
//                                   for memory_bomb.wasm under -W max-memory-size=256MiB, MiB (second
//                                   run: the first one also transpiles the component)
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT, benchTempDir, median } from './lib.mjs';
import { createDevice } from '../dist/index.js';

const APP = join(ROOT, 'fixtures/components/device_app.wasm');
const camera = { 'camera:0': { kind: 'test-pattern', width: 640, height: 480, fps: [30, 1] } };
const WARMUP_MS = 3000;
const WINDOW_MS = 8000;
const REPS = 3;
const REPLACES = 5;
const RESTARTS = 5;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A device of device_app instances whose stdout lines are parsed as they come. */
function device(apps, extra = {}) {
  const last = new Map();
  const lines = new Map();
  const pending = new Map();
  const d = createDevice({ devices: { sensor: { devices: camera } }, ringFrames: 32, ...extra, apps }, {
    stdout: (app) => (b) => {
      const text = (pending.get(app) ?? '') + Buffer.from(b).toString();
      const parts = text.split('\n');
      pending.set(app, parts.pop());
      for (const p of parts) {
        if (!p.startsWith('{"frame"')) continue;
        last.set(app, JSON.parse(p));
        lines.set(app, (lines.get(app) ?? 0) + 1);
      }
    },
  });
  return { d, frames: (app) => lines.get(app) ?? 0, last: (app) => last.get(app) };
}

async function until(done, what, ms = 60_000) {
  const deadline = performance.now() + ms;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`device bench: gave up waiting for ${what}`);
    await sleep(20);
  }
}

/** Frames/s each app read over WINDOW_MS, after the apps have run WARMUP_MS. */
async function fpsOf(count) {
  const names = Array.from({ length: count }, (_, i) => `app${i}`);
  const { d, frames } = device(Object.fromEntries(names.map((n) => [n, { component: APP, cameras: ['camera:0'], standby: false }])));
  try {
    await until(() => names.every((n) => frames(n) > 0), 'the apps to read');
    await sleep(WARMUP_MS);
    const before = names.map(frames);
    const t0 = performance.now();
    await sleep(WINDOW_MS);
    const s = (performance.now() - t0) / 1000;
    return names.map((n, i) => (frames(n) - before[i]) / s);
  } finally {
    await d.stop();
  }
}

async function appsFpsRatio() {
  const ratios = [];
  const detail = [];
  for (let i = 0; i < REPS; i++) {
    const [alone] = await fpsOf(1);
    const four = await fpsOf(4);
    ratios.push(Math.min(...four) / alone);
    detail.push(`${alone.toFixed(1)} vs ${four.map((f) => f.toFixed(1)).join('/')}`);
  }
  return { value: median(ratios), detail };
}

async function replaceLoss() {
  const dir = benchTempDir('bench-device-');
  const copies = [join(dir, 'one.wasm'), join(dir, 'two.wasm')];
  for (const c of copies) copyFileSync(APP, c);
  // 32 buffers (about a second at 30 fps): a frame the apps miss is one the replacement cost them,
  // not one they lost because this shared machine did not schedule them for 266 ms (8 buffers).
  const app = { component: APP, cameras: ['camera:0'], env: { BUFFERS: '32' } };
  const { d, frames, last } = device({ a: app, b: app, swapped: app });
  try {
    await until(() => ['a', 'b', 'swapped'].every((n) => frames(n) > 0), 'the apps to read');
    await sleep(WARMUP_MS);
    const missed = () => ['a', 'b'].reduce((sum, n) => sum + last(n).missed + d.state(n).counters.lost, 0);
    const before = missed();
    const framesBefore = frames('a');
    for (let i = 0; i < REPLACES; i++) {
      await d.replace('swapped', copies[i % 2]);
      const swappedBefore = frames('swapped');
      await until(() => frames('swapped') > swappedBefore, 'the replacement to read');
    }
    // Frames that were in flight when the last swap ended reach the other apps after it.
    await sleep(500);
    const lost = missed() - before;
    const read = frames('a') - framesBefore;
    // The same apps for as many frames without a replacement: what this machine's scheduling costs alone.
    const quietBefore = missed();
    const quietFrames = frames('a');
    await until(() => frames('a') - quietFrames >= read, 'the quiet window', 120_000);
    return { value: lost, read, quiet: missed() - quietBefore };
  } finally {
    await d.stop();
  }
}

async function restartMs() {
  const { d } = device(
    { steady: { component: APP, cameras: ['camera:0'] }, trapping: { component: APP, cameras: ['camera:0'], env: { TRAP_AFTER: '240' } } },
    // Each instance runs 8 s before its trap (its standby has loaded by then): with resetAfterMs below that, every trap is a first failure.
    { restart: { initialMs: 100, factor: 2, maxMs: 30_000, resetAfterMs: 1000 } },
  );
  const samples = [];
  try {
    let seen;
    for (let i = 0; i < RESTARTS; i++) {
      await until(() => d.state('trapping').lastRestartMs !== undefined && d.state('trapping').lastRestartMs !== seen, 'a restart', 60_000);
      seen = d.state('trapping').lastRestartMs;
      samples.push(seen);
    }
    if (d.state('steady').counters.failures !== 0) throw new Error('device bench: the steady app failed');
    return { value: median(samples), samples };
  } finally {
    await d.stop();
  }
}

/** Four apps reading host-memory frames of one camera: frames copied out of the ring per frame read, the worst app. */
async function copiesPerApp() {
  const names = ['hm0', 'hm1', 'hm2', 'hm3'];
  const { d, frames } = device(Object.fromEntries(names.map((n) => [n, { component: APP, cameras: ['camera:0'], env: { POOL: `${n}-hm` }, standby: false }])));
  try {
    await until(() => names.every((n) => frames(n) > 0), 'the apps to read');
    await sleep(WINDOW_MS / 2);
    const per = names.map((n) => {
      const { copies, frames: read } = d.state(n).counters;
      return { copies, read };
    });
    return { value: Math.max(...per.map((p) => p.copies / p.read)), per, camera: d.cameras()[0] };
  } finally {
    await d.stop();
  }
}

function memoryOvershoot() {
  const cap = 256;
  // Run twice: the first run of a component transpiles it (into the cache) in the same process,
  // which costs a couple of hundred MiB that a device's later runs never pay.
  const script = `const { runComponent } = await import(${JSON.stringify(join(ROOT, 'dist/index.js'))});
    const r = await runComponent(${JSON.stringify(join(ROOT, 'fixtures/components/memory_bomb.wasm'))}, { limits: { maxMemoryBytes: ${cap} * 2 ** 20 } }, { stdio: { stdout: () => {}, stderr: () => {} } });
    // VmHWM, not getrusage's maxRSS: a child's maxRSS starts at what its parent (this bench, with
    // its devices) had resident when it forked; the peak of its own memory is VmHWM.
    const { readFileSync } = await import('node:fs');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    console.log(JSON.stringify({ code: r.code, rss: hwm ? Number(hwm[1]) * 1024 : process.resourceUsage().maxRSS * 1024 }));`;
  const run = () => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim().split('\n').pop());
  run();
  const out = run();
  if (out.code !== 4) throw new Error(`device bench: the memory bomb ended with status ${out.code}, not the memory limit's 4`);
  return { value: out.rss / 2 ** 20 - cap, rssMiB: out.rss / 2 ** 20, cap };
}

export default async function () {
  // First, while this process is small: a forked child's peak counts what its parent had resident.
  const memory = memoryOvershoot();
  const fps = await appsFpsRatio();
  const replace = await replaceLoss();
  const restart = await restartMs();
  const copies = await copiesPerApp();
  return {
    apps_fps_ratio: {
      value: fps.value, goal: '>= 0.95',
      what: `four device_app instances on one 30 fps 640x480 test pattern: slowest app's frames/s / one app alone (${fps.detail.join('; ')} fps), median of ${REPS} pairs, ${WINDOW_MS / 1000} s windows`,
    },
    replace_frames_lost_other_apps: {
      value: replace.value, goal: '<= 0',
      what: `camera frames two apps missed while a third was replaced ${REPLACES} times (app a read ${replace.read} frames meanwhile; ${replace.quiet} missed over as many frames without a replacement; load average ${loadavg()[0].toFixed(1)})`,
    },
    app_restart_ms: {
      value: restart.value, goal: '<= 200',
      what: `trap seen by the device -> restarted instance's first frame, first failure (backoff 0, standby loaded), median of ${RESTARTS} (${restart.samples.map((s) => s.toFixed(0)).join(', ')} ms)`,
    },
    device_frame_copies_per_app: {
      value: copies.value, goal: '<= 0',
      what: `four device_app instances reading host-memory frames (pools of 8, frameHolds 8) of one 30 fps 640x480 test pattern for ${WINDOW_MS / 2000} s: frames copied out of the shared ring per frame read, worst app (${copies.per.map((p) => `${p.copies}/${p.read}`).join(', ')}; ring of ${copies.camera.slots} slots, ${copies.camera.lostAtSource} lost at the source)`,
    },
    memory_cap_overshoot: {
      value: memory.value, goal: 'report',
      what: `peak RSS of a process running memory_bomb.wasm under max-memory-size=${memory.cap}MiB, above the cap: ${memory.rssMiB.toFixed(0)} MiB resident`,
    },
  };
}
