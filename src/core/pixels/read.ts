/**
 * Any raster format → interleaved RGBA (the inverse of write.ts): colour by bt601.ts, alpha 255
 * where the format has none, each chroma sample shared by the pixels of its block.
 */
import { yuvToRgb } from './bt601.js';
import { CHANNEL_OFFSETS, FORMAT_PLANES, type PlaneLayout, type RasterFormat } from './formats.js';

/** `width`×`height` pixels of `format` in `data` at `planes`, as packed RGBA (width*height*4 bytes). */
export function readRgba(data: Uint8Array, format: RasterFormat, w: number, h: number, planes: readonly PlaneLayout[]): Uint8Array {
  const out = new Uint8Array(w * h * 4);
  const offs = CHANNEL_OFFSETS[format];
  if (offs) {
    const bpp = FORMAT_PLANES[format][0]!.unitBytes;
    const [ro, go, bo, ao] = offs;
    const { offset, stride } = planes[0]!;
    for (let y = 0, o = 0; y < h; y++) {
      for (let x = 0, s = offset + y * stride; x < w; x++, s += bpp, o += 4) {
        out[o] = data[s + ro]!;
        out[o + 1] = data[s + go]!;
        out[o + 2] = data[s + bo]!;
        out[o + 3] = ao < 0 ? 255 : data[s + ao]!;
      }
    }
    return out;
  }
  if (format === 'yuy2') {
    const { offset, stride } = planes[0]!;
    for (let y = 0, o = 0; y < h; y++) {
      for (let x = 0; x < w; x++, o += 4) {
        const pair = offset + y * stride + (x >> 1) * 4;
        yuvToRgb(data[pair + (x & 1) * 2]!, data[pair + 1]!, data[pair + 3]!, out, o);
        out[o + 3] = 255;
      }
    }
    return out;
  }
  const [yp, p1, p2] = planes;
  const nv12 = format === 'nv12';
  for (let y = 0, o = 0; y < h; y++) {
    const cy = y >> 1;
    for (let x = 0; x < w; x++, o += 4) {
      const cx = x >> 1;
      let u: number;
      let v: number;
      if (nv12) {
        const c = p1!.offset + cy * p1!.stride + cx * 2;
        u = data[c]!;
        v = data[c + 1]!;
      } else {
        u = data[p1!.offset + cy * p1!.stride + cx]!;
        v = data[p2!.offset + cy * p2!.stride + cx]!;
      }
      yuvToRgb(data[yp!.offset + y * yp!.stride + x]!, u, v, out, o);
      out[o + 3] = 255;
    }
  }
  return out;
}
