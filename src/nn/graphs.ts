/**
 * The nn engine below the provider: loads graphs (from guest bytes or by configured name), shares
 * them, checks inputs and runs them. It speaks in NnFailure codes and plain TS types; the provider
 * translates to and from WIT. Every rule that decides an error code lives here or in
 * check-inputs.ts, and each is written down in docs/spec-notes/nn.md.
 */
import type { SyncWorkerFactory } from '../core/blocking-bridge.js';
import { readFileSync, statSync } from 'node:fs';
import { unexpectedFailureMessage } from '../core/backend-failure.js';
import { andThen, attempt, type MaybePromise } from '../core/maybe-async.js';
import { BackendError, type BackendGraph, type BackendTensor, type NnBackend, type TensorInfo } from './backends/backend.js';
import { BACKENDS, backendFor } from './backends/registry.js';
import { checkInputs, type GivenTensor } from './check-inputs.js';
import type { Encoding, NnConfig, Target } from './config.js';
import { isElementType, quote, type ElementType } from './element-types.js';
import { NnFailure, fail, type NnFailureCode } from './errors.js';
import { detectEncoding, looksLikeOnnx } from './model-format.js';

/** A loaded model, shared by every graph handle and context that uses it (reference-counted). */
export class SharedGraph {
  #refs = 1;
  #graph: BackendGraph | undefined;

  constructor(
    readonly backend: NnBackend,
    graph: BackendGraph,
    /** For messages: `load-by-name "faces"` or `load (onnx)`. */
    readonly origin: string,
    /** Called once when the session is freed (the engine stops tracking it). */
    private readonly onFree: (g: SharedGraph) => void = () => {},
  ) {
    this.#graph = graph;
  }

  get inputs(): readonly TensorInfo[] {
    return this.#graph?.inputs ?? [];
  }
  get outputs(): readonly TensorInfo[] {
    return this.#graph?.outputs ?? [];
  }
  get released(): boolean {
    return this.#graph === undefined;
  }
  /** For the backend call only. */
  get live(): BackendGraph | undefined {
    return this.#graph;
  }

