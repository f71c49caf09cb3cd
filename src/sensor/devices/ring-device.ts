/**
 * A sensor device that reads a frame ring (frame-ring.ts): what a live camera's own ring
 * (ring-camera.ts: ffmpeg on Node, the webcam in a browser) and a device's shared camera
 * (src/host/device/shared-camera.ts) have in common. `collect` takes what the writer has written;
 * a ring that ended is the subclass's `ended` (a SensorFault) on the collect after its last frame.
 * With hold cells (frame-holds.ts) a host-memory pool may keep a frame in its slot instead of
 * copying it out; every frame that is copied out of the ring instead is counted (`copied`).
 */
import type { Capabilities, Layout, Rate } from '../pixels.js';
import { NO_FRAMES, type CapturedFrames, type HeldFrame, type SensorDevice } from './device.js';
import type { FrameHolds } from './frame-holds.js';
import type { FrameRingReader } from './frame-ring.js';

export abstract class FrameRingDevice implements SensorDevice {
  readonly asynchronous = true;
  abstract readonly description: string;
  abstract readonly capabilities: Capabilities;
  /** The ring being read, while started. */
  protected reader: FrameRingReader | undefined;
  /** This reader's hold cells; without them every frame is copied out. */
  protected holds: FrameHolds | undefined;

  abstract getRate(): Rate;
  abstract setRate(rate: Rate): void;
  abstract getLayout(): Layout;
  abstract setLayout(layout: Layout): void;
  abstract start(now: bigint): void;
  abstract stop(): void;
  /** Ring stamps (the writer's clock) to host-clock nanoseconds. */
  protected abstract toClock(stamp: bigint): bigint;
  /** The writer ended with `code` and every frame was taken: stop and throw the SensorFault that says so. */
  protected abstract ended(code: number): never;
  /** A batch of `count` frames was taken, the first `overrun` of them already overwritten. */
  protected taken(_count: number, _overrun: number): void {}
  /** A frame was copied out of the ring (not held). */
  protected copied(): void {}

  collect(): CapturedFrames {
    const reader = this.reader;
    const layout = this.getLayout();
    if (!reader) return NO_FRAMES(layout);
    const code = reader.endCode();
    if (code !== undefined) this.ended(code);
    const { first, count, overrun } = reader.take();
    if (count === 0) return NO_FRAMES(layout);
    this.taken(count, overrun);
    const rowBytes = reader.buffers.frameBytes / layout.height;
    const holds = this.holds;
    // A slot can be lent as it is only when the pool's rows are the ring's (packed) rows.
    const holdable = holds !== undefined && layout.strideBytes === rowBytes;
    return {
      count,
      overrun,
      layout,
      deferrable: false,
      timestamp: (i) => this.toClock(reader.timestamp(first + i)),
      render: (i, into) => {
        this.copied();
        return reader.copy(first + i, into ?? new Uint8Array(layout.strideBytes * layout.height), rowBytes, layout.strideBytes);
      },
      ...(holdable ? { hold: (i: number): HeldFrame | undefined => reader.hold(first + i, holds) } : {}),
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
