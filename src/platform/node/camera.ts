/**
 * A V4L2 camera (or anything ffmpeg can read) through an ffmpeg child process that writes raw
 * frames to a pipe. The guest may be blocked in a synchronous call while frames arrive, and then
 * the main thread's event loop does not run: so a small worker thread owns the child process,
 * cuts its stdout into frames and copies them into a SharedArrayBuffer ring, bumping the
 * provider's wake cell (Atomics.notify) for every frame and when ffmpeg exits. The main thread
 * copies frames out of the ring when the pool pulls (`collect`).
 *
 * Input arguments come from the configuration, with {width}, {height}, {fps} (as num/den) and
 * {device} substituted; the output side is always `-f rawvideo -pix_fmt <fmt> -s WxH pipe:1`.
 * A camera that goes away (ffmpeg exits for any reason) is `hardware-error` on the next collect.
 */
import { Worker } from 'node:worker_threads';
import { accessSync, constants } from 'node:fs';
import { checkLayout, checkRate, type Capabilities, type Layout, type Rate, bytesPerPixel } from '../../sensor/pixels.js';
import { fault } from '../../sensor/fault.js';
import { NO_FRAMES, type CapturedFrames, type SensorDevice } from '../../sensor/devices/device.js';
import type { CameraKinds } from '../../sensor/camera-port.js';

export interface FfmpegCameraOptions {
  ffmpegPath: string;
  /** Input arguments (everything before the output options), with placeholders. */
  input: readonly string[];
  device: string;
  layout: Layout;
  rate: Rate;
  capabilities: Capabilities;
  /** Frames the ring holds before the oldest is overwritten. */
  ringFrames: number;
}

const PIX_FMT: Record<string, string> = {
  gray: 'gray',
  rgb24: 'rgb24',
  bgr24: 'bgr24',
  argb32: 'argb',
  abgr32: 'abgr',
  yuy2: 'yuyv422',
};

