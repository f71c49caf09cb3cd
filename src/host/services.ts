/**
 * Typed services that providers offer each other inside one host, so that no provider imports
 * another's internals: e.g. wasi:vision wraps a wasi:buffer-pool host-memory frame without a copy,
 * and produces wasi:nn tensors that the nn provider's `compute` accepts.
 * Each interface fills in its own member when it is created; the host creates them in the order
 * sensor → i2c → spi → nn → vision.
 */
import type { HostFrameService } from '../sensor/host-frames.js';
import type { NnTensorService } from '../nn/tensor-service.js';

export interface HostServices {
  /** Set by the sensor provider: resolves a `memory` handle to its host-side pixels. */
  frames?: HostFrameService;
  /** Set by the nn provider: creates tensors of the provider's own resource class. */
  nnTensors?: NnTensorService;
  counters: {
    /** Bytes of raw pixel data copied into guest memory (by-value frames, `image.read`). */
    pixelBytesLowered: number;
    /** Bytes of encoded images (PNG, JPEG) the guest asked for with `image.encode`: not pixels. */
    encodedBytesLowered: number;
  };
}
