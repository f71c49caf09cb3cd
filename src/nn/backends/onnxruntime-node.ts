/**
 * ONNX Runtime through onnxruntime-node's native session, called SYNCHRONOUSLY.
 *
 * The package's public API is Promise-based, but its native layer is not: `dist/backend.js` only
 * wraps the blocking N-API calls `loadModel()` and `run()` in `setImmediate` + Promise
 * (so in 1.30.0). wasi:nn imports must return synchronously (jco lowers a Promise to 0),
 * so we use the native `InferenceSession` from `onnxruntime-node/dist/binding` directly. That is an
 * internal API: the package is pinned (1.30.0) and the shape is checked when the backend is first
 * used, failing with a message that names the package and what is missing.
 *
 * The package is an optional dependency (288 MB): it is required lazily, on the first `load`.
 */
import { createRequire } from 'node:module';
import { loadOptional, unavailableReason, type OptionalPackage } from '../../core/optional-package.js';
import { BackendError, type BackendGraph, type BackendOptions, type BackendTensor, type NnBackend, type TensorInfo } from './backend.js';
import { ELEMENT_SIZE, copyBytes, isElementType, type ElementType } from '../element-types.js';
import { ortLoadErrorKind } from './ort-errors.js';

const PACKAGE = 'onnxruntime-node';
const TESTED_VERSION = '1.30.0';
/** Its install script would fetch CUDA parts from the network; the CPU binaries ship in the package. */
const ORT_NODE: OptionalPackage = {
  name: PACKAGE,
  version: TESTED_VERSION,
  install: `ONNXRUNTIME_NODE_INSTALL=skip npm install ${PACKAGE}@${TESTED_VERSION}`,
};

// The subset of the native binding we use (onnxruntime-node/dist/binding.d.ts).
interface OrtValueMetadata {
  name: string;
  isTensor: boolean;
  shape: number[];
  type: number;
}
interface OrtTensorLike {
  type: string;
  dims: readonly number[];
  data: ArrayBufferView;
}
interface OrtNativeSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: Record<string, unknown>): void;
  readonly inputMetadata: OrtValueMetadata[];
  readonly outputMetadata: OrtValueMetadata[];
  run(feeds: Record<string, unknown>, fetches: Record<string, null>, options: Record<string, unknown>): Record<string, OrtTensorLike>;
  dispose(): void;
}
export interface OrtRuntime {
  InferenceSession: new () => OrtNativeSession;
  Tensor: new (type: string, data: ArrayBufferView, dims: readonly number[]) => OrtTensorLike;
  version: string;
}

/** ONNX TensorProto.DataType number → ORT's type name (metadata gives numbers, tensors names). */
const ONNX_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string',
  9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 14: 'complex64',
  15: 'complex128', 16: 'bfloat16', 17: 'float8e4m3fn', 18: 'float8e4m3fnuz', 19: 'float8e5m2',
  20: 'float8e5m2fnuz', 21: 'uint4', 22: 'int4',
};

/** Typed-array views over little-endian bytes, per element type ORT accepts from JS. */
const VIEWS: Partial<Record<ElementType, new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView>> = {
  float16: Uint16Array, // raw half-precision bits: see inputTensor
  float32: Float32Array,
  float64: Float64Array,
  uint8: Uint8Array,
  int32: Int32Array,
  int64: BigInt64Array,
  // bfloat16: onnxruntime-common 1.30 has no 'bfloat16' tensor type, so it cannot cross from JS.
};

let runtime: OrtRuntime | undefined;

/** logSeverityLevel 4: ORT would also print a failure to stderr; the guest gets it as data. Made once, not per run. */
const RUN_OPTIONS: Readonly<Record<string, unknown>> = Object.freeze({ logSeverityLevel: 4 });

/** Loads and checks the native binding once. Throws BackendError('unavailable') with the reason. */
function ort(): OrtRuntime {
  runtime ??= loadOrtRuntime(createRequire(import.meta.url));
  return runtime;
}

/**
 * Requires onnxruntime-node's internal binding through `req` and checks its shape. Exported for tests,
 * which pass a fake `req` to see the messages for a missing package and for a changed internal API.
 */
export function loadOrtRuntime(req: NodeJS.Require): OrtRuntime {
  const { bindingModule, version, Tensor } = loadOptional(
    ORT_NODE,
    'the onnx backend',
    (r) => ({
      bindingModule: r(`${PACKAGE}/dist/binding`) as { binding?: Record<string, unknown>; initOrt?: unknown },
      version: (r(`${PACKAGE}/package.json`) as { version: string }).version,
      // The same onnxruntime-common copy the binding was given, so output tensors and ours agree.
      Tensor: (createRequire(r.resolve(`${PACKAGE}/dist/binding`))('onnxruntime-common') as { Tensor: unknown }).Tensor,
    }),
    { require: req, fail: (message) => new BackendError('unavailable', message) },
  );
  const binding = bindingModule.binding;
  const missing: string[] = [];
  if (typeof bindingModule.initOrt !== 'function') missing.push('initOrt()');
  if (typeof binding?.InferenceSession !== 'function') missing.push('binding.InferenceSession');
  if (typeof Tensor !== 'function') missing.push('onnxruntime-common Tensor');
  const proto = (binding?.InferenceSession as { prototype?: Record<string, unknown> } | undefined)?.prototype;
  for (const method of ['loadModel', 'run', 'dispose']) {
    if (typeof proto?.[method] !== 'function') missing.push(`InferenceSession.${method}()`);
  }
  if (missing.length) {
    throw new BackendError(
      'unavailable',
      `${PACKAGE}@${version} does not have the internal synchronous API this host uses ` +
        `(missing: ${missing.join(', ')}); the tested version is ${TESTED_VERSION}`,
    );
  }
  (bindingModule.initOrt as () => void)();
  return {
    InferenceSession: binding!.InferenceSession as OrtRuntime['InferenceSession'],
    Tensor: Tensor as OrtRuntime['Tensor'],
    version,
  };
}

