/**
 * Conversions checked against values computed here, independently of src/vision/convert.ts:
 * the BT.601 limited-range equations in their textbook form (ITU-R BT.601 coefficient tables),
 * not the Kr/Kb form the implementation uses.
 */
import { describe, expect, it } from 'vitest';
import { harness, layout, maxAbsDiff, meanAbsDiff, randomBytes } from './helpers.js';

const clamp = (v: number) => Math.min(255, Math.max(0, Math.round(v)));
const Yf = (r: number, g: number, b: number) => 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255;
const Cbf = (r: number, g: number, b: number) => 128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255;
const Crf = (r: number, g: number, b: number) => 128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255;

/** Expected planes of a 4:2:x image from packed RGB: luma per pixel, chroma = mean over the block's existing pixels. */
function expectedYuv(rgb: Uint8Array, w: number, h: number, ySub: number) {
  const px = (x: number, y: number) => [rgb[(y * w + x) * 3]!, rgb[(y * w + x) * 3 + 1]!, rgb[(y * w + x) * 3 + 2]!] as const;
  const Y: number[] = [];
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) Y.push(clamp(Yf(...px(x, y))));
  const U: number[] = [];
  const V: number[] = [];
  for (let cy = 0; cy < Math.ceil(h / ySub); cy++) {
    for (let cx = 0; cx < Math.ceil(w / 2); cx++) {
      let su = 0, sv = 0, n = 0;
      for (let y = cy * ySub; y < Math.min(cy * ySub + ySub, h); y++) {
        for (let x = cx * 2; x < Math.min(cx * 2 + 2, w); x++) {
          su += Cbf(...px(x, y));
          sv += Crf(...px(x, y));
          n++;
        }
      }
      U.push(clamp(su / n));
      V.push(clamp(sv / n));
    }
  }
  return { Y, U, V };
}

describe('RGB → YUV (BT.601 limited range)', () => {
  const w = 10, h = 6;
  const rgb = randomBytes(w * h * 3, 7);

  it('yuy2 packs y0 u y1 v with chroma averaged over each pixel pair', () => {
    const { Image } = harness();
    const out = Image.fromPixels(layout(w, h, 'rgb24'), rgb).convert('yuy2');
    expect(out.pixelFormat()).toBe('yuy2');
    const bytes = out.read(undefined);
    const { Y, U, V } = expectedYuv(rgb, w, h, 1);
    const expected: number[] = [];
    for (let y = 0; y < h; y++) {
      for (let cx = 0; cx < w / 2; cx++) {
        expected.push(Y[y * w + cx * 2]!, U[y * (w / 2) + cx]!, Y[y * w + cx * 2 + 1]!, V[y * (w / 2) + cx]!);
      }
    }
    expect(maxAbsDiff(bytes, expected)).toBeLessThanOrEqual(1);
    expect(meanAbsDiff(bytes, expected)).toBeLessThan(0.02);
  });

  it('nv12 is a luma plane and an interleaved u,v plane at half size', () => {
    const { Image } = harness();
    const bytes = Image.fromPixels(layout(w, h, 'rgb24'), rgb).convert('nv12').read(undefined);
    const { Y, U, V } = expectedYuv(rgb, w, h, 2);
    const expected = [...Y, ...U.flatMap((u, i) => [u, V[i]!])];
    expect(bytes.length).toBe(w * h * 1.5);
    expect(maxAbsDiff(bytes, expected)).toBeLessThanOrEqual(1);
    expect(meanAbsDiff(bytes, expected)).toBeLessThan(0.02);
  });

  it('i420 is y, u, v planes; odd sizes round the chroma planes up and average the pixels that exist', () => {
    const { Image } = harness();
    const ow = 5, oh = 3;
    const small = randomBytes(ow * oh * 3, 11);
    const bytes = Image.fromPixels(layout(ow, oh, 'rgb24'), small).convert('i420').read(undefined);
    const { Y, U, V } = expectedYuv(small, ow, oh, 2);
    expect(U.length).toBe(3 * 2);
    expect(maxAbsDiff(bytes, [...Y, ...U, ...V])).toBeLessThanOrEqual(1);
  });

  it('gray is full-range BT.601 luma', () => {
    const { Image } = harness();
    const bytes = Image.fromPixels(layout(w, h, 'rgb24'), rgb).convert('gray').read(undefined);
    const expected = Array.from({ length: w * h }, (_, i) => clamp(0.299 * rgb[i * 3]! + 0.587 * rgb[i * 3 + 1]! + 0.114 * rgb[i * 3 + 2]!));
    expect(maxAbsDiff(bytes, expected)).toBeLessThanOrEqual(1);
  });
});

