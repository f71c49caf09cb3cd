/**
 * Resizing. Each axis gets a table of (source index, weight) taps per destination index, and
 * every plane is resampled separably with those tables; results are rounded once, half up.
 * Pixel centres sit at half-integer positions (half-pixel centres, as OpenCV/Pillow/TF do):
 *   nearest   src = floor((d + 0.5) * scale), clamped
 *   bilinear  src = (d + 0.5) * scale - 0.5, clamped to the edge; 2 taps
 *   area      the interval [d * scale, (d + 1) * scale) weighted by overlap (box filter)
 * YUV formats are resized plane by plane (yuy2 is split into y, u, v planes first), so the
 * format never changes and chroma is never converted.
 */
import { FORMAT_PLANES, type Format, type Raster, allocRaster, planeHeight, planeWidth } from './formats.js';

export type ResizeMethod = 'nearest' | 'bilinear' | 'area';

/** Taps for one axis: destination d uses idx/weight[start[d] .. start[d+1]). */
export interface AxisTaps {
  start: Int32Array;
  idx: Int32Array;
  weight: Float64Array;
}

export function axisTaps(src: number, dst: number, method: ResizeMethod): AxisTaps {
  const scale = src / dst;
  const start = new Int32Array(dst + 1);
  const idx: number[] = [];
  const weight: number[] = [];
  for (let d = 0; d < dst; d++) {
    start[d] = idx.length;
    if (method === 'nearest') {
      idx.push(Math.min(Math.floor((d + 0.5) * scale), src - 1));
      weight.push(1);
    } else if (method === 'bilinear') {
      const s = Math.max((d + 0.5) * scale - 0.5, 0);
      const i0 = Math.min(Math.floor(s), src - 1);
      const i1 = Math.min(i0 + 1, src - 1);
      const f = s - i0;
      if (i1 === i0) {
        idx.push(i0);
        weight.push(1);
      } else {
        idx.push(i0, i1);
        weight.push(1 - f, f);
      }
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
  const tx = axisTaps(sw, dw, method);
  const ty = axisTaps(sh, dh, method);
  const acc = new Float64Array(channels);
  for (let y = 0; y < dh; y++) {
    const y0 = ty.start[y]!;
    const y1 = ty.start[y + 1]!;
    for (let x = 0; x < dw; x++) {
      const x0 = tx.start[x]!;
      const x1 = tx.start[x + 1]!;
      acc.fill(0);
      for (let j = y0; j < y1; j++) {
        const wy = ty.weight[j]!;
        if (wy === 0) continue;
        const row = offset + ty.idx[j]! * stride;
        for (let i = x0; i < x1; i++) {
          const w = wy * tx.weight[i]!;
          if (w === 0) continue;
          const s = row + tx.idx[i]! * channels;
          for (let c = 0; c < channels; c++) acc[c]! += w * src[s + c]!;
        }
      }
      const o = outOffset + (y * dw + x) * channels;
      for (let c = 0; c < channels; c++) {
        const v = Math.round(acc[c]!);
        out[o + c] = v < 0 ? 0 : v > 255 ? 255 : v;
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
