/**
 * RGB(A) → any raster format: the one writer behind sensor frames (from the RGB a device renders),
 * wasi:vision conversions (from its RGBA hub) and the browser webcam (from a canvas's RGBA).
 * Colour by bt601.ts; alpha is the source's where both have it, 255 where only the target has it.
 * YUV: luma per pixel; chroma of each 2×1 (yuy2) or 2×2 (nv12, i420) block is the mean over the
 * pixels of the block that exist (odd sizes), rounded once; an odd-width yuy2 row ends with a half
 * pair whose spare luma repeats the last real pixel.
 */
import { cbOf, cbTerm, crOf, crTerm, grayOf, yOf } from './bt601.js';
import { CHANNEL_OFFSETS, FORMAT_PLANES, type PlaneLayout, type RasterFormat, planeHeight, rowBytes } from './formats.js';

/** Packed rows of RGB (3 channels) or RGBA (4), width × height pixels. */
export interface RgbSource {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: 3 | 4;
}

/**
 * Writes `src` as `format` into `dst` at `planes` (one per plane of the format). The bytes between
 * the end of a row and the next stride are set to 0, so a reused buffer never shows old pixels.
 */
export function writePixels(src: RgbSource, format: RasterFormat, dst: Uint8Array, planes: readonly PlaneLayout[]): void {
  const offs = CHANNEL_OFFSETS[format];
  if (offs) writeRgbFamily(src, format, offs, dst, planes[0]!);
  else if (format === 'yuy2') writeYuy2(src, dst, planes[0]!);
  else writePlanarYuv(src, format === 'nv12', dst, planes);
  FORMAT_PLANES[format].forEach((info, i) => {
    const { offset, stride } = planes[i]!;
    const row = rowBytes(info, src.width);
    if (stride === row) return;
    for (let y = 0, h = planeHeight(info, src.height); y < h; y++) dst.fill(0, offset + y * stride + row, offset + (y + 1) * stride);
  });
}

function writeRgbFamily(src: RgbSource, format: RasterFormat, offs: readonly [number, number, number, number], dst: Uint8Array, plane: PlaneLayout): void {
  const { data, width: w, height: h, channels: ch } = src;
  const bpp = FORMAT_PLANES[format][0]!.unitBytes;
  const [ro, go, bo, ao] = offs;
  const sameBytes = (format === 'rgb24' && ch === 3) || (format === 'rgba32' && ch === 4);
  for (let y = 0; y < h; y++) {
    let s = y * w * ch;
    let d = plane.offset + y * plane.stride;
    if (sameBytes) {
      dst.set(data.subarray(s, s + w * ch), d);
    } else if (format === 'gray') {
      for (let x = 0; x < w; x++, s += ch, d++) dst[d] = grayOf(data[s]!, data[s + 1]!, data[s + 2]!);
    } else {
      // Channel order (and alpha) in the inner loop; the alpha decision outside it.
      for (let x = 0; x < w; x++, s += ch, d += bpp) {
        dst[d + ro] = data[s]!;
        dst[d + go] = data[s + 1]!;
        dst[d + bo] = data[s + 2]!;
      }
      if (ao >= 0 && ch === 4) for (let x = 0, s = y * w * 4 + 3, d = plane.offset + y * plane.stride + ao; x < w; x++, s += 4, d += bpp) dst[d] = data[s]!;
      else if (ao >= 0) for (let x = 0, d = plane.offset + y * plane.stride + ao; x < w; x++, d += bpp) dst[d] = 255;
    }
  }
}

function writeYuy2(src: RgbSource, dst: Uint8Array, plane: PlaneLayout): void {
  const { data, width: w, height: h, channels: ch } = src;
  for (let y = 0; y < h; y++) {
    const row = y * w * ch;
    let d = plane.offset + y * plane.stride;
    for (let x = 0; x < w; x += 2, d += 4) {
      const s0 = row + x * ch;
      const s1 = x + 1 < w ? s0 + ch : s0;
      const r0 = data[s0]!, g0 = data[s0 + 1]!, b0 = data[s0 + 2]!;
      const r1 = data[s1]!, g1 = data[s1 + 1]!, b1 = data[s1 + 2]!;
      const n = s1 === s0 ? 1 : 2;
      dst[d] = yOf(r0, g0, b0);
      dst[d + 2] = yOf(r1, g1, b1);
      dst[d + 1] = cbOf(cbTerm(r0, g0, b0) + (n === 2 ? cbTerm(r1, g1, b1) : 0), n);
      dst[d + 3] = crOf(crTerm(r0, g0, b0) + (n === 2 ? crTerm(r1, g1, b1) : 0), n);
    }
  }
}

function writePlanarYuv(src: RgbSource, nv12: boolean, dst: Uint8Array, planes: readonly PlaneLayout[]): void {
  const { data, width: w, height: h, channels: ch } = src;
  const [yp, p1, p2] = planes;
  for (let y = 0; y < h; y++) {
    for (let x = 0, s = y * w * ch, d = yp!.offset + y * yp!.stride; x < w; x++, s += ch, d++) {
      dst[d] = yOf(data[s]!, data[s + 1]!, data[s + 2]!);
    }
  }
  for (let cy = 0; cy < Math.ceil(h / 2); cy++) {
    for (let cx = 0; cx < Math.ceil(w / 2); cx++) {
      let tb = 0, tr = 0, n = 0;
      for (let y = cy * 2; y < Math.min(cy * 2 + 2, h); y++) {
        for (let x = cx * 2; x < Math.min(cx * 2 + 2, w); x++, n++) {
          const s = (y * w + x) * ch;
          tb += cbTerm(data[s]!, data[s + 1]!, data[s + 2]!);
          tr += crTerm(data[s]!, data[s + 1]!, data[s + 2]!);
        }
      }
      if (nv12) {
        const o = p1!.offset + cy * p1!.stride + cx * 2;
        dst[o] = cbOf(tb, n);
        dst[o + 1] = crOf(tr, n);
      } else {
        dst[p1!.offset + cy * p1!.stride + cx] = cbOf(tb, n);
        dst[p2!.offset + cy * p2!.stride + cx] = crOf(tr, n);
      }
    }
  }
}
