/**
 * The vision backend interface: the pixel work behind wasi:vision, with no WIT in sight. The
 * provider (../provider.ts) validates arguments, keeps the image resources and their budgets, and
 * calls a backend for decoding, encoding, resizing, cropping, converting and packing tensors.
 *
 * Two backends: `typescript` (../backends/typescript.ts: the exact kernels of src/vision, which run
 * everywhere, browsers included) and `sharp` (./sharp.ts: libvips on Node, an optional package).
 * Every backend must give the bytes docs/vision.md defines for resize, crop, convert and to-tensor,
 * lossless PNG round trips, and JPEG within the tolerance stated there; test/contracts/ holds the
 * suite each one passes.
 */
import type { Rect } from '../crop.js';
import type { Format, Raster } from '../formats.js';
import type { ResizeMethod } from '../resize.js';
import type { TensorBytes, TensorSpec, ToTensorOptions } from '../to-tensor.js';

export type VisionBackendName = 'typescript' | 'sharp';

export interface VisionBackend {
  readonly name: VisionBackendName;
  /** What encodes PNG, for `describe` and the bench's figures (e.g. `fast-png`). */
  readonly pngEncoder: string;
  /** PNG or JPEG, recognised by signature; refuses more than `maxPixels` before allocating them. Throws VisionFailure. */
  decode(bytes: Uint8Array, maxPixels: number): Raster;
  /** A JPEG (an mjpeg frame); anything else is `decode-failed`. */
  decodeJpeg(bytes: Uint8Array, maxPixels: number): Raster;
  /** PNG of gray, rgb24 or rgba32 (other formats are converted first, alpha kept). */
  encodePng(r: Raster): Uint8Array;
  /** Baseline JPEG, quality 1 to 100 (already checked), alpha dropped. */
  encodeJpeg(r: Raster, quality: number): Uint8Array;
  /** A new packed raster of the same format (the caller checked the size). */
  resize(r: Raster, width: number, height: number, method: ResizeMethod): Raster;
  /** A view of the same bytes (no copy); throws out-of-bounds / invalid-argument. */
  crop(r: Raster, region: Rect): Raster;
  convert(r: Raster, format: Format): Raster;
  /**
   * Tensor bytes, in a buffer of their own that the caller may hand on without copying (to the
   * wasi:nn tensor, and from there to the runtime's input tensor).
   */
  toTensor(r: Raster, spec: TensorSpec, options?: ToTensorOptions): TensorBytes;
  /** Frees what the backend holds (a worker). Idempotent. */
  dispose(): void;
}
