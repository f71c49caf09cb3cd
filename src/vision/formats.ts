/**
 * Pixel formats and the memory layout of a raster: how many planes a format has, how wide each
 * plane is, and where its rows are. Every op works on a `Raster` and knows nothing of WIT.
 */
import { VisionFailure } from './failure.js';

/** Formats an image can hold. `mjpeg` is only an input (decoded on the way in). */
export type Format = 'gray' | 'rgb24' | 'bgr24' | 'argb32' | 'abgr32' | 'yuy2' | 'rgba32' | 'nv12' | 'i420';
export type InputFormat = Format | 'mjpeg';

export const FORMATS: readonly Format[] = ['gray', 'rgb24', 'bgr24', 'argb32', 'abgr32', 'yuy2', 'rgba32', 'nv12', 'i420'];

/**
 * One plane of a format. A plane row holds ceil(width / xSub) "units" of `unitBytes` bytes, and
 * the plane has ceil(height / ySub) rows. For yuy2 a unit is a pixel pair (y0 u y1 v).
 */
export interface PlaneInfo {
  xSub: number;
  ySub: number;
  unitBytes: number;
}

const P = (xSub: number, ySub: number, unitBytes: number): PlaneInfo => ({ xSub, ySub, unitBytes });

export const FORMAT_PLANES: Readonly<Record<Format, readonly PlaneInfo[]>> = {
  gray: [P(1, 1, 1)],
  rgb24: [P(1, 1, 3)],
  bgr24: [P(1, 1, 3)],
  argb32: [P(1, 1, 4)],
  abgr32: [P(1, 1, 4)],
  rgba32: [P(1, 1, 4)],
  yuy2: [P(2, 1, 4)],
  nv12: [P(1, 1, 1), P(2, 2, 2)],
  i420: [P(1, 1, 1), P(2, 2, 1), P(2, 2, 1)],
};

/** Byte offsets of r, g, b, a (-1: none) inside a pixel of a packed RGB-family format. */
export const CHANNEL_OFFSETS: Readonly<Partial<Record<Format, readonly [number, number, number, number]>>> = {
  gray: [0, 0, 0, -1],
  rgb24: [0, 1, 2, -1],
  bgr24: [2, 1, 0, -1],
  argb32: [1, 2, 3, 0],
  abgr32: [3, 2, 1, 0],
  rgba32: [0, 1, 2, 3],
};

export function isYuv(f: Format): boolean {
  return f === 'yuy2' || f === 'nv12' || f === 'i420';
}

export interface PlaneLayout {
  offset: number;
  stride: number;
}

/** Pixels in (possibly shared, possibly strided) memory. */
export interface Raster {
  width: number;
  height: number;
  format: Format;
  data: Uint8Array;
  planes: PlaneLayout[];
}

export function planeWidth(info: PlaneInfo, width: number): number {
  return Math.ceil(width / info.xSub);
}

export function planeHeight(info: PlaneInfo, height: number): number {
  return Math.ceil(height / info.ySub);
}

export function rowBytes(info: PlaneInfo, width: number): number {
  return planeWidth(info, width) * info.unitBytes;
}

/** The tightly packed layout: planes back to back, stride = row length. */
export function packedPlanes(format: Format, width: number, height: number): PlaneLayout[] {
  let offset = 0;
  return FORMAT_PLANES[format].map((info) => {
    const stride = rowBytes(info, width);
    const plane = { offset, stride };
    offset += stride * planeHeight(info, height);
    return plane;
  });
}

export function packedSize(format: Format, width: number, height: number): number {
  return FORMAT_PLANES[format].reduce((n, info) => n + rowBytes(info, width) * planeHeight(info, height), 0);
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

/** The raster's pixels, tightly packed (a new buffer unless it already is one). */
export function packed(r: Raster, forceCopy = false): Raster {
  if (!forceCopy && isPacked(r)) return r;
  const out = allocRaster(r.format, r.width, r.height);
  FORMAT_PLANES[r.format].forEach((info, i) => {
    const src = r.planes[i]!;
    const dst = out.planes[i]!;
    const row = rowBytes(info, r.width);
    for (let y = 0, h = planeHeight(info, r.height); y < h; y++) {
      out.data.set(r.data.subarray(src.offset + y * src.stride, src.offset + y * src.stride + row), dst.offset + y * dst.stride);
    }
  });
  return out;
}
