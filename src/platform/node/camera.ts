/**
 * A V4L2 camera (or anything ffmpeg can read) through an ffmpeg child process that writes raw
 * frames to a pipe. The guest may be blocked in a synchronous call while frames arrive, and then
 * the main thread's event loop does not run: so a worker thread (ffmpeg-worker.ts) owns the child
 * process and writes its frames into the shared frame ring (src/sensor/devices/frame-ring.ts),
 * which the device reads when the pool pulls.
 *
 * Input arguments come from the configuration, with {width}, {height}, {fps} (as num/den) and
 * {device} substituted; the output side is always `-f rawvideo -pix_fmt <fmt> -s WxH pipe:1`.
 * A camera that goes away (ffmpeg exits for any reason) is `hardware-error` on the next collect.
 */
import { Worker } from 'node:worker_threads';
import { accessSync, constants, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Capabilities, Layout, Rate } from '../../sensor/pixels.js';
import { fault } from '../../sensor/fault.js';
import { RingCameraDevice } from '../../sensor/devices/ring-camera.js';
import { FrameRingWriter, type FrameRingBuffers, type FrameRingReader } from '../../sensor/devices/frame-ring.js';
import type { CameraKinds } from '../../sensor/camera-port.js';
import type { FfmpegWorkerData } from './ffmpeg-worker.js';

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

/**
 * The compiled worker next to this module; when this module runs from its TypeScript source (the
 * test suite), the one `npm run build` put in dist/.
 */
function workerUrl(): URL {
  const here = new URL('./ffmpeg-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL('../../../dist/platform/node/ffmpeg-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  fault('hardware-error', 'ffmpeg-worker.js not found: run `npm run build` first');
}

export class FfmpegCameraDevice extends RingCameraDevice<FfmpegCameraOptions> {
  private worker: Worker | undefined;

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

  protected open(ring: FrameRingBuffers): void {
    try {
      accessSync(this.options.ffmpegPath, constants.X_OK);
    } catch {
      fault('hardware-error', `ffmpeg is not executable at ${this.options.ffmpegPath}`);
    }
    const workerData: FfmpegWorkerData = { ffmpeg: this.options.ffmpegPath, args: this.argv(), ring };
    const worker = new Worker(workerUrl(), { workerData });
    // A worker that fails to load or throws ends the ring, so the guest hears of it (hardware-error).
    worker.on('error', () => new FrameRingWriter(ring).end(-1));
    // The worker must never keep the embedder's process alive on its own.
    worker.unref();
    this.worker = worker;
  }

  protected shut(reader: FrameRingReader): void {
    const pid = reader.pid;
    if (pid > 0 && !reader.ended) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    void this.worker?.terminate();
    this.worker = undefined;
  }

  protected goneReason(code: number): string {
    return `ffmpeg exited with status ${code}`;
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
