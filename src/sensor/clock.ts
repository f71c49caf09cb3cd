/**
 * The host clock of one sensor provider. Frames are produced on demand from it (see devices/),
 * so that a guest blocked in a synchronous call still gets frames: the JS event loop does not
 * run then, nothing can be pushed, so everything is pulled at the moment the guest asks.
 *
 * - real: nanoseconds of the monotonic clock since the provider was created; waiting sleeps
 *   with Atomics.wait (never a spin loop).
 * - virtual: time stands still until someone waits for a deadline; waiting jumps straight to it.
 *   Deterministic and instantaneous, which is what tests want.
 *
 * Not the chip clock of i2c/spi (src/core/device-clock.ts: milliseconds, `sleep`): this one counts
 * nanoseconds and waits on the provider's wake cell, hence the distinct class names.
 */
import { waitAsync } from '../core/wait-async.js';

export interface SensorClock {
  readonly kind: 'real' | 'virtual';
  /** Nanoseconds since the provider's fixed origin; never decreases. */
  now(): bigint;
  /** Converts a `process.hrtime.bigint()` reading (e.g. taken in a worker) to this clock. */
  fromMonotonic(hrtime: bigint): bigint;
  /**
   * Waits until `deadline` (or forever if undefined) or until the wake cell changes from `seen`,
   * whichever is first. The virtual clock jumps to a defined deadline instead of sleeping.
   */
  waitUntil(deadline: bigint | undefined, wake: Int32Array, seen: number): void;
  /** The same without blocking the thread (Atomics.waitAsync), for waits under JSPI. */
  waitUntilAsync(deadline: bigint | undefined, wake: Int32Array, seen: number): Promise<void>;
}

export class RealSensorClock implements SensorClock {
  readonly kind = 'real' as const;
  private readonly origin = process.hrtime.bigint();

  now(): bigint {
    return process.hrtime.bigint() - this.origin;
  }

  fromMonotonic(hrtime: bigint): bigint {
    const t = hrtime - this.origin;
    return t < 0n ? 0n : t;
  }

  waitUntil(deadline: bigint | undefined, wake: Int32Array, seen: number): void {
    if (deadline === undefined) {
      Atomics.wait(wake, 0, seen);
      return;
    }
    const remaining = deadline - this.now();
    if (remaining <= 0n) return;
    // Atomics.wait takes milliseconds as a double: sub-millisecond precision is kept.
    Atomics.wait(wake, 0, seen, Number(remaining) / 1e6);
  }

  async waitUntilAsync(deadline: bigint | undefined, wake: Int32Array, seen: number): Promise<void> {
    if (deadline === undefined) return waitAsync(wake, 0, seen);
    const remaining = deadline - this.now();
    if (remaining > 0n) await waitAsync(wake, 0, seen, Number(remaining) / 1e6);
  }
}

export class VirtualSensorClock implements SensorClock {
  readonly kind = 'virtual' as const;
  private t = 0n;

  now(): bigint {
    return this.t;
  }

  /** Moves time forward (tests); never backwards. */
  advance(ns: bigint): void {
    if (ns > 0n) this.t += ns;
  }

  fromMonotonic(): bigint {
    // A virtual clock cannot map wall time; asynchronous frames are stamped "now".
    return this.t;
  }

  waitUntil(deadline: bigint | undefined, wake: Int32Array, seen: number): void {
    if (deadline !== undefined) {
      if (deadline > this.t) this.t = deadline;
      return;
    }
    // Only an asynchronous source (a child process) can end this wait.
    Atomics.wait(wake, 0, seen);
  }

  async waitUntilAsync(deadline: bigint | undefined, wake: Int32Array, seen: number): Promise<void> {
    if (deadline !== undefined) return this.waitUntil(deadline, wake, seen);
    await waitAsync(wake, 0, seen);
  }
}

export function createSensorClock(kind: 'real' | 'virtual'): SensorClock {
  return kind === 'real' ? new RealSensorClock() : new VirtualSensorClock();
}
