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
import type { ProviderContext, ProviderInstance } from '../host/provider.js';
import { WitError } from '../host/wit-error.js';
import type { NnBackend } from './backends/backend.js';
import type { NnConfig } from './config.js';
import { quote, type ElementType } from './element-types.js';
import { NnFailure, type NnErrorCode } from './errors.js';
import { NnEngine, type SharedGraph } from './graphs.js';
import type { GivenTensor } from './check-inputs.js';
import type { NnTensorService } from './tensor-service.js';

type TensorType = TensorApi.TensorType;

const TO_ELEMENT: Readonly<Record<TensorType, ElementType>> = {
  FP16: 'float16',
  FP32: 'float32',
  FP64: 'float64',
  BF16: 'bfloat16',
  U8: 'uint8',
  I32: 'int32',
  I64: 'int64',
};
const TO_TENSOR_TYPE = Object.fromEntries(Object.entries(TO_ELEMENT).map(([k, v]) => [v, k])) as Record<ElementType, TensorType>;

/** The `error` resource. No constructor in WIT since 0.2.0-rc-2024-08-19; only the host makes them. */
export class NnError {
  #code: ErrorsApi.ErrorCode = 'unknown';
  #data = '';

  static of(code: NnErrorCode, data: string): NnError {
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

/** Runs an import body, turning NnFailure into the WIT error; anything else is a host bug. */
function guarded<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof NnFailure) throw witFailure(e);
    throw e;
  }
}

/** The `tensor` resource. */
export class Tensor {
  #dims: Uint32Array;
  #ty: TensorType;
  #data: Uint8Array;
  #consumed = false;

  // Zero-argument callable (jco type wrinkle); a guest always passes all three.
  constructor(dimensions?: TensorApi.TensorDimensions | readonly number[], ty?: TensorType, data?: TensorApi.TensorData) {
    this.#dims = dimensions instanceof Uint32Array ? dimensions : Uint32Array.from(dimensions ?? []);
    this.#ty = ty ?? 'FP32';
    this.#data = data ?? new Uint8Array(0);
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
    this.#data = new Uint8Array(0);
  }
}

/** The `graph-execution-context` resource. */
export class GraphExecutionContext {
  #graph: SharedGraph | undefined;
  #engine: NnEngine | undefined;

  static create(graph: SharedGraph, engine: NnEngine): GraphExecutionContext {
    const c = new GraphExecutionContext();
    c.#graph = graph;
    c.#engine = engine;
    return c;
  }

  compute(inputs: InferenceApi.NamedTensor[]): InferenceApi.NamedTensor[] {
    try {
      return guarded(() => {
        const graph = this.#graph;
        const engine = this.#engine;
        if (!graph || !engine) throw new NnFailure('runtime-error', 'the execution context was released');
        const seen = new Set<unknown>();
        const given = inputs.map(([name, t]) => {
          if (seen.has(t)) throw new NnFailure('invalid-argument', `input ${quote(name)} is the same tensor as an earlier input`);
          seen.add(t);
          return Tensor.consume(t, name);
        });
        return engine.compute(graph, given).map(
          (o): InferenceApi.NamedTensor => [o.name, new Tensor(Uint32Array.from(o.dims), TO_TENSOR_TYPE[o.type], o.data)],
        );
      });
    } finally {
      // Inputs are `own`: consumed whether compute succeeded or not.
      for (const [, t] of inputs) Tensor.release(t);
    }
  }

  [Symbol.dispose](): void {
    const g = this.#graph;
    this.#graph = undefined;
    this.#engine = undefined;
    g?.release();
  }
}

/** The `graph` resource. */
export class Graph {
  #graph: SharedGraph | undefined;
  #engine: NnEngine | undefined;

  static create(graph: SharedGraph, engine: NnEngine): Graph {
    const g = new Graph();
    g.#graph = graph;
    g.#engine = engine;
    return g;
  }

  initExecutionContext(): InferenceApi.GraphExecutionContext {
    return guarded(() => {
      const graph = this.#graph;
      if (!graph || !this.#engine || graph.released) throw new NnFailure('runtime-error', 'the graph was released');
      return GraphExecutionContext.create(graph.acquire(), this.#engine);
    });
  }

  [Symbol.dispose](): void {
    const g = this.#graph;
    this.#graph = undefined;
    this.#engine = undefined;
    g?.release();
  }
}

export interface NnProviderOptions {
  /** Tests substitute backends; production passes nothing. */
  backends?: Readonly<Record<string, NnBackend>>;
}

export interface NnProvider extends ProviderInstance {
  /** The engine, for tests and leak checks. */
  readonly engine: NnEngine;
  readonly tensors: NnTensorService;
}

export function createNnProvider(config: NnConfig, ctx?: ProviderContext, options: NnProviderOptions = {}): NnProvider {
  const engine = new NnEngine(config, options.backends);

  const graphImports: typeof GraphApi = {
    Graph,
    load(builder: GraphApi.GraphBuilder[], encoding: GraphApi.GraphEncoding, target: GraphApi.ExecutionTarget): GraphApi.Graph {
      return guarded(() => Graph.create(engine.load(builder, encoding, target), engine));
    },
    loadByName(name: string): GraphApi.Graph {
      return guarded(() => Graph.create(engine.loadByName(name), engine));
    },
  };
  const tensorImports: typeof TensorApi = { Tensor };
  const inferenceImports: typeof InferenceApi = { GraphExecutionContext };
  const errorImports: typeof ErrorsApi = { Error: NnError };

  const tensors: NnTensorService = {
    create: (dimensions, type, data) => new Tensor(Uint32Array.from(dimensions), type, data),
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
