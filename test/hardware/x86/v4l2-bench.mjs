// Runs inside the x86 VM (guest.sh): the V4L2 backend's figures on vivid, printed as one
// `V4L2-BENCH {json}` line that bench/v4l2.bench.mjs folds into bench/results.json.
//
// The same vivid stream (640x360 YUYV, 30 fps) is read twice through a host-memory pool, as a guest
// would have it delivered: by the native backend (zero copy: the frame is the driver's buffer) and
// by the ffmpeg backend (ffmpeg reads /dev/video0 and writes raw frames to a pipe; a worker copies
// them into the ring, the pool copies them out). CPU time per frame is the whole process's
// (process.cpuUsage: every thread, the watcher and ffmpeg worker included) plus, for ffmpeg, the
// child's own (every thread's /proc/<pid>/task/*/schedstat, ns), over the same number of frames
// after a warm-up. Each side also reports its CPU per thread name and its reads per frame.
// Copies are counted by the device (V4l2Device.stats), not assumed. Latency, per frame, host clock:
// delivery (pool.read returned the frame) minus the frame's timestamp — for the native backend the
// driver's capture stamp (vivid's is nominal: see bench/v4l2.bench.mjs), for ffmpeg the moment the
// ring's writer committed the frame (its timestamp is that moment: ffmpeg-worker.ts); and for the
// native backend, delivery minus the moment DQBUF returned the frame's buffer, recorded by a wrapper
// around the device's kernel (timedKernel), the library unchanged.
import { readFileSync, readdirSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);
const { parseSensorConfig } = await dist('sensor/config.js');
const { createDevice } = await dist('sensor/devices/create.js');
const { openV4l2Device } = await dist('sensor/devices/v4l2/open.js');
const { koffiKernel } = await dist('sensor/devices/v4l2/koffi-kernel.js');
const { requests, decodeBuffer } = await dist('sensor/devices/v4l2/abi.js');
const { FramePool } = await dist('sensor/pool.js');
const { RealSensorClock } = await dist('sensor/clock.js');
const { nodePlatform } = await dist('platform/node/index.js');

const WARMUP = 15;
const FRAMES = 90;
const SIZE = { width: 640, height: 360, pixelFormat: 'yuy2', fps: [30, 1] };

// The host's ffmpeg, through the VM's read-only mount of the host's / (init: /host).
const FFMPEG = '/scratch/ffmpeg';
function ffmpegWrapper() {
  // /lib64's loader is an absolute link into the host's /lib: take the file itself.
  const ld = '/host/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2';
  if (!existsSync(ld) || !existsSync('/host/usr/bin/ffmpeg')) return undefined;
  writeFileSync(FFMPEG, `#!/bin/sh\necho $$ > ${FFMPEG}.pid\nexec ${ld} --library-path /host/usr/lib/x86_64-linux-gnu:/host/usr/lib/x86_64-linux-gnu/blas:/host/usr/lib/x86_64-linux-gnu/lapack:/host/usr/lib/x86_64-linux-gnu/pulseaudio /host/usr/bin/ffmpeg "$@"\n`);
  chmodSync(FFMPEG, 0o755);
  return FFMPEG;
}

/** CPU time (ns) of every thread of process `pid` so far (/proc/<pid>/schedstat is the main thread's only). */
function schedNs(pid) {
  let ns = 0n;
  for (const tid of tasks(pid)) {
    try {
      ns += BigInt(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended since the listing.
    }
  }
  return ns;
}

function tasks(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
}

/** This process's CPU time (ns) per thread name: main ("node"), workers, V8's and libuv's threads. */
function threadNs() {
  const by = new Map();
  for (const tid of tasks(process.pid)) {
    try {
      const name = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
      const ns = BigInt(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      const key = tid === String(process.pid) ? 'main' : name;
      by.set(key, (by.get(key) ?? 0n) + ns);
    } catch {
      // The thread ended since the listing.
    }
  }
  return by;
}

/** Per-thread-name CPU ms per frame between two threadNs() readings (threads gone meanwhile are missing). */
function threadMsPerFrame(before, after, frames) {
  const out = {};
  for (const [name, ns] of after) out[name] = Number(ns - (before.get(name) ?? 0n)) / 1e6 / frames;
  return out;
}

/**
 * The real kernel, with the host-clock time at which each successful DQBUF returned, keyed by the
 * buffer's capture stamp mapped to the clock the way the device maps it (open.ts: fromMonotonic), so
 * that a delivered frame's timestampNs finds it. A stamp the device had to change (a non-monotonic
 * driver clock, or one not after the previous frame's) finds nothing: such frames are counted.
 */
function timedKernel(clock, dequeuedAt) {
  const kernel = koffiKernel();
  const { DQBUF } = requests(kernel.abi);
  return {
    abi: kernel.abi,
    open: (path) => kernel.open(path),
    ioctl(fd, request, arg) {
      kernel.ioctl(fd, request, arg);
      if (request !== DQBUF) return;
      const at = clock.now();
      dequeuedAt.set(clock.fromMonotonic(decodeBuffer(kernel.abi, arg).timestampNs), at);
    },
    mmap: (fd, length, offset) => kernel.mmap(fd, length, offset),
    close: (fd) => kernel.close(fd),
    watch: (fd, wake, options) => kernel.watch(fd, wake, options),
  };
}

/** Median and p95 of a list of ms (sorted in place). */
function spread(ms) {
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)], p95: ms[Math.floor(ms.length * 0.95)] };
}

