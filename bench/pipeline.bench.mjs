// pipeline_ratio: time per frame of the face-detection app (guests/c/facedetect.c) through the
// component / the same pipeline written in plain JavaScript in this process.
//
// Per frame, both sides do the same work with the same code underneath:
//   a 512x512 rgb24 frame from the demo camera (copied into a frame buffer, as the pool renders it)
//   → to-tensor 128x128 NHWC f32 x*2/255-1, bilinear (wasi:vision's algorithm: dist/vision toTensor)
//   → BlazeFace on onnxruntime-node, 1 thread (the backend wasi:nn uses: dist/nn BACKENDS)
//   → anchors + sigmoid + greedy NMS (the guest: blazeface_post.h in C; here: the same steps in JS)
//   → temperature from a simulated BME280 over I2C (wasi:i2c vs SimulatedBus.transfer)
//   → the face boxes drawn on a copy of the frame (vision's copy-on-write vs drawRect on a copy)
//   → one JSON line (frame, timestamp, faces, temperature) as bytes to a stdout sink that splits lines.
// PNG encoding and file writes are left out (OUT_DIR=-): they are the same library call on both
// sides and would hide the pipeline (≈0.3–0.7 s per 512x512 frame here); the what-line says so.
//
// CPU is this process's (process.cpuUsage: every thread). Both sides run the same onnxruntime-node
// build with one intra-op and one inter-op thread, so ORT computes on the calling thread on both;
// the other threads are V8's (GC marking and sweeping, JIT compilation) and, on the component side
// only, preview2-shim's I/O worker: costs each side causes itself, so they are counted for both. The
// what-line splits each side's CPU into the main thread and the rest (Linux /proc, read only at the
// two frames that bound the measured span), so a difference can be placed.
//
// The component's frames are timed on the host by the arrival of its JSON lines (stdout reaches the
// host synchronously), after a warm-up, so instantiation and model loading are excluded. Each run,
// on either side, is one app run: load the model into a fresh session, then the frames. Each
// component run is bracketed by two JS runs; the median of the paired ratios is reported.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { ROOT, median } from './lib.mjs';
import { runComponent } from '../dist/index.js';
import { toTensor, drawRect, packed } from '../dist/vision/index.js';
import { BACKENDS } from '../dist/nn/index.js';
import { SimulatedBus, Bme280 } from '../dist/i2c/index.js';

const CAMERA = join(ROOT, 'fixtures/demo/camera');
const FILES = ['frame-0-astronaut.png', 'frame-1-chelsea.png', 'frame-2-coffee.png'];
const MODEL = join(ROOT, 'fixtures/models/blazeface-128.onnx');
const FRAMES = 120;
// Frames skipped at the start of every run, on both sides: a fresh ORT session (and JIT) warms up.
const WARMUP = 30;
const REPS = 5;
// Frames per second of the bench camera: above what the pipeline can do, so that a frame is always
// ready (waiting would cost no CPU but would make the wall-clock figures meaningless).
const CAMERA_FPS = +(process.env.PIPELINE_CAMERA_FPS ?? 1000);

// ---------------------------------------------------------------- the plain JS pipeline

function decodeFaces(s16, b16, s8, b8, minScore = 0.75, maxIou = 0.3) {
  const faces = [];
  const grid = (scores, boxes, cells, per) => {
    for (let i = 0; i < cells * cells * per; i++) {
      let l = scores[i];
      l = l < -100 ? -100 : l > 100 ? 100 : l;
      const score = 1 / (1 + Math.exp(-l));
      if (score < minScore) continue;
      const cell = (i / per) | 0;
      const cx = ((cell % cells) + 0.5) / cells + boxes[i * 16] / 128;
      const cy = (((cell / cells) | 0) + 0.5) / cells + boxes[i * 16 + 1] / 128;
      const w = boxes[i * 16 + 2] / 128, h = boxes[i * 16 + 3] / 128;
      faces.push({ score, x: cx - w / 2, y: cy - h / 2, w, h });
    }
  };
  grid(s16, b16, 16, 2);
  grid(s8, b8, 8, 6);
  faces.sort((a, b) => b.score - a.score);
  const iou = (a, b) => {
    const iw = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
    const ih = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
    return (iw * ih) / (a.w * a.h + b.w * b.h - iw * ih);
  };
  const kept = [];
  for (const f of faces) if (kept.every((k) => iou(k, f) <= maxIou)) kept.push(f);
  return kept;
}

