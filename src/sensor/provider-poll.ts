/**
 * The sensor provider's replacement of `wasi:io/poll`: `pool.subscribe` returns a pollable that
 * must work in `poll` next to preview2-shim's own pollables (clocks, streams). Our pollables are
 * instances of a subclass of the shim's Pollable class (jco checks `instanceof` against the class
 * in imports['wasi:io/poll'], which stays the shim's), and our `poll` splits a list into ours and
 * the shim's and waits for both (waiter.ts, which knows no WIT).
 */
import type * as PollSpec from '../generated/interfaces/wasi-io-poll.js';
import type * as PoolSpec from '../generated/interfaces/wasi-buffer-pool-buffer-pool.js';
import type { SensorClock } from './clock.js';
import type { FramePool } from './pool.js';
import { DeadlockError, waitReady, waitReadyAsync, type ShimWaiting } from './waiter.js';

// Optional: the io-worker extension API exists only in preview2-shim's Node build.
type IoWorker = typeof import('@bytecodealliance/preview2-shim/io-worker');
const ioWorker: IoWorker | undefined = await import('@bytecodealliance/preview2-shim/io-worker').catch(() => undefined);

/**
 * Runs in the shim's io worker: a future resolved when our wake cell (a SharedArrayBuffer,
 * shared, not copied, by structured clone) stops holding `seen`. A data: URL, so it needs no
 * file next to the compiled code.
 */
const WAKE_EXTENSION = new URL(
  'data:text/javascript,' +
    encodeURIComponent(
      `export default function create(ctx) {
  return (op, [sab, seen]) => {
    if (op !== 'wait') throw new Error('wasi-edge sensor extension: unknown operation ' + op);
    const r = Atomics.waitAsync(new Int32Array(sab), 0, seen);
    return ctx.createFuture(r.async ? r.value.then(() => undefined) : Promise.resolve());
  };
}`,
    ),
);

/** Our pollables get reps far above the shim's small worker ids (jco keys its capture table by rep). */
const REP = Symbol.for('cabiRep');
let nextPollableRep = 0x2000_0000;

interface ShimPollable {
  ready(): boolean;
  block(): void;
  [Symbol.dispose]?(): void;
}
interface ShimPollInterface {
  Pollable: new () => ShimPollable;
  poll(list: ShimPollable[]): Uint32Array;
}
interface ShimMonotonicClock {
  subscribeDuration(ns: bigint): ShimPollable;
}

export interface PollReplacement {
  /** The `wasi:io/poll` import entry. */
  readonly imports: typeof PollSpec;
  /** `pool.subscribe`: a pollable ready when the pool has frames or a pending error. */
  subscribe(pool: FramePool): PoolSpec.Pollable;
}

/**
 * `wasi` is the host's WASI import object (the shim's poll and monotonic clock, when present).
 * `suspending` (JSPI, src/core/jspi.ts): `block` and `poll` on our pollables return a Promise,
 * and the guest suspends while the thread's event loop runs, instead of blocking in Atomics.wait.
 */
export function createPollReplacement(wasi: Record<string, Record<string, unknown>>, clock: SensorClock, wake: Int32Array, suspending = false): PollReplacement {
  const shimPoll = wasi['wasi:io/poll'] as unknown as ShimPollInterface | undefined;
  const shimClock = wasi['wasi:clocks/monotonic-clock'] as unknown as ShimMonotonicClock | undefined;
  const PollableBase: new () => ShimPollable =
    shimPoll?.Pollable ??
    class {
      ready(): boolean {
        return true;
      }
      block(): void {}
    };

  const shimWaiting: ShimWaiting<ShimPollable> | undefined =
    shimPoll && shimClock
      ? {
          poll: (list) => shimPoll.poll(list),
          ready: (p) => p.ready(),
          timer: (ns) => shimClock.subscribeDuration(ns),
          drop: (p) => p[Symbol.dispose]?.(),
          wakeWatch: ioWorker
            ? (seen) => {
                const future = ioWorker.callExtension(WAKE_EXTENSION, 'wait', [wake.buffer, seen]) as number;
                const pollable = ioWorker.futureSubscribe(future, wake) as unknown as ShimPollable;
                return {
                  pollable,
                  release() {
                    // Ends the worker's waitAsync if the wake cell did not change, then frees the future.
                    Atomics.notify(wake, 0);
                    ioWorker.futureDispose(future);
                  },
                };
              }
            : undefined,
        }
      : undefined;

  class SensorPollable extends PollableBase {
    pool: FramePool | undefined;

    constructor() {
      super();
      (this as unknown as Record<symbol, number>)[REP] = nextPollableRep++;
    }

    override ready(): boolean {
      return this.pool !== undefined && this.pool.ready(clock.now());
    }

    override block(): void {
      if (!this.pool || this.pool.disposed) throw new DeadlockError([`pool "${this.pool?.name ?? ''}" was dropped`]);
      // A pool with a frame waiting (an app that keeps up with its camera: every frame) returns
      // at once, without the wait loop's lists and generator; waitReady would only check the same.
      if (this.pool.ready(clock.now())) return;
      const ours = [{ index: 0, pool: this.pool }];
      if (!suspending) {
        waitReady(clock, wake, ours, [], shimWaiting);
        return;
      }
      // A Promise only when suspending (jco then awaits it); the WIT method's type stays void.
      return waitReadyAsync(clock, wake, ours, [], shimWaiting).then(() => undefined) as unknown as void;
    }

    override [Symbol.dispose](): void {
      this.pool = undefined;
    }
  }

  function poll(list: ShimPollable[]): Uint32Array {
    const ours: { index: number; pool: FramePool }[] = [];
    const shims: { index: number; pollable: ShimPollable }[] = [];
    list.forEach((p, index) => {
      if (p instanceof SensorPollable) {
        if (p.pool && !p.pool.disposed) ours.push({ index, pool: p.pool });
      } else shims.push({ index, pollable: p });
    });
    if (ours.length === 0 && shimPoll) return shimPoll.poll(list);
    if (!suspending) return Uint32Array.from(waitReady(clock, wake, ours, shims, shimWaiting));
    return waitReadyAsync(clock, wake, ours, shims, shimWaiting).then((ready) => Uint32Array.from(ready)) as unknown as Uint32Array;
  }

  // The class stays the shim's (see top), so the generated type is checked against the shim's shape.
  const imports = { Pollable: PollableBase, poll } satisfies typeof PollSpec;
  return {
    imports,
    subscribe(pool) {
      const p = new SensorPollable();
      p.pool = pool;
      return p as unknown as PoolSpec.Pollable;
    },
  };
}
