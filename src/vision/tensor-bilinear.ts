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

type Axis = ReturnType<typeof bilinearAxis>;

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
  /**
   * Set when every table entry is sample × scale for this f32 scale (scale-offset with offset +0): then
   * the f32 product is the table's value (the double product of 8 and 24 significant bits is exact and
   * is rounded once either way), which the SIMD kernel computes instead of looking it up.
   */
  scale?: number;
}

/** Whether `r` can take the one-pass path: one packed-pixel plane with R, G and B at known offsets. */
export function fusable(r: Raster): boolean {
  return CHANNEL_OFFSETS[r.format] !== undefined && FORMAT_PLANES[r.format].length === 1;
}

/** The taps of one resize, as both loops (and the SIMD kernel) read them. */
export interface BilinearGeometry {
  x: Axis;
  y: Axis;
  /** Source byte offsets (index × bytes per pixel) of each column's two taps. */
  xa: Int32Array;
  xb: Int32Array;
  /** Bits of the dyadic weights (dyadicBits), when both axes have them; then fxi, fyi = weights × 2^k. */
  kx?: number;
  ky?: number;
  fxi?: Int32Array;
  fyi?: Int32Array;
}

/**
 * Taps per (source size, tensor size, bytes per pixel), kept for the next call: a camera sends the
 * same size frame after frame, and the taps cost a tenth of the SIMD loop. A few sizes at a time.
 */
const geometries = new Map<string, BilinearGeometry>();
const MAX_GEOMETRIES = 16;
let last: { sw: number; sh: number; dw: number; dh: number; bpp: number; g: BilinearGeometry } | undefined;

function bilinearGeometry(sw: number, sh: number, dw: number, dh: number, bpp: number): BilinearGeometry {
  // The same size as the last call (frame after frame) is found without making the key.
  if (last && last.sw === sw && last.sh === sh && last.dw === dw && last.dh === dh && last.bpp === bpp) return last.g;
  const key = `${sw} ${sh} ${dw} ${dh} ${bpp}`;
  let g = geometries.get(key);
  if (!g) {
    if (geometries.size >= MAX_GEOMETRIES) geometries.clear();
    geometries.set(key, (g = makeGeometry(sw, sh, dw, dh, bpp)));
  }
  last = { sw, sh, dw, dh, bpp, g };
  return g;
}

function makeGeometry(sw: number, sh: number, dw: number, dh: number, bpp: number): BilinearGeometry {
  const x = bilinearAxis(sw, dw), y = bilinearAxis(sh, dh);
  const xa = Int32Array.from(x.i0, (i) => i * bpp);
  const xb = Int32Array.from(x.i1, (i) => i * bpp);
  const kx = dyadicBits(x.f), ky = dyadicBits(y.f);
  return kx !== undefined && ky !== undefined
    ? { x, y, xa, xb, kx, ky, fxi: Int32Array.from(x.f, (f) => f * 2 ** kx), fyi: Int32Array.from(y.f, (f) => f * 2 ** ky) }
    : { x, y, xa, xb };
}

/** The taps for resizing `r` to the tensor's size. */
export function geometryFor(r: Raster, t: TensorTarget): BilinearGeometry {
  return bilinearGeometry(r.width, r.height, t.width, t.height, FORMAT_PLANES[r.format][0]!.unitBytes);
}

/**
 * Writes the tensor values of `r` resized to `t.width × t.height` into `values`, in TypeScript
 * (the SIMD kernel, ./simd/kernel.ts, computes the same values where the engine runs it).
 */
