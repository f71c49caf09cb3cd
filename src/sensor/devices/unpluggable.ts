/**
 * A device that can be pulled out and plugged back in while a guest uses it: a wrapper around
 * any SensorDevice, for testing how guests (and the host) live through a camera that goes away.
 * Used through a `custom` device entry (config.ts); the soak drives it (scripts/soak.mjs).
 *
 * What a guest sees, as with a USB camera on Linux, and as docs/spec-notes/sensor.md#device-failure
 * decides for every device: unplugged while running, the frames it had captured are still
 * delivered, then its pool's read fails with `hardware-error` once and the device is stopped (the
 * SensorDevice contract: `collect` throws once); while unplugged, `start` fails with
 * `hardware-error`. Once plugged back, `start` works again and frames flow. Properties stay
 * readable throughout: they are the host's record of the device, not a trip to the hardware.
 */
import { fault } from '../fault.js';
import type { CapturedFrames, SensorDevice, StartHints } from './device.js';
import { WrappedDevice } from './wrapped.js';

export class UnpluggableDevice extends WrappedDevice {
  /** While unplugged: when it comes back by itself (ms on `now`; Infinity: at `replug()`). -1 while plugged in. */
  private backAt = -1;
  /** From an unplug of the running device until it has reported it: 'drain' its last frames, then 'fail'. */
  private owes: 'nothing' | 'drain' | 'fail' = 'nothing';
  private running = false;

  constructor(
    inner: SensorDevice,
    private readonly now: () => number = () => performance.now(),
  ) {
    super(inner);
  }

  override get description(): string {
    return `${this.inner.description}${this.plugged ? '' : ' (unplugged)'}`;
  }

  get plugged(): boolean {
    return this.now() >= this.backAt;
  }

  /** Pulls the device out; it comes back after `forMs` milliseconds, or at `replug()`. */
  unplug(forMs = Infinity): void {
    this.backAt = this.now() + forMs;
    if (this.running) this.owes = 'drain';
  }

  replug(): void {
    this.backAt = -1;
  }

  override start(now: bigint, hints?: StartHints): void {
    if (!this.plugged) fault('hardware-error', `${this.inner.description} is unplugged`);
    this.inner.start(now, hints);
    this.running = true;
    this.owes = 'nothing';
  }

  override stop(): void {
    this.running = false;
    this.owes = 'nothing';
    this.inner.stop();
  }

  override collect(now: bigint): CapturedFrames {
    if (this.owes === 'drain') {
      // What it captured until the host looks again is delivered (the wall-clock unplug is not
      // tied to the host clock); nothing more will come.
      const last = this.inner.collect(now);
      this.inner.stop();
      this.owes = 'fail';
      if (last.count > 0) return last;
    }
    if (this.owes === 'fail') {
      this.stop();
      fault('hardware-error', `${this.inner.description} was unplugged`);
    }
    return this.inner.collect(now);
  }

  // nextDeadline is the inner one's: an owed failure needs no deadline, as every readiness check
  // collects first, and raises it.

  override close(): void {
    this.running = false;
    this.inner.close();
  }
}
