/**
 * Pixel-format conversion through one hub, interleaved 8-bit RGBA: every format has a reader
 * (format → RGBA) and a writer (RGBA → format), so N formats need 2N functions, not N².
 * YUV is BT.601 limited range (what cameras emit for yuy2/nv12/i420); gray is full-range
 * BT.601 luma (JFIF). Chroma of a 2×1 or 2×2 block is the mean of the per-pixel chroma of the
 * pixels that exist (odd sizes), rounded once.
 */
import { CHANNEL_OFFSETS, FORMAT_PLANES, type Format, type Raster, allocRaster, packed, planeHeight, planeWidth } from './formats.js';

const KR = 0.299;
const KB = 0.114;
const KG = 1 - KR - KB;

const clamp8 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** Full-range BT.601 luma of an sRGB pixel (unrounded). */
export function luma(r: number, g: number, b: number): number {
  return KR * r + KG * g + KB * b;
}

/** Limited-range BT.601: Y in 16..235, Cb/Cr in 16..240 (unrounded). */
export function rgbToYuv(r: number, g: number, b: number): [number, number, number] {
  const l = luma(r, g, b);
  return [16 + (219 * l) / 255, 128 + (224 * (b - l)) / (2 * (1 - KB) * 255), 128 + (224 * (r - l)) / (2 * (1 - KR) * 255)];
}

const CY = 255 / 219;
const CR_R = (255 / 112) * (1 - KR);
const CB_B = (255 / 112) * (1 - KB);
const CB_G = (255 / 112) * (1 - KB) * (KB / KG);
const CR_G = (255 / 112) * (1 - KR) * (KR / KG);

/** Writes the RGB of limited-range BT.601 y, u, v into `out` at `o`. */
function yuvToRgb(y: number, u: number, v: number, out: Uint8Array, o: number): void {
  const c = CY * (y - 16);
  const d = u - 128;
  const e = v - 128;
  out[o] = clamp8(c + CR_R * e);
  out[o + 1] = clamp8(c - CB_G * d - CR_G * e);
  out[o + 2] = clamp8(c + CB_B * d);
  out[o + 3] = 255;
}

/** The raster as interleaved RGBA, width*height*4 bytes. */
export function toRgba(r: Raster): Uint8Array {
  const { width: w, height: h, data } = r;
  const out = new Uint8Array(w * h * 4);
  const offs = CHANNEL_OFFSETS[r.format];
  if (offs) {
    const bpp = FORMAT_PLANES[r.format][0]!.unitBytes;
    const [ro, go, bo, ao] = offs;
    const { offset, stride } = r.planes[0]!;
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
  if (r.format === 'yuy2') {
    const { offset, stride } = r.planes[0]!;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const pair = offset + y * stride + (x >> 1) * 4;
        yuvToRgb(data[pair + (x & 1) * 2]!, data[pair + 1]!, data[pair + 3]!, out, (y * w + x) * 4);
      }
    }
    return out;
  }
  const [yp, p1, p2] = r.planes;
  const nv12 = r.format === 'nv12';
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const cy = y >> 1;
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
      yuvToRgb(data[yp!.offset + y * yp!.stride + x]!, u, v, out, (y * w + x) * 4);
    }
  }
  return out;
}

/** A packed raster of `format` from interleaved RGBA (alpha is kept where the format has it). */
export function fromRgba(rgba: Uint8Array, w: number, h: number, format: Format): Raster {
  const out = allocRaster(format, w, h);
  const d = out.data;
  const offs = CHANNEL_OFFSETS[format];
  if (offs) {
    const bpp = FORMAT_PLANES[format][0]!.unitBytes;
    const [ro, go, bo, ao] = offs;
    for (let i = 0, o = 0, n = w * h; i < n; i++, o += bpp) {
      const s = i * 4;
      if (format === 'gray') {
        d[o] = clamp8(luma(rgba[s]!, rgba[s + 1]!, rgba[s + 2]!));
        continue;
      }
      d[o + ro] = rgba[s]!;
      d[o + go] = rgba[s + 1]!;
      d[o + bo] = rgba[s + 2]!;
      if (ao >= 0) d[o + ao] = rgba[s + 3]!;
    }
    return out;
  }
  // YUV: luma per pixel; chroma averaged over each block of existing pixels.
  const xSub = 2;
  const ySub = format === 'yuy2' ? 1 : 2;
  const cw = Math.ceil(w / xSub);
  const ch = Math.ceil(h / ySub);
  const Y = new Float64Array(w * h);
  const U = new Float64Array(cw * ch);
  const V = new Float64Array(cw * ch);
  const count = new Uint8Array(cw * ch);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = (y * w + x) * 4;
      const [yy, u, v] = rgbToYuv(rgba[s]!, rgba[s + 1]!, rgba[s + 2]!);
      Y[y * w + x] = yy;
      const c = Math.floor(y / ySub) * cw + Math.floor(x / xSub);
      U[c]! += u;
      V[c]! += v;
      count[c]!++;
    }
  }
  for (let c = 0; c < U.length; c++) {
    U[c] = clamp8(U[c]! / count[c]!);
    V[c] = clamp8(V[c]! / count[c]!);
  }
  if (format === 'yuy2') {
    const stride = out.planes[0]!.stride;
    for (let y = 0; y < h; y++) {
      for (let cx = 0; cx < cw; cx++) {
        const o = y * stride + cx * 4;
        const x = cx * 2;
        d[o] = clamp8(Y[y * w + x]!);
        // An odd width leaves the last pair half empty: repeat the real pixel's luma there.
        d[o + 2] = clamp8(Y[y * w + Math.min(x + 1, w - 1)]!);
        d[o + 1] = U[y * cw + cx]!;
        d[o + 3] = V[y * cw + cx]!;
      }
    }
    return out;
  }
  for (let i = 0; i < w * h; i++) d[i] = clamp8(Y[i]!);
  const [, p1, p2] = out.planes;
  for (let c = 0; c < cw * ch; c++) {
    if (format === 'nv12') {
      d[p1!.offset + c * 2] = U[c]!;
      d[p1!.offset + c * 2 + 1] = V[c]!;
    } else {
      d[p1!.offset + c] = U[c]!;
      d[p2!.offset + c] = V[c]!;
    }
  }
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