function jsPipeline() {
  const images = FILES.map((f) => decode(readFileSync(join(CAMERA, f))).data);
  const model = readFileSync(MODEL);
  const bus = new SimulatedBus();
  bus.attach(0x76, new Bme280());
  const c = bus.transfer(0x76, [{ write: Uint8Array.of(0x88) }, { read: 6 }])[0];
  const t1 = c[0] | (c[1] << 8), t2 = ((c[2] | (c[3] << 8)) << 16) >> 16, t3 = ((c[4] | (c[5] << 8)) << 16) >> 16;
  bus.transfer(0x76, [{ write: Uint8Array.of(0xf4, (1 << 5) | 3) }]);
  const frame = new Uint8Array(512 * 512 * 3);
  const f32 = (bytes) => new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const stages = { tensor: [], nn: [], post: [], i2c: [], draw: [], print: [] };
  const now = () => performance.now();

  // `order`: which camera image each frame is (the component's frame sequence numbers mod 3, so
  // that both sides see the same frames: its camera drops frames at 1000 frames/s).
  return function runFrames(order, record) {
    // Like the app, each run loads the model into a fresh session (a fresh host loads its own):
    // a new ORT session is slower for its first tens of runs, so both sides skip the same warm-up.
    const graph = BACKENDS['onnxruntime-node'].load([model], { threads: 1, timeoutMs: 60_000 });
    const times = [];
    let faces = 0;
    const lines = []; // kept, as the component's are
    const sink = lineSplitter((line) => lines.push(line));
    for (const index of order) {
      const a = now();
      frame.set(images[index]); // the pool renders the camera's frame into its buffer
      const raster = { width: 512, height: 512, format: 'rgb24', data: frame, planes: [{ offset: 0, stride: 1536 }] };
      const t = toTensor(raster, {
        width: 128, height: 128, method: 'bilinear', layout: 'nhwc', element: 'f32', channels: 'rgb',
        normalization: { kind: 'scale-offset', scale: Math.fround(2 / 255), offset: -1 },
      });
      const b = now();
      const out = graph.compute([{ name: 'input:0', type: 'float32', dims: t.dimensions, data: t.bytes }]);
      const c1 = now();
      const byName = Object.fromEntries(out.map((o) => [o.name, f32(o.data)]));
      const found = decodeFaces(byName['Identity:0'], byName['Identity_2:0'], byName['Identity_1:0'], byName['Identity_3:0']);
      const d = now();
      const r = bus.transfer(0x76, [{ write: Uint8Array.of(0xfa) }, { read: 3 }])[0];
      const adc = (r[0] << 12) | (r[1] << 4) | (r[2] >> 4);
      const v1 = (((adc >> 3) - (t1 << 1)) * t2) >> 11;
      const v2 = (((((adc >> 4) - t1) * ((adc >> 4) - t1)) >> 12) * t3) >> 14;
      const celsius = (((v1 + v2) * 5 + 128) >> 8) / 100;
      const e = now();
      if (found.length) {
        const copy = packed(raster, true); // vision copies a frame before the first draw
        for (const f of found) {
          const x0 = Math.max(0, f.x * 512), y0 = Math.max(0, f.y * 512);
          const x1 = Math.min(512, (f.x + f.w) * 512), y1 = Math.min(512, (f.y + f.h) * 512);
          drawRect(copy, { x: x0 >>> 0, y: y0 >>> 0, width: (x1 - x0) >>> 0, height: (y1 - y0) >>> 0 }, { r: 0, g: 255, b: 0 }, 3);
        }
      }
      const p = now();
      // The app's output: its JSON line per frame, as bytes through the same line splitter the
      // component's stdout reaches (the component's frame time includes composing and writing it).
      let boxes = '';
      for (const f of found) {
        boxes += `${boxes ? ',' : ''}{"score":${f.score.toFixed(3)},"box":{"x":${Math.round(f.x * 512)},"y":${Math.round(f.y * 512)},"w":${Math.round(f.w * 512)},"h":${Math.round(f.h * 512)}}}`;
      }
      sink(Buffer.from(`{"frame":${times.length},"timestamp":${Math.round(a * 1e3)},"faces":[${boxes}],"temperature":${celsius.toFixed(2)}}\n`));
      const g = now();
      faces += found.length;
      times.push({ wall: g, cpu: cpuMs(), ...(times.length === WARMUP - 1 || times.length === order.length - 1 ? threadCpu() : {}) });
      if (record) {
        stages.tensor.push(b - a);
        stages.nn.push(c1 - b);
        stages.post.push(d - c1);
        stages.i2c.push(e - d);
        stages.draw.push(p - e);
        stages.print.push(g - p);
      }
      if (!Number.isFinite(celsius)) throw new Error('no temperature');
    }
    graph.release();
    return { times, faces, stages };
  };
}

