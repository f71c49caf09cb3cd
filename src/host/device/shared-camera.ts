/**
 * An app's side of a camera the device owns (camera-pump.ts): a sensor device that reads the
 * device's frame ring in shared memory. Every app reads the same frames, captured once; each
 * reader keeps its own position, so a slow app loses only its own oldest frames (overrun).
 *
 * Its layout and rate are the device's: an app may set them to what they already are, anything
 * else is `not-supported` (the other apps see the same frames). A ring that ended (the device
 * stopped, or its camera went away) is `hardware-error`, as for an app's own live camera.
 *
 * With hold cells (the app's `frameHolds`, frame-holds.ts) a host-memory pool lends the ring's slot
 * itself to the guest: no copy per app. Frames beyond the app's budget, and every frame of a
 * by-value pool, are copied out of the ring and counted (`COUNTER.copies`).
 */
import { fault } from '../../sensor/fault.js';
import type { DeviceEnvironment } from '../../sensor/devices/device.js';
import type { FrameHolds } from '../../sensor/devices/frame-holds.js';
import { FrameRingReader } from '../../sensor/devices/frame-ring.js';
import { FrameRingDevice } from '../../sensor/devices/ring-device.js';
import type { Layout, Rate } from '../../sensor/pixels.js';
import type { SharedCameraGrant } from './camera-pump.js';

/** Cells of an app's shared counters (one Int32Array per app instance, read by the device). */
export const COUNTER = { frames: 0, lost: 1, copies: 2 } as const;
export const COUNTER_CELLS = 3;

export interface SharedCameraHooks {
  /** The app's sensor provider's wake cell: the device bumps it for every frame. */
  attach(wake: Int32Array): void;
  /** The first frames reached this instance's pools. */
  firstFrame(): void;
  counters: Int32Array;
  /** This instance's hold cells in the camera's ring, one set for all its opens of the camera (none: every frame is copied out). */
  holds?: FrameHolds;
}

export class SharedCameraDevice extends FrameRingDevice {
  readonly description: string;
  readonly capabilities;
  private ringEnded = false;

  constructor(
    private readonly grant: SharedCameraGrant,
    private readonly env: DeviceEnvironment,
    private readonly hooks: SharedCameraHooks,
    private readonly seen: { first: boolean },
  ) {
    super();
    this.description = grant.description;
    this.capabilities = grant.capabilities;
    this.holds = hooks.holds;
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
    if (this.ringEnded) fault('hardware-error', `${this.description}: the device stopped this camera`);
    const reader = new FrameRingReader(this.grant.ring);
    // Frames written before this start are not this start's.
    reader.take();
    this.reader = reader;
  }

  stop(): void {
    this.reader = undefined;
  }

  protected toClock(stamp: bigint): bigint {
    return this.env.clock.fromMonotonic(stamp);
  }

  protected ended(): never {
    this.stop();
    this.ringEnded = true;
    fault('hardware-error', `${this.description}: the device stopped this camera`);
  }

  protected override taken(count: number, overrun: number): void {
    Atomics.add(this.hooks.counters, COUNTER.frames, count - overrun);
    Atomics.add(this.hooks.counters, COUNTER.lost, overrun);
    if (!this.seen.first && count > overrun) {
      this.seen.first = true;
      this.hooks.firstFrame();
    }
  }

  protected override copied(): void {
    Atomics.add(this.hooks.counters, COUNTER.copies, 1);
  }
}
