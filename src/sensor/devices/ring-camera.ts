/**
 * A live camera fed through a frame ring (frame-ring.ts): what the ffmpeg camera (Node) and the
 * webcam (browser) share. Settings change only while stopped (`busy`, as V4L2 answers EBUSY
 * while streaming); `start` makes a ring and hands it to the platform's writer (`open`); `collect`
 * takes what the writer has written; a writer that ended is `hardware-error` on the collect after
 * its last frame, and the camera is then stopped (it may be started again).
 */
import { checkLayout, checkRate, bytesPerPixel, type Capabilities, type Layout, type Rate } from '../pixels.js';
import { fault } from '../fault.js';
import { NO_FRAMES, type CapturedFrames, type SensorDevice } from './device.js';
import { FrameRingReader, createFrameRing, type FrameRingBuffers } from './frame-ring.js';

export interface RingCameraOptions {
  layout: Layout;
  rate: Rate;
  capabilities: Capabilities;
  /** Frames the ring holds before the oldest is overwritten. */
  ringFrames: number;
}

export abstract class RingCameraDevice<O extends RingCameraOptions = RingCameraOptions> implements SensorDevice {
  readonly asynchronous = true;
  readonly capabilities: Capabilities;
  protected layout: Layout;
  protected rate: Rate;
  private reader: FrameRingReader | undefined;

  constructor(
    readonly description: string,
    protected readonly options: O,
    private readonly wake: Int32Array,
    private readonly toClock: (stamp: bigint) => bigint,
  ) {
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

  collect(): CapturedFrames {
    const reader = this.reader;
    const layout = this.layout;
    if (!reader) return NO_FRAMES(layout);
    const code = reader.endCode();
    if (code !== undefined) {
      this.stop();
      fault('hardware-error', `the camera went away (${this.goneReason(code)})`);
    }
    const { first, count, overrun } = reader.take();
    if (count === 0) return NO_FRAMES(layout);
    const toClock = this.toClock;
    const rowBytes = reader.buffers.frameBytes / layout.height;
    return {
      count,
      overrun,
      layout,
      deferrable: false,
      timestamp: (i) => toClock(reader.timestamp(first + i)),
      render: (i, into) => reader.copy(first + i, into ?? new Uint8Array(layout.strideBytes * layout.height), rowBytes, layout.strideBytes),
    };
  }

  nextDeadline(): bigint | undefined {
    return undefined;
  }

  get running(): boolean {
    return this.reader !== undefined;
  }

  close(): void {
    this.stop();
  }
}