// meta cells: 0 frames written, 1 exited flag, 2 exit code, 3 child pid
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const { ffmpeg, args, frameBytes, slots, ring, meta, stamps, wake } = workerData;
const M = new Int32Array(meta), W = new Int32Array(wake), T = new BigInt64Array(stamps), R = new Uint8Array(ring);
function signal() { Atomics.add(W, 0, 1); Atomics.notify(W, 0); }
function finish(code) {
  if (Atomics.load(M, 1)) return;
  Atomics.store(M, 2, code); Atomics.store(M, 1, 1); signal();
}
let child;
try { child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'ignore'] }); } catch { finish(-1); }
if (child) {
  if (child.pid) Atomics.store(M, 3, child.pid);
  let filled = 0;
  child.stdout.on('data', (chunk) => {
    let off = 0;
    while (off < chunk.length) {
      const slot = Atomics.load(M, 0) % slots;
      const n = Math.min(frameBytes - filled, chunk.length - off);
      R.set(chunk.subarray(off, off + n), slot * frameBytes + filled);
      filled += n; off += n;
      if (filled === frameBytes) { T[slot] = process.hrtime.bigint(); filled = 0; Atomics.add(M, 0, 1); signal(); }
    }
  });
  child.on('error', () => finish(-1));
  child.on('close', (code) => finish(code ?? -1));
}
`;

interface Session {
  worker: Worker;
  meta: Int32Array;
  stamps: BigInt64Array;
  ring: Uint8Array;
  frameBytes: number;
  consumed: number;
}

export class FfmpegCameraDevice implements SensorDevice {
  readonly asynchronous = true;
  readonly capabilities: Capabilities;
  private layout: Layout;
  private rate: Rate;
  private session: Session | undefined;

  constructor(
    readonly description: string,
    private readonly options: FfmpegCameraOptions,
    private readonly wake: Int32Array,
    private readonly toClock: (hrtime: bigint) => bigint,
  ) {
    this.capabilities = options.capabilities;
    this.layout = checkLayout(options.layout, this.capabilities);
    this.rate = checkRate(options.rate, this.capabilities);
  }

  getRate(): Rate {
    return { ...this.rate };
  }

  setRate(rate: Rate): void {
    if (this.session) fault('busy', 'stop the camera before changing its sampling rate');
    this.rate = checkRate(rate, this.capabilities);
  }

  getLayout(): Layout {
    return { ...this.layout };
  }

  setLayout(layout: Layout): void {
    if (this.session) fault('busy', 'stop the camera before changing its dimension');
    this.layout = checkLayout(layout, this.capabilities);
  }

  /** The full ffmpeg argv for the current settings. */
  argv(): string[] {
    const { width, height, pixelFormat } = this.layout;
    const fps = `${this.rate.numerator}/${this.rate.denominator}`;
    const sub = (a: string) =>
      a.replaceAll('{width}', String(width)).replaceAll('{height}', String(height)).replaceAll('{fps}', fps).replaceAll('{device}', this.options.device);
    return [
      '-hide_banner', '-loglevel', 'error', '-nostdin',
      ...this.options.input.map(sub),
      '-an', '-f', 'rawvideo', '-pix_fmt', PIX_FMT[pixelFormat]!, '-s', `${width}x${height}`, '-r', fps, 'pipe:1',
    ];
  }

  start(): void {
    try {
      accessSync(this.options.ffmpegPath, constants.X_OK);
    } catch {
      fault('hardware-error', `ffmpeg is not executable at ${this.options.ffmpegPath}`);
    }
    const frameBytes = this.layout.width * this.layout.height * bytesPerPixel(this.layout.pixelFormat);
    const slots = this.options.ringFrames;
    const ring = new SharedArrayBuffer(frameBytes * slots);
    const meta = new SharedArrayBuffer(16);
    const stamps = new SharedArrayBuffer(8 * slots);
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        ffmpeg: this.options.ffmpegPath,
        args: this.argv(),
        frameBytes,
        slots,
        ring,
        meta,
        stamps,
        wake: this.wake.buffer,
      },
    });
    // The worker must never keep the embedder's process alive on its own.
    worker.unref();
    this.session = {
      worker,
      meta: new Int32Array(meta),
      stamps: new BigInt64Array(stamps),
      ring: new Uint8Array(ring),
      frameBytes,
      consumed: 0,
    };
  }

  stop(): void {
    const s = this.session;
    if (!s) return;
    this.session = undefined;
    const pid = Atomics.load(s.meta, 3);
    if (pid > 0 && Atomics.load(s.meta, 1) === 0) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    void s.worker.terminate();
  }

  collect(): CapturedFrames {
    const s = this.session;
    if (!s) return NO_FRAMES(this.layout);
    const written = Atomics.load(s.meta, 0);
    const slots = this.options.ringFrames;
    if (written === s.consumed) {
      if (Atomics.load(s.meta, 1) === 1) {
        const code = Atomics.load(s.meta, 2);
        this.stop();
        fault('hardware-error', `the camera went away (ffmpeg exited with status ${code})`);
      }
      return NO_FRAMES(this.layout);
    }
    const first = s.consumed;
    const count = written - first;
    // Frames the worker has already overwritten (the pool was not read for a while).
    const overrun = Math.max(0, count - (slots - 1));
    s.consumed = written;
    const layout = this.layout;
    const toClock = this.toClock;
    return {
      count,
      overrun,
      layout,
      deferrable: false,
      timestamp: (i) => toClock(s.stamps[(first + i) % slots]!),
      render: (i, into) => {
        const j = first + i;
        const slot = j % slots;
        const stride = layout.strideBytes;
        const row = s.frameBytes / layout.height;
        const out = into ?? new Uint8Array(stride * layout.height);
        if (stride === row) out.set(s.ring.subarray(slot * s.frameBytes, (slot + 1) * s.frameBytes));
        else for (let y = 0; y < layout.height; y++) out.set(s.ring.subarray(slot * s.frameBytes + y * row, slot * s.frameBytes + (y + 1) * row), y * stride);
        // A frame the worker began to overwrite while we copied is lost: report it empty.
        if (Atomics.load(s.meta, 0) >= j + slots) return new Uint8Array(0);
        return out;
      },
    };
  }

  nextDeadline(): bigint | undefined {
    return undefined;
  }

  get running(): boolean {
    return this.session !== undefined;
  }

  close(): void {
    this.stop();
  }
}

/** Node's live cameras: anything ffmpeg reads (V4L2 devices, files, streams). */
export const cameras: CameraKinds = {
  ffmpeg: ({ description, config: c, layout, capabilities, env }) =>
    new FfmpegCameraDevice(
      description,
      { ffmpegPath: c.ffmpegPath, input: c.input, device: c.device, layout, rate: c.rate, capabilities, ringFrames: c.ringFrames },
      env.wake,
      (hr) => env.clock.fromMonotonic(hr),
    ),
  describe: "Node has kind 'ffmpeg' (V4L2 devices and anything ffmpeg reads); 'webcam' is the browser's",
};
