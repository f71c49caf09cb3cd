/**
 * A live camera fed through a frame ring (frame-ring.ts): what the ffmpeg camera (Node) and the
 * webcam (browser) share. Settings change only while stopped (`busy`, as V4L2 answers EBUSY
 * while streaming); `start` makes a ring and hands it to the platform's writer (`open`); `collect`
 * takes what the writer has written; a writer that ended is `hardware-error` on the collect after
 * its last frame, and the camera is then stopped (it may be started again). Reading the ring is
 * ring-device.ts's.
 */
import { checkLayout, checkRate, bytesPerPixel, type Capabilities, type Layout, type Rate } from '../pixels.js';
import { fault } from '../fault.js';
import { FrameRingReader, createFrameRing, type FrameRingBuffers } from './frame-ring.js';
import { FrameRingDevice } from './ring-device.js';

export interface RingCameraOptions {
  layout: Layout;
  rate: Rate;
  capabilities: Capabilities;
  /** Frames the ring holds before the oldest is overwritten. */
  ringFrames: number;
}

export abstract class RingCameraDevice<O extends RingCameraOptions = RingCameraOptions> extends FrameRingDevice {
  readonly capabilities: Capabilities;
  protected layout: Layout;
  protected rate: Rate;

  constructor(
    readonly description: string,
    protected readonly options: O,
    private readonly wake: Int32Array,
    private readonly stampToClock: (stamp: bigint) => bigint,
  ) {
    super();
    this.capabilities = options.capabilities;
    this.layout = checkLayout(options.layout, this.capabilities);
    this.rate = checkRate(options.rate, this.capabilities);
  }

  /** Starts the writer of a new ring for the current settings; throws a SensorFault if it cannot. */
  protected abstract open(ring: FrameRingBuffers, reader: FrameRingReader): void;
  /** Stops the writer of a ring that `open` started. */
  protected abstract shut(reader: FrameRingReader): void;
  /** Why the camera went away, from the writer's end code. */
  protected abstract goneReason(code: number): string;

  getRate(): Rate {
    return { ...this.rate };
  }

  setRate(rate: Rate): void {
    if (this.reader) fault('busy', 'stop the camera before changing its sampling rate');
    this.rate = checkRate(rate, this.capabilities);
  }

  getLayout(): Layout {
    return { ...this.layout };
  }

  setLayout(layout: Layout): void {
    if (this.reader) fault('busy', 'stop the camera before changing its dimension');
    this.layout = checkLayout(layout, this.capabilities);
  }

  start(): void {
    const { width, height, pixelFormat } = this.layout;
    const ring = createFrameRing(width * height * bytesPerPixel(pixelFormat), this.options.ringFrames, this.wake);
    const reader = new FrameRingReader(ring);
    this.open(ring, reader);
    this.reader = reader;
  }

  stop(): void {
    const reader = this.reader;
    if (!reader) return;
    this.reader = undefined;
    this.shut(reader);
  }

  protected toClock(stamp: bigint): bigint {
    return this.stampToClock(stamp);
  }

  protected ended(code: number): never {
    this.stop();
    fault('hardware-error', `the camera went away (${this.goneReason(code)})`);
  }
}