function describeValue(m: OrtValueMetadata): TensorInfo {
  const type = m.isTensor ? (ONNX_TYPE_NAMES[m.type] ?? `onnx type ${m.type}`) : 'non-tensor value';
  return { name: m.name, type, shape: [...m.shape] };
}

/** A typed array ORT accepts, over the tensor's bytes (copied only when misaligned). */
function toTypedArray(type: ElementType, data: Uint8Array): ArrayBufferView {
  const View = VIEWS[type];
  if (!View) throw new BackendError('unsupported', `onnxruntime-node cannot take ${type} tensors`);
  const size = ELEMENT_SIZE[type];
  let bytes = data;
  if (bytes.byteOffset % size !== 0) bytes = copyBytes(bytes);
  return new View(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / size);
}

/**
 * The tensor handed to ORT's binding, holding `data` itself. Where `Float16Array` exists (Node 24,
 * Deno, Bun), onnxruntime-common 1.30 re-wraps float16 bits given as a Uint16Array in a Float16Array,
 * which the native binding of onnxruntime-node 1.30 reads as 0 bytes ("not enough space: expected 6,
 * got 0"); given back the raw Uint16 bits, as on Node 20, it reads them. Exported for tests.
 */
export function inputTensor(Tensor: OrtRuntime['Tensor'], type: ElementType, data: ArrayBufferView, dims: readonly number[]): OrtTensorLike {
  const tensor = new Tensor(type, data, dims);
  if (type === 'float16' && tensor.data !== data) {
    // `cpuData` is the field behind onnxruntime-common's `data` getter (tensor-impl.js).
    (tensor as unknown as { cpuData: ArrayBufferView }).cpuData = data;
    if (tensor.data !== data) {
      const got = tensor.data.constructor.name;
      throw new BackendError('unsupported', `onnxruntime-node cannot take float16 tensors here: onnxruntime-common stores them as ${got}`);
    }
  }
  return tensor;
}

class OrtNodeGraph implements BackendGraph {
  readonly inputs: TensorInfo[];
  readonly outputs: TensorInfo[];
  #session: OrtNativeSession | undefined;
  readonly #fetches: Record<string, null>;

  constructor(session: OrtNativeSession) {
    this.#session = session;
    this.inputs = session.inputMetadata.map(describeValue);
    this.outputs = session.outputMetadata.map(describeValue);
    this.#fetches = Object.fromEntries(this.outputs.map((o) => [o.name, null]));
  }

  compute(inputs: readonly BackendTensor[]): BackendTensor[] {
    const session = this.#session;
    if (!session) throw new BackendError('runtime', 'the session was released');
    const { Tensor } = ort();
    const feeds: Record<string, unknown> = {};
    for (const t of inputs) {
      if (!isElementType(t.type)) throw new BackendError('unsupported', `onnxruntime-node cannot take ${t.type} tensors`);
      feeds[t.name] = inputTensor(Tensor, t.type, toTypedArray(t.type, t.data), t.dims);
    }
    let results: Record<string, OrtTensorLike>;
    try {
      results = session.run(feeds, this.#fetches, RUN_OPTIONS);
    } catch (e) {
      throw new BackendError('runtime', String((e as Error)?.message ?? e).trim());
    }
    return this.outputs.map((info) => {
      const r = results[info.name];
      if (!r) throw new BackendError('runtime', `onnxruntime-node returned no value for output '${info.name}'`);
      const d = r.data;
      return {
        name: info.name,
        type: r.type,
        dims: [...r.dims],
        data: new Uint8Array(d.buffer, d.byteOffset, d.byteLength),
      };
    });
  }

  release(): void {
    const session = this.#session;
    this.#session = undefined;
    session?.dispose();
  }
}

export const onnxruntimeNodeBackend: NnBackend = {
  name: PACKAGE,
  builderCount: 1,
  supports: (type) => VIEWS[type] !== undefined,
  unavailable: () => unavailableReason(ort),
  load(parts: readonly Uint8Array[], options: BackendOptions): BackendGraph {
    const { InferenceSession } = ort();
    const bytes = parts[0];
    if (!bytes || bytes.byteLength === 0) throw new BackendError('invalid-model', 'the model is empty');
    const session = new InferenceSession();
    try {
      session.loadModel(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength, {
        intraOpNumThreads: options.threads,
        interOpNumThreads: 1,
        executionProviders: ['cpu'],
        logSeverityLevel: 3, // warnings such as "Removing initializer" are noise for a guest's host
      });
    } catch (e) {
      const message = String((e as Error)?.message ?? e).trim();
      try {
        session.dispose();
      } catch {
        // a session that failed to load may refuse dispose; nothing is held then
      }
      throw new BackendError(ortLoadErrorKind(message), `onnxruntime-node: ${message}`);
    }
    return new OrtNodeGraph(session);
  },
};

/** For diagnostics (`wasi-edge devices`, bench): the loaded ORT version, loading it if needed. */
export function onnxruntimeNodeVersion(): string {
  return ort().version;
}
