/**
 * The service the sensor provider offers to wasi:vision: access to the pixels behind a
 * `wasi:buffer-pool` `memory` handle without copying them. (Owned by the sensor issue.)
 */
import type { Dimension } from '../generated/interfaces/wasi-buffer-pool-data-types.js';

export interface HostFrame {
  dimension: Dimension;
  /** The pixels, stride-aware, owned by the pool until the memory handle is released. */
  bytes: Uint8Array;
}

export interface HostFrameService {
  /** The frame behind a `memory` resource object, or undefined if it is not one of ours or was invalidated. */
  resolve(memory: unknown): HostFrame | undefined;
}
