/**
 * A device that adds behaviour to another one (the unplug wrapper, the on-sensor-AI camera over
 * its image fixture, the conformance suite's camera that goes away): everything is forwarded to
 * `inner`, and a subclass overrides only what it changes.
 */
import type { Capabilities, Layout, Rate } from '../pixels.js';
import type { CapturedFrames, SensorDevice, StartHints } from './device.js';

export abstract class WrappedDevice implements SensorDevice {
  constructor(protected readonly inner: SensorDevice) {}

  get description(): string {
    return this.inner.description;
  }
  get capabilities(): Capabilities {
    return this.inner.capabilities;
  }
  get asynchronous(): boolean {
    return this.inner.asynchronous;
  }
  getRate(): Rate {
    return this.inner.getRate();
  }
  setRate(rate: Rate): void {
    this.inner.setRate(rate);
  }
  getLayout(): Layout {
    return this.inner.getLayout();
  }
  setLayout(layout: Layout): void {
    this.inner.setLayout(layout);
  }
  start(now: bigint, hints?: StartHints): void {
    this.inner.start(now, hints);
  }
  stop(): void {
    this.inner.stop();
  }
  collect(now: bigint): CapturedFrames {
    return this.inner.collect(now);
  }
  nextDeadline(): bigint | undefined {
    return this.inner.nextDeadline();
  }
  close(): void {
    this.inner.close();
  }
}
