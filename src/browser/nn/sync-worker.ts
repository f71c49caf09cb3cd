/**
 * The browser build's replacement for src/nn/backends/sync-worker.ts (same exports; the build
 * aliases it), so that src/nn/backends/onnxruntime-web.ts runs unchanged in the browser.
 *
 * The component runs in a Web Worker (src/browser/worker/), which may block in Atomics.wait.
 * ONNX Runtime Web's API is Promise-only, so it runs in a second, nested worker
 * (src/browser/nn/ort-worker.ts) that owns the sessions; requests go by postMessage (the ORT
 * worker's event loop is free), replies come back through shared memory (wire.ts), and every
 * wait is bounded by the caller's timeout, after which the ORT worker is terminated: exactly the
 * Node bridge's contract. The Node bridge's CommonJS worker script is not used here: the ORT
 * worker implements the same operations (load, run, release) with the same arguments and results.
 */
import { createReplyBuffer, readReply } from './wire.js';

export type WorkerReply = { ok: true; value: unknown } | { ok: false; message: string };

export class WorkerTimeout extends Error {
  constructor(op: string, ms: number) {
    super(`${op} did not finish within ${ms} ms (nn.timeoutMs); the worker was stopped`);
    this.name = 'WorkerTimeout';
  }
}

export const WORKER_PRELUDE = '';

/** Where the ORT worker bundle is; the page can override it (see src/browser/index.ts). */
export function ortWorkerUrl(): URL {
  const override = (globalThis as { __wasiEdgeOrtWorkerUrl?: string }).__wasiEdgeOrtWorkerUrl;
  return new URL(override ?? './ort-worker.js', import.meta.url);
}

interface BrowserWorker {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  terminate(): void;
}

export class SyncWorker {
  readonly #worker: BrowserWorker;
  readonly #sab: SharedArrayBuffer;
  readonly #flag: Int32Array;
  #dead: string | undefined;

  constructor(_script: string, data: Record<string, unknown>) {
    const W = (globalThis as unknown as { Worker?: new (url: URL, o: { type: 'module'; name: string }) => BrowserWorker }).Worker;
    if (!W) throw new Error('onnxruntime-web: this context cannot start a Web Worker');
    this.#sab = createReplyBuffer();
    this.#flag = new Int32Array(this.#sab, 0, 4);
    this.#worker = new W(ortWorkerUrl(), { type: 'module', name: 'wasi-edge onnxruntime-web' });
    this.#worker.postMessage({ init: { sab: this.#sab, threads: data.threads ?? 1 } });
  }

  get dead(): string | undefined {
    return this.#dead;
  }

  call(op: string, args: unknown, timeoutMs: number, transfer: ArrayBuffer[] = []): unknown {
    if (this.#dead) throw new Error(this.#dead);
    Atomics.store(this.#flag, 0, 0);
    this.#worker.postMessage({ op, args }, transfer);
    const deadline = performance.now() + timeoutMs;
    while (Atomics.load(this.#flag, 0) === 0) {
      const left = deadline - performance.now();
      if (left <= 0 || Atomics.wait(this.#flag, 0, 0, left) === 'timed-out') {
        if (Atomics.load(this.#flag, 0) !== 0) break;
        this.terminate(`the worker was stopped after ${op} timed out`);
        throw new WorkerTimeout(op, timeoutMs);
      }
    }
    const reply = readReply(this.#sab) as WorkerReply;
    if (!reply.ok) throw new Error(reply.message);
    return reply.value;
  }

  terminate(reason = 'the worker was stopped'): void {
    if (this.#dead) return;
    this.#dead = reason;
    this.#worker.terminate();
  }
}