export function bilinearTensor(r: Raster, t: TensorTarget, values: Float32Array, g = geometryFor(r, t)): void {
  const { width: w, height: h, pixelStep, channelStep, table } = t;
  const [ro, go, bo] = CHANNEL_OFFSETS[r.format]!;
  const [p0, p1, p2] = t.picks;
  const { offset, stride } = r.planes[0]!;
  const src = r.data;
  const { x: X, y: Y, xa, xb } = g;
  if (g.kx !== undefined && g.ky !== undefined) {
    integerLoop(src, offset, stride, g, t, [ro, go, bo], values);
    return;
  }
  const fxs = X.f;
  const c1 = channelStep, c2 = 2 * channelStep;
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

/** Bits below the binary point of the weights, when every weight is a multiple of 2^-k for some k <= 11. */
export function dyadicBits(weights: Float64Array): number | undefined {
  for (let k = 0; k <= 11; k++) {
    const scale = 2 ** k;
    if (weights.every((f) => Number.isInteger(f * scale))) return k;
  }
  return undefined;
}

/**
 * The same samples in integers, for weights that are multiples of 2^-kx and 2^-ky (every integer
 * and most camera-to-model ratios: 640 → 128 along x has weight 0, 480 → 128 along y eighths).
 * Then every step of the double expression is exact (at most 8 + 11 + 11 significant bits), so
 * floor(v + 0.5) computed on the integers v · 2^(kx+ky) is the very byte the doubles give, and
 * V8 runs integer arithmetic about twice as fast as the double one with its conversions.
 */
function integerLoop(
  src: Uint8Array, offset: number, stride: number, g: BilinearGeometry, t: TensorTarget, rgb: readonly [number, number, number], values: Float32Array,
): void {
  const { width: w, height: h, pixelStep, channelStep, table } = t;
  const [p0, p1, p2] = t.picks;
  const [ro, go, bo] = rgb;
  const { y: Y, xa, xb } = g;
  const kx = g.kx!, ky = g.ky!, fxi = g.fxi!, fyi = g.fyi!;
  const shift = kx + ky;
  const half = (1 << shift) >> 1;
  const c1 = channelStep, c2 = 2 * channelStep;
  if (kx === 0 && t.channels === 3 && fxi.every((f) => f === 0)) {
    // An odd integer shrink along x (640 → 128) puts every source x on a pixel centre: weight 0,
    // top = p and bottom = q exactly, so the right-hand loads go too.
    for (let y = 0; y < h; y++) {
      const r0 = offset + Y.i0[y]! * stride;
      const r1 = offset + Y.i1[y]! * stride;
      const fy = fyi[y]!;
      let o = y * w * pixelStep;
      for (let x = 0; x < w; x++, o += pixelStep) {
        const a = r0 + xa[x]!, d = r1 + xa[x]!;
        let p = src[a + p0]!;
        values[o] = table[((p << ky) + (src[d + p0]! - p) * fy + half) >> shift]!;
        p = src[a + p1]!;
        values[o + c1] = table[256 + (((p << ky) + (src[d + p1]! - p) * fy + half) >> shift)]!;
        p = src[a + p2]!;
        values[o + c2] = table[512 + (((p << ky) + (src[d + p2]! - p) * fy + half) >> shift)]!;
      }
    }
    return;
  }
  // Along x on both rows (top, bottom: scaled by 2^kx), then along y (scaled by 2^(kx+ky)), rounded
  // half up. Written out per channel: as a helper function the loop ran several times slower.
  for (let y = 0; y < h; y++) {
    const r0 = offset + Y.i0[y]! * stride;
    const r1 = offset + Y.i1[y]! * stride;
    const fy = fyi[y]!;
    let o = y * w * pixelStep;
    if (t.channels === 1) {
      for (let x = 0; x < w; x++, o += pixelStep) {
        const fx = fxi[x]!;
        const a = r0 + xa[x]!, b = r0 + xb[x]!, d = r1 + xa[x]!, e = r1 + xb[x]!;
        let pa = src[a + ro]!, pd = src[d + ro]!;
        let top = (pa << kx) + (src[b + ro]! - pa) * fx, bottom = (pd << kx) + (src[e + ro]! - pd) * fx;
        const red = ((top << ky) + (bottom - top) * fy + half) >> shift;
        pa = src[a + go]!, pd = src[d + go]!;
        top = (pa << kx) + (src[b + go]! - pa) * fx, bottom = (pd << kx) + (src[e + go]! - pd) * fx;
        const green = ((top << ky) + (bottom - top) * fy + half) >> shift;
        pa = src[a + bo]!, pd = src[d + bo]!;
        top = (pa << kx) + (src[b + bo]! - pa) * fx, bottom = (pd << kx) + (src[e + bo]! - pd) * fx;
        values[o] = table[grayOf(red, green, ((top << ky) + (bottom - top) * fy + half) >> shift)]!;
      }
      continue;
    }
    for (let x = 0; x < w; x++, o += pixelStep) {
      const fx = fxi[x]!;
      const a = r0 + xa[x]!, b = r0 + xb[x]!, d = r1 + xa[x]!, e = r1 + xb[x]!;
      let pa = src[a + p0]!, pd = src[d + p0]!;
      let top = (pa << kx) + (src[b + p0]! - pa) * fx, bottom = (pd << kx) + (src[e + p0]! - pd) * fx;
      values[o] = table[((top << ky) + (bottom - top) * fy + half) >> shift]!;
      pa = src[a + p1]!, pd = src[d + p1]!;
      top = (pa << kx) + (src[b + p1]! - pa) * fx, bottom = (pd << kx) + (src[e + p1]! - pd) * fx;
      values[o + c1] = table[256 + (((top << ky) + (bottom - top) * fy + half) >> shift)]!;
      pa = src[a + p2]!, pd = src[d + p2]!;
      top = (pa << kx) + (src[b + p2]! - pa) * fx, bottom = (pd << kx) + (src[e + p2]! - pd) * fx;
      values[o + c2] = table[512 + (((top << ky) + (bottom - top) * fy + half) >> shift)]!;
    }
  }
}
