/**
 * wasi:nn@0.2.0-rc-2024-10-28 for jco-transpiled components: the only nn file that knows WIT/jco
 * shapes (resource classes, enum spellings, thrown `{ payload }` errors). All decisions about what
 * is valid are made in graphs.ts / check-inputs.ts; this file translates.
 *
 * Resources:
 * - `tensor`: plain data holder. Its constructor cannot fail in WIT, so its data length is checked
 *   at `compute` (invalid-argument). Passing it to `compute` consumes it (WIT `own`): jco hands us the
 *   same object and removes the guest handle; we drop its bytes after the call.
 * - `graph`: a reference to a SharedGraph (one backend session shared with load-by-name and contexts).
 * - `graph-execution-context`: another reference to the same session (contexts may outlive graphs).
 * - `error`: code + data, returned as the `err` of every fallible function via WitError.
 */
import type * as ErrorsApi from '../generated/interfaces/wasi-nn-errors.js';
import type * as GraphApi from '../generated/interfaces/wasi-nn-graph.js';
import type * as InferenceApi from '../generated/interfaces/wasi-nn-inference.js';
import type * as TensorApi from '../generated/interfaces/wasi-nn-tensor.js';
import { backendFailure } from '../core/backend-failure.js';
import { BufferRecycler } from '../core/buffer-recycler.js';
import type { ProviderContext, ProviderInstance } from '../core/provider.js';
import { WitError } from '../core/wit-error.js';
import { andThen, attempt, lastly, type MaybePromise } from '../core/maybe-async.js';
import type { NnBackend, NnPlatform } from './backends/backend.js';
import type { SyncWorkerFactory } from '../core/blocking-bridge.js';
import type { NnConfig } from './config.js';
import { TENSOR_TYPE_OF, quote, type ElementType } from './element-types.js';
import { NnFailure, type NnFailureCode } from './errors.js';
import { NnEngine, type SharedGraph } from './graphs.js';
import type { GivenTensor } from './check-inputs.js';
import { TENSOR_TYPES, type NnTensorService } from '../core/services.js';
import type { TypeEqual } from '../core/type-equal.js';

type TensorType = TensorApi.TensorType;
// The services' tensor-type list (WIT case order) must still be wit/'s.
const _witTensorTypes: TypeEqual<(typeof TENSOR_TYPES)[number], TensorType> = true;
void _witTensorTypes;

const TO_ELEMENT: Readonly<Record<TensorType, ElementType>> = {
  FP16: 'float16',
  FP32: 'float32',
  FP64: 'float64',
  BF16: 'bfloat16',
  U8: 'uint8',
  I32: 'int32',
  I64: 'int64',
};
const TO_TENSOR_TYPE = TENSOR_TYPE_OF;

/** The `error` resource. No constructor in WIT since 0.2.0-rc-2024-08-19; only the host makes them. */
export class NnError {
  #code: ErrorsApi.ErrorCode = 'unknown';
  #data = '';

  static of(code: NnFailureCode, data: string): NnError {
    const e = new NnError();
    e.#code = code;
    e.#data = data;
    return e;
  }

  code(): ErrorsApi.ErrorCode {
    return this.#code;
  }

  data(): string {
    return this.#data;
  }

  [Symbol.dispose](): void {}
}

/** Thrown from an import: the guest receives `err(error)`. */
function witFailure(f: NnFailure): WitError<NnError> {
  return new WitError(NnError.of(f.code, f.message), `wasi:nn ${f.code}: ${f.message}`);
}

/**
 * Runs an import body, turning NnFailure into the WIT error. Anything unexpected is runtime-error
 * with the message (src/core/backend-failure.ts). A backend's own unexpected throws are already
 * runtime-error at the graph layer (graphs.ts, same policy); this catches what is left.
 */
/** `f()` with its failures (thrown or, under JSPI, rejected) turned into the guest's error values. */
function guarded<T>(f: () => T): T;
function guarded<T>(f: () => MaybePromise<T>): MaybePromise<T> {
  return attempt(f, (e) => {
    if (e instanceof NnFailure) throw witFailure(e);
    throw backendFailure(e, 'wasi:nn host failure', (message) => NnError.of('runtime-error', message));
  });
}

/**
 * What one provider's tensors may hold at once (nn.limits.liveTensorBytes, docs/hardening.md).
 * The tensor constructor cannot fail in WIT, so a tensor over the budget keeps no bytes and the
 * `compute` that uses it fails with `too-large`.
 */
export interface TensorBudget {
  live: number;
  readonly liveBytes: number;
  readonly tensorBytes: number;
}

/** The `tensor` resource. */
export class Tensor {
  #dims: Uint32Array;
  #ty: TensorType;
  #data: Uint8Array;
  #consumed = false;
  /** Bytes the host refused to keep (over the budget); 0 when the tensor holds its data. */
  #refused = 0;
  #budget: TensorBudget | undefined;
  #limit = Infinity;
  #cost = 0;

