// pipeline_ratio: time per frame of the face-detection app (guests/c/facedetect.c) through the
// component / the same pipeline written in plain JavaScript in this process.
//
// Per frame, both sides do the same work with the same code underneath:
//   a 512x512 rgb24 frame from the demo camera (not copied: an image-fixture camera's frames are stable,
//   and a host-memory pool lends the camera's own buffer, src/sensor/lending.ts)
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
// only, preview2-shim's I/O worker. The what-line splits each side's CPU into the main thread
// (the scheduler's exact count, Linux /proc schedstat) and the rest, so a difference can be placed.
//
// How the two sides are paired. On these shared machines the speed of one process moves by a factor
// of two from one second to the next (other tenants, caches, frequency), so two runs one after the
// other cannot be compared to 5 %. Here the two sides take turns within one run, in blocks of
// BLOCK frames (≈ 30–50 ms): the component writes each frame's JSON line to a stdout the host
// receives synchronously, and after every BLOCK lines the host, still inside that write, stamps the
// component's block and runs the same BLOCK camera images through the JS pipeline, then lets the
// component go on. Each component block is compared with the mean of the JS blocks before and after
// it, and the median over all block pairs of REPS runs is reported (with the ratio of the totals).
// Both sides pay the switch: each block starts with the other side's data in the caches. What one
// side leaves for the garbage collector may be collected during the other's block; the totals and
// the main-thread split in the what-line show whether that moves the figure.
//
// Buffers. The host writes the component's tensor and its copy of the frame to draw on into buffers
// of its recycler, given back when the tensor is consumed and the image dropped, so the component
// allocates no large buffer per frame. The JS side allocates both afresh every frame, as code that
// calls toTensor and packed plainly does; with PIPELINE_JS_REUSE=1 it reuses one buffer of each
// (docs/demo.md gives the figure both ways).
//
// Which frames count. Each run, on either side, is one app run: load the model into a fresh
// session, then the frames. The first START frames are instantiation, model loading and a new ORT
// session, counted nowhere. The figure is the app running on: the MEASURED frames after WARMUP
// (40 s of a 30 fps camera). Until then V8 runs most of the host's per-frame functions in its
// baseline tier: called once per frame, they reach TurboFan only after 800–1,400 frames (seen with
// %GetOptimizationStatus on the pool's pull and read, to-tensor and the nn input checks), while the
// JS pipeline's few functions are compiled early. The what-line gives the ratio of the EARLY frames
// after START as well.
import { readFileSync } from 'node:fs';
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
// Frames of one run (see "Which frames count" above); all are multiples of BLOCK.
const START = 30;
const EARLY = 300;
const WARMUP = 1200;
const MEASURED = 900;
// The two sides take turns in blocks of BLOCK frames.
const BLOCK = 10;
const REPS = 3;
// Frames per second of the bench camera: above what the pipeline can do, so that a frame is always
// ready (waiting would cost no CPU but would make the wall-clock figures meaningless).
const CAMERA_FPS = +(process.env.PIPELINE_CAMERA_FPS ?? 1000);
// See "Buffers" above.
const JS_REUSE = process.env.PIPELINE_JS_REUSE === '1';

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
  const f32 = (bytes) => new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const now = () => performance.now();

  /**
   * One app run: like the app, it loads the model into a fresh session (a fresh host loads its
   * own; a new ORT session is slower for its first tens of runs, so both sides skip the same
   * warm-up). `frame(index)` runs one frame on camera image `index`.
   */
  // PIPELINE_JS_REUSE=1: the tensor and the copy to draw on are written into one buffer each, reused
  // from frame to frame, as the host does for the component (its recycler).
  let tensorBuffer, copyBuffer;
  return function open(record) {
    const graph = BACKENDS['onnxruntime-node'].load([model], { threads: 1, timeoutMs: 60_000 });
    const stages = { tensor: [], nn: [], post: [], i2c: [], draw: [], print: [] };
    const lines = []; // held until the block ends, as the host holds the component's
    const sink = lineSplitter((line) => lines.push(line));
    let frames = 0;
    const frameOf = (index) => {
      const a = now();
      // The camera's own buffer, as the component's host-memory pool lends it (no copy).
      const raster = { width: 512, height: 512, format: 'rgb24', data: images[index], planes: [{ offset: 0, stride: 1536 }] };
      const t = toTensor(raster, {
        width: 128, height: 128, method: 'bilinear', layout: 'nhwc', element: 'f32', channels: 'rgb',
        normalization: { kind: 'scale-offset', scale: Math.fround(2 / 255), offset: -1 },
      }, JS_REUSE ? { allocate: (n) => (tensorBuffer ??= new ArrayBuffer(n)) } : undefined);
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
        // vision copies a frame before the first draw
        const copy = packed(raster, true, JS_REUSE ? (n) => (copyBuffer ??= new ArrayBuffer(n)) : undefined);
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
      sink(Buffer.from(`{"frame":${frames},"timestamp":${Math.round(a * 1e3)},"faces":[${boxes}],"temperature":${celsius.toFixed(2)}}\n`));
      const g = now();
      frames++;
      if (record) {
        stages.tensor.push(b - a);
        stages.nn.push(c1 - b);
        stages.post.push(d - c1);
        stages.i2c.push(e - d);
        stages.draw.push(p - e);
        stages.print.push(g - p);
      }
      if (!Number.isFinite(celsius)) throw new Error('no temperature');
      return found.length;
    };
    return {
      frame: frameOf,
      endBlock: () => (lines.length = 0),
      stages,
      release: () => graph.release(),
    };
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

/** One run of facedetect.wasm for `n` frames; `onLine(line)` gets each stdout line as it is written. */
async function componentRun(n, onLine, timing = false) {
  const stderr = [];
  let error;
  const stdout = lineSplitter((line) => {
    try {
      onLine(line);
    } catch (e) {
      error ??= e; // thrown into the guest it would be a trap that hides the cause
    }
  });
  const result = await runComponent(join(ROOT, 'fixtures/components/facedetect.wasm'), {
    sensor: { devices: { 'camera:0': { kind: 'image-fixture', directory: CAMERA, loop: true, fps: [CAMERA_FPS, 1], maxFps: 1000 } } },
    wasi: { args: ['facedetect', String(n)], env: { OUT_DIR: '-', ...(timing ? { FACEDETECT_TIMING: '1' } : {}) } },
  }, { stdio: { stdout, stderr: (c) => stderr.push(c) } });
  if (error) throw error;
  if (result.code !== 0) throw new Error(`facedetect failed (code ${result.code}): ${Buffer.concat(stderr).toString()}`);
}

const isFrameLine = (line) => line.startsWith('{"frame"');
const imageOf = (line) => JSON.parse(line).frame % FILES.length;

/**
 * One paired run: the component and the JS pipeline take turns in blocks of BLOCK frames, in this
 * process, on the same camera images. The component is paused inside its own stdout write (the
 * host receives each line synchronously) while the JS pipeline runs the frames the component has
 * just run. Each side's block is stamped by wall clock, this process's CPU (every thread) and the
 * main thread's CPU, so that both sides meet the same machine within tens of milliseconds.
 */
async function pairedRun(openJs, timing = false) {
  // timing: the guest adds its stage clocks to each line (FACEDETECT_TIMING) and the JS pipeline
  // records its stages; each clock reading is a host call, so such a run is not counted in the ratio.
  const js = openJs(timing);
  const n = WARMUP + MEASURED;
  const guest = [];
  const blocks = [];
  let frames = 0;
  let compFaces = 0;
  let jsFaces = 0;
  let recent = [];
  let mark = stamp();
  const close = (side) => {
    const s = stamp();
    blocks.push({ side, wall: s.wall - mark.wall, cpu: s.cpu - mark.cpu, main: s.main - mark.main });
    mark = s;
  };
  await componentRun(n, (line) => {
    if (!isFrameLine(line)) return;
    recent.push(line);
    if (timing && frames >= WARMUP) guest.push(JSON.parse(line).us); // parsed inside the block: timing runs are not counted
    if (++frames % BLOCK) return;
    close('component');
    // Between the two stamps, so counted for neither side: which images these frames were.
    const images = recent.map(imageOf);
    const counted = frames > START;
    if (counted) compFaces += recent.reduce((sum, l) => sum + JSON.parse(l).faces.length, 0);
    recent = [];
    mark = stamp();
    for (const index of images) {
      const found = js.frame(index);
      if (counted) jsFaces += found;
    }
    js.endBlock();
    close('js');
    mark = stamp();
  }, timing);
  js.release();
  if (frames !== n) throw new Error(`facedetect wrote ${frames} frame lines, not ${n}`);
  if (jsFaces !== compFaces) throw new Error(`the two pipelines disagree: ${jsFaces} vs ${compFaces} faces on the same frames`);
  // blocks: component block 1, JS block 1, component block 2, … (block k holds frames (k-1)*BLOCK+1 … k*BLOCK).
  return { blocks, guest, stages: js.stages };
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
// The main thread's CPU time in ns, from the scheduler (Linux; NaN elsewhere): exact, where
// /proc's stat counts 10 ms ticks.
const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
const mainCpuMs = () => {
  try {
    return Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
};
const stamp = () => ({ wall: performance.now(), cpu: cpuMs(), main: mainCpuMs() });

/**
 * Ratios, by `key` (wall, cpu, main), of component blocks first…last (1-based, inclusive) each to
 * the mean of the JS blocks on either side of it: a drift of the machine over one pair cancels.
 */
function pairRatios(blocks, key, first, last) {
  const out = [];
  for (let k = first; k <= last; k++) {
    const i = 2 * (k - 1); // component block k; JS block k-1 before it, JS block k after it
    if (blocks[i]?.side !== 'component' || blocks[i - 1]?.side !== 'js' || blocks[i + 1]?.side !== 'js') throw new Error(`block pair ${k} is out of turn`);
    out.push(blocks[i][key] / ((blocks[i - 1][key] + blocks[i + 1][key]) / 2));
  }
  return out;
}
/** One side's `key` per frame over blocks first…last. */
function perFrame(blocks, side, key, first, last) {
  let sum = 0;
  for (let k = first; k <= last; k++) sum += blocks[2 * (k - 1) + (side === 'component' ? 0 : 1)][key];
  return sum / ((last - first + 1) * BLOCK);
}
// Component blocks compared: the early window (the first after START has a JS block of counted
// frames before it), and the measured one.
const EARLY_BLOCKS = [START / BLOCK + 2, (START + EARLY) / BLOCK + 1];
const STEADY_BLOCKS = [WARMUP / BLOCK + 1, (WARMUP + MEASURED) / BLOCK];

export default async function run() {
  const openJs = jsPipeline();
  const runs = [];
  for (let rep = 0; rep < REPS; rep++) runs.push((await pairedRun(openJs)).blocks);
  const fmt = (v) => v.toFixed(2);
  const all = (key, [first, last] = STEADY_BLOCKS) => runs.flatMap((blocks) => pairRatios(blocks, key, first, last));
  const ratio = median(all('cpu'));
  const perRun = runs.map((blocks) => median(pairRatios(blocks, 'cpu', ...STEADY_BLOCKS)).toFixed(3)).join(', ');
  const ms = (side, key) => median(runs.map((b) => perFrame(b, side, key, ...STEADY_BLOCKS)));
  const totals = median(runs.map((b) => perFrame(b, 'component', 'cpu', ...STEADY_BLOCKS) / perFrame(b, 'js', 'cpu', ...STEADY_BLOCKS)));
  const hasMain = runs.every((b) => b.every((x) => Number.isFinite(x.main)));
  const threadLine = hasMain
    ? `; CPU ms/frame by thread (median of runs): component main ${fmt(ms('component', 'main'))} + other threads ${fmt(ms('component', 'cpu') - ms('component', 'main'))}, JS main ${fmt(ms('js', 'main'))} + other threads ${fmt(ms('js', 'cpu') - ms('js', 'main'))}; main thread alone: ratio ${median(all('main')).toFixed(3)}`
    : '';
  const early = `frames ${START + BLOCK + 1}-${START + EARLY + BLOCK} of the same runs (host functions mostly not yet compiled by TurboFan): ratio ${median(all('cpu', EARLY_BLOCKS)).toFixed(3)}${hasMain ? `, main thread ${median(all('main', EARLY_BLOCKS)).toFixed(3)}` : ''}`;

  // Where the time goes: one more paired run with the guest's own stage clocks (µs) and the JS
  // pipeline's, so that both sides' stages are measured at the same time too.
  const timed = await pairedRun(openJs, true);
  const g = (k) => median(timed.guest.map((u) => u[k])) / 1000;
  const s = (k) => median(timed.stages[k].slice(WARMUP));
  const guestLine = `guest ms/frame (wall, median): wait ${fmt(g('wait'))}, read-frames ${fmt(g('read'))}, from-frame ${fmt(g('image'))}, to-tensor ${fmt(g('tensor'))}, compute ${fmt(g('compute'))}, outputs in ${fmt(g('infer') - g('tensor') - g('compute'))}, post ${fmt(g('post'))}, i2c ${fmt(g('i2c'))}, draw ${fmt(g('draw'))}, print ${fmt(g('print'))}`;
  const jsLine = `js ms/frame (wall, median): to-tensor ${fmt(s('tensor'))}, compute ${fmt(s('nn'))}, post ${fmt(s('post'))}, i2c ${fmt(s('i2c'))}, draw ${fmt(s('draw'))}, print ${fmt(s('print'))}`;
  const pairs = STEADY_BLOCKS[1] - STEADY_BLOCKS[0] + 1;

  return {
    pipeline_ratio: {
      value: +ratio.toFixed(3),
      goal: '<= 1.05',
      what: `face-detection app per frame (512x512 camera frame -> to-tensor -> BlazeFace -> anchors+NMS -> I2C temperature -> draw; no PNG) through the component / the same pipeline in plain JS, same process, taking turns in blocks of ${BLOCK} frames on the same images; the JS side ${JS_REUSE ? 'reuses one buffer for its tensor and one for its copy to draw on (PIPELINE_JS_REUSE=1), as the host reuses the component\'s' : 'allocates its tensor and its copy to draw on afresh every frame, the host reuses the component\'s'}; CPU time of this process, all threads (ORT runs 1 thread, on the caller, on both sides); frames ${WARMUP + 1}-${WARMUP + MEASURED} of each run (after a warm-up of ${WARMUP} frames on both sides), median over ${REPS} runs × ${pairs} block pairs, each component block against the mean of the JS blocks either side (per run: ${perRun}; ratio of the totals ${totals.toFixed(3)}; wall-clock ratio ${median(all('wall')).toFixed(3)}; component ${fmt(ms('component', 'cpu'))} ms, JS ${fmt(ms('js', 'cpu'))} ms per frame)${threadLine}; ${early}. ${guestLine}; ${jsLine} (stages of one more paired run, frames after ${WARMUP})`,
    },
    pipeline_component_ms_per_frame: { value: +ms('component', 'cpu').toFixed(2), what: `facedetect.wasm, CPU ms per frame without PNG encode/write, frames ${WARMUP + 1}-${WARMUP + MEASURED} (median of runs)` },
    pipeline_js_ms_per_frame: { value: +ms('js', 'cpu').toFixed(2), what: `the plain JS pipeline, CPU ms per frame, the same frames (median of runs)` },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run(), null, 2));
}
