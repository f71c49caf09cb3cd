/**
 * Resizing. Nearest and area give each axis a table of (source index, weight) taps per destination
 * index and resample every plane with those tables; bilinear (the common camera → model case) has
 * a dedicated loop. Results are rounded once, half up.
 * Pixel centres sit at half-integer positions (half-pixel centres, as OpenCV/Pillow/TF do):
 *   nearest   src = floor((d + 0.5) * scale), clamped
 *   bilinear  src = (d + 0.5) * scale - 0.5, clamped to the edge; 2 taps
 *   area      the interval [d * scale, (d + 1) * scale) weighted by overlap (box filter)
 * YUV formats are resized plane by plane (yuy2 is split into y, u, v planes first), so the
 * format never changes and chroma is never converted.
 */
import { FORMAT_PLANES, type Format, type Raster, allocRaster, packed, planeHeight, planeWidth } from './formats.js';

export type ResizeMethod = 'nearest' | 'bilinear' | 'area';

/** Taps for one axis: destination d uses idx/weight[start[d] .. start[d+1]). */
export interface AxisTaps {
  start: Int32Array;
  idx: Int32Array;
  weight: Float64Array;
}

/** Taps for nearest and area (bilinear has its own loop, bilinearPlane). */
export function axisTaps(src: number, dst: number, method: Exclude<ResizeMethod, 'bilinear'>): AxisTaps {
  const scale = src / dst;
  const start = new Int32Array(dst + 1);
  const idx: number[] = [];
  const weight: number[] = [];
  for (let d = 0; d < dst; d++) {
    start[d] = idx.length;
    if (method === 'nearest') {
      idx.push(Math.min(Math.floor((d + 0.5) * scale), src - 1));
      weight.push(1);
    } else {
      const a = d * scale;
      const b = Math.min((d + 1) * scale, src);
      for (let i = Math.floor(a); i < b; i++) {
        const w = Math.min(i + 1, b) - Math.max(i, a);
        if (w > 0) {
          idx.push(i);
          weight.push(w / (b - a));
        }
      }
    }
  }
  start[dst] = idx.length;
  return { start, idx: Int32Array.from(idx), weight: Float64Array.from(weight) };
}

/**
 * Resamples one interleaved plane of `channels` bytes per unit from (sw × sh, at offset/stride
 * in `src`) into a packed `dw × dh` plane of `out` at `outOffset`.
 */
