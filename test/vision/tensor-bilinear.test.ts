/**
 * The one-pass bilinear to-tensor (src/vision/tensor-bilinear.ts) gives the bytes of the composition
 * to-tensor is defined as: resize (bilinear, the kernel the resize tests pin against hand values),
 * then the channel pick and the normalisation of the resized image, on its integer loop (weights
 * that are multiples of a power of two) and on its double loop alike, in TypeScript and in the
 * WebAssembly SIMD kernel (src/vision/simd/). Random images of every packed format, with padded
 * strides and crop offsets, shrunk and enlarged, into every layout.
 */
import { describe, expect, it } from 'vitest';
import { allocRaster, type Format, type Raster } from '../../src/vision/formats.js';
import { bilinearAxis, resize } from '../../src/vision/resize.js';
import { type TensorSpec, toTensor } from '../../src/vision/to-tensor.js';
import { dyadicBits, fusable } from '../../src/vision/tensor-bilinear.js';
import { simdTensorAvailable } from '../../src/vision/simd/kernel.js';

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BPP: Partial<Record<Format, number>> = { gray: 1, rgb24: 3, bgr24: 3, argb32: 4, abgr32: 4, rgba32: 4 };

/** A random image whose rows are padded and which starts `lead` bytes into its buffer. */
function randomImage(format: Format, w: number, h: number, next: () => number): Raster {
  const bpp = BPP[format]!;
  const stride = w * bpp + Math.floor(next() * 7);
  const lead = Math.floor(next() * 5);
  const data = new Uint8Array(lead + stride * h);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(next() * 256);
  return { width: w, height: h, format, data, planes: [{ offset: lead, stride }] };
}

describe('one-pass bilinear to-tensor', () => {
  it('covers exactly the packed formats', () => {
    expect((['gray', 'rgb24', 'bgr24', 'argb32', 'abgr32', 'rgba32', 'yuy2', 'nv12', 'i420'] as Format[]).filter((f) => fusable(allocRaster(f, 2, 2)))).toEqual(
      ['gray', 'rgb24', 'bgr24', 'argb32', 'abgr32', 'rgba32'],
    );
  });

  it('the SIMD kernel runs in this Node', () => {
    expect(simdTensorAvailable()).toBe(true);
  });

  it.each([['TypeScript loops', false], ['SIMD kernel', true]])('%s: equals resize → pick → normalise, byte for byte', (_, simd) => {
    const next = rng(22);
    let integerCases = 0, doubleCases = 0;
    for (const format of Object.keys(BPP) as Format[]) {
      for (let n = 0; n < 12; n++) {
        const dw = 1 + Math.floor(next() * 40), dh = 1 + Math.floor(next() * 30);
        // Every third case an odd integer shrink along x, whose x weights are all zero (the shortcut).
        // Every third case another a shrink by 2 along x (weights 1/2), for the integer loop with x weights.
        const sw = n % 3 === 2 ? dw * (1 + 2 * Math.floor(next() * 3)) : n % 3 === 1 ? dw * 2 : 1 + Math.floor(next() * 40);
        // … both with a shrink by 2 along y (weights 1/2): both axes dyadic, so the integer loop.
        const sh = n % 3 !== 0 ? dh * 2 : 1 + Math.floor(next() * 30);
        if (dw === sw && dh === sh) continue;
        const image = randomImage(format, sw, sh, next);
        const channels = (['rgb', 'bgr', 'gray'] as const)[n % 4 === 1 ? 2 : n % 2]!;
        const spec: TensorSpec = {
          width: dw, height: dh, method: 'bilinear', layout: n % 2 ? 'nchw' : 'nhwc', element: n % 4 === 3 ? 'u8' : 'f32', channels,
          normalization: n % 4 === 3 ? { kind: 'none' }
            : n % 4 === 1 ? { kind: 'mean-std', mean: channels === 'gray' ? [0.5] : [0.485, 0.456, 0.406], std: channels === 'gray' ? [0.25] : [0.229, 0.224, 0.225] }
            // Offset 0 with an f32 scale (positive or negative: the kernel multiplies in f32), or with a
            // scale that is no f32 (it must not), or a non-zero offset.
            : n % 12 === 0 ? { kind: 'scale-offset', scale: Math.fround(1 / 255), offset: 0 }
            : n % 12 === 4 ? { kind: 'scale-offset', scale: -Math.fround(3 / 255), offset: 0 }
            : n % 12 === 8 ? { kind: 'scale-offset', scale: 1 / 255, offset: 0 }
            : { kind: 'scale-offset', scale: 2 / 255, offset: -1 },
        };
        const fused = toTensor(image, spec, { simd });
        // The composition, spelled out: the resized image, then to-tensor at its own size (no resize).
        const composed = toTensor(resize(image, dw, dh, 'bilinear'), { ...spec, width: 0, height: 0 });
        expect(fused.dimensions, `${format} ${sw}x${sh} → ${dw}x${dh}`).toEqual(composed.dimensions);
        expect(Buffer.from(fused.bytes).equals(Buffer.from(composed.bytes)), `${format} ${sw}x${sh} → ${dw}x${dh} ${spec.layout} ${channels}`).toBe(true);
        const dyadic = dyadicBits(bilinearAxis(sw, dw).f) !== undefined && dyadicBits(bilinearAxis(sh, dh).f) !== undefined;
        if (dyadic) integerCases++;
        else doubleCases++;
      }
    }
    // Both loops ran, many times.
    expect(integerCases).toBeGreaterThan(15);
    expect(doubleCases).toBeGreaterThan(10);
  });

  it('sample × scale in f32 keeps the sign of zero the table has (+0 for a black sample and a negative scale)', () => {
    for (const format of ['rgb24', 'bgr24'] as const) {
      const data = new Uint8Array(8 * 8 * 3);
      for (let i = 0; i < data.length; i += 6) data[i] = 255; // black pixels beside red ones
      const image: Raster = { width: 8, height: 8, format, data, planes: [{ offset: 0, stride: 24 }] };
      const spec: TensorSpec = {
        width: 4, height: 4, method: 'bilinear', layout: 'nhwc', element: 'f32', channels: 'rgb',
        normalization: { kind: 'scale-offset', scale: -Math.fround(1 / 255), offset: 0 },
      };
      const composed = toTensor(resize(image, 4, 4, 'bilinear'), { ...spec, width: 0, height: 0 });
      const values = new Float32Array(composed.bytes.buffer);
      expect(values.some((v) => Object.is(v, 0))).toBe(true); // there are zeros, and they are +0
      expect(values.some((v) => Object.is(v, -0))).toBe(false);
      for (const simd of [true, false]) {
        expect(Buffer.from(toTensor(image, spec, { simd }).bytes).equals(Buffer.from(composed.bytes)), `${format} simd ${simd}`).toBe(true);
      }
    }
  });
});
