/**
 * The service the nn provider offers to wasi:vision: build a tensor of the provider's own
 * resource class (jco checks `instanceof` when a tensor crosses into the guest). (Owned by the nn issue.)
 */
import type { TensorType } from '../generated/interfaces/wasi-nn-tensor.js';

export interface NnTensorService {
  create(dimensions: Uint32Array | number[], type: TensorType, data: Uint8Array): unknown;
}
