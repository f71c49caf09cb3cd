/**
 * The browser's live camera, `kind: 'webcam'` (the platform port's cameras; Node's are in
 * src/platform/node/camera.ts).
 *
 * getUserMedia exists only in the page, while the component blocks in its worker; so, like the
 * ffmpeg camera's reader thread in Node, the page (src/platform/browser/page/webcam-pump.ts) grabs frames of the
 * MediaStream, converts them to the configured layout and writes them into a SharedArrayBuffer
 * ring, bumping the sensor provider's wake cell for each frame. `collect` copies out of the ring.
 * A camera that cannot be opened or ends is `hardware-error` on the next collect.
 */
import { checkLayout, checkRate, bytesPerPixel, type Capabilities, type Layout, type Rate } from '../../sensor/pixels.js';
import { fault } from '../../sensor/fault.js';
import { NO_FRAMES, type CapturedFrames, type SensorDevice } from '../../sensor/devices/device.js';
import { postToPage } from './worker/page-link.js';
import type { CameraKinds } from '../../sensor/camera-port.js';

export interface WebcamOptions {
  /** Which camera: `webcam` (the default one) or a MediaDevices deviceId. */
  device: string;
  layout: Layout;
  rate: Rate;
  capabilities: Capabilities;
  ringFrames: number;
}

/** What the page needs to feed one capture session (src/platform/browser/page/webcam-pump.ts reads it). */
export interface WebcamSession {
  type: 'webcam-start';
  id: number;
  device: string;
  width: number;
  height: number;
  pixelFormat: string;
  fps: number;
  slots: number;
  frameBytes: number;
  /** meta cells: 0 frames written, 1 ended flag, 2 error code */
  meta: SharedArrayBuffer;
  ring: SharedArrayBuffer;
  stamps: SharedArrayBuffer;
  wake: SharedArrayBuffer;
}

let nextSession = 1;

/** How long start() waits for the page to deliver the first frame. */
const START_TIMEOUT_MS = 10_000;

export class WebcamDevice implements SensorDevice {
  readonly asynchronous = true;
  readonly capabilities: Capabilities;
  private layout: Layout;
  private rate: Rate;
  private session:
    | { id: number; meta: Int32Array; stamps: BigInt64Array; ring: Uint8Array; frameBytes: number; consumed: number }
    | undefined;

  constructor(
    readonly description: string,
    private readonly options: WebcamOptions,
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

  start(): void {
    const frameBytes = this.layout.width * this.layout.height * bytesPerPixel(this.layout.pixelFormat);
    const slots = this.options.ringFrames;
    const ring = new SharedArrayBuffer(frameBytes * slots);
    const meta = new SharedArrayBuffer(16);
    const stamps = new SharedArrayBuffer(8 * slots);
    const id = nextSession++;
    const request: WebcamSession = {
      type: 'webcam-start',
      id,
      device: this.options.device,
      width: this.layout.width,
      height: this.layout.height,
      pixelFormat: this.layout.pixelFormat,
      fps: this.rate.numerator / this.rate.denominator,
      slots,
      frameBytes,
      meta,
      ring,
      stamps,
      wake: this.wake.buffer as SharedArrayBuffer,
    };
    try {
      postToPage(request);
    } catch (e) {
      fault('hardware-error', (e as Error).message);
    }
    this.session = { id, meta: new Int32Array(meta), stamps: new BigInt64Array(stamps), ring: new Uint8Array(ring), frameBytes, consumed: 0 };
    // Opening a webcam (permission, device start, first decoded frame) takes ~0.3–2 s, much longer
    // than a V4L2 device's first frame: return from start once the camera streams (or failed), so
    // that a guest's "no frame for five periods means the camera stopped" rule does not fire
    // before the first frame. Bounded; an unopened camera is then hardware-error on collect.
    const m = this.session.meta;
    const until = performance.now() + START_TIMEOUT_MS;
    while (Atomics.load(m, 0) === 0 && Atomics.load(m, 1) === 0) {
      const left = until - performance.now();
      if (left <= 0) break;
      Atomics.wait(m, 0, 0, left);
    }
  }

  stop(): void {
    const s = this.session;
    if (!s) return;
    this.session = undefined;
    try {
      postToPage({ type: 'webcam-stop', id: s.id });
    } catch {
      // no page: nothing was started
    }
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
        fault('hardware-error', `the camera went away (${code === 2 ? 'getUserMedia was refused or found no camera' : 'the stream ended'})`);
      }
      return NO_FRAMES(this.layout);
    }
    const first = s.consumed;
    const count = written - first;
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

/** The browser's live cameras: getUserMedia, fed by the page. */
export const cameras: CameraKinds = {
  webcam: ({ description, config: c, layout, capabilities, env }) =>
    new WebcamDevice(
      description,
      { device: c.device, layout, rate: c.rate, capabilities, ringFrames: c.ringFrames },
      env.wake,
      (hr) => env.clock.fromMonotonic(hr),
    ),
  describe: "the browser has kind 'webcam' (getUserMedia); 'ffmpeg' is Node's",
};
