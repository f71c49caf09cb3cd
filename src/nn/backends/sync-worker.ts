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
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

export type WorkerReply = { ok: true; value: unknown } | { ok: false; message: string };

export class WorkerTimeout extends Error {
  constructor(op: string, ms: number) {
    super(`${op} did not finish within ${ms} ms (nn.timeoutMs); the worker was stopped`);
    this.name = 'WorkerTimeout';
  }
}

/** The worker side of the protocol, prepended to every worker script (CommonJS, eval'd). */
export const WORKER_PRELUDE = `
const { workerData } = require('node:worker_threads');
const __flag = new Int32Array(workerData.flag);
const __port = workerData.port;
function __reply(msg, transfer) {
  __port.postMessage(msg, transfer || []);
  Atomics.store(__flag, 0, 1);
  Atomics.notify(__flag, 0);
}
function serve(handle) {
  __port.on('message', async ({ op, args }) => {
    try {
      const [value, transfer] = await handle(op, args);
      __reply({ ok: true, value }, transfer);
    } catch (e) {
      __reply({ ok: false, message: String((e && e.message) || e) });
    }
  });
}
`;

export class SyncWorker {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #flag: Int32Array;
  #dead: string | undefined;

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
  }

  get dead(): string | undefined {
    return this.#dead;
  }

  /** Synchronous request/response; throws WorkerTimeout or Error(worker's message). */
  call(op: string, args: unknown, timeoutMs: number, transfer: ArrayBuffer[] = []): unknown {
    if (this.#dead) throw new Error(this.#dead);
    Atomics.store(this.#flag, 0, 0);
    this.#port.postMessage({ op, args }, transfer);
    const waited = Atomics.wait(this.#flag, 0, 0, timeoutMs);
    if (waited === 'timed-out') {
      this.terminate(`the worker was stopped after ${op} timed out`);
      throw new WorkerTimeout(op, timeoutMs);
    }
    const received = receiveMessageOnPort(this.#port);
    if (!received) throw new Error(`worker signalled ${op} done without a reply`);
    const reply = received.message as WorkerReply;
    if (!reply.ok) throw new Error(reply.message);
    return reply.value;
  }

  terminate(reason = 'the worker was stopped'): void {
    if (this.#dead) return;
    this.#dead = reason;
    this.#port.close();
    void this.#worker.terminate();
  }
}
