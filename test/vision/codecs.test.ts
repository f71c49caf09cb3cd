/** Encode/decode round trips: PNG exactly, JPEG within a mean-absolute-difference bound. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encode as encodePng } from 'fast-png';
import { ROOT } from '../helpers/run-guest.js';
import { harness, layout, meanAbsDiff, randomBytes } from './helpers.js';

const chelsea = readFileSync(join(ROOT, 'fixtures/images/chelsea.png'));

describe('PNG', () => {
  it('decodes the fixture photo as rgb24 of the right size', () => {
    const { Image } = harness();
    const img = Image.fromEncoded(chelsea);
    expect([img.width(), img.height(), img.pixelFormat()]).toEqual([451, 300, 'rgb24']);
    expect(img.read(undefined).length).toBe(451 * 300 * 3);
  });

  for (const [format, bpp] of [['rgb24', 3], ['rgba32', 4], ['gray', 1]] as const) {
    it(`round-trips ${format} exactly`, () => {
      const { Image } = harness();
      const px = randomBytes(13 * 7 * bpp, bpp);
      const png = Image.fromPixels(layout(13, 7, format), px).encode({ tag: 'png' });
      const back = Image.fromEncoded(png);
      expect(back.pixelFormat()).toBe(format);
      expect([...back.read(undefined)]).toEqual([...px]);
    });
  }

  it('stores bgr24 and yuv images as RGB (argb32 as RGBA)', () => {
    const { Image } = harness();
    const bgr = Image.fromPixels(layout(2, 1, 'bgr24'), Uint8Array.of(1, 2, 3, 4, 5, 6));
    expect([...Image.fromEncoded(bgr.encode({ tag: 'png' })).read(undefined)]).toEqual([3, 2, 1, 6, 5, 4]);
    const argb = Image.fromPixels(layout(1, 1, 'argb32'), Uint8Array.of(7, 1, 2, 3));
    const back = Image.fromEncoded(argb.encode({ tag: 'png' }));
    expect([back.pixelFormat(), ...back.read(undefined)]).toEqual(['rgba32', 1, 2, 3, 7]);
  });

  it('decodes 16-bit, 1-bit, gray+alpha and palette PNGs to 8-bit formats', () => {
    const { Image } = harness();
    const deep = Image.fromEncoded(encodePng({ width: 2, height: 1, channels: 1, depth: 16, data: Uint16Array.of(0x1234, 0xff00) }));
    expect([deep.pixelFormat(), ...deep.read(undefined)]).toEqual(['gray', 0x12, 0xff]);
    const bits = Image.fromEncoded(encodePng({ width: 3, height: 1, channels: 1, depth: 1, data: Uint8Array.of(0b10100000) }));
    expect([...bits.read(undefined)]).toEqual([255, 0, 255]);
    const ga = Image.fromEncoded(encodePng({ width: 1, height: 1, channels: 2, depth: 8, data: Uint8Array.of(9, 200) }));
    expect([ga.pixelFormat(), ...ga.read(undefined)]).toEqual(['rgba32', 9, 9, 9, 200]);
    const pal = Image.fromEncoded(encodePng({ width: 2, height: 1, channels: 1, depth: 8, data: Uint8Array.of(1, 0), palette: [[10, 20, 30], [40, 50, 60]] }));
    expect([pal.pixelFormat(), ...pal.read(undefined)]).toEqual(['rgb24', 40, 50, 60, 10, 20, 30]);
  });
});

describe('JPEG', () => {
  it('round-trips a photo within a small mean difference, better at higher quality', () => {
    const { Image } = harness();
    const photo = Image.fromEncoded(chelsea);
    const original = photo.read(undefined);
    const q90 = Image.fromEncoded(photo.encode({ tag: 'jpeg', val: 90 }));
    const q20 = Image.fromEncoded(photo.encode({ tag: 'jpeg', val: 20 }));
    expect([q90.width(), q90.height(), q90.pixelFormat()]).toEqual([451, 300, 'rgb24']);
    const d90 = meanAbsDiff(q90.read(undefined), original);
    const d20 = meanAbsDiff(q20.read(undefined), original);
    expect(d90).toBeLessThan(3);
    expect(d20).toBeGreaterThan(d90);
    expect(d20).toBeLessThan(10);
  });

  it('mjpeg pixels are decoded on the way in (from-pixels and frames)', () => {
    const { Image } = harness();
    const photo = Image.fromEncoded(chelsea).crop({ x: 100, y: 50, width: 64, height: 48 });
    const jpeg = photo.encode({ tag: 'jpeg', val: 95 });
    const img = Image.fromPixels(layout(0, 0, 'mjpeg'), jpeg);
    expect([img.width(), img.height(), img.pixelFormat()]).toEqual([64, 48, 'rgb24']);
    expect(meanAbsDiff(img.read(undefined), photo.read(undefined))).toBeLessThan(3);
  });
});
