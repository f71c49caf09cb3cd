/**
 * The browser's blocking bridge (Node's is src/platform/node/sync-worker.ts; both extend
 * src/core/bounded-worker.ts), so that src/nn/backends/onnxruntime-web.ts runs unchanged in the browser.
 *
 * The component runs in a Web Worker (src/platform/browser/worker/), which may block in Atomics.wait.
 * ONNX Runtime Web's API is Promise-only, so it runs in another worker (src/platform/browser/nn/
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
import type { SyncWorkerFactory } from '../../core/blocking-bridge.js';
import { BoundedWorker, replyValue, type Reply } from '../../core/bounded-worker.js';
import { createReplyBuffer, readReply } from './nn/wire.js';
import { postToPage } from './worker/page-link.js';

let nextId = 1;

/** What the page does with an `ort-spawn` request: see src/platform/browser/page/index.ts. */
export interface OrtSpawnRequest {
  type: 'ort-spawn';
  id: number;
  port: MessagePort;
  sab: SharedArrayBuffer;
  threads: number;
}

export class BrowserSyncWorker extends BoundedWorker {
  readonly #id = nextId++;
  readonly #sab: SharedArrayBuffer;

  constructor(_script: string, data: Record<string, unknown>) {
    const sab = createReplyBuffer();
    const { port1, port2 } = new MessageChannel();
    super(new Int32Array(sab, 0, 4), port1);
    this.#sab = sab;
    const request: OrtSpawnRequest = { type: 'ort-spawn', id: this.#id, port: port2, sab, threads: Number(data.threads ?? 1) };
    postToPage(request, [port2]);
  }

  call(op: string, args: unknown, timeoutMs: number, transfer: ArrayBuffer[] = []): unknown {
    this.send({ op, args }, transfer);
    this.waitForFlag(op, timeoutMs, performance.now() + timeoutMs);
    return replyValue(readReply(this.#sab) as Reply);
  }

  /** The same, awaited (JSPI): the component's worker is not blocked while ONNX Runtime computes. */
  async callAsync(op: string, args: unknown, timeoutMs: number, transfer: ArrayBuffer[] = []): Promise<unknown> {
    this.send({ op, args }, transfer);
    await this.waitForFlagAsync(op, timeoutMs, performance.now() + timeoutMs);
    return replyValue(readReply(this.#sab) as Reply);
  }

  protected stop(): void {
    try {
      postToPage({ type: 'ort-kill', id: this.#id });
    } catch {
      // no page: nothing to stop
    }
  }
}

/** The platform port's blocking bridge. */
export const spawnSyncWorker: SyncWorkerFactory = (script, data) => new BrowserSyncWorker(script, data);