  // Zero-argument callable (jco type wrinkle); a guest always passes all three.
  constructor(dimensions?: TensorApi.TensorDimensions | readonly number[], ty?: TensorType, data?: TensorApi.TensorData) {
    // `new Uint32Array(array)`, not Uint32Array.from: that walks the iterator protocol (see dimsArray).
    this.#dims = dimensions instanceof Uint32Array ? dimensions : new Uint32Array(dimensions ?? []);
    this.#ty = ty ?? 'FP32';
    this.#data = data ?? new Uint8Array(0);
  }

  /** Charges this tensor's bytes to `budget`, or drops them when they do not fit (see TensorBudget). */
  protected charge(budget: TensorBudget): void {
    const n = this.#data.byteLength;
    // Dimensions and the object itself count too, so that many empty tensors are bounded as well.
    const cost = n + this.#dims.byteLength + TENSOR_OVERHEAD;
    this.#limit = budget.tensorBytes;
    if (n > budget.tensorBytes || budget.live + cost > budget.liveBytes) {
      this.#refused = Math.max(n, 1);
      this.#data = new Uint8Array(0);
      this.#dims = new Uint32Array(0);
      return;
    }
    budget.live += cost;
    this.#cost = cost;
    this.#budget = budget;
  }

  /** Whether the host dropped this tensor's bytes because of a bound. */
  get refused(): boolean {
    return this.#refused > 0;
  }

  dimensions(): TensorApi.TensorDimensions {
    return this.#dims;
  }

  ty(): TensorType {
    return this.#ty;
  }

  data(): TensorApi.TensorData {
    return this.#data;
  }

