/**
 * ONNX Runtime Web (the same C++ core compiled to wasm) for machines without the native package and
 * as the portable backend. Its API is Promise-only, so it runs in a worker thread behind the
 * `Atomics.wait` bridge (sync-worker.ts), or, under JSPI (src/core/jspi.ts), the same worker
 * awaited (`loadAsync`, `computeAsync`: the guest suspends, the thread is not blocked); every call
 * is bounded by `nn.timeoutMs`, which makes this the one backend that can report `timeout`.
 *
 * One worker per process, shared by every session (compiling ORT's 14 MB wasm takes 0.3–2 s, so a
 * worker per graph would make every load slow). A timeout stops that worker: the graph that timed
 * out and every other graph loaded in it then fail with `runtime-error` ("load the model again");
 * the next load starts a fresh worker. The package is an optional dependency, resolved lazily.
 */
import { loadOptional, unavailableReason } from '../../core/optional-package.js';
import { BackendError, type BackendGraph, type BackendOptions, type BackendTensor, type NnBackend, type TensorInfo } from './backend.js';
import { ortLoadErrorKind } from './ort-errors.js';
import { WorkerTimeout, type SyncWorker, type SyncWorkerFactory } from '../../core/blocking-bridge.js';
import { copyBytes, type ElementType } from '../element-types.js';

const PACKAGE = 'onnxruntime-web';
const TESTED_VERSION = '1.30.0';
/** Loading includes compiling ORT's wasm on first use: never less than this. */
const MIN_LOAD_TIMEOUT_MS = 120_000;

const SUPPORTED: ReadonlySet<string> = new Set<ElementType>(['float16', 'float32', 'float64', 'uint8', 'int32', 'int64']);

// Runs in the worker (CommonJS, after WORKER_PRELUDE). Plain JS: it is not compiled by tsc.
const WORKER_SCRIPT = `
const ort = require(workerData.ortPath);
ort.env.wasm.numThreads = workerData.threads;
ort.env.logLevel = 'error';
const sessions = new Map();
let next = 1;
const VIEWS = { float16: Uint16Array, float32: Float32Array, float64: Float64Array, uint8: Uint8Array, int32: Int32Array, int64: BigInt64Array };
const meta = (m) => ({
  name: m.name,
  type: m.isTensor ? m.type : 'non-tensor value',
  shape: m.isTensor ? m.shape.map((d) => (typeof d === 'number' ? d : -1)) : [],
});
serve(async (op, args) => {
  if (op === 'load') {
    const s = await ort.InferenceSession.create(new Uint8Array(args.bytes), {
      executionProviders: ['wasm'], logSeverityLevel: 3,
    });
    const id = next++;
    sessions.set(id, s);
    return [{ id, inputs: s.inputMetadata.map(meta), outputs: s.outputMetadata.map(meta) }];
  }
  if (op === 'run') {
    const s = sessions.get(args.id);
    if (!s) throw new Error('no such session');
    const feeds = {};
    for (const t of args.inputs) {
      const V = VIEWS[t.type];
      feeds[t.name] = new ort.Tensor(t.type, new V(t.data, 0, t.data.byteLength / V.BYTES_PER_ELEMENT), t.dims);
    }
    const out = await s.run(feeds, { logSeverityLevel: 4 });
    const list = [];
    const transfer = new Set();
    for (const name of s.outputNames) {
      const t = out[name];
      list.push({ name, type: t.type, dims: Array.from(t.dims), data: t.data });
      if (t.data && t.data.buffer instanceof ArrayBuffer) transfer.add(t.data.buffer);
    }
    return [list, [...transfer]];
  }
  if (op === 'release') {
    const s = sessions.get(args.id);
    sessions.delete(args.id);
    if (s) await s.release();
    return [true];
  }
  throw new Error('unknown operation ' + op);
});
`;

/** Where the package is, for the worker to require; BackendError('unavailable') when it is not installed. */
function resolveOrt(): string {
  return loadOptional({ name: PACKAGE, version: TESTED_VERSION }, `the onnx backend "${PACKAGE}"`, (req) => req.resolve(PACKAGE), {
    fail: (message) => new BackendError('unavailable', message),
  });
}

/** One worker per platform bridge (in practice, per process), shared by every session. */
const shared = new WeakMap<SyncWorkerFactory, SyncWorker>();

function worker(threads: number, spawn: SyncWorkerFactory): SyncWorker {
  const running = shared.get(spawn);
  if (running && !running.dead) return running;
  const started = spawn(WORKER_SCRIPT, { ortPath: resolveOrt(), threads });
  shared.set(spawn, started);
  return started;
}

function computeFailure(e: unknown): BackendError {
  if (e instanceof WorkerTimeout) return new BackendError('timeout', `${PACKAGE}: compute ${e.message}`);
  return new BackendError('runtime', `${PACKAGE}: ${(e as Error).message}`);
}

