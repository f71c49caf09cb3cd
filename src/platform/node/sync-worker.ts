/**
 * Calls an async-only runtime synchronously: the runtime lives in a worker thread, the main thread
 * posts a request and blocks in `Atomics.wait` (never a spin loop) until the worker stores 1 in a
 * shared flag, then takes the reply with `receiveMessageOnPort`. wasi:nn imports must return
 * synchronously (jco lowers a returned Promise to 0), and Node 20 has no JSPI (JavaScript Promise
 * integration, which would let a synchronous import wait for a Promise).
 *
 * Every wait is bounded (src/core/bounded-worker.ts, shared with the browser's bridge): a worker
 * that does not answer in time is terminated and the call fails with a timeout, because the main
 * thread is blocked and would otherwise never learn that the worker died. After that the worker is
 * gone; the owner decides what that means for its other state.
 */
import type { SyncWorkerFactory } from '../../core/blocking-bridge.js';
import { BoundedWorker, replyValue, type Reply } from '../../core/bounded-worker.js';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** Replies carry the request's id (see WORKER_PRELUDE). */
export type WorkerReply = Reply & { id: number };

/**
 * The worker side of the protocol, prepended to every worker script (CommonJS, eval'd). Replies
 * carry the request id, so a late or stray reply can never be taken for the answer to a later call;
 * an exception outside any handler answers the request in progress instead of leaving it waiting.
 */
export const WORKER_PRELUDE = `
const { workerData } = require('node:worker_threads');
const __flag = new Int32Array(workerData.flag);
const __port = workerData.port;
let __current = 0;
let __handler = null;
let __fatal = null;
function __reply(msg, transfer) {
  __port.postMessage(msg, transfer || []);
  Atomics.store(__flag, 0, 1);
  Atomics.notify(__flag, 0);
}
function __failed(e) {
  __fatal = String((e && e.message) || e);
  if (__current) __reply({ id: __current, ok: false, message: __fatal });
}
process.on('uncaughtException', __failed);
process.on('unhandledRejection', __failed);
__port.on('message', async ({ id, op, args }) => {
  __current = id;
  if (__fatal || !__handler) return __reply({ id, ok: false, message: __fatal || 'the worker script did not call serve()' });
  try {
    const [value, transfer] = await __handler(op, args);
    __reply({ id, ok: true, value }, transfer);
  } catch (e) {
    __reply({ id, ok: false, message: String((e && e.message) || e) });
  }
});
function serve(handle) {
  __handler = handle;
}
`;

export class NodeSyncWorker extends BoundedWorker {
  readonly #worker: Worker;
  readonly #replies: MessagePort;
  #nextId = 1;

  /** `script` is CommonJS run after WORKER_PRELUDE; it must call `serve(async (op, args) => [value, transfer])`. */
  constructor(script: string, data: Record<string, unknown>) {
    const { port1, port2 } = new MessageChannel();
    const flag = new SharedArrayBuffer(4);
    super(new Int32Array(flag), port1);
    this.#replies = port1;
    this.#worker = new Worker(WORKER_PRELUDE + script, {
      eval: true,
      workerData: { ...data, flag, port: port2 },
      transferList: [port2],
    });
    // The worker must never keep the embedding process alive.
    this.#worker.unref();
    this.#replies.unref();
    // Seen between calls (events need the event loop): the next call then fails at once.
    this.#worker.on('error', (e) => this.markDead(`the worker failed: ${e.message}`));
    this.#worker.on('exit', (code) => this.markDead(`the worker exited (code ${code})`));
  }

  /** Synchronous request/response; throws WorkerTimeout or Error(worker's message). */
  call(op: string, args: unknown, timeoutMs: number, transfer: ArrayBuffer[] = []): unknown {
    const { id, deadline } = this.#post(op, args, timeoutMs, transfer);
    for (;;) {
      this.waitForFlag(op, timeoutMs, deadline);
      const reply = this.#take(id);
      if (reply) return replyValue(reply);
    }
  }

  /** The same, awaited (JSPI): the thread's event loop runs while the worker computes. */
  async callAsync(op: string, args: unknown, timeoutMs: number, transfer: ArrayBuffer[] = []): Promise<unknown> {
    const { id, deadline } = this.#post(op, args, timeoutMs, transfer);
    for (;;) {
      await this.waitForFlagAsync(op, timeoutMs, deadline);
      const reply = this.#take(id);
      if (reply) return replyValue(reply);
    }
  }

  #post(op: string, args: unknown, timeoutMs: number, transfer: ArrayBuffer[]): { id: number; deadline: number } {
    const id = this.#nextId++;
    const deadline = performance.now() + timeoutMs;
    this.send({ id, op, args }, transfer);
    return { id, deadline };
  }

  /** Takes every reply that arrived; stale ones (an earlier request's) are dropped. */
  #take(id: number): WorkerReply | undefined {
    Atomics.store(this.flag, 0, 0);
    for (let m = receiveMessageOnPort(this.#replies); m; m = receiveMessageOnPort(this.#replies)) {
      const reply = m.message as WorkerReply;
      if (reply.id === id) return reply;
    }
    return undefined;
  }

  protected stop(): void {
    void this.#worker.terminate();
  }
}

/** The platform port's blocking bridge. */
export const spawnSyncWorker: SyncWorkerFactory = (script, data) => new NodeSyncWorker(script, data);
