/**
 * Blocking for `pollable.block` and `poll` when some of the pollables are ours (pools) and some
 * are preview2-shim's (clocks, streams). Never spins:
 *
 * - only ours: sleep on the provider's wake cell with Atomics.wait until the earliest frame
 *   deadline (real clock) or until a child process signals a frame; the virtual clock jumps
 *   to the deadline instead of sleeping. When no pool can ever become ready (FramePool.neverReady:
 *   every buffer lent out, no device, the device finished) it is a deadlock, said with why;
 * - mixed: hand the whole wait to the shim's worker — its own pollables, plus a shim clock
 *   pollable for our earliest deadline, plus (when a child-process camera is attached) a
 *   future that the worker resolves when our wake cell changes (an io-worker extension that
 *   calls Atomics.waitAsync). When it returns, re-check everything.
 *
 * The shim-specific parts come in as callbacks, so this file knows no WIT.
 */
import type { SensorClock } from './clock.js';
import type { FramePool } from './pool.js';
import { GuestFatalError } from '../core/guest-fatal.js';

export interface ShimWaiting<P> {
  /** preview2-shim's `poll`: blocks until one of these is ready. */
  poll(list: P[]): Uint32Array;
  ready(p: P): boolean;
  /** A shim pollable ready after `ns` nanoseconds. */
  timer(ns: bigint): P;
  /** A shim pollable ready when the wake cell no longer holds `seen`, with its cleanup; undefined if unavailable. */
  wakeWatch?(seen: number): { pollable: P; release(): void } | undefined;
  drop(p: P): void;
}

/** The guest blocks on pools nothing can make ready, and on nothing else; `reasons` says why, per pool. */
export class DeadlockError extends GuestFatalError {
  constructor(readonly reasons: readonly string[]) {
    super(`deadlock: the guest waits on what can never become ready, and on nothing else: ${reasons.join('; ')}`);
    this.name = 'DeadlockError';
  }
}

/** Fallback slice when a camera and shim pollables are mixed and no wake watch exists (browsers). */
const SLICE_NS = 10_000_000n;

/** A wait the caller does: until `deadline` (forever if undefined) or until the wake cell leaves `seen`. */
interface WaitStep {
  deadline: bigint | undefined;
  seen: number;
}

/** Blocks (Atomics.wait) until one of the pollables is ready; returns their indices, ascending. */
export function waitReady<P>(
  clock: SensorClock,
  wake: Int32Array,
  ours: readonly { index: number; pool: FramePool }[],
  shims: readonly { index: number; pollable: P }[],
  shim: ShimWaiting<P> | undefined,
): number[] {
  const steps = readySteps(clock, wake, ours, shims, shim);
  for (let step = steps.next(); ; ) {
    if (step.done) return step.value;
    clock.waitUntil(step.value.deadline, wake, step.value.seen);
    step = steps.next();
  }
}

/**
 * The same without blocking the thread (under JSPI): our own waits are awaited (Atomics.waitAsync,
 * or the virtual clock's jump), so the event loop runs meanwhile. A wait that mixes in the shim's
 * pollables still blocks inside the shim's poll, which has no Promise form.
 */
export async function waitReadyAsync<P>(
  clock: SensorClock,
  wake: Int32Array,
  ours: readonly { index: number; pool: FramePool }[],
  shims: readonly { index: number; pollable: P }[],
  shim: ShimWaiting<P> | undefined,
): Promise<number[]> {
  const steps = readySteps(clock, wake, ours, shims, shim);
  for (let step = steps.next(); ; ) {
    if (step.done) return step.value;
    await clock.waitUntilAsync(step.value.deadline, wake, step.value.seen);
    step = steps.next();
  }
}

/** The decisions of a wait, one loop for both: yields each wait on our wake cell, returns the ready indices. */
function* readySteps<P>(
  clock: SensorClock,
  wake: Int32Array,
  ours: readonly { index: number; pool: FramePool }[],
  shims: readonly { index: number; pollable: P }[],
  shim: ShimWaiting<P> | undefined,
): Generator<WaitStep, number[], void> {
  for (;;) {
    const seen = Atomics.load(wake, 0);
    const now = clock.now();
    const ready: number[] = [];
    for (const o of ours) if (o.pool.ready(now)) ready.push(o.index);
    if (shim) for (const s of shims) if (shim.ready(s.pollable)) ready.push(s.index);
    if (ready.length > 0) return ready.sort((a, b) => a - b);

    let deadline: bigint | undefined;
    let asynchronous = false;
    // A pool that can never become ready adds no deadline: waking for its frames would only drop them.
    const stuck: string[] = [];
    for (const o of ours) {
      const why = o.pool.neverReady();
      if (why !== undefined) {
        stuck.push(why);
        continue;
      }
      const d = o.pool.nextDeadline();
      if (d !== undefined && (deadline === undefined || d < deadline)) deadline = d;
      asynchronous ||= o.pool.hasAsynchronousSource();
    }
    if (clock.kind === 'virtual' && deadline !== undefined) {
      // A deadline that has passed without making a pool ready would loop forever.
      if (deadline <= now) throw new Error(`host bug: sensor deadline ${deadline} passed at ${now} without a frame`);
      yield { deadline, seen };
      continue;
    }
    if (shims.length === 0 || !shim) {
      if (stuck.length === ours.length) throw new DeadlockError(stuck);
      yield { deadline, seen };
      continue;
    }
    const extra: P[] = [];
    let watch: { pollable: P; release(): void } | undefined;
    if (asynchronous) {
      watch = shim.wakeWatch?.(seen);
      if (watch) extra.push(watch.pollable);
      else if (deadline === undefined || deadline - clock.now() > SLICE_NS) deadline = clock.now() + SLICE_NS;
    }
    if (deadline !== undefined) {
      const left = deadline - clock.now();
      extra.push(shim.timer(left > 0n ? left : 0n));
    }
    try {
      shim.poll([...shims.map((s) => s.pollable), ...extra]);
    } finally {
      for (const p of extra) shim.drop(p);
      watch?.release();
    }
  }
}
