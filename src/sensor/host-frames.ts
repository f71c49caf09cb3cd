/**
 * The service the sensor provider offers to wasi:vision: access to the pixels behind a
 * `wasi:buffer-pool` `memory` handle without copying them. (Owned by the sensor issue; the
 * meaning of `memory` is in docs/spec-notes/sensor.md › host-memory.)
 */
import type { Dimension } from '../generated/interfaces/wasi-buffer-pool-data-types.js';

export interface HostFrame {
  /** The frame's layout (for mjpeg: width and height, stride 0, `bytes` is the JPEG). */
  dimension: Dimension;
  /**
   * The pixels, stride-aware, owned by the pool. Valid (and unchanged) until the memory handle is
   * invalidated or dropped; read-only for the caller. Keep the `memory` alive (or copy) if you need
   * the pixels longer.
   */
  bytes: Uint8Array;
}

export interface HostFrameService {
  /**
   * The frame behind a `memory` resource object as jco passes it to an import (the same JS object
   * the provider returned), or undefined if it is not one of ours or was invalidated/dropped.
   */
  resolve(memory: unknown): HostFrame | undefined;
}
