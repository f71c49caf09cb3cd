/**
 * Calls an async-only runtime synchronously: the runtime lives in a worker thread, the main thread
 * posts a request and blocks in `Atomics.wait` (never a spin loop) until the worker stores 1 in a
 * shared flag, then takes the reply with `receiveMessageOnPort`. wasi:nn imports must return
 * synchronously (jco lowers a returned Promise to 0), and Node 20 has no JSPI (research/jco.md §4).
 *
 * Every wait is bounded: a worker that does not answer in time is terminated and the call fails
 * with a timeout, because the main thread is blocked and would otherwise never learn that the worker
 * died. After that the worker is gone; the owner decides what that means for its other state.
 */
import { WorkerTimeout, type SyncWorker, type SyncWorkerFactory } from '../../core/blocking-bridge.js';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };


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

export class NodeSyncWorker implements SyncWorker {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #flag: Int32Array;
  #dead: string | undefined;
  #nextId = 1;

  /** `script` is CommonJS run after WORKER_PRELUDE; it must call `serve(async (op, args) => [value, transfer])`. */
  constructor(script: string, data: Record<string, unknown>) {
    const { port1, port2 } = new MessageChannel();
    const flag = new SharedArrayBuffer(4);
    this.#flag = new Int32Array(flag);
    this.#port = port1;
    this.#worker = new Worker(WORKER_PRELUDE + script, {
      eval: true,
      workerData: { ...data, flag, port: port2 },
      transferList: [port2],
    });
    // The worker must never keep the embedding process alive.
    this.#worker.unref();
    this.#port.unref();
    // Seen between calls (events need the event loop): the next call then fails at once.
    this.#worker.on('error', (e) => {
      this.#dead ??= `the worker failed: ${e.message}`;
    });
    this.#worker.on('exit', (code) => {
      this.#dead ??= `the worker exited (code ${code})`;
    });
  }

  get dead(): string | undefined {
    return this.#dead;
  }

  /** Synchronous request/response; throws WorkerTimeout or Error(worker's message). */
  call(op: string, args: unknown, timeoutMs: number, transfer: ArrayBuffer[] = []): unknown {
    if (this.#dead) throw new Error(this.#dead);
    const id = this.#nextId++;
    const deadline = Date.now() + timeoutMs;
    Atomics.store(this.#flag, 0, 0);
    this.#port.postMessage({ id, op, args }, transfer);
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(this.#flag, 0, 0, left) === 'timed-out') {
        this.terminate(`the worker was stopped after ${op} timed out`);
        throw new WorkerTimeout(op, timeoutMs);
      }
      // Take every reply that arrived; stale ones (an earlier request's) are dropped.
      Atomics.store(this.#flag, 0, 0);
      for (let m = receiveMessageOnPort(this.#port); m; m = receiveMessageOnPort(this.#port)) {
        const reply = m.message as WorkerReply;
        if (reply.id !== id) continue;
        if (!reply.ok) throw new Error(reply.message);
        return reply.value;
      }
    }
  }

  terminate(reason = 'the worker was stopped'): void {
    if (this.#dead) return;
    this.#dead = reason;
    this.#port.close();
    void this.#worker.terminate();
  }
}

/** The platform port's blocking bridge. */
export const spawnSyncWorker: SyncWorkerFactory = (script, data) => new NodeSyncWorker(script, data);
