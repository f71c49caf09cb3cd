/** Properties over random images, formats and rectangles (fast-check). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PixelFormat } from '../../src/generated/interfaces/wasi-vision-image.js';
import { harness, layout, randomBytes } from './helpers.js';

const RAW: PixelFormat[] = ['gray', 'rgb24', 'bgr24', 'argb32', 'abgr32', 'yuy2', 'rgba32', 'nv12', 'i420'];
const RGB_FAMILY: PixelFormat[] = ['rgb24', 'bgr24', 'argb32', 'abgr32', 'rgba32'];
const packedSize = (f: PixelFormat, w: number, h: number) => {
  const cw = Math.ceil(w / 2), ch = Math.ceil(h / 2);
  switch (f) {
    case 'gray': return w * h;
    case 'rgb24': case 'bgr24': return w * h * 3;
    case 'yuy2': return cw * 4 * h;
    case 'nv12': case 'i420': return w * h + 2 * cw * ch;
    default: return w * h * 4;
  }
};

describe('properties', () => {
  it('every format converts to every other with the packed size of the target', () => {
    const { Image } = harness();
    fc.assert(fc.property(fc.constantFrom(...RAW), fc.constantFrom(...RAW), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 7 }), fc.integer(),
      (from, to, w, h, seed) => {
        const img = Image.fromPixels(layout(w, h, from), randomBytes(packedSize(from, w, h), seed));
        const out = img.convert(to);
        expect([out.width(), out.height(), out.pixelFormat()]).toEqual([w, h, to]);
        expect(out.read(undefined).length).toBe(packedSize(to, w, h));
      }), { numRuns: 200 });
  });

  it('RGB-family conversions are lossless (through rgba32 and back)', () => {
    const { Image } = harness();
    fc.assert(fc.property(fc.constantFrom(...RGB_FAMILY), fc.constantFrom(...RGB_FAMILY), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.integer(),
      (a, b, w, h, seed) => {
        // Alpha of argb/abgr/rgba must survive only between 4-byte formats; start from rgb24 to keep it 255.
        const rgb = randomBytes(w * h * 3, seed);
        const start = Image.fromPixels(layout(w, h, 'rgb24'), rgb).convert(a);
        expect([...start.convert(b).convert(a).read(undefined)]).toEqual([...start.read(undefined)]);
      }), { numRuns: 100 });
  });

  it('read(region) equals crop(region).read() and resize to the same size is the identity', () => {
    const { Image } = harness();
    fc.assert(fc.property(fc.constantFrom(...RAW), fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 10 }), fc.integer(), fc.nat(), fc.nat(), fc.nat(), fc.nat(),
      (f, w, h, seed, a, b, c, d) => {
        const img = Image.fromPixels(layout(w, h, f), randomBytes(packedSize(f, w, h), seed));
        // A rectangle that starts on a chroma boundary.
        const x = (a % w) & ~1, y = (b % h) & ~1;
        const rect = { x, y, width: 1 + (c % (w - x)), height: 1 + (d % (h - y)) };
        expect([...img.read(rect)]).toEqual([...img.crop(rect).read(undefined)]);
        for (const m of ['nearest', 'bilinear', 'area'] as const) {
          expect([...img.resize(w, h, m).read(undefined)]).toEqual([...img.read(undefined)]);
        }
      }), { numRuns: 150 });
  });

  it('images and crops release their pixels exactly once, in any drop order', () => {
    fc.assert(fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), (order) => {
      let released = 0;
      const memory = { [Symbol.dispose]: () => released++ };
      const bytes = new Uint8Array(8 * 8 * 3);
      const h = harness({ frames: { resolve: (m) => (m === memory ? { dimension: { width: 8, height: 8, strideBytes: 24, pixelFormat: 'rgb24' }, bytes } : undefined) } });
      const root = h.Image.fromFrame({ tag: 'host-memory', val: memory as never });
      const all = [root, ...order.map((n) => root.crop({ x: n % 4, y: 0, width: 2, height: 2 }))] as unknown as Disposable[];
      const shuffled = [...all].sort((p, q) => (order[all.indexOf(p) % order.length]! - order[all.indexOf(q) % order.length]!));
      for (const img of shuffled) {
        expect(released).toBe(0);
        img[Symbol.dispose]();
        img[Symbol.dispose]();
      }
      expect(released).toBe(1);
    }), { numRuns: 50 });
  });
});
