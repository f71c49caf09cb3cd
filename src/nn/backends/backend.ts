/**
 * The interface every inference backend implements. Backends know nothing of WIT: they load model
 * bytes, describe their inputs and outputs, run, and release. The graph layer (../graphs.ts)
 * validates guest input against `describe()` before calling `compute`, so a backend only sees
 * tensors whose names, element types, ranks, static dimensions and byte lengths already match.
 */
import type { SyncWorkerFactory } from '../../core/blocking-bridge.js';
import type { ElementType } from '../element-types.js';

export interface BackendOptions {
  /** Threads inside one operator (ORT intraOpNumThreads). */
  threads: number;
  /**
   * Longest one compute may take, for backends that can stop a computation (worker-bridged ones).
   * In-thread backends (onnxruntime-node) cannot interrupt a native call and ignore it.
   */
  timeoutMs: number;
  /** The platform's blocking bridge, for backends whose runtime is Promise-only. */
  spawnSyncWorker: SyncWorkerFactory;
}

/** One model input or output. */
export interface TensorInfo {
  name: string;
  /** An ElementType when wasi:nn can express it, else the backend's own name (`bool`, `int8`, …). */
  type: ElementType | string;
  /** -1 for a dynamic dimension. */
  shape: number[];
}

/** A tensor crossing into or out of a backend: little-endian row-major bytes. */
export interface BackendTensor {
  name: string;
  type: ElementType | string;
  dims: number[];
  data: Uint8Array;
}

export interface BackendGraph {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** Runs the model on every input it declares; returns every declared output, in model order. */
  compute(inputs: readonly BackendTensor[]): BackendTensor[];
  /** The same without blocking the thread, for backends whose runtime is Promise-only (used under JSPI). */
  computeAsync?(inputs: readonly BackendTensor[]): Promise<BackendTensor[]>;
  /** Frees the session. Idempotent. */
  release(): void;
}

export interface NnBackend {
  /** e.g. `onnxruntime-node`. */
  readonly name: string;
  /** How many builders (files) one model takes. */
  readonly builderCount: number;
  /** Element types this backend can hand to and take from its runtime. */
  supports(type: ElementType): boolean;
  /** Throws BackendError. */
  load(parts: readonly Uint8Array[], options: BackendOptions): BackendGraph;
  /** The same without blocking the thread, for backends whose runtime is Promise-only (used under JSPI). */
  loadAsync?(parts: readonly Uint8Array[], options: BackendOptions): Promise<BackendGraph>;
  /**
   * Why this backend cannot load anything here (its optional package is missing or changed), with
   * how to fix it; undefined when it can. For `wasi-edge devices` and `run`, before a guest asks.
   */
  unavailable(): string | undefined;
}

/**
 * Why a backend failed, in terms the graph layer maps onto error codes:
 * - `unavailable`: the backend cannot run at all here (package missing, API changed, not implemented)
 * - `invalid-model`: the bytes are not a model of this encoding
 * - `unsupported`: a well-formed model uses something this runtime does not implement
 * - `timeout`: the runtime did not answer within the configured time
 * - `runtime`: anything else the runtime reported (its message is kept)
 */
export type BackendErrorKind = 'unavailable' | 'invalid-model' | 'unsupported' | 'timeout' | 'runtime';

export class BackendError extends Error {
  constructor(
    readonly kind: BackendErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

/** What wasi:nn needs of the platform port: the blocking bridge for Promise-only runtimes. */
export interface NnPlatform {
  spawnSyncWorker: SyncWorkerFactory;
}
