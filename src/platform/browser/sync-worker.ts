/**
 * The browser build's replacement for src/platform/node/sync-worker.ts (same exports; the build
 * aliases it), so that src/nn/backends/onnxruntime-web.ts runs unchanged in the browser.
 *
 * The component runs in a Web Worker (src/browser/worker/), which may block in Atomics.wait.
 * ONNX Runtime Web's API is Promise-only, so it runs in another worker (src/browser/nn/
 * ort-worker.ts) that owns the sessions. That worker is started by the PAGE, not nested in the
 * component's worker: Chromium does not start a nested worker while its parent is blocked in
 * Atomics.wait (measured: the first load timed out). So the component's worker creates a
 * MessageChannel, sends one end to the page with a spawn request, and posts its requests on the
 * other end at once (they queue until the new worker takes the port). Replies come back through
 * shared memory (wire.ts), since a blocked worker cannot receive messages. Every wait is bounded
 * by the caller's timeout, after which the ORT worker is stopped: the Node bridge's contract. The
 * Node bridge's CommonJS worker script is not used: the ORT worker implements the same operations
 * (load, run, release) with the same arguments and results.
 */
import { WorkerTimeout, type SyncWorker, type SyncWorkerFactory } from '../../core/blocking-bridge.js';
import { createReplyBuffer, readReply } from './nn/wire.js';
import { postToPage } from './worker/page-link.js';

export type WorkerReply = { ok: true; value: unknown } | { ok: false; message: string };


let nextId = 1;

/** What the page does with an `ort-spawn` request: see src/platform/browser/page/index.ts. */
export interface OrtSpawnRequest {
  type: 'ort-spawn';
  id: number;
  port: MessagePort;
  sab: SharedArrayBuffer;
  threads: number;
}

export class BrowserSyncWorker implements SyncWorker {
  readonly #id = nextId++;
  readonly #port: MessagePort;
  readonly #sab: SharedArrayBuffer;
  readonly #flag: Int32Array;
  #dead: string | undefined;

  constructor(_script: string, data: Record<string, unknown>) {
    this.#sab = createReplyBuffer();
    this.#flag = new Int32Array(this.#sab, 0, 4);
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    const request: OrtSpawnRequest = { type: 'ort-spawn', id: this.#id, port: port2, sab: this.#sab, threads: Number(data.threads ?? 1) };
    postToPage(request, [port2]);
  }

  get dead(): string | undefined {
    return this.#dead;
  }

  call(op: string, args: unknown, timeoutMs: number, transfer: ArrayBuffer[] = []): unknown {
    if (this.#dead) throw new Error(this.#dead);
    Atomics.store(this.#flag, 0, 0);
    this.#port.postMessage({ op, args }, transfer);
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
    this.#port.close();
    try {
      postToPage({ type: 'ort-kill', id: this.#id });
    } catch {
      // no page: nothing to stop
    }
  }
}

/** The platform port's blocking bridge. */
export const spawnSyncWorker: SyncWorkerFactory = (script, data) => new BrowserSyncWorker(script, data);