describe('YUV → RGB', () => {
  const inv = (y: number, u: number, v: number) => [
    clamp(1.164383 * (y - 16) + 1.596027 * (v - 128)),
    clamp(1.164383 * (y - 16) - 0.391762 * (u - 128) - 0.812968 * (v - 128)),
    clamp(1.164383 * (y - 16) + 2.017232 * (u - 128)),
  ];

  it('yuy2 → rgb24 follows the inverse equations', () => {
    const { Image } = harness();
    const w = 8, h = 4;
    const yuy2 = randomBytes(w * h * 2, 3);
    const bytes = Image.fromPixels(layout(w, h, 'yuy2'), yuy2).convert('rgb24').read(undefined);
    const expected: number[] = [];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const p = y * w * 2 + (x >> 1) * 4;
        expected.push(...inv(yuy2[p + (x & 1) * 2]!, yuy2[p + 1]!, yuy2[p + 3]!));
      }
    }
    expect(maxAbsDiff(bytes, expected)).toBeLessThanOrEqual(1);
  });

  it('i420 → rgb24 shares each chroma sample across its 2x2 block', () => {
    const { Image } = harness();
    const w = 6, h = 4;
    const i420 = randomBytes(w * h * 1.5, 5);
    const bytes = Image.fromPixels(layout(w, h, 'i420'), i420).convert('rgb24').read(undefined);
    const expected: number[] = [];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const c = (y >> 1) * 3 + (x >> 1);
        expected.push(...inv(i420[y * w + x]!, i420[w * h + c]!, i420[w * h + 6 + c]!));
      }
    }
    expect(maxAbsDiff(bytes, expected)).toBeLessThanOrEqual(1);
  });

  it('a YUV round trip of a smooth image stays within a few levels', () => {
    const { Image } = harness();
    const w = 16, h = 16;
    const rgb = new Uint8Array(w * h * 3).map((_, i) => 40 + ((i % 3) * 50) + Math.floor(i / 3 / w) * 4);
    const back = Image.fromPixels(layout(w, h, 'rgb24'), rgb).convert('nv12').convert('rgb24').read(undefined);
    expect(maxAbsDiff(back, rgb)).toBeLessThanOrEqual(3);
  });
});

describe('packed RGB family', () => {
  it('reorders bytes exactly and adds alpha 255', () => {
    const { Image } = harness();
    const rgb = Uint8Array.of(1, 2, 3, 4, 5, 6);
    const img = Image.fromPixels(layout(2, 1, 'rgb24'), rgb);
    expect([...img.convert('bgr24').read(undefined)]).toEqual([3, 2, 1, 6, 5, 4]);
    expect([...img.convert('rgba32').read(undefined)]).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
    expect([...img.convert('argb32').read(undefined)]).toEqual([255, 1, 2, 3, 255, 4, 5, 6]);
    expect([...img.convert('abgr32').read(undefined)]).toEqual([255, 3, 2, 1, 255, 6, 5, 4]);
  });

  it('keeps alpha between 32-bit formats', () => {
    const { Image } = harness();
    const argb = Uint8Array.of(9, 1, 2, 3);
    expect([...Image.fromPixels(layout(1, 1, 'argb32'), argb).convert('rgba32').read(undefined)]).toEqual([1, 2, 3, 9]);
    expect([...Image.fromPixels(layout(1, 1, 'argb32'), argb).convert('abgr32').read(undefined)]).toEqual([9, 3, 2, 1]);
  });
});

describe('strides and plane offsets are honoured', () => {
  it('rgb24 with padded rows and an offset', () => {
    const { Image } = harness();
    const w = 4, h = 3, stride = 16, offset = 5;
    const buf = randomBytes(offset + stride * h, 9);
    const img = Image.fromPixels(layout(w, h, 'rgb24', [{ offset, strideBytes: stride }]), buf);
    const expected: number[] = [];
    for (let y = 0; y < h; y++) expected.push(...buf.subarray(offset + y * stride, offset + y * stride + w * 3));
    expect([...img.read(undefined)]).toEqual(expected);
    expect(img.layout()).toEqual({ width: w, height: h, pixelFormat: 'rgb24', planes: [{ offset, strideBytes: stride }] });
  });

  it('nv12 with planes in any order and padded strides', () => {
    const { Image } = harness();
    const w = 4, h = 4;
    const buf = randomBytes(100, 13);
    // UV plane first (offset 2, stride 6), luma after it (offset 20, stride 8).
    const img = Image.fromPixels(layout(w, h, 'nv12', [{ offset: 20, strideBytes: 8 }, { offset: 2, strideBytes: 6 }]), buf);
    const expected: number[] = [];
    for (let y = 0; y < h; y++) expected.push(...buf.subarray(20 + y * 8, 20 + y * 8 + w));
    for (let y = 0; y < h / 2; y++) expected.push(...buf.subarray(2 + y * 6, 2 + y * 6 + w));
    expect([...img.read(undefined)]).toEqual(expected);
  });

  it('nv12 with unpadded rows (copied plane by plane), planes out of order, after an offset', () => {
    const { Image } = harness();
    const w = 6, h = 4;
    const buf = randomBytes(64, 17);
    // UV plane at 3 (2 rows of 6), luma right after it at 15 (4 rows of 6), bytes after the end.
    const img = Image.fromPixels(layout(w, h, 'nv12', [{ offset: 15, strideBytes: 6 }, { offset: 3, strideBytes: 6 }]), buf);
    const expected = [...buf.subarray(15, 15 + 24), ...buf.subarray(3, 3 + 12)];
    expect([...img.read(undefined)]).toEqual(expected);
    // Drawing copies the shared pixels the same way before writing.
    const crop = img.crop({ x: 0, y: 0, width: w, height: h });
    crop.drawRect({ x: 0, y: 0, width: 2, height: 2 }, { r: 0, g: 0, b: 0 }, 1);
    const drawn = crop.read(undefined);
    expect([...drawn.subarray(24)]).not.toEqual(expected.slice(24));
    expect([...drawn.subarray(2, 6)]).toEqual(expected.slice(2, 6));
    expect([...img.read(undefined)]).toEqual(expected);
  });
});
