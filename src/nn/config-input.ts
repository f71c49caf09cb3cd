/**
 * The `nn` section as a user writes it (a JSON file, or an object literal in TypeScript): every
 * key the parser (config.ts) accepts, optional where it has a default, so the compiler catches a
 * misspelt key, an unknown backend, encoding or target. Key by key: docs/nn.md, limits in
 * docs/hardening.md.
 */
import type { BackendName } from './backends/registry.js';
import type { Encoding, Target } from './config.js';

/** A model `load-by-name` can open. */
export interface NnModelInput {
  /** The model file, relative to the config file; it must exist. Required. */
  path: string;
  /** Its wasi:nn graph encoding. Default `autodetect`. */
  encoding?: Encoding;
  /** Where it runs. Default `cpu` (`gpu`/`tpu` are refused unless `cpuFallback`). */
  target?: Target;
}

/** Bounds on what a guest can make the nn host hold (docs/hardening.md); above them → `too-large`. */
export interface NnLimitsInput {
  /** Largest model `load` accepts (sum of builder bytes), and largest named model file. Default 256 MiB. */
  modelBytes?: number;
  /** Largest single input or output tensor, bytes. Default 64 MiB. */
  tensorBytes?: number;
  /** Bytes all live tensors of one host may hold together. Default 256 MiB. */
  liveTensorBytes?: number;
  /** Backend sessions (distinct loaded models) one host may hold at once (1 to 4096). Default 16. */
  maxGraphs?: number;
  /** Graph + execution-context handles a guest may hold at once (1 to 2^20). Default 1024. */
  maxHandles?: number;
}

export interface NnConfigInput {
  /**
   * What runs the `onnx` encoding: `onnxruntime-node` (native) or `onnxruntime-web` (wasm in a
   * worker, no native package). Default `onnxruntime-node`.
   */
  backend?: BackendName;
  /** ORT intra-op threads (1 to 256). Default 1: on small machines more threads were slower. */
  threads?: number;
  /**
   * Names for `load-by-name`: a model, or a bare path with the defaults. Given, they replace the
   * default set (`blazeface`, the shipped fixtures/models/blazeface-128.onnx); `{}` is none.
   */
  models?: Record<string, NnModelInput | string>;
  /** The names `load-by-name` may open (another configured name → `security`); `"*"` = all. Default `"*"`. */
  allow?: readonly string[] | '*';
  /** Whether `load` (model bytes from the guest) is permitted; `false` → `security`. Default `true`. */
  allowLoad?: boolean;
  /** Run `gpu`/`tpu` requests on the CPU instead of failing with `unsupported-operation`. Default `false`. */
  cpuFallback?: boolean;
  /**
   * Longest one compute may take on a backend that can stop it (onnxruntime-web), then `timeout`;
   * onnxruntime-node ignores it (1 to 86400000). Default 60000.
   */
  timeoutMs?: number;
  limits?: NnLimitsInput;
}
