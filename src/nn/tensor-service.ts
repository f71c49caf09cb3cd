/**
 * The service the nn provider offers to wasi:vision: build a tensor of the provider's own
 * resource class (jco checks `instanceof` when a tensor crosses into the guest). (Owned by the nn issue.)
 *
 * `create` never throws and does not validate, exactly like the WIT tensor constructor: a tensor
 * whose byte length does not match its dimensions and type is refused by the `compute` that uses
 * it (`invalid-argument`). The tensor keeps `data` without copying it: do not modify it afterwards.
 */
import type { TensorType } from '../generated/interfaces/wasi-nn-tensor.js';

export interface NnTensorService {
  create(dimensions: Uint32Array | number[], type: TensorType, data: Uint8Array): unknown;
}
