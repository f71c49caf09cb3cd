/**
 * The blocking bridge: how a synchronous import calls a runtime whose API is asynchronous
 * (onnxruntime-web, anything Promise-only). jco lowers a Promise returned from a synchronous
 * import to 0, so the runtime lives in another worker and the calling thread blocks in
 * `Atomics.wait` (never a spin loop) until the reply is there. Each platform implements it
 * (src/platform/<name>/sync-worker.ts); interfaces receive it through the platform port.
 *
 * Every wait is bounded: a worker that does not answer in time is stopped and the call fails with
 * WorkerTimeout, because the blocked thread would otherwise never learn that the worker died.
 */
export interface SyncWorker {
  /** Why the worker can no longer answer, once it cannot. */
  readonly dead: string | undefined;
  /** One synchronous request/response; throws WorkerTimeout, or an Error with the worker's message. */
  call(op: string, args: unknown, timeoutMs: number, transfer?: ArrayBuffer[]): unknown;
  /**
   * The same request without blocking the thread (under JSPI, src/core/jspi.ts): the reply is
   * awaited (Atomics.waitAsync on the same flag), with the same deadline, after which the worker
   * is stopped, so a time limit still ends a computation that runs too long.
   */
  callAsync(op: string, args: unknown, timeoutMs: number, transfer?: ArrayBuffer[]): Promise<unknown>;
  terminate(reason?: string): void;
}

/**
 * Starts a worker. `script` is CommonJS that calls `serve(async (op, args) => [value, transfer])`
 * (the Node bridge runs it; the browser's runs its own ONNX worker and ignores it); `data` reaches
 * the script as `workerData`.
 */
export type SyncWorkerFactory = (script: string, data: Record<string, unknown>) => SyncWorker;

export class WorkerTimeout extends Error {
  constructor(op: string, ms: number) {
    super(`${op} did not finish within ${ms} ms (nn.timeoutMs); the worker was stopped`);
    this.name = 'WorkerTimeout';
  }
}
