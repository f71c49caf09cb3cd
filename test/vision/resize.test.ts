/**
 * Resize against reference implementations written here, pixel by pixel from the definitions
 * (half-pixel centres), not with the implementation's separable tap tables.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { harness, layout, maxAbsDiff, randomBytes } from './helpers.js';

type Sampler = (x: number, y: number, c: number) => number;

function refNearest(get: Sampler, sw: number, sh: number, dw: number, dh: number, ch: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < dh; y++) {
    for (let x = 0; x < dw; x++) {
      const sx = Math.min(sw - 1, Math.floor(((x + 0.5) * sw) / dw));
      const sy = Math.min(sh - 1, Math.floor(((y + 0.5) * sh) / dh));
      for (let c = 0; c < ch; c++) out.push(get(sx, sy, c));
    }
  }
  return out;
}

function refBilinear(get: Sampler, sw: number, sh: number, dw: number, dh: number, ch: number): number[] {
  const out: number[] = [];
  const coord = (d: number, s: number, n: number) => Math.min(Math.max(((d + 0.5) * s) / n - 0.5, 0), s - 1);
  for (let y = 0; y < dh; y++) {
    const fy = coord(y, sh, dh);
    const y0 = Math.floor(fy), y1 = Math.min(y0 + 1, sh - 1), ty = fy - y0;
    for (let x = 0; x < dw; x++) {
      const fx = coord(x, sw, dw);
      const x0 = Math.floor(fx), x1 = Math.min(x0 + 1, sw - 1), tx = fx - x0;
      for (let c = 0; c < ch; c++) {
        const top = get(x0, y0, c) + (get(x1, y0, c) - get(x0, y0, c)) * tx;
        const bottom = get(x0, y1, c) + (get(x1, y1, c) - get(x0, y1, c)) * tx;
        out.push(Math.round(top + (bottom - top) * ty));
      }
    }
  }
  return out;
}

/** Box filter: each source pixel weighted by the area it shares with the destination pixel's footprint. */
function refArea(get: Sampler, sw: number, sh: number, dw: number, dh: number, ch: number): number[] {
  const out: number[] = [];
  const sx = sw / dw, sy = sh / dh;
  for (let y = 0; y < dh; y++) {
    for (let x = 0; x < dw; x++) {
      for (let c = 0; c < ch; c++) {
        let sum = 0, area = 0;
        for (let j = 0; j < sh; j++) {
          const oy = Math.min(j + 1, (y + 1) * sy) - Math.max(j, y * sy);
          if (oy <= 0) continue;
          for (let i = 0; i < sw; i++) {
            const ox = Math.min(i + 1, (x + 1) * sx) - Math.max(i, x * sx);
            if (ox <= 0) continue;
            sum += ox * oy * get(i, j, c);
            area += ox * oy;
          }
        }
        out.push(Math.round(sum / area));
      }
    }
  }
  return out;
}

const REFS = { nearest: refNearest, bilinear: refBilinear, area: refArea } as const;

describe('resize matches the reference implementations', () => {
  for (const method of ['nearest', 'bilinear', 'area'] as const) {
    it(`${method}, rgb24, random sizes up and down`, () => {
      const { Image } = harness();
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 17 }), fc.integer({ min: 1, max: 9 }), fc.integer(),
          (sw, sh, dw, dh, seed) => {
            const px = randomBytes(sw * sh * 3, seed);
            const got = Image.fromPixels(layout(sw, sh, 'rgb24'), px).resize(dw, dh, method).read(undefined);
            const want = REFS[method]((x, y, c) => px[(y * sw + x) * 3 + c]!, sw, sh, dw, dh, 3);
            // Nearest copies values: exact. The others may differ by one where float rounding meets .5.
            expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(method === 'nearest' ? 0 : 1);
          }),
        { numRuns: 60 },
      );
    });
  }

  it('area with an integer factor is the plain mean of each block', () => {
    const { Image } = harness();
    const sw = 20, sh = 10, f = 5;
    const px = randomBytes(sw * sh, 4);
    const got = Image.fromPixels(layout(sw, sh, 'gray'), px).resize(sw / f, sh / f, 'area').read(undefined);
    const want: number[] = [];
    for (let y = 0; y < sh / f; y++) {
      for (let x = 0; x < sw / f; x++) {
        let s = 0;
        for (let j = 0; j < f; j++) for (let i = 0; i < f; i++) s += px[(y * f + j) * sw + x * f + i]!;
        want.push(Math.round(s / (f * f)));
      }
    }
    expect([...got]).toEqual(want);
  });

  it('bilinear 2x upscale of a 2-pixel ramp: quarter steps, edges clamped', () => {
    const { Image } = harness();
    const got = Image.fromPixels(layout(2, 1, 'gray'), Uint8Array.of(0, 100)).resize(4, 1, 'bilinear').read(undefined);
    expect([...got]).toEqual([0, 25, 75, 100]);
  });

  it('a strided crop resizes like the same pixels packed', () => {
    const { Image } = harness();
    const px = randomBytes(32 * 16 * 4, 21);
    const img = Image.fromPixels(layout(32, 16, 'rgba32'), px);
    const cropped = img.crop({ x: 3, y: 2, width: 20, height: 11 });
    const packed = Image.fromPixels(layout(20, 11, 'rgba32'), cropped.read(undefined));
    expect([...cropped.resize(7, 5, 'bilinear').read(undefined)]).toEqual([...packed.resize(7, 5, 'bilinear').read(undefined)]);
  });
});

describe('YUV images resize plane by plane and keep their format', () => {
  it('nv12: luma like a gray image, chroma like a 2-channel image at half size', () => {
    const { Image } = harness();
    const w = 12, h = 8, dw = 6, dh = 4;
    const px = randomBytes(w * h * 1.5, 8);
    const out = Image.fromPixels(layout(w, h, 'nv12'), px).resize(dw, dh, 'bilinear');
    expect(out.pixelFormat()).toBe('nv12');
    const bytes = out.read(undefined);
    const wantY = refBilinear((x, y) => px[y * w + x]!, w, h, dw, dh, 1);
    const wantUV = refBilinear((x, y, c) => px[w * h + y * w + x * 2 + c]!, w / 2, h / 2, dw / 2, dh / 2, 2);
    expect(maxAbsDiff(bytes, [...wantY, ...wantUV])).toBeLessThanOrEqual(1);
  });

  it('yuy2: luma at full width, chroma at half width', () => {
    const { Image } = harness();
    const w = 8, h = 4, dw = 4, dh = 2;
    const px = randomBytes(w * h * 2, 2);
    const bytes = Image.fromPixels(layout(w, h, 'yuy2'), px).resize(dw, dh, 'area').read(undefined);
    const wantY = refArea((x, y) => px[y * w * 2 + (x >> 1) * 4 + (x & 1) * 2]!, w, h, dw, dh, 1);
    const wantU = refArea((x, y) => px[y * w * 2 + x * 4 + 1]!, w / 2, h, dw / 2, dh, 1);
    const wantV = refArea((x, y) => px[y * w * 2 + x * 4 + 3]!, w / 2, h, dw / 2, dh, 1);
    const want: number[] = [];
    for (let y = 0; y < dh; y++) {
      for (let cx = 0; cx < dw / 2; cx++) {
        want.push(wantY[y * dw + cx * 2]!, wantU[y * (dw / 2) + cx]!, wantY[y * dw + cx * 2 + 1]!, wantV[y * (dw / 2) + cx]!);
      }
    }
    expect(maxAbsDiff(bytes, want)).toBeLessThanOrEqual(1);
  });
});