  acquire(): this {
    if (this.#graph) this.#refs++;
    return this;
  }

  /** Drops one reference; the backend session is freed with the last one. */
  release(): void {
    if (!this.#graph || --this.#refs > 0) return;
    this.forceRelease();
  }

  /** Frees the session whatever the count (host teardown). */
  forceRelease(): void {
    const g = this.#graph;
    if (!g) return;
    this.#graph = undefined;
    this.onFree(this);
    g.release();
  }
}

export interface OutputTensor {
  name: string;
  type: ElementType;
  dims: number[];
  data: Uint8Array;
}

const KIND_TO_CODE: Record<BackendError['kind'], NnFailureCode> = {
  // No usable backend for the encoding here (package missing, API changed, not implemented):
  // from the guest's side this host has no backend for the encoding, as in wasmtime.
  unavailable: 'invalid-encoding',
  'invalid-model': 'invalid-encoding',
  unsupported: 'unsupported-operation',
  timeout: 'timeout',
  runtime: 'runtime-error',
};

/** Runs a backend call (awaited or not), turning its failures into NnFailure codes. */
function backendCall<T>(what: string, f: () => MaybePromise<T>): MaybePromise<T> {
  return attempt(f, (e) => {
    if (e instanceof NnFailure) throw e;
    if (e instanceof BackendError) fail(KIND_TO_CODE[e.kind], e.message);
    // A runtime that throws something unexpected is still the model's or the runtime's problem,
    // never a reason to trap the guest (src/core/backend-failure.ts).
    fail('runtime-error', unexpectedFailureMessage(e, what));
  });
}

/** An engine made without a platform port has no blocking bridge: backends that need one say so. */
const noBridge: SyncWorkerFactory = () => {
  throw new Error('this nn engine has no blocking bridge (create it through createHost, whose platform port supplies one)');
};

export class NnEngine {
  readonly #config: NnConfig;
  readonly #backends: Readonly<Record<string, NnBackend>>;
  /** Named models already loaded (one reference each, held until dispose). */
  readonly #named = new Map<string, SharedGraph>();
  /** Every graph still holding a session, so dispose() frees them all. */
  readonly #live = new Set<SharedGraph>();
  #disposed = false;
  /** Graph and execution-context handles the guest holds (nn.limits.maxHandles). */
  #handles = 0;

  readonly #spawnSyncWorker: SyncWorkerFactory;
  /**
   * Under JSPI: a backend with `loadAsync` / `computeAsync` is awaited, and load, load-by-name and
   * compute return a Promise for it (src/core/jspi.ts); otherwise everything returns synchronously.
   */
  readonly #suspending: boolean;

  constructor(config: NnConfig, backends: Readonly<Record<string, NnBackend>> = BACKENDS, spawnSyncWorker: SyncWorkerFactory = noBridge, suspending = false) {
    this.#config = config;
    this.#backends = backends;
    this.#spawnSyncWorker = spawnSyncWorker;
    this.#suspending = suspending;
  }

  get config(): NnConfig {
    return this.#config;
  }

  /** `graph.load`: model bytes from the guest. */
  load(parts: readonly Uint8Array[], encoding: Encoding, target: Target): MaybePromise<SharedGraph> {
    this.#alive();
    if (!this.#config.allowLoad) {
      fail('security', 'this host does not let guests load models from bytes (nn.allowLoad is false); use load-by-name');
    }
    const total = parts.reduce((n, p) => n + p.byteLength, 0);
    if (total > this.#config.limits.modelBytes) {
      fail('too-large', `the model is ${total} bytes; this host's limit is ${this.#config.limits.modelBytes} (nn.limits.modelBytes)`);
    }
    return this.#loadBytes(parts, encoding, target, `load (${encoding})`);
  }

  /** `graph.load-by-name`: a model the configuration names, loaded once and shared. */
  loadByName(name: string): MaybePromise<SharedGraph> {
    this.#alive();
    const model = Object.prototype.hasOwnProperty.call(this.#config.models, name) ? this.#config.models[name] : undefined;
    if (!model) {
      const known = Object.keys(this.#config.models);
      fail('not-found', `no model named ${quote(name)} is configured${known.length ? '' : ' (this host names no models)'}`);
    }
    const allow = this.#config.allow;
    if (allow !== '*' && !allow.includes(name)) {
      fail('security', `model ${quote(name)} is configured but not granted to this guest (nn.allow)`);
    }
    const cached = this.#named.get(name);
    if (cached && !cached.released) return cached.acquire();
    let bytes: Uint8Array;
    try {
      const size = statSync(model.path).size;
      if (size > this.#config.limits.modelBytes) {
        fail('too-large', `model ${quote(name)} is ${size} bytes; this host's limit is ${this.#config.limits.modelBytes} (nn.limits.modelBytes)`);
      }
      bytes = readFileSync(model.path);
    } catch (e) {
      if (e instanceof NnFailure) throw e;
      fail('runtime-error', `model ${quote(name)} could not be read: ${(e as Error).message}`);
    }
    return andThen(this.#loadBytes([bytes], model.encoding, model.target, `load-by-name ${quote(name)}`), (graph) => {
      this.#named.set(name, graph); // the registry's own reference
      return graph.acquire(); // and the caller's
    });
  }

  #loadBytes(parts: readonly Uint8Array[], requested: Encoding, target: Target, origin: string): MaybePromise<SharedGraph> {
    let encoding: string = requested;
    if (requested === 'autodetect') {
      const found = detectEncoding(parts);
      if (!found) fail('invalid-encoding', 'autodetect: the bytes are not a model format this host recognises (it knows onnx)');
      encoding = found;
    }
    const backend = backendFor(encoding, { onnx: this.#config.backend }, this.#backends);
    if (!backend) fail('invalid-encoding', `this host has no backend for the ${encoding} encoding (it runs onnx)`);
    if (target !== 'cpu' && !this.#config.cpuFallback) {
      fail(
        'unsupported-operation',
        `execution target ${target} is not available: ${backend.name} runs on the CPU here (set nn.cpuFallback to run ${target} requests on the CPU)`,
      );
    }
    if (parts.length !== backend.builderCount) {
      fail('invalid-argument', `${encoding} models take ${backend.builderCount} builder, got ${parts.length}`);
    }
    if (encoding === 'onnx' && !looksLikeOnnx(parts[0]!)) {
      fail('invalid-encoding', 'the bytes are not an ONNX model (not a protobuf ModelProto with a graph)');
    }
    const options = { threads: this.#config.threads, timeoutMs: this.#config.timeoutMs, spawnSyncWorker: this.#spawnSyncWorker };
    const loadAsync = this.#suspending ? backend.loadAsync?.bind(backend) : undefined;
    return andThen(backendCall('load', () => (loadAsync ? loadAsync(parts, options) : backend.load(parts, options))), (loaded) => this.#adopt(backend, loaded, origin));
  }

  #adopt(backend: NnBackend, loaded: BackendGraph, origin: string): SharedGraph {
    const graph = new SharedGraph(backend, loaded, origin, (g) => this.#live.delete(g));
    // A session can be as large as the model; bound how many a guest keeps (docs/hardening.md).
    if (this.#live.size >= this.#config.limits.maxGraphs) {
      graph.forceRelease();
      fail('too-large', `${this.#live.size} models are loaded; this host's limit is ${this.#config.limits.maxGraphs} (nn.limits.maxGraphs)`);
    }
    this.#live.add(graph);
    return graph;
  }

  /** `compute`: checks, runs, and checks the outputs can go back to the guest. */
  compute(graph: SharedGraph, inputs: readonly GivenTensor[]): MaybePromise<OutputTensor[]> {
    this.#alive();
    const live = graph.live;
    if (!live) fail('runtime-error', 'the graph was released by the host');
    const feeds: BackendTensor[] = checkInputs(inputs, live.inputs, graph.backend, this.#config.limits.tensorBytes);
    const computeAsync = this.#suspending ? live.computeAsync?.bind(live) : undefined;
    return andThen(backendCall('compute', () => (computeAsync ? computeAsync(feeds) : live.compute(feeds))), (results) => this.#outputs(results));
  }

  #outputs(results: readonly BackendTensor[]): OutputTensor[] {
    return results.map((r) => {
      if (!isElementType(r.type)) {
        fail('unsupported-operation', `model output '${r.name}' has element type ${r.type}, which wasi:nn tensors cannot express`);
      }
      if (r.data.byteLength > this.#config.limits.tensorBytes) {
        fail('too-large', `output '${r.name}' is ${r.data.byteLength} bytes; this host's limit is ${this.#config.limits.tensorBytes} (nn.limits.tensorBytes)`);
      }
      return { name: r.name, type: r.type, dims: r.dims, data: r.data };
    });
  }

  /** Counts one more guest handle (graph or context), or fails when the bound is reached. */
  openHandle(): void {
    if (this.#handles >= this.#config.limits.maxHandles) {
      fail('too-large', `${this.#handles} graph and context handles are open; this host's limit is ${this.#config.limits.maxHandles} (nn.limits.maxHandles)`);
    }
    this.#handles++;
  }

  closeHandle(): void {
    if (this.#handles > 0) this.#handles--;
  }

  /** Sessions currently held (for tests and leak checks). */
  get liveGraphs(): number {
    return this.#live.size;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const g of [...this.#live]) g.forceRelease();
    this.#live.clear();
    this.#named.clear();
  }

  #alive(): void {
    if (this.#disposed) fail('runtime-error', 'the host was disposed');
  }
}
