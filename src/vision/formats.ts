/**
 * Pixel formats and the memory layout of a raster: how many planes a format has, how wide each
 * plane is, and where its rows are. Every op works on a `Raster` and knows nothing of WIT.
 */
import { VisionFailure } from './failure.js';
import {
  CHANNEL_OFFSETS, FORMAT_PLANES, RASTER_FORMATS, type PlaneInfo, type PlaneLayout, type RasterFormat,
  isYuv, packedPlanes, packedSize, planeHeight, planeWidth, rowBytes,
} from '../core/pixels/formats.js';

export { CHANNEL_OFFSETS, FORMAT_PLANES, isYuv, packedPlanes, packedSize, planeHeight, planeWidth, rowBytes, type PlaneInfo, type PlaneLayout };

/** Formats an image can hold (the host's raster formats, src/core/pixels/). `mjpeg` is only an input (decoded on the way in). */
export type Format = RasterFormat;
export type InputFormat = Format | 'mjpeg';

export const FORMATS: readonly Format[] = RASTER_FORMATS;

/** Pixels in (possibly shared, possibly strided) memory. */
export interface Raster {
  width: number;
  height: number;
  format: Format;
  data: Uint8Array;
  planes: PlaneLayout[];
}

/** A new zeroed raster, tightly packed. */
export function allocRaster(format: Format, width: number, height: number): Raster {
  return { width, height, format, data: new Uint8Array(packedSize(format, width, height)), planes: packedPlanes(format, width, height) };
}

/**
 * Checks that `planes` (empty = packed) describe `width`×`height` pixels of `format` inside a
 * buffer of `length` bytes: right plane count, strides at least one row, last row in bounds.
 */
export function checkLayout(format: Format, width: number, height: number, planes: PlaneLayout[], length: number): PlaneLayout[] {
  if (width === 0 || height === 0) throw new VisionFailure('invalid-argument', `empty image ${width}x${height}`);
  const infos = FORMAT_PLANES[format];
  const layout = planes.length === 0 ? packedPlanes(format, width, height) : planes;
  if (layout.length !== infos.length) {
    throw new VisionFailure('invalid-argument', `${format} has ${infos.length} plane(s), got ${layout.length}`);
  }
  infos.forEach((info, i) => {
    const { offset, stride } = layout[i]!;
    const row = rowBytes(info, width);
    if (stride < row) throw new VisionFailure('invalid-argument', `plane ${i}: stride ${stride} is shorter than a row (${row} bytes)`);
    const end = offset + stride * (planeHeight(info, height) - 1) + row;
    if (end > length) throw new VisionFailure('invalid-argument', `plane ${i} needs ${end} bytes, data has ${length}`);
  });
  return layout.map((p) => ({ offset: p.offset, stride: p.stride }));
}

export function isPacked(r: Raster): boolean {
  const packed = packedPlanes(r.format, r.width, r.height);
  return r.planes.every((p, i) => p.offset === packed[i]!.offset && p.stride === packed[i]!.stride) &&
    r.data.length === packedSize(r.format, r.width, r.height);
}

/**
 * The raster's pixels, tightly packed (a new buffer unless it already is one). `allocate` gives
 * the new buffer (a recycled one, whose contents are unspecified: every byte is written here);
 * without it the buffer is allocated afresh.
 */
export function packed(r: Raster, forceCopy = false, allocate?: (byteLength: number) => ArrayBuffer): Raster {
  if (!forceCopy && isPacked(r)) return r;
  const size = packedSize(r.format, r.width, r.height);
  const layout = packedPlanes(r.format, r.width, r.height);
  const out: Raster = { width: r.width, height: r.height, format: r.format, data: allocate ? new Uint8Array(allocate(size), 0, size) : new Uint8Array(size), planes: layout };
  FORMAT_PLANES[r.format].forEach((info, i) => {
    const src = r.planes[i]!;
    const dst = layout[i]!;
    const row = rowBytes(info, r.width);
    const h = planeHeight(info, r.height);
    // Rows back to back in the source too: one copy of the whole plane, not one per row.
    if (src.stride === row) {
      out.data.set(r.data.subarray(src.offset, src.offset + row * h), dst.offset);
      return;
    }
    for (let y = 0; y < h; y++) {
      out.data.set(r.data.subarray(src.offset + y * src.stride, src.offset + y * src.stride + row), dst.offset + y * dst.stride);
    }
  });
  return out;
}
