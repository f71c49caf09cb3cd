/**
 * An app's side of a camera the device owns (camera-pump.ts): a sensor device that reads the
 * device's frame ring in shared memory. Every app reads the same frames, captured once; each
 * reader keeps its own position, so a slow app loses only its own oldest frames (overrun).
 *
 * Its layout and rate are the device's: an app may set them to what they already are, anything
 * else is `not-supported` (the other apps see the same frames). A ring that ended (the device
 * stopped, or its camera went away) is `hardware-error`, as for an app's own live camera.
 */
import { fault } from '../../sensor/fault.js';
import { NO_FRAMES, type CapturedFrames, type DeviceEnvironment, type SensorDevice } from '../../sensor/devices/device.js';
import { FrameRingReader } from '../../sensor/devices/frame-ring.js';
import type { Layout, Rate } from '../../sensor/pixels.js';
import type { SharedCameraGrant } from './camera-pump.js';

/** Cells of an app's shared counters (one Int32Array per app instance, read by the device). */
export const COUNTER = { frames: 0, lost: 1 } as const;
export const COUNTER_CELLS = 2;

export interface SharedCameraHooks {
  /** The app's sensor provider's wake cell: the device bumps it for every frame. */
  attach(wake: Int32Array): void;
  /** The first frames reached this instance's pools. */
  firstFrame(): void;
  counters: Int32Array;
}

export class SharedCameraDevice implements SensorDevice {
  readonly asynchronous = true;
  readonly description: string;
  readonly capabilities;
  private reader: FrameRingReader | undefined;
  private ended = false;

  constructor(
    private readonly grant: SharedCameraGrant,
    private readonly env: DeviceEnvironment,
    private readonly hooks: SharedCameraHooks,
    private readonly seen: { first: boolean },
  ) {
    this.description = grant.description;
    this.capabilities = grant.capabilities;
    hooks.attach(env.wake);
  }

  getRate(): Rate {
    return { ...this.grant.rate };
  }

  setRate(rate: Rate): void {
    const r = this.grant.rate;
    if (rate.numerator * r.denominator !== r.numerator * rate.denominator) {
      fault('not-supported', `${this.description}: its rate is the device's (${r.numerator}/${r.denominator}); other apps share it`);
    }
  }

  getLayout(): Layout {
    return { ...this.grant.layout };
  }

  setLayout(layout: Layout): void {
    const l = this.grant.layout;
    const same = layout.width === l.width && layout.height === l.height && layout.pixelFormat === l.pixelFormat &&
      (layout.strideBytes === 0 || layout.strideBytes === l.strideBytes);
    if (!same) fault('not-supported', `${this.description}: its dimension is the device's (${l.width}x${l.height} ${l.pixelFormat}); other apps share it`);
  }

  start(): void {
    if (this.ended) fault('hardware-error', `${this.description}: the device stopped this camera`);
    const reader = new FrameRingReader(this.grant.ring);
    // Frames written before this start are not this start's.
    reader.take();
    this.reader = reader;
  }

  stop(): void {
    this.reader = undefined;
  }

  collect(): CapturedFrames {
    const reader = this.reader;
    const layout = this.grant.layout;
    if (!reader) return NO_FRAMES(layout);
    if (reader.endCode() !== undefined) {
      this.stop();
      this.ended = true;
      fault('hardware-error', `${this.description}: the device stopped this camera`);
    }
    const { first, count, overrun } = reader.take();
    if (count === 0) return NO_FRAMES(layout);
    Atomics.add(this.hooks.counters, COUNTER.frames, count - overrun);
    Atomics.add(this.hooks.counters, COUNTER.lost, overrun);
    if (!this.seen.first && count > overrun) {
      this.seen.first = true;
      this.hooks.firstFrame();
    }
    const toClock = (stamp: bigint) => this.env.clock.fromMonotonic(stamp);
    const rowBytes = layout.strideBytes;
    return {
      count,
      overrun,
      layout,
      deferrable: false,
      timestamp: (i) => toClock(reader.timestamp(first + i)),
      render: (i, into) => reader.copy(first + i, into ?? new Uint8Array(rowBytes * layout.height), rowBytes, rowBytes),
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
