/**
 * The pixel formats of wasi:buffer-pool's `pixel-format` enum, by their WIT names. Interfaces that
 * exchange frames (sensor, vision) speak these; each provider checks at compile time that this
 * list equals the one jco generated from wit/ (see `src/core/type-equal.ts`).
 */
export const PIXEL_FORMATS = ['gray', 'rgb24', 'bgr24', 'argb32', 'abgr32', 'yuy2', 'mjpeg'] as const;
export type PixelFormat = (typeof PIXEL_FORMATS)[number];