function measure(label, entry, childPid) {
  const clock = new RealSensorClock();
  const wake = new Int32Array(new SharedArrayBuffer(4));
  const config = parseSensorConfig({ devices: { cam: entry } }, 'sensor', ROOT).devices.cam;
  // Native only: DQBUF's host time per buffer (timedKernel); the ffmpeg device has no DQBUF of its own.
  const dequeuedAt = entry.kind === 'v4l2' ? new Map() : undefined;
  const layout = { width: config.width, height: config.height, strideBytes: 0, pixelFormat: config.pixelFormat };
  const device = dequeuedAt
    ? openV4l2Device('cam: V4L2', config, layout, { wake, clock }, timedKernel(clock, dequeuedAt))
    : createDevice('cam', config, { wake, clock }, { cameras: nodePlatform.cameras });
  const pool = new FramePool({ name: 'bench-hm', mode: 'overwrite', size: 0, bufferNum: 4, hostMemory: true, maxBytes: 2 ** 28 });
  pool.attach({ device, onFailure: () => {}, halt: () => {} });
  device.start(clock.now(), { frames: 4 });
  // Warm-up: WARMUP frames after the device's own thread (the V4L2 watcher, the ffmpeg ring's
  // worker) first bumped the wake cell. Under TCG such a worker takes seconds to start, during
  // which the reader still gets frames (it looks once a second); counted from the stream's start,
  // the measurement took in part of that start-up, which is no per-frame cost.
  let signalled = false;
  let warm = 0;
  let measured = 0;
  let reads = 0;
  let reads0 = 0;
  let threads0;
  let cpu0;
  let child0 = 0n;
  let pid = 0;
  const latencies = [];
  const fromDequeue = [];
  let unmatched = 0;
  const until = Date.now() + 120_000;
  while (measured < FRAMES && Date.now() < until) {
    const seen = Atomics.load(wake, 0);
    signalled ||= seen > 0;
    const frames = pool.read(4, clock.now());
    reads++;
    const now = clock.now();
    for (const f of frames) {
      if (warm < WARMUP) {
        if (signalled && ++warm === WARMUP) {
          cpu0 = process.cpuUsage();
          threads0 = threadNs();
          reads0 = reads;
          pid = childPid?.() ?? 0;
          child0 = pid ? schedNs(pid) : 0n;
        }
      } else {
        measured++;
        latencies.push(Number(now - f.timestampNs) / 1e6);
        const at = dequeuedAt?.get(f.timestampNs);
        if (at !== undefined) fromDequeue.push(Number(now - at) / 1e6);
        else if (dequeuedAt) unmatched++;
      }
      dequeuedAt?.delete(f.timestampNs);
      pool.lending.release(f.handle);
    }
    if (frames.length === 0) Atomics.wait(wake, 0, seen, 1000);
  }
  const cpu = process.cpuUsage(cpu0);
  const threads1 = threadNs();
  const readsMeasured = reads - reads0;
  const childNs = pid ? schedNs(pid) - child0 : 0n;
  const stats = device.stats;
  device.stop();
  device.close();
  pool.dispose();
  const n = measured;
  const latency = spread(latencies);
  const dequeue = dequeuedAt ? spread(fromDequeue) : undefined;
  const nodeNs = (cpu.user + cpu.system) * 1000;
  return {
    label,
    frames: n,
    cpuNsPerFrame: (nodeNs + Number(childNs)) / n,
    nodeNsPerFrame: nodeNs / n,
    childNsPerFrame: Number(childNs) / n,
    copiesPerFrame: stats ? stats.copies / Math.max(1, stats.dequeued) : undefined,
    held: stats?.held,
    // Where the host process's CPU went, and how often the reader woke per frame delivered.
    threadMsPerFrame: threads0 ? threadMsPerFrame(threads0, threads1, n) : {},
    readsPerFrame: readsMeasured / n,
    latencyMedianMs: latency.median,
    latencyP95Ms: latency.p95,
    ...(dequeue && { dequeueMedianMs: dequeue.median, dequeueP95Ms: dequeue.p95, dequeueMatched: fromDequeue.length, dequeueUnmatched: unmatched }),
  };
}

const result = {};
result.v4l2 = measure('native V4L2', { kind: 'v4l2', device: '/dev/video0', ...SIZE });
const ffmpeg = ffmpegWrapper();
if (ffmpeg) {
  try {
    result.ffmpeg = measure('ffmpeg', {
    kind: 'ffmpeg', ffmpeg, device: '/dev/video0', ...SIZE, ringFrames: 8,
    input: ['-f', 'v4l2', '-input_format', 'yuyv422', '-framerate', '{fps}', '-video_size', '{width}x{height}', '-i', '{device}'],
  }, () => Number(readFileSync(`${FFMPEG}.pid`, 'utf8')));
  } catch (e) {
    result.ffmpeg = { error: String(e?.message ?? e) };
  }
} else result.ffmpeg = { error: 'the host ffmpeg is not visible in the VM (/host/usr/bin/ffmpeg)' };
console.log(`V4L2-BENCH ${JSON.stringify(result)}`);