// ---------------------------------------------------------------- the component

/** A stdout sink: bytes in, `onLine` for every whole line. */
function lineSplitter(onLine) {
  let pending = '';
  return (chunk) => {
    pending += Buffer.from(chunk).toString('utf8');
    let i;
    while ((i = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, i);
      pending = pending.slice(i + 1);
      onLine(line);
    }
  };
}

async function componentRun(n, timing) {
  const arrivals = [];
  const lines = [];
  const stdout = lineSplitter((line) => {
    if (line.startsWith('{"frame"')) arrivals.push({ ...stamp(), ...(arrivals.length === WARMUP - 1 || arrivals.length === n - 1 ? threadCpu() : {}) });
    lines.push(line);
  });
  const stderr = [];
  const result = await runComponent(join(ROOT, 'fixtures/components/facedetect.wasm'), {
    sensor: { devices: { 'camera:0': { kind: 'image-fixture', directory: CAMERA, loop: true, fps: [CAMERA_FPS, 1], maxFps: 1000 } } },
    wasi: { args: ['facedetect', String(n)], env: { OUT_DIR: '-', ...(timing ? { FACEDETECT_TIMING: '1' } : {}) } },
  }, { stdio: { stdout, stderr: (c) => stderr.push(c) } });
  if (result.code !== 0 || arrivals.length !== n) {
    throw new Error(`facedetect failed (code ${result.code}): ${Buffer.concat(stderr).toString()} ${lines.join('\n')}`);
  }
  const frames = lines.filter((l) => l.startsWith('{"frame"')).map((l) => JSON.parse(l));
  return { arrivals, frames };
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const stamp = () => ({ wall: performance.now(), cpu: cpuMs() });
/** CPU ms of this process's main thread and of all its other threads (Linux; absent elsewhere). */
function threadCpu() {
  let tasks;
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return {};
  }
  const ticks = 1000 / 100; // ms per clock tick (USER_HZ is 100 on Linux)
  let main = 0;
  let other = 0;
  for (const id of tasks) {
    let stat;
    try {
      stat = readFileSync(`/proc/self/task/${id}/stat`, 'utf8');
    } catch {
      continue; // a thread that ended meanwhile
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (Number(f[11]) + Number(f[12])) * ticks; // utime + stime
    if (id === String(process.pid)) main += ms;
    else other += ms;
  }
  return { main, other };
}
/** ms per frame after the warm-up frames, by wall clock and by this process's CPU time. */
const perFrame = (times, key) => (times[times.length - 1][key] - times[WARMUP - 1][key]) / (times.length - WARMUP);

const orderOf = (frames) => frames.map((f) => f.frame % FILES.length);

export default async function run() {
  const js = jsPipeline();
  let order = orderOf((await componentRun(FRAMES, false)).frames);
  js(order, false);
  const ratios = [];
  const wallRatios = [];
  const jsMs = [];
  const compMs = [];
  const split = { compMain: [], compOther: [], jsMain: [], jsOther: [] };
  for (let rep = 0; rep < REPS; rep++) {
    const before = js(order, false);
    const comp = await componentRun(FRAMES, false);
    order = orderOf(comp.frames);
    const after = js(order, false);
    const facesComp = comp.frames.reduce((s, f) => s + f.faces.length, 0);
    if (after.faces !== facesComp) throw new Error(`the two pipelines disagree: ${after.faces} vs ${facesComp} faces on the same ${FRAMES} frames`);
    const j = (key) => (perFrame(before.times, key) + perFrame(after.times, key)) / 2;
    ratios.push(perFrame(comp.arrivals, 'cpu') / j('cpu'));
    wallRatios.push(perFrame(comp.arrivals, 'wall') / j('wall'));
    jsMs.push(j('cpu'));
    compMs.push(perFrame(comp.arrivals, 'cpu'));
    if (comp.arrivals[WARMUP - 1].main !== undefined) {
      split.compMain.push(perFrame(comp.arrivals, 'main'));
      split.compOther.push(perFrame(comp.arrivals, 'other'));
      split.jsMain.push(j('main'));
      split.jsOther.push(j('other'));
    }
  }

  // Where the time goes: the guest's own stage clocks (µs) and the JS pipeline's.
  const timed = await componentRun(FRAMES, true);
  const g = (k) => median(timed.frames.slice(WARMUP).map((f) => f.us[k])) / 1000;
  const stages = js(orderOf(timed.frames), true).stages;
  const s = (k) => median(stages[k]);
  const fmt = (v) => v.toFixed(2);
  const guestLine = `guest ms/frame (wall, median): wait ${fmt(g('wait'))}, read-frames ${fmt(g('read'))}, from-frame ${fmt(g('image'))}, to-tensor+nn ${fmt(g('infer'))}, post ${fmt(g('post'))}, i2c ${fmt(g('i2c'))}, draw ${fmt(g('draw'))}, print ${fmt(g('print'))}`;
  const jsLine = `js ms/frame (wall, median): tensor ${fmt(s('tensor'))}, nn ${fmt(s('nn'))}, post ${fmt(s('post'))}, i2c ${fmt(s('i2c'))}, draw ${fmt(s('draw'))}, print ${fmt(s('print'))}`;
  const threadLine = split.compMain.length
    ? `; CPU ms/frame by thread (median, 10 ms ticks): component main ${fmt(median(split.compMain))} + other threads ${fmt(median(split.compOther))}, JS main ${fmt(median(split.jsMain))} + other threads ${fmt(median(split.jsOther))}`
    : '';

  return {
    pipeline_ratio: {
      value: +median(ratios).toFixed(3),
      goal: '<= 1.05',
      what: `face-detection app per frame (512x512 camera frame -> to-tensor -> BlazeFace -> anchors+NMS -> I2C temperature -> draw; no PNG) through the component / the same pipeline in plain JS, same process; CPU time of this process, all threads (shared machine: wall time mostly measures other tenants; ORT runs 1 thread, on the caller, on both sides), median of ${REPS} paired runs of ${FRAMES} frames (component ${fmt(median(compMs))} ms, JS ${fmt(median(jsMs))} ms; wall-clock ratio ${median(wallRatios).toFixed(2)}). ${guestLine}; ${jsLine}${threadLine}`,
    },
    pipeline_component_ms_per_frame: { value: +median(compMs).toFixed(2), what: 'facedetect.wasm, CPU ms per frame without PNG encode/write (median)' },
    pipeline_js_ms_per_frame: { value: +median(jsMs).toFixed(2), what: 'the plain JS pipeline, CPU ms per frame (median)' },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run(), null, 2));
}
