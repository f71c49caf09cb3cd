/**
 * The one codec path (src/core/codecs/): the cached JPEG encoder must give the bytes jpeg-js's own
 * `encode` gives (it is the same code, loaded once), comments included; decoding refuses what it
 * cannot read or what is too large with the right code.
 */
import { describe, expect, it } from 'vitest';
import jpeg from 'jpeg-js';
import { CodecFailure, decodeImage, encodeJpeg, encodePng } from '../../src/core/codecs/index.js';

const W = 24, H = 16;
const rgba = new Uint8Array(W * H * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 7) & 255));

describe('JPEG', () => {
  it('the cached encoder writes the same bytes as jpeg.encode, for two qualities in turn, with a COM segment', () => {
    for (const quality of [90, 50, 90]) {
      const ours = encodeJpeg(W, H, rgba, 4, quality, ['frame=7']);
      const theirs = jpeg.encode({ width: W, height: H, data: Buffer.from(rgba), comments: ['frame=7'] } as never, quality).data;
      expect(ours.constructor).toBe(Uint8Array);
      expect(Buffer.from(ours).equals(theirs)).toBe(true);
      expect(Buffer.from(ours).includes('frame=7')).toBe(true);
    }
  });

  it('RGB input is the RGBA input with alpha 255', () => {
    const rgb = new Uint8Array(W * H * 3).map((_, i) => rgba[Math.floor(i / 3) * 4 + (i % 3)]!);
    expect(encodeJpeg(W, H, rgb, 3, 75)).toEqual(encodeJpeg(W, H, rgba, 4, 75));
  });

  it('decodes to rgb24 of the encoded size', () => {
    const img = decodeImage(encodeJpeg(W, H, rgba, 4, 95), 1e6);
    expect([img.width, img.height, img.format, img.data.length]).toEqual([W, H, 'rgb24', W * H * 3]);
  });
});

describe('decode failures', () => {
  it('neither PNG nor JPEG, a truncated PNG: decode-failed; more pixels than allowed: too-large', () => {
    const kind = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof CodecFailure ? e.code : String(e);
      }
      return 'no error';
    };
    expect(kind(() => decodeImage(new Uint8Array([1, 2, 3, 4]), 1e6))).toBe('decode-failed');
    const png = encodePng(W, H, 4, rgba);
    expect(kind(() => decodeImage(png.subarray(0, 30), 1e6))).toBe('decode-failed');
    expect(kind(() => decodeImage(png, W * H - 1))).toBe('too-large');
    expect(kind(() => decodeImage(encodeJpeg(W, H, rgba, 4, 80), W * H - 1))).toBe('too-large');
    expect(decodeImage(png, W * H).format).toBe('rgba32');
  });
});
