/**
 * The browser's live camera, `kind: 'webcam'` (the platform port's cameras; Node's are in
 * src/platform/node/camera.ts).
 *
 * getUserMedia exists only in the page, while the component blocks in its worker; so, like the
 * ffmpeg camera's writer thread in Node, the page (src/platform/browser/page/webcam-pump.ts) grabs
 * frames of the MediaStream, converts them to the configured layout and writes them into the
 * shared frame ring (src/sensor/devices/frame-ring.ts), which this device reads on collect.
 * A camera that cannot be opened or ends is `hardware-error` on the next collect.
 */
import type { Capabilities, Layout, Rate } from '../../sensor/pixels.js';
import { fault } from '../../sensor/fault.js';
import { RingCameraDevice } from '../../sensor/devices/ring-camera.js';
import type { FrameRingBuffers, FrameRingReader } from '../../sensor/devices/frame-ring.js';
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
  /** The page writes frames here; end codes: 1 the stream ended, 2 getUserMedia was refused or found no camera. */
  ring: FrameRingBuffers;
}

let nextSession = 1;

/** How long start() waits for the page to deliver the first frame. */
const START_TIMEOUT_MS = 10_000;

export class WebcamDevice extends RingCameraDevice<WebcamOptions> {
  private session = 0;

  protected open(ring: FrameRingBuffers, reader: FrameRingReader): void {
    const id = nextSession++;
    const request: WebcamSession = {
      type: 'webcam-start',
      id,
      device: this.options.device,
      width: this.layout.width,
      height: this.layout.height,
      pixelFormat: this.layout.pixelFormat,
      fps: this.rate.numerator / this.rate.denominator,
      ring,
    };
    try {
      postToPage(request);
    } catch (e) {
      fault('hardware-error', (e as Error).message);
    }
    this.session = id;
    // Opening a webcam (permission, device start, first decoded frame) takes ~0.3–2 s, much longer
    // than a V4L2 device's first frame: return from start once the camera streams (or failed), so
    // that a guest's "no frame for five periods means the camera stopped" rule does not fire
    // before the first frame. Bounded; an unopened camera is then hardware-error on collect.
    reader.waitForFirst(START_TIMEOUT_MS);
  }

  protected shut(): void {
    try {
      postToPage({ type: 'webcam-stop', id: this.session });
    } catch {
      // no page: nothing was started
    }
  }

  protected goneReason(code: number): string {
    return code === 2 ? 'getUserMedia was refused or found no camera' : 'the stream ended';
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
