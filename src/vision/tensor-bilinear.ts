/**
 * to-tensor's common case in one pass: a packed RGB-family or gray image, resized bilinearly and
 * normalised straight into the tensor's values, without the intermediate resized image. It gives
 * the very bytes of the composition to-tensor is defined as (resize.ts's bilinear, rounded half up
 * to 8 bits, then the channel pick and the normalisation table): each sample is the same
 * expression on the same doubles, only nothing is stored between the steps. Camera frame → model
 * input is the path every frame takes, so it is worth its own loop (docs/vision.md, "to-tensor").
 */
import { grayOf } from '../core/pixels/bt601.js';
import { CHANNEL_OFFSETS, FORMAT_PLANES, type Raster } from './formats.js';
import { bilinearAxis } from './resize.js';

export interface TensorTarget {
  width: number;
  height: number;
  /** Tensor channels: 3 (the picks below, in order) or 1 (BT.601 luma). */
  channels: 1 | 3;
  /** Source byte offsets within a pixel of the three tensor channels (rgb or bgr order). */
  picks: readonly [number, number, number];
  /** sample → value for tensor channel k at k * 256. */
  table: Float32Array;
  /** NHWC: channels apart by 1, pixels by `channels`; NCHW: channels apart by width × height, pixels by 1. */
  pixelStep: number;
  channelStep: number;
}

/** Whether `r` can take the one-pass path: one packed-pixel plane with R, G and B at known offsets. */
export function fusable(r: Raster): boolean {
  return CHANNEL_OFFSETS[r.format] !== undefined && FORMAT_PLANES[r.format].length === 1;
}

/** Writes the tensor values of `r` resized to `t.width × t.height` into `values`. */
export function bilinearTensor(r: Raster, t: TensorTarget, values: Float32Array): void {
  const { width: w, height: h, pixelStep, channelStep, table } = t;
  const bpp = FORMAT_PLANES[r.format][0]!.unitBytes;
  const [ro, go, bo] = CHANNEL_OFFSETS[r.format]!;
  const [p0, p1, p2] = t.picks;
  const { offset, stride } = r.planes[0]!;
  const src = r.data;
  const X = bilinearAxis(r.width, w);
  const Y = bilinearAxis(r.height, h);
  const xa = new Int32Array(w);
  const xb = new Int32Array(w);
  for (let x = 0; x < w; x++) {
    xa[x] = X.i0[x]! * bpp;
    xb[x] = X.i1[x]! * bpp;
  }
  const fxs = X.f;
  const c1 = channelStep, c2 = 2 * channelStep;
  // An integer shrink along x (640 → 128: every source x lands on a pixel centre) has only zero x
  // weights, and p + (b - p) * 0 is p exactly: the two right-hand loads and lerps can go.
  if (t.channels === 3 && fxs.every((f) => f === 0)) {
    for (let y = 0; y < h; y++) {
      const r0 = offset + Y.i0[y]! * stride;
      const r1 = offset + Y.i1[y]! * stride;
      const fy = Y.f[y]!;
      let o = y * w * pixelStep;
      for (let x = 0; x < w; x++, o += pixelStep) {
        const a = r0 + xa[x]!, d = r1 + xa[x]!;
        let p = src[a + p0]!;
        values[o] = table[(p + (src[d + p0]! - p) * fy + 0.5) | 0]!;
        p = src[a + p1]!;
        values[o + c1] = table[256 + ((p + (src[d + p1]! - p) * fy + 0.5) | 0)]!;
        p = src[a + p2]!;
        values[o + c2] = table[512 + ((p + (src[d + p2]! - p) * fy + 0.5) | 0)]!;
      }
    }
    return;
  }
  for (let y = 0; y < h; y++) {
    const r0 = offset + Y.i0[y]! * stride;
    const r1 = offset + Y.i1[y]! * stride;
    const fy = Y.f[y]!;
    let o = y * w * pixelStep;
    for (let x = 0; x < w; x++, o += pixelStep) {
      const fx = fxs[x]!;
      const a = r0 + xa[x]!, b = r0 + xb[x]!, d = r1 + xa[x]!, e = r1 + xb[x]!;
      // Each sample as resize.ts computes it: lerp along x on both rows, then along y, + 0.5, truncated.
      if (t.channels === 3) {
        let p = src[a + p0]!, q = src[d + p0]!;
        let top = p + (src[b + p0]! - p) * fx, bottom = q + (src[e + p0]! - q) * fx;
        values[o] = table[(top + (bottom - top) * fy + 0.5) | 0]!;
        p = src[a + p1]!, q = src[d + p1]!;
        top = p + (src[b + p1]! - p) * fx, bottom = q + (src[e + p1]! - q) * fx;
        values[o + c1] = table[256 + ((top + (bottom - top) * fy + 0.5) | 0)]!;
        p = src[a + p2]!, q = src[d + p2]!;
        top = p + (src[b + p2]! - p) * fx, bottom = q + (src[e + p2]! - q) * fx;
        values[o + c2] = table[512 + ((top + (bottom - top) * fy + 0.5) | 0)]!;
      } else {
        let p = src[a + ro]!, q = src[d + ro]!;
        let top = p + (src[b + ro]! - p) * fx, bottom = q + (src[e + ro]! - q) * fx;
        const red = (top + (bottom - top) * fy + 0.5) | 0;
        p = src[a + go]!, q = src[d + go]!;
        top = p + (src[b + go]! - p) * fx, bottom = q + (src[e + go]! - q) * fx;
        const green = (top + (bottom - top) * fy + 0.5) | 0;
        p = src[a + bo]!, q = src[d + bo]!;
        top = p + (src[b + bo]! - p) * fx, bottom = q + (src[e + bo]! - q) * fx;
        values[o] = table[grayOf(red, green, (top + (bottom - top) * fy + 0.5) | 0)]!;
      }
    }
  }
}