  /** Takes the tensor's contents for `compute` (WIT `own` parameter). */
  static consume(t: TensorApi.Tensor, name: string): GivenTensor {
    if (!(t instanceof Tensor)) throw new NnFailure('invalid-argument', `input ${quote(name)} is not a wasi:nn tensor of this host`);
    if (t.#consumed) throw new NnFailure('invalid-argument', `input ${quote(name)} was already consumed by an earlier compute`);
    if (t.#refused) {
      const why = t.#refused > t.#limit
        ? `this host's limit is ${t.#limit} (nn.limits.tensorBytes)`
        : 'live tensors already hold the bytes this host allows (nn.limits.liveTensorBytes)';
      throw new NnFailure('too-large', `input ${quote(name)} is ${t.#refused} bytes; ${why}`);
    }
    t.#consumed = true;
    const type = TO_ELEMENT[t.#ty];
    if (!type) throw new NnFailure('invalid-argument', `input ${quote(name)} has an unknown tensor type ${String(t.#ty)}`);
    return { name, type, dims: t.#dims, data: t.#data };
  }

  /** Frees the bytes after `compute` consumed the tensor. */
  static release(t: TensorApi.Tensor): void {
    if (t instanceof Tensor) t[Symbol.dispose]();
  }

  [Symbol.dispose](): void {
    this.#consumed = true;
    if (this.#budget) this.#budget.live -= this.#cost;
    this.#budget = undefined;
    this.#data = new Uint8Array(0);
  }
}

/** What a tensor costs beyond its bytes, for nn.limits.liveTensorBytes (object, handle, bookkeeping). */
const TENSOR_OVERHEAD = 64;

type MakeTensor = (dims: Uint32Array, ty: TensorType, data: Uint8Array) => Tensor;

/**
 * What `graph` and `graph-execution-context` both are: a hold on one SharedGraph, counted as an
 * open handle on its engine, with the way its outputs are made into tensors. jco needs a
 * zero-argument constructor, so handles are made by `create`; dropping one releases both holds.
 */
abstract class GraphHandle {
  #held: { graph: SharedGraph; engine: NnEngine; make: MakeTensor | undefined } | undefined;

  static create<H extends GraphHandle>(this: new () => H, graph: SharedGraph, engine: NnEngine, make?: MakeTensor): H {
    const handle = new this();
    handle.#held = { graph, engine, make };
    return handle;
  }

  /** The graph, its engine and the tensor maker; undefined once the handle is dropped. */
  protected get held() {
    return this.#held;
  }

  [Symbol.dispose](): void {
    const held = this.#held;
    this.#held = undefined;
    held?.engine.closeHandle();
    held?.graph.release();
  }
}

/** The `graph-execution-context` resource. */
export class GraphExecutionContext extends GraphHandle {
  compute(inputs: InferenceApi.NamedTensor[]): InferenceApi.NamedTensor[] {
    // A Promise under JSPI only (the engine awaits a Promise-only backend there): jco then
    // suspends the guest until it settles. The cast keeps the generated WIT type.
    return this.#compute(inputs) as InferenceApi.NamedTensor[];
  }

  #compute(inputs: InferenceApi.NamedTensor[]): MaybePromise<InferenceApi.NamedTensor[]> {
    // Inputs are `own`: consumed whether compute succeeded or not.
    return lastly(
      () =>
        guarded(() => {
          const held = this.held;
          if (!held) throw new NnFailure('runtime-error', 'the execution context was released');
          const { graph, engine } = held;
          // (The duplicate check needs a Set only when there are several inputs: most models take one.)
          const seen = inputs.length > 1 ? new Set<unknown>() : undefined;
          const given = inputs.map(([name, t]) => {
            if (seen?.has(t)) throw new NnFailure('invalid-argument', `input ${quote(name)} is the same tensor as an earlier input`);
            seen?.add(t);
            return Tensor.consume(t, name);
          });
          const make: MakeTensor = held.make ?? ((d, ty, data) => new Tensor(d, ty, data));
          return andThen(engine.compute(graph, given), (computed) => {
            const outputs = computed.map(
              (o): InferenceApi.NamedTensor => [o.name, make(new Uint32Array(o.dims), TO_TENSOR_TYPE[o.type], o.data)],
            );
            if (outputs.some(([, t]) => (t as Tensor).refused)) {
              for (const [, t] of outputs) (t as Tensor)[Symbol.dispose]();
              throw new NnFailure('too-large', 'the outputs do not fit in the bytes this host lets tensors hold (nn.limits.liveTensorBytes)');
            }
            return outputs;
          });
        }),
      () => {
        for (const [, t] of inputs) Tensor.release(t);
      },
    );
  }
}

/** The `graph` resource. */
export class Graph extends GraphHandle {
  initExecutionContext(): InferenceApi.GraphExecutionContext {
    return guarded(() => {
      const held = this.held;
      if (!held || held.graph.released) throw new NnFailure('runtime-error', 'the graph was released');
      held.engine.openHandle();
      return GraphExecutionContext.create(held.graph.acquire(), held.engine, held.make);
    });
  }

}

export interface NnProviderOptions {
  /** Tests substitute backends; production passes nothing. */
  backends?: Readonly<Record<string, NnBackend>>;
  /** The blocking bridge when there is no ProviderContext (tests); the platform port's otherwise. */
  spawnSyncWorker?: SyncWorkerFactory;
}

export interface NnProvider extends ProviderInstance {
  /** The engine, for tests and leak checks. */
  readonly engine: NnEngine;
  readonly tensors: NnTensorService;
}

export function createNnProvider(config: NnConfig, ctx?: ProviderContext<NnPlatform>, options: NnProviderOptions = {}): NnProvider {
  const engine = new NnEngine(config, options.backends, ctx?.platform.spawnSyncWorker ?? options.spawnSyncWorker, ctx?.jspi === true);
  const budget: TensorBudget = { live: 0, liveBytes: config.limits.liveTensorBytes, tensorBytes: config.limits.tensorBytes };
  /**
   * Tensor buffers wasi:vision writes into (NnTensorService.allocate) and the bindings lift a
   * guest's tensor bytes into: the host's own (HostServices.buffers), reused once a tensor is done with.
   */
  const recycler = ctx?.services.buffers ?? new BufferRecycler();
  /** This provider's tensor class: every tensor it makes or the guest constructs is charged to its budget. */
  class HostTensor extends Tensor {
    constructor(dimensions?: TensorApi.TensorDimensions | readonly number[], ty?: TensorType, data?: TensorApi.TensorData) {
      super(dimensions, ty, data);
      this.charge(budget);
    }

    override [Symbol.dispose](): void {
      const data = this.data();
      super[Symbol.dispose]();
      // Consumed by a compute (the backend ran synchronously and kept nothing) or dropped by the guest.
      recycler.giveView(data);
    }
  }
  const make: MakeTensor = (d, ty, data) => new HostTensor(d, ty, data);
  const opened = (load: () => MaybePromise<SharedGraph>): MaybePromise<Graph> => {
    engine.openHandle();
    return attempt(
      () => andThen(load(), (graph) => Graph.create(graph, engine, make)),
      (e) => {
        engine.closeHandle();
        throw e;
      },
    );
  };

  // Promises under JSPI only (see GraphExecutionContext.compute); the casts keep the WIT types.
  const graphImports = {
    Graph,
    load(builder: GraphApi.GraphBuilder[], encoding: GraphApi.GraphEncoding, target: GraphApi.ExecutionTarget): GraphApi.Graph {
      return guarded(() => opened(() => engine.load(builder, encoding, target))) as GraphApi.Graph;
    },
    loadByName(name: string): GraphApi.Graph {
      return guarded(() => opened(() => engine.loadByName(name))) as GraphApi.Graph;
    },
  } satisfies typeof GraphApi;
  const tensorImports = { Tensor: HostTensor } satisfies typeof TensorApi;
  const inferenceImports = { GraphExecutionContext } satisfies typeof InferenceApi;
  const errorImports = { Error: NnError } satisfies typeof ErrorsApi;

  const tensors: NnTensorService = {
    create: (dimensions, type, data) => make(new Uint32Array(dimensions), type, data),
    allocate: (byteLength) => recycler.take(byteLength),
  };
  if (ctx) ctx.services.nnTensors = tensors;

  return {
    imports: {
      'wasi:nn/tensor': tensorImports,
      'wasi:nn/graph': graphImports,
      'wasi:nn/inference': inferenceImports,
      'wasi:nn/errors': errorImports,
    },
    engine,
    tensors,
    dispose() {
      engine.dispose();
      if (ctx?.services.nnTensors === tensors) delete ctx.services.nnTensors;
    },
  };
}
