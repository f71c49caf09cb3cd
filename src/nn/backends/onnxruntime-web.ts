/**
 * ONNX Runtime Web (pure wasm) for browsers and for machines without the native package.
 * Its API is Promise-only, so from a synchronous wasi:nn import it would have to run in a worker
 * behind an `Atomics.wait` bridge (research/backends.md §1, jco.md §4).
 *
 * NOT IMPLEMENTED YET: selecting it (`nn.backend: "onnxruntime-web"`) makes every ONNX load fail
 * with `invalid-encoding` and this message, rather than silently using another backend.
 */
import { BackendError, type BackendGraph, type NnBackend } from './backend.js';

export const onnxruntimeWebBackend: NnBackend = {
  name: 'onnxruntime-web',
  builderCount: 1,
  supports: (type) => type !== 'bfloat16',
  load(): BackendGraph {
    throw new BackendError(
      'unavailable',
      'the onnxruntime-web backend (worker + Atomics.wait bridge) is not implemented yet; use nn.backend "onnxruntime-node"',
    );
  },
};
