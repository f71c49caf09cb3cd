/**
 * The conformance fixtures' `camera` source on this host: a live camera that needs nothing
 * outside the package. The test pattern, clocked by the sensor provider's clock like any device;
 * after `framesBeforeUnplug` frames the camera goes away, which a guest sees as a USB camera
 * pulled out (the frames it captured, then `hardware-error`, docs/spec-notes/sensor.md#device-failure).
 * (It used to be ffmpeg's lavfi source, which made `npm test` need a Debian package; the ffmpeg
 * backend keeps its own tests in test/sensor/ffmpeg.test.ts.)
 */
import { PIXEL_FORMATS, type PixelFormat } from '../sensor/pixels.js';
import { TestPatternDevice } from '../sensor/devices/test-pattern.js';
import type { CapturedFrames, SensorDevice } from '../sensor/devices/device.js';
import { WrappedDevice } from '../sensor/devices/wrapped.js';
import { fault } from '../sensor/fault.js';

export interface LiveCameraSpec {
  width?: number;
  height?: number;
  pixelFormat?: PixelFormat;
  fps?: [number, number];
  formats?: PixelFormat[];
  /** Frames it delivers before it is unplugged; forever when absent. */
  framesBeforeUnplug?: number;
}

/**
 * Cuts the stream after `limit` frames: the camera is pulled out when the first frame past the
 * limit would be captured. The frames before are delivered first; the next collect is the
 * device's one `hardware-error` (the SensorDevice contract), after which it stays stopped and
 * cannot be started again.
 */
class UnpluggedAfter extends WrappedDevice {
  private delivered = 0;
  private owesFailure = false;
  private gone = false;

  constructor(inner: SensorDevice, private readonly limit: number) {
    super(inner);
  }

  override get description(): string {
    return `${this.inner.description}${this.gone ? ' (unplugged)' : ''}`;
  }
  override start(now: bigint): void {
    if (this.gone) fault('hardware-error', `${this.inner.description} was unplugged`);
    this.inner.start(now);
  }

  override collect(now: bigint): CapturedFrames {
    if (this.owesFailure) {
      this.owesFailure = false;
      fault('hardware-error', `${this.inner.description} was unplugged`);
    }
    if (this.gone) return this.inner.collect(now);
    const frames = this.inner.collect(now);
    const left = this.limit - this.delivered;
    if (frames.count <= left) {
      this.delivered += frames.count;
      return frames;
    }
    // Frames past the limit: the camera went away before them.
    this.gone = true;
    this.inner.stop();
    if (left === 0) fault('hardware-error', `${this.inner.description} was unplugged`);
    this.delivered = this.limit;
    this.owesFailure = true;
    return { ...frames, count: left, timestamp: (i) => frames.timestamp(i), render: (i, into) => frames.render(i, into) };
  }

  override nextDeadline(): bigint | undefined {
    // An owed failure is due at once: the next readiness check collects and meets it.
    return this.owesFailure ? 0n : this.inner.nextDeadline();
  }
}

export function openLiveCamera(name: string, spec: LiveCameraSpec): SensorDevice {
  const pixelFormat = spec.pixelFormat ?? 'rgb24';
  const fps = spec.fps ?? [30, 1];
  const pattern = new TestPatternDevice(`${name}: live camera (test pattern)`, {
    layout: { width: spec.width ?? 640, height: spec.height ?? 480, strideBytes: 0, pixelFormat },
    rate: { numerator: fps[0], denominator: fps[1] },
    capabilities: {
      formats: spec.formats ?? PIXEL_FORMATS.filter((f) => f !== 'mjpeg'),
      maxWidth: 4096, maxHeight: 4096, minFps: 1 / 3600, maxFps: 1000, layoutSettable: true,
    },
  });
  return spec.framesBeforeUnplug === undefined ? pattern : new UnpluggedAfter(pattern, spec.framesBeforeUnplug);
}