function loadFailure(e: unknown): BackendError {
  if (e instanceof WorkerTimeout) return new BackendError('timeout', `${PACKAGE}: load ${e.message}`);
  const message = (e as Error).message;
  return new BackendError(ortLoadErrorKind(message), `${PACKAGE}: ${message}`);
}

interface LoadedSession {
  id: number;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

/** What a load sends: the model's bytes moved to the worker, with the longer load timeout. */
function loadRequest(parts: readonly Uint8Array[], options: BackendOptions) {
  const bytes = copyBytes(parts[0]!).buffer as ArrayBuffer;
  return { worker: worker(options.threads, options.spawnSyncWorker), args: { bytes }, transfer: [bytes], timeoutMs: Math.max(options.timeoutMs, MIN_LOAD_TIMEOUT_MS) };
}

interface WireTensor {
  name: string;
  type: string;
  dims: number[];
  data: ArrayBufferView | unknown[];
}

class OrtWebGraph implements BackendGraph {
  #released = false;

  constructor(
    private readonly worker: SyncWorker,
    private readonly id: number,
    readonly inputs: TensorInfo[],
    readonly outputs: TensorInfo[],
    private readonly timeoutMs: number,
  ) {}

  compute(inputs: readonly BackendTensor[]): BackendTensor[] {
    const { wire, transfer } = this.#request(inputs);
    return this.#outputs(() => this.worker.call('run', { id: this.id, inputs: wire }, this.timeoutMs, transfer) as WireTensor[]);
  }

  /** Under JSPI: the same request, awaited instead of blocking (the worker still enforces nn.timeoutMs). */
  async computeAsync(inputs: readonly BackendTensor[]): Promise<BackendTensor[]> {
    const { wire, transfer } = this.#request(inputs);
    let out: WireTensor[];
    try {
      out = (await this.worker.callAsync('run', { id: this.id, inputs: wire }, this.timeoutMs, transfer)) as WireTensor[];
    } catch (e) {
      throw computeFailure(e);
    }
    return this.#outputs(() => out);
  }

  #request(inputs: readonly BackendTensor[]): { wire: unknown[]; transfer: ArrayBuffer[] } {
    if (this.#released) throw new BackendError('runtime', 'the session was released');
    if (this.worker.dead) throw new BackendError('runtime', `${PACKAGE}: ${this.worker.dead}; load the model again`);
    const transfer: ArrayBuffer[] = [];
    const wire = inputs.map((t) => {
      const data = copyBytes(t.data).buffer as ArrayBuffer; // own, aligned buffer, moved to the worker
      transfer.push(data);
      return { name: t.name, type: t.type, dims: t.dims, data };
    });
    return { wire, transfer };
  }

  #outputs(reply: () => WireTensor[]): BackendTensor[] {
    let out: WireTensor[];
    try {
      out = reply();
    } catch (e) {
      throw computeFailure(e);
    }
    return out.map((t) => {
      const d = t.data;
      if (!ArrayBuffer.isView(d)) return { name: t.name, type: t.type, dims: t.dims, data: new Uint8Array(0) };
      return { name: t.name, type: t.type, dims: t.dims, data: new Uint8Array(d.buffer, d.byteOffset, d.byteLength) };
    });
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    if (this.worker.dead) return;
    try {
      this.worker.call('release', { id: this.id }, this.timeoutMs);
    } catch {
      // the worker is then stopped by the bridge; nothing else holds this session
    }
  }
}

export const onnxruntimeWebBackend: NnBackend = {
  name: PACKAGE,
  builderCount: 1,
  supports: (type) => SUPPORTED.has(type),
  unavailable: () => unavailableReason(resolveOrt),
  load(parts: readonly Uint8Array[], options: BackendOptions): BackendGraph {
    const r = loadRequest(parts, options);
    let loaded: LoadedSession;
    try {
      loaded = r.worker.call('load', r.args, r.timeoutMs, r.transfer) as LoadedSession;
    } catch (e) {
      throw loadFailure(e);
    }
    return new OrtWebGraph(r.worker, loaded.id, loaded.inputs, loaded.outputs, options.timeoutMs);
  },
  async loadAsync(parts: readonly Uint8Array[], options: BackendOptions): Promise<BackendGraph> {
    const r = loadRequest(parts, options);
    let loaded: LoadedSession;
    try {
      loaded = (await r.worker.callAsync('load', r.args, r.timeoutMs, r.transfer)) as LoadedSession;
    } catch (e) {
      throw loadFailure(e);
    }
    return new OrtWebGraph(r.worker, loaded.id, loaded.inputs, loaded.outputs, options.timeoutMs);
  },
};
