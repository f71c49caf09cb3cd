/**
 * Pixel-format conversion through one hub, interleaved 8-bit RGBA: every format has a reader
 * (format → RGBA) and a writer (RGBA → format), so N formats need 2N functions, not N². Both are
 * the host's one pixel module (src/core/pixels/): YUV is BT.601 limited range (what cameras emit for
 * yuy2/nv12/i420), gray is full-range BT.601 luma (JFIF), chroma of a 2×1 or 2×2 block is the mean
 * of the per-pixel chroma of the pixels that exist (odd sizes), and every byte is rounded once,
 * half up, from the exact value (src/core/pixels/bt601.ts).
 */
import { readRgba, writePixels } from '../core/pixels/index.js';
import { FORMAT_PLANES, type Format, type Raster, allocRaster, packed, planeHeight, planeWidth } from './formats.js';

export { luma, rgbToYuv } from '../core/pixels/bt601.js';

/** The raster as interleaved RGBA, width*height*4 bytes. */
export function toRgba(r: Raster): Uint8Array {
  return readRgba(r.data, r.format, r.width, r.height, r.planes);
}

/** A packed raster of `format` from interleaved RGBA (alpha is kept where the format has it). */
export function fromRgba(rgba: Uint8Array, w: number, h: number, format: Format): Raster {
  const out = allocRaster(format, w, h);
  writePixels({ data: rgba, width: w, height: h, channels: 4 }, format, out.data, out.planes);
  return out;
}

/** The raster in `format`, tightly packed. Same format: a packed copy only if needed. */
export function convert(r: Raster, format: Format): Raster {
  if (r.format === format) return packed(r);
  return fromRgba(toRgba(r), r.width, r.height, format);
}

/** Plane sizes, exported for ops that walk planes. */
export function planeSize(r: Raster, i: number): [number, number] {
  const info = FORMAT_PLANES[r.format][i]!;
  return [planeWidth(info, r.width), planeHeight(info, r.height)];
}
