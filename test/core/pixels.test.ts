/**
 * The one pixel module (src/core/pixels/) against values computed independently of it, by
 * test/core/bt601_reference.py (exact fractions from the BT.601 definition, rounded once half up;
 * its output is pasted here). The pixels include exact ties, where floating-point implementations
 * disagree: the sensor's and vision's former converters gave Y 125 and 126 for (0, 204, 68).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { grayOf, packedPlanes, readRgba, writePixels, yuvOf, type RasterFormat } from '../../src/core/pixels/index.js';
import { patternFrame, patternRgb } from '../../src/sensor/devices/test-pattern.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

// [rgb, gray, Y, Cb, Cr] from bt601_reference.py.
const PIXELS: [number[], number, number, number, number][] = [
  [[0, 0, 0], 0, 16, 128, 128], [[255, 255, 255], 255, 235, 128, 128], [[255, 0, 0], 76, 81, 90, 240],
  [[0, 255, 0], 150, 145, 54, 34], [[0, 0, 255], 29, 41, 240, 110], [[10, 20, 30], 18, 32, 134, 123],
  [[200, 100, 50], 124, 123, 91, 175], [[0, 0, 250], 29, 40, 238, 110], [[0, 204, 68], 128, 126, 99, 48],
];
// [y, cb, cr] → rgb from bt601_reference.py (out-of-gamut triples clamp).
const INVERSE: [number[], number[]][] = [
  [[16, 128, 128], [0, 0, 0]], [[235, 128, 128], [255, 255, 255]], [[0, 0, 0], [0, 136, 0]], [[255, 255, 255], [255, 125, 255]],
  [[81, 90, 240], [254, 0, 0]], [[145, 54, 34], [0, 255, 1]], [[41, 240, 110], [0, 0, 255]], [[100, 30, 200], [213, 78, 0]],
];

function write(rgb: Uint8Array, w: number, h: number, format: RasterFormat): Uint8Array {
  const planes = packedPlanes(format, w, h);
  const last = planes[planes.length - 1]!;
  const out = new Uint8Array(last.offset + last.stride * (format === 'nv12' || format === 'i420' ? Math.ceil(h / 2) : h));
  writePixels({ data: rgb, width: w, height: h, channels: 3 }, format, out, planes);
  return out;
}

describe('BT.601, one rounding rule', () => {
  it('gray, Y, Cb and Cr of single pixels are the exact values rounded half up (ties included)', () => {
    for (const [rgb, gray, y, cb, cr] of PIXELS) {
      const [r, g, b] = rgb as [number, number, number];
      expect([grayOf(r, g, b), ...yuvOf(r, g, b)], `rgb ${rgb}`).toEqual([gray, y, cb, cr]);
    }
  });

  it('YUV → RGB is the exact inverse, rounded half up and clamped', () => {
    for (const [yuv, rgb] of INVERSE) {
      const data = new Uint8Array([yuv[0]!, yuv[1]!, yuv[0]!, yuv[2]!]);
      const rgba = readRgba(data, 'yuy2', 2, 1, [{ offset: 0, stride: 4 }]);
      expect([...rgba.subarray(0, 4)], `yuv ${yuv}`).toEqual([...rgb, 255]);
      expect([...rgba.subarray(4, 8)]).toEqual([...rgb, 255]);
    }
  });

  it('the 64x48 test pattern (frame 5) in gray and yuy2 has the reference bytes, through the sensor as through the module', () => {
    const w = 64, h = 48, n = 5;
    const gray = patternFrame({ width: w, height: h, strideBytes: w, pixelFormat: 'gray' }, n);
    const yuy2 = patternFrame({ width: w, height: h, strideBytes: w * 2, pixelFormat: 'yuy2' }, n);
    expect(sha(gray)).toBe('4a45918cb9e422b3caf73194cd9cccd124c416947e825be23ae3cd4a37d8e8c0');
    expect(sha(yuy2)).toBe('be265d1dd62c3ab2467da4073f60c9e07e9d8f29421edcbc508f8bcd9a94d8a2');
    expect(sha(write(patternRgb(w, h, n), w, h, 'yuy2'))).toBe(sha(yuy2));
  });

  it('i420 of an odd-sized pattern averages the chroma of the pixels that exist', () => {
    expect(sha(write(patternRgb(7, 5, 5), 7, 5, 'i420'))).toBe('ae0f030dffdee87866cf21213fc432f2b5b5cdb993034cda5dd5b5d6978b612e');
  });
});

describe('writePixels', () => {
  it('zeroes the padding of strided rows, so a reused buffer never shows old bytes', () => {
    const rgb = new Uint8Array([255, 0, 0, 0, 0, 255]);
    const out = new Uint8Array(2 * 8).fill(7);
    writePixels({ data: rgb, width: 2, height: 1, channels: 3 }, 'yuy2', out, [{ offset: 0, stride: 16 }]);
    expect([...out.subarray(4)]).toEqual(new Array(12).fill(0));
    // Red then blue; chroma of the pair from bt601_reference.py ('pair chroma').
    expect([...out.subarray(0, 4)]).toEqual([81, 165, 41, 175]);
  });

  it('an odd-width yuy2 row ends with a half pair whose spare luma repeats the last pixel', () => {
    const rgb = new Uint8Array([10, 20, 30, 200, 100, 50, 255, 0, 0]);
    const out = write(rgb, 3, 1, 'yuy2');
    expect([...out]).toEqual([32, 113, 123, 149, 81, 90, 81, 240]);
  });

  it('keeps the source alpha for 32-bit formats and adds 255 to RGB', () => {
    const rgba = new Uint8Array([1, 2, 3, 40]);
    const a = new Uint8Array(4);
    writePixels({ data: rgba, width: 1, height: 1, channels: 4 }, 'argb32', a, [{ offset: 0, stride: 4 }]);
    expect([...a]).toEqual([40, 1, 2, 3]);
    writePixels({ data: rgba.subarray(0, 3), width: 1, height: 1, channels: 3 }, 'abgr32', a, [{ offset: 0, stride: 4 }]);
    expect([...a]).toEqual([255, 3, 2, 1]);
  });
});

describe('YUV → RGB on every input', () => {
  it('equals the exact inverse rounded half up for all 2^24 (Y, Cb, Cr) (the reader computes most of them in floating point)', () => {
    // The inverse as integer fractions, written here from the definition (Kr 0.299, Kb 0.114):
    // R = 255/219 c + 255·1.402/224 e, G = 255/219 c − 255·1.772·0.114/(224·0.587) d − 255·1.402·0.299/(224·0.587) e,
    // B = 255/219 c + 255·1.772/224 d, with c = Y − 16, d = Cb − 128, e = Cr − 128; round half up = ⌊(2N + D) / 2D⌋.
    const clamp = (v: number) => Math.min(255, Math.max(0, v));
    const half = (n: number, den: number) => clamp(Math.floor((2 * n + den) / (2 * den)));
    const data = new Uint8Array(256 * 256 * 4);
    let wrong = 0;
    for (let y = 0; y < 256; y++) {
      // One image per luma value: every (cb, cr) pair as a yuy2 pair of pixels.
      for (let i = 0; i < 256 * 256; i++) data.set([y, i >> 8, y, i & 255], i * 4);
      const rgba = readRgba(data, 'yuy2', 2 * 256 * 256, 1, [{ offset: 0, stride: data.length }]);
      const c = y - 16;
      for (let i = 0; i < 256 * 256; i++) {
        const d = (i >> 8) - 128, e = (i & 255) - 128;
        const r = half(255 * 1402 * 219 * e + 255 * 224_000 * c, 219 * 224_000);
        const g = half(255 * (131_488_000 * c - 219 * 1772 * 114 * d - 219 * 1402 * 299 * e), 219 * 224 * 587_000);
        const b = half(255 * 1772 * 219 * d + 255 * 224_000 * c, 219 * 224_000);
        const o = i * 8;
        if (rgba[o] !== r || rgba[o + 1] !== g || rgba[o + 2] !== b) wrong++;
      }
    }
    expect(wrong).toBe(0);
  });
});
