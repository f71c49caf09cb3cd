/**
 * Time for simulated chips (EEPROM write cycles, flash program/erase, conversion times) and for
 * the `delay-ns` of wasi:i2c and wasi:spi. Chip models read a `Clock` so tests can use a virtual
 * one and step it, instead of sleeping. Shared by the i2c and spi folders (each re-exports it).
 */

export interface Clock {
  /** Milliseconds, monotonic, fractional. */
  now(): number;
  /** Lets `ms` pass: a real clock blocks the thread (without spinning), a virtual one advances. */
  sleep(ms: number): void;
}

const cell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks the calling thread for `ms` milliseconds without spinning. `Atomics.wait` is allowed on
 * Node's main thread (not in a browser's); nothing ever notifies `cell`, so it always times out.
 */
export function sleepMs(ms: number): void {
  if (!(ms > 0)) return;
  Atomics.wait(cell, 0, 0, ms);
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: sleepMs,
};

/** A clock that only moves when told to: deterministic tests of timed chip behaviour. */
export class VirtualClock implements Clock {
  private t: number;

  constructor(startMs = 0) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number): void {
    if (ms > 0) this.t += ms;
  }

  advance(ms: number): void {
    this.sleep(ms);
  }
}