export function resamplePlane(
  src: Uint8Array, offset: number, stride: number, sw: number, sh: number, channels: number,
  out: Uint8Array, outOffset: number, dw: number, dh: number, method: ResizeMethod,
): void {
  if (method === 'bilinear') {
    bilinearPlane(src, offset, stride, sw, sh, channels, out, outOffset, dw, dh);
    return;
  }
  const tx = axisTaps(sw, dw, method);
  const ty = axisTaps(sh, dh, method);
  const { start: xs, idx: xi, weight: xw } = tx;
  const { start: ys, idx: yi, weight: yw } = ty;
  // Source byte offset of each x tap (index * channels), so the inner loop only adds.
  const xo = new Int32Array(xi.length);
  for (let i = 0; i < xi.length; i++) xo[i] = xi[i]! * channels;
  for (let y = 0; y < dh; y++) {
    const y0 = ys[y]!;
    const y1 = ys[y + 1]!;
    let o = outOffset + y * dw * channels;
    for (let x = 0; x < dw; x++) {
      const x0 = xs[x]!;
      const x1 = xs[x + 1]!;
      for (let c = 0; c < channels; c++, o++) {
        // A scalar accumulator per channel: V8 keeps it in a register.
        let acc = 0;
        for (let j = y0; j < y1; j++) {
          const row = offset + yi[j]! * stride + c;
          let line = 0;
          for (let i = x0; i < x1; i++) line += xw[i]! * src[row + xo[i]!]!;
          acc += yw[j]! * line;
        }
        const v = Math.round(acc);
        out[o] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
}

/** Bilinear coordinates of one axis: the two source indices and the weight of the second. */
export function bilinearAxis(src: number, dst: number): { i0: Int32Array; i1: Int32Array; f: Float64Array } {
  const i0 = new Int32Array(dst);
  const i1 = new Int32Array(dst);
  const f = new Float64Array(dst);
  const scale = src / dst;
  for (let d = 0; d < dst; d++) {
    const s = Math.max((d + 0.5) * scale - 0.5, 0);
    const a = Math.min(Math.floor(s), src - 1);
    const b = Math.min(a + 1, src - 1);
    i0[d] = a;
    i1[d] = b;
    f[d] = b === a ? 0 : s - a;
  }
  return { i0, i1, f };
}

/**
 * The same taps as axisTaps(…, 'bilinear'), written out: the common case (camera frame → model
 * input) is worth a loop without tap tables (about 3x faster in V8).
 */
function bilinearPlane(
  src: Uint8Array, offset: number, stride: number, sw: number, sh: number, channels: number,
  out: Uint8Array, outOffset: number, dw: number, dh: number,
): void {
  const X = bilinearAxis(sw, dw);
  const Y = bilinearAxis(sh, dh);
  const xa = new Int32Array(dw);
  const xb = new Int32Array(dw);
  for (let x = 0; x < dw; x++) {
    xa[x] = X.i0[x]! * channels;
    xb[x] = X.i1[x]! * channels;
  }
  let o = outOffset;
  for (let y = 0; y < dh; y++) {
    const r0 = offset + Y.i0[y]! * stride;
    const r1 = offset + Y.i1[y]! * stride;
    const fy = Y.f[y]!;
    if (channels === 3) {
      // Unrolled for the common packed-RGB case. A convex combination of bytes stays in 0..255,
      // and for v >= 0, (v + 0.5) | 0 is Math.round(v).
      for (let x = 0; x < dw; x++, o += 3) {
        const fx = X.f[x]!;
        const a = r0 + xa[x]!, b = r0 + xb[x]!, d = r1 + xa[x]!, e = r1 + xb[x]!;
        for (let c = 0; c < 3; c++) {
          const p = src[a + c]!;
          const q = src[d + c]!;
          const top = p + (src[b + c]! - p) * fx;
          const bottom = q + (src[e + c]! - q) * fx;
          out[o + c] = (top + (bottom - top) * fy + 0.5) | 0;
        }
      }
      continue;
    }
    for (let x = 0; x < dw; x++) {
      const fx = X.f[x]!;
      const a = xa[x]!;
      const b = xb[x]!;
      for (let c = 0; c < channels; c++, o++) {
        const p = src[r0 + a + c]!;
        const q = src[r1 + a + c]!;
        const top = p + (src[r0 + b + c]! - p) * fx;
        const bottom = q + (src[r1 + b + c]! - q) * fx;
        const v = Math.round(top + (bottom - top) * fy);
        out[o] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
}

/** yuy2 ↔ three planes (y: w×h, u and v: ceil(w/2)×h), so it can be resampled like i422. */
function splitYuy2(r: Raster): { y: Uint8Array; u: Uint8Array; v: Uint8Array; cw: number } {
  const { width: w, height: h, data } = r;
  const cw = Math.ceil(w / 2);
  const y = new Uint8Array(w * h);
  const u = new Uint8Array(cw * h);
  const v = new Uint8Array(cw * h);
  const { offset, stride } = r.planes[0]!;
  for (let row = 0; row < h; row++) {
    for (let cx = 0; cx < cw; cx++) {
      const s = offset + row * stride + cx * 4;
      y[row * w + cx * 2] = data[s]!;
      if (cx * 2 + 1 < w) y[row * w + cx * 2 + 1] = data[s + 2]!;
      u[row * cw + cx] = data[s + 1]!;
      v[row * cw + cx] = data[s + 3]!;
    }
  }
  return { y, u, v, cw };
}

function resizeYuy2(r: Raster, dw: number, dh: number, method: ResizeMethod): Raster {
  const { y, u, v, cw } = splitYuy2(r);
  const dcw = Math.ceil(dw / 2);
  const ry = new Uint8Array(dw * dh);
  const ru = new Uint8Array(dcw * dh);
  const rv = new Uint8Array(dcw * dh);
  resamplePlane(y, 0, r.width, r.width, r.height, 1, ry, 0, dw, dh, method);
  resamplePlane(u, 0, cw, cw, r.height, 1, ru, 0, dcw, dh, method);
  resamplePlane(v, 0, cw, cw, r.height, 1, rv, 0, dcw, dh, method);
  const out = allocRaster('yuy2', dw, dh);
  const stride = out.planes[0]!.stride;
  for (let row = 0; row < dh; row++) {
    for (let cx = 0; cx < dcw; cx++) {
      const o = row * stride + cx * 4;
      out.data[o] = ry[row * dw + cx * 2]!;
      out.data[o + 2] = ry[row * dw + Math.min(cx * 2 + 1, dw - 1)]!;
      out.data[o + 1] = ru[row * dcw + cx]!;
      out.data[o + 3] = rv[row * dcw + cx]!;
    }
  }
  return out;
}

/** A new packed raster of `dw × dh` in the same format. */
export function resize(r: Raster, dw: number, dh: number, method: ResizeMethod): Raster {
  // Every method is the identity at the same size; copying also keeps bytes no pixel owns
  // (the spare luma of an odd-width yuy2 row) as they were.
  if (dw === r.width && dh === r.height) return packed(r, true);
  if (r.format === 'yuy2') return resizeYuy2(r, dw, dh, method);
  const out = allocRaster(r.format, dw, dh);
  FORMAT_PLANES[r.format as Format].forEach((info, i) => {
    const src = r.planes[i]!;
    resamplePlane(
      r.data, src.offset, src.stride, planeWidth(info, r.width), planeHeight(info, r.height), info.unitBytes,
      out.data, out.planes[i]!.offset, planeWidth(info, dw), planeHeight(info, dh), method,
    );
  });
  return out;
}
