/**
 * What the two blocking bridges (src/platform/node/sync-worker.ts, src/platform/browser/sync-worker.ts)
 * share: a request goes out on a port, the calling thread blocks in `Atomics.wait` on a shared flag
 * that the other side sets to nonzero when its reply is there, every wait ends by a deadline, and a
 * worker that missed it is stopped for good. How the reply travels (a message, shared memory) and how
 * the worker is stopped is each platform's own.
 */
import { WorkerTimeout, type SyncWorker } from './blocking-bridge.js';
import { waitAsync } from './wait-async.js';

/** A worker's answer to one request. */
export type Reply = { ok: true; value: unknown } | { ok: false; message: string };

/** The reply's value, or the worker's failure as an Error with its message. */
export function replyValue(reply: Reply): unknown {
  if (!reply.ok) throw new Error(reply.message);
  return reply.value;
}

/** The end of the channel the calling thread posts requests on. */
export interface RequestPort {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  close(): void;
}

export abstract class BoundedWorker implements SyncWorker {
  #dead: string | undefined;

  constructor(
    protected readonly flag: Int32Array,
    protected readonly port: RequestPort,
  ) {}

  get dead(): string | undefined {
    return this.#dead;
  }

  /** Records why the worker cannot answer any more, unless an earlier reason was recorded. */
  protected markDead(reason: string): void {
    this.#dead ??= reason;
  }

  abstract call(op: string, args: unknown, timeoutMs: number, transfer?: ArrayBuffer[]): unknown;
  abstract callAsync(op: string, args: unknown, timeoutMs: number, transfer?: ArrayBuffer[]): Promise<unknown>;

  /** Lowers the flag and posts `request`; throws at once when the worker is already gone. */
  protected send(request: unknown, transfer: ArrayBuffer[]): void {
    if (this.#dead) throw new Error(this.#dead);
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(request, transfer);
  }

  /**
   * Blocks (never spins) until the flag is raised. At `deadline` (performance.now() time) the
   * worker is stopped and the call throws WorkerTimeout: the blocked thread would otherwise never
   * learn that the worker died.
   */
  protected waitForFlag(op: string, timeoutMs: number, deadline: number): void {
    for (let left = this.#left(op, timeoutMs, deadline); left > 0; left = this.#left(op, timeoutMs, deadline)) {
      Atomics.wait(this.flag, 0, 0, left);
    }
  }

  /** waitForFlag without blocking the thread: the event loop runs meanwhile (JSPI). */
  protected async waitForFlagAsync(op: string, timeoutMs: number, deadline: number): Promise<void> {
    for (let left = this.#left(op, timeoutMs, deadline); left > 0; left = this.#left(op, timeoutMs, deadline)) {
      await waitAsync(this.flag, 0, 0, left);
    }
  }

  /** 0 when the flag is raised; the milliseconds left otherwise; past the deadline, stops the worker and throws. */
  #left(op: string, timeoutMs: number, deadline: number): number {
    if (Atomics.load(this.flag, 0) !== 0) return 0;
    const left = deadline - performance.now();
    if (left > 0) return left;
    this.terminate(`the worker was stopped after ${op} timed out`);
    throw new WorkerTimeout(op, timeoutMs);
  }

  terminate(reason = 'the worker was stopped'): void {
    if (this.#dead) return;
    this.#dead = reason;
    this.port.close();
    this.stop();
  }

  /** Ends the worker itself (after the port is closed). */
  protected abstract stop(): void;
}
