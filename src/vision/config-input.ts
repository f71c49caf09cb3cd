/**
 * The `vision` section as a user writes it (a JSON file, or an object literal in TypeScript):
 * size limits only, every one optional (definition.ts parses them; docs/hardening.md lists them).
 * Above a limit the call fails with `too-large`.
 */
export interface VisionConfigInput {
  /** Pixels of one image: inputs, decoded files, resize and to-tensor targets (1 to 2^30). Default 4096 × 4096. */
  maxPixels?: number;
  /** Bytes of one input (`from-encoded`, `from-pixels`, by-value frames) (1 to 2^31). Default 64 MiB. */
  maxInputBytes?: number;
  /** Images open at once (1 to 2^20). Default 1024. */
  maxImages?: number;
  /** Pixel bytes all host-owned images hold together; host-memory frames are the pool's (1 to 2^40). Default 512 MiB. */
  maxLiveBytes?: number;
  /**
   * Who does the pixel work: `sharp` (libvips, the optional package sharp; Node), `typescript` (the
   * built-in kernels; browsers), or `auto` (the default: sharp where it is installed, else typescript).
   */
  backend?: 'auto' | 'sharp' | 'typescript';
}
