/**
 * Isolated runs on Node (the platform port's `runIsolated`): the guest and its whole host run in a
 * worker thread (run-worker.ts), because a synchronous wasm loop cannot be interrupted on its own
 * thread and only a thread can be terminated from outside. The wall-clock limit
 * (`limits.timeoutMs`) counts from when the host exists there; when it is up, the worker is
 * terminated, which stops the guest wherever it is and ends what its host held (devices, pools,
 * timers). Output and the result come back by message; output already sent when the limit hits
 * is delivered before the result.
 *
 * The configuration crosses by structured clone, so it must be data: a custom bus or device
 * object the embedder built cannot follow (assertCloneable says which). A caller whose
 * configuration holds live objects it builds itself (`wasi-edge check`'s scenario cameras) names
 * a function that builds it in the worker instead (a ConfigRecipe).
 */
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { EdgeConfig } from '../../host/config.js';
import type { IsolatedRunOptions } from '../../host/platform-port.js';
import type { RunResult } from '../../host/run-result.js';
import { LimitsError, MissingImportsError } from '../../host/runner.js';
import { LIMIT_STATUS, timeLimitHit } from '../../host/limits.js';
import { compiledModuleUrl } from './worker-url.js';
import type { JspiMode } from '../../core/jspi.js';

/**
 * A configuration built in the worker: `module` (a file URL) exports `name`, a function of `input`
 * (data) that returns it. The time limit is given here, since the parent never sees the result.
 */
export interface ConfigRecipe {
  module: string;
  name: string;
  input: unknown;
  timeoutMs?: number;
}

/** What run-worker.ts is started with. */
export interface RunWorkerInput {
  source: string;
  config: EdgeConfig | { recipe: ConfigRecipe };
  cacheDir?: string;
  report?: boolean;
  jspi?: JspiMode;
  port: MessagePort;
}

/** What it sends back, in order, on `port`. */
export type RunWorkerMessage =
  | { type: 'stdout'; chunk: Uint8Array }
  | { type: 'stderr'; chunk: Uint8Array }
  | { type: 'transpiling'; bytes: number }
  /** The host exists; the guest is about to be instantiated (the time limit counts from now). */
  | { type: 'started' }
  | { type: 'done'; result: RunResult }
  /** The run threw (the component could not start, a host bug): rethrown in the parent. */
  | { type: 'failed'; name: string; message: string; missing?: string[] };

export interface WorkerRunOptions extends IsolatedRunOptions {
  /** Rejects when the host has not started within this long (default: no bound; transpiling counts). */
  startupMs?: number;
}

/** Throws LimitsError naming the first part of `config` that is not plain data. */
export function assertCloneable(value: unknown, at = 'config'): void {
  if (value === null || value === undefined) return;
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean' || t === 'bigint') return;
  const fail = (what: string): never => {
    throw new LimitsError(
      `limits.timeoutMs runs the guest and its host in a worker thread, and ${at} cannot go there: it is ${what} ` +
        '(only data crosses threads; describe it in the configuration, or run without a time limit)',
    );
  };
  if (t === 'function') fail('a function');
  if (t !== 'object') fail(`a ${t}`);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertCloneable(v, `${at}[${i}]`));
    return;
  }
  // Structured clone keeps maps and sets (with their entries, which must be data too).
  if (value instanceof Map) {
    for (const [k, v] of value) {
      assertCloneable(k, `${at} key`);
      assertCloneable(v, `${at}.get(${JSON.stringify(k)})`);
    }
    return;
  }
  if (value instanceof Set) {
    for (const v of value) assertCloneable(v, `${at} entry`);
    return;
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) fail(`an object of class ${(value as object).constructor?.name ?? 'unknown'}`);
  for (const [k, v] of Object.entries(value as object)) assertCloneable(v, `${at}.${k}`);
}

/** The parent's copy of an error the worker reported. */
function rethrown(m: Extract<RunWorkerMessage, { type: 'failed' }>): Error {
  if (m.name === 'MissingImportsError' && m.missing) return new MissingImportsError(m.missing);
  const e = new Error(m.message);
  e.name = m.name;
  return e;
}

export function runInWorker(source: string | URL, config: EdgeConfig | { recipe: ConfigRecipe }, options: WorkerRunOptions = {}): Promise<RunResult> {
  const recipe = 'recipe' in config ? config.recipe : undefined;
  assertCloneable(recipe ? recipe.input : config, recipe ? 'the configuration recipe\'s input' : 'config');
  const file = source instanceof URL ? fileURLToPath(source) : source;
  const timeoutMs = recipe ? recipe.timeoutMs : (config as EdgeConfig).limits.timeoutMs;
  const limits = { timeoutMs };
  const { port1, port2 } = new MessageChannel();
  const input: RunWorkerInput = {
    source: file, config, port: port2, ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}), ...(options.report ? { report: true } : {}), ...(options.jspi ? { jspi: options.jspi } : {}),
  };
  const worker = new Worker(compiledModuleUrl('platform/node/run-worker.js'), { workerData: input, transferList: [port2] });
  const stdout = options.stdio?.stdout ?? ((b: Uint8Array) => process.stdout.write(b));
  const stderr = options.stdio?.stderr ?? ((b: Uint8Array) => process.stderr.write(b));

  return new Promise<RunResult>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      port1.close();
      // Also ends what the host left behind (a camera thread, a timer) with the thread.
      void worker.terminate();
      outcome();
    };
    /** Everything the worker sent and this side has not handled yet (it may have been stopped mid-way). */
    const drain = () => {
      for (let m = receiveMessageOnPort(port1); m && !settled; m = receiveMessageOnPort(port1)) handle(m.message as RunWorkerMessage);
    };
    const handle = (m: RunWorkerMessage) => {
      if (settled) return;
      if (m.type === 'stdout' || m.type === 'stderr') (m.type === 'stdout' ? stdout : stderr)(m.chunk);
      else if (m.type === 'transpiling') options.onTranspileStart?.(m.bytes);
      else if (m.type === 'started') {
        clearTimeout(timer);
        options.onStarted?.();
        if (timeoutMs !== undefined) {
          timer = setTimeout(() => {
            drain();
            const limit = timeLimitHit(limits);
            settle(() => resolve({ code: LIMIT_STATUS.timeout, limit }));
          }, timeoutMs);
        }
      } else if (m.type === 'done') settle(() => resolve(m.result));
      else {
        const error = rethrown(m);
        settle(() => reject(error));
      }
    };
    port1.on('message', handle);
    if (options.startupMs !== undefined) {
      timer = setTimeout(() => settle(() => reject(new LimitsError(`the host did not start within ${options.startupMs! / 1000} s`))), options.startupMs);
    }
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => {
      drain();
      settle(() => reject(new Error(`the worker running ${file} ended (status ${code}) without a result`)));
    });
  });
}
