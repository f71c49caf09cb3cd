/**
 * What every `VisionBackend` (src/vision/backends/backend.ts) must do: the exact bytes docs/vision.md
 * defines for resize, convert, crop and to-tensor (expected values worked out here by hand from the
 * formulas, not by the kernels), lossless PNG both ways against an independent codec (fast-png), JPEG
 * within the stated tolerance against another one (jpeg-js), and the codec failures a guest sees.
 * Run on the TypeScript and the sharp backends by vision-backend.test.ts.
 */
import assert from 'node:assert/strict';
import { decode as pngDecode, encode as pngEncode } from 'fast-png';
import jpeg from 'jpeg-js';
import type { VisionBackend } from '../../src/vision/backends/backend.js';
import { VisionFailure } from '../../src/vision/failure.js';
import type { Format, Raster } from '../../src/vision/formats.js';
import { failsWith, type Contract, type Property } from './contract.js';

/**
 * JPEG is lossy and decoders may differ in IDCT and chroma upsampling (docs/vision.md): a decoded
 * smooth gradient must stay within this of the source, per sample, and within JPEG_MEAN on average.
 */
export const JPEG_MAX_ERROR = 12;
export const JPEG_MEAN_ERROR = 2.5;

const BYTES: Record<string, number> = { gray: 1, rgb24: 3, rgba32: 4 };

function raster(format: Format, width: number, height: number, data: ArrayLike<number>): Raster {
  const bpp = BYTES[format]!;
  return { width, height, format, data: Uint8Array.from(data), planes: [{ offset: 0, stride: width * bpp }] };
}

/** A deterministic image with every channel varying. */
function pattern(format: 'gray' | 'rgb24' | 'rgba32', width: number, height: number): Raster {
  const bpp = BYTES[format]!;
  const data = new Uint8Array(width * height * bpp);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + (i >> 5) * 11) & 255;
  return raster(format, width, height, data);
}

/** A smooth gradient (what JPEG is made for): r = x, g = y, b = x + y, scaled. */
function gradient(width: number, height: number): Raster {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      data[o] = Math.round((x * 255) / (width - 1));
      data[o + 1] = Math.round((y * 255) / (height - 1));
      data[o + 2] = Math.round(((x + y) * 255) / (width + height - 2));
    }
  }
  return raster('rgb24', width, height, data);
}

function sameBytes(got: Raster, want: Raster, what: string): void {
  assert.equal(got.format, want.format, `${what}: format`);
  assert.equal(got.width, want.width, `${what}: width`);
  assert.equal(got.height, want.height, `${what}: height`);
  assert.deepEqual(Array.from(got.data), Array.from(want.data), `${what}: bytes`);
}

/** Per-sample error of `got` (rgb24 or wider) against the rgb24 `want`. */
function jpegError(got: Uint8Array, channels: number, want: Raster): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  const n = want.width * want.height;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      const d = Math.abs(got[i * channels + c]! - want.data[i * 3 + c]!);
      max = Math.max(max, d);
      sum += d;
    }
  }
  return { max, mean: sum / (n * 3) };
}

const MAX = 1 << 20;

const properties: Property<VisionBackend>[] = [
  {
    name: 'PNG it encodes decodes losslessly in another decoder (gray, rgb24, rgba32)',
    run(b) {
      for (const format of ['gray', 'rgb24', 'rgba32'] as const) {
        const r = pattern(format, 13, 7);
        const png = pngDecode(b.encodePng(r));
        assert.equal(png.channels, BYTES[format], `${format}: channels`);
        assert.equal(png.depth, 8, `${format}: depth`);
        assert.deepEqual(Array.from(png.data as Uint8Array), Array.from(r.data), `${format}: pixels`);
      }
    },
  },
  {
    name: 'PNG from another encoder decodes exactly, and 16-bit, gray+alpha and low-bit kinds follow the rules',
    run(b) {
      const rgb = pattern('rgb24', 9, 5);
      sameBytes(b.decode(pngEncode({ width: 9, height: 5, data: rgb.data, channels: 3, depth: 8 }), MAX), rgb, 'rgb24');
      // 16-bit samples keep their high byte.
      const words = Uint16Array.of(0x0000, 0x12ff, 0xfe01, 0xffff);
      sameBytes(b.decode(pngEncode({ width: 2, height: 2, data: words, channels: 1, depth: 16 }), MAX), raster('gray', 2, 2, [0x00, 0x12, 0xfe, 0xff]), '16-bit gray');
      const rgb16 = Uint16Array.of(0x12ff, 0xfe01, 0x0080, 0xffff, 0x0100, 0x7f7f);
      sameBytes(b.decode(pngEncode({ width: 2, height: 1, data: rgb16, channels: 3, depth: 16 }), MAX), raster('rgb24', 2, 1, [0x12, 0xfe, 0x00, 0xff, 0x01, 0x7f]), '16-bit rgb');
      const ga16 = Uint16Array.of(0xfe01, 0x12ff);
      sameBytes(b.decode(pngEncode({ width: 1, height: 1, data: ga16, channels: 2, depth: 16 }), MAX), raster('rgba32', 1, 1, [0xfe, 0xfe, 0xfe, 0x12]), '16-bit gray+alpha');
      // Gray + alpha widens to RGBA.
      const ga = pngEncode({ width: 2, height: 1, data: Uint8Array.of(10, 200, 250, 0), channels: 2, depth: 8 });
      sameBytes(b.decode(ga, MAX), raster('rgba32', 2, 1, [10, 10, 10, 200, 250, 250, 250, 0]), 'gray+alpha');
      // 1-bit gray: 0 and 255.
      const bits = pngEncode({ width: 8, height: 1, data: Uint8Array.of(0b10110001), channels: 1, depth: 1 });
      sameBytes(b.decode(bits, MAX), raster('gray', 8, 1, [255, 0, 255, 255, 0, 0, 0, 255]), '1-bit gray');
    },
  },
  {
    name: 'JPEG it encodes stays within the tolerance in another decoder; JPEG from another encoder decodes within it',
    run(b) {
      const g = gradient(64, 48);
      const ours = jpeg.decode(b.encodeJpeg(g, 90), { useTArray: true, formatAsRGBA: false });
      const e1 = jpegError(ours.data, 3, g);
      assert.ok(e1.max <= JPEG_MAX_ERROR && e1.mean <= JPEG_MEAN_ERROR, `encode: max ${e1.max}, mean ${e1.mean.toFixed(2)}`);
      const rgba = new Uint8Array(64 * 48 * 4);
      for (let i = 0; i < 64 * 48; i++) rgba.set([g.data[i * 3]!, g.data[i * 3 + 1]!, g.data[i * 3 + 2]!, 255], i * 4);
      const theirs = jpeg.encode({ width: 64, height: 48, data: rgba }, 90).data;
      for (const decoded of [b.decode(theirs, MAX), b.decodeJpeg(theirs, MAX)]) {
        assert.equal(decoded.format, 'rgb24');
        const e2 = jpegError(decoded.data, 3, g);
        assert.ok(e2.max <= JPEG_MAX_ERROR && e2.mean <= JPEG_MEAN_ERROR, `decode: max ${e2.max}, mean ${e2.mean.toFixed(2)}`);
      }
    },
  },
  {
    name: 'JPEG drops alpha and takes gray',
    run(b) {
      const rgba = raster('rgba32', 16, 16, Array.from({ length: 16 * 16 }, () => [200, 100, 50, 7]).flat());
      const d = jpeg.decode(b.encodeJpeg(rgba, 95), { useTArray: true, formatAsRGBA: false });
      assert.ok(Math.abs(d.data[0]! - 200) <= 3 && Math.abs(d.data[1]! - 100) <= 3 && Math.abs(d.data[2]! - 50) <= 3, `rgba: ${d.data.subarray(0, 3).join(' ')}`);
      const gray = raster('gray', 16, 16, new Array(256).fill(90));
      const dg = jpeg.decode(b.encodeJpeg(gray, 95), { useTArray: true, formatAsRGBA: false });
      assert.ok([0, 1, 2].every((c) => Math.abs(dg.data[c]! - 90) <= 2), `gray: ${dg.data.subarray(0, 3).join(' ')}`);
    },
  },
  {
    name: 'decoding refuses what is not PNG or JPEG, a broken file, and more pixels than allowed',
    run(b) {
      failsWith(() => b.decode(Uint8Array.from([0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 5, 6, 7, 8]), MAX), VisionFailure, ['decode-failed'], 'RIFF bytes');
      const png = b.encodePng(pattern('rgb24', 32, 32));
      failsWith(() => b.decode(png.subarray(0, 40), MAX), VisionFailure, ['decode-failed'], 'truncated PNG');
      failsWith(() => b.decode(png, 32 * 32 - 1), VisionFailure, ['too-large'], 'PNG over maxPixels');
      const jpg = b.encodeJpeg(gradient(32, 32), 80);
      failsWith(() => b.decode(jpg, 32 * 31), VisionFailure, ['too-large'], 'JPEG over maxPixels');
      failsWith(() => b.decodeJpeg(png, MAX), VisionFailure, ['decode-failed'], 'a PNG as mjpeg');
      failsWith(() => b.decodeJpeg(jpg.subarray(0, 20), MAX), VisionFailure, ['decode-failed'], 'truncated JPEG');
    },
  },
  {
    name: 'resize gives the documented values (half-pixel centres, bilinear clamped, area box, round half up)',
    run(b) {
      // 4x1 gray → 2x1 (scale 2): bilinear samples x = 0.5 and 2.5; area averages pairs; nearest takes x = 1 and 3.
      const row = raster('gray', 4, 1, [0, 100, 200, 255]);
      assert.deepEqual(Array.from(b.resize(row, 2, 1, 'bilinear').data), [50, 228]);
      assert.deepEqual(Array.from(b.resize(row, 2, 1, 'area').data), [50, 228]);
      assert.deepEqual(Array.from(b.resize(row, 2, 1, 'nearest').data), [100, 255]);
      // 2x1 → 4x1 (scale 0.5): x = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
      assert.deepEqual(Array.from(b.resize(raster('gray', 2, 1, [0, 100]), 4, 1, 'bilinear').data), [0, 25, 75, 100]);
      // 3x3 rgb24 → 1x1 area: the mean of each channel over nine pixels, (0+…+8)·10/9 = 40 and so on.
      const nine = raster('rgb24', 3, 3, Array.from({ length: 9 }, (_, i) => [i * 10, 255 - i, i % 2 ? 3 : 0]).flat());
      assert.deepEqual(Array.from(b.resize(nine, 1, 1, 'area').data), [40, 251, 1]); // 12/9 = 1.33 → 1
    },
  },
  {
    name: 'convert uses BT.601 (full-range luma for gray, limited-range YUV) rounded half up',
    run(b) {
      const px = raster('rgb24', 3, 1, [255, 0, 0, 0, 255, 0, 0, 0, 255]);
      // 0.299·255 = 76.245, 0.587·255 = 149.685, 0.114·255 = 29.07.
      assert.deepEqual(Array.from(b.convert(px, 'gray').data), [76, 150, 29]);
      assert.deepEqual(Array.from(b.convert(px, 'bgr24').data), [0, 0, 255, 0, 255, 0, 255, 0, 0]);
      assert.deepEqual(Array.from(b.convert(px, 'rgba32').data), [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255]);
      // White and black in limited range: Y 235 / 16, chroma 128 (one 2x2 nv12 block of white).
      const white = b.convert(raster('rgb24', 2, 2, new Array(12).fill(255)), 'nv12');
      assert.deepEqual(Array.from(white.data), [235, 235, 235, 235, 128, 128]);
    },
  },
  {
    name: 'crop is a view of the same bytes and checks its rectangle',
    run(b) {
      const r = pattern('rgb24', 8, 4);
      const c = b.crop(r, { x: 2, y: 1, width: 3, height: 2 });
      assert.equal(c.data, r.data, 'same buffer');
      assert.deepEqual([c.width, c.height, c.planes[0]!.offset, c.planes[0]!.stride], [3, 2, 1 * 24 + 2 * 3, 24]);
      failsWith(() => b.crop(r, { x: 6, y: 0, width: 3, height: 1 }), VisionFailure, ['out-of-bounds'], 'past the right edge');
      failsWith(() => b.crop(r, { x: 0, y: 0, width: 0, height: 1 }), VisionFailure, ['invalid-argument'], 'empty');
    },
  },
  {
    name: 'to-tensor packs resize → channels → normalisation into a buffer of its own',
    run(b) {
      // 2x1 rgb24 → NCHW f32 bgr, value = v / 255 · 2 − 1.
      const r = raster('rgb24', 2, 1, [255, 0, 51, 102, 153, 204]);
      const spec = {
        width: 0, height: 0, method: 'bilinear', layout: 'nchw', element: 'f32', channels: 'bgr',
        normalization: { kind: 'scale-offset', scale: 2 / 255, offset: -1 },
      } as const;
      const t = b.toTensor(r, spec);
      assert.deepEqual(t.dimensions, [1, 3, 1, 2]);
      const f = new Float32Array(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength / 4);
      const want = [51, 204, 0, 153, 255, 102].map((v) => Math.fround(v * (2 / 255) - 1));
      assert.deepEqual(Array.from(f), want);
      assert.equal(t.bytes.byteOffset, 0, 'starts its buffer');
      assert.equal(t.bytes.buffer.byteLength, t.bytes.byteLength, 'owns its buffer');
      // U8 NHWC after a bilinear 4x1 → 2x1 resize: the resize's own values.
      const u8 = b.toTensor(raster('gray', 4, 1, [0, 100, 200, 255]), { ...spec, width: 2, height: 1, layout: 'nhwc', element: 'u8', channels: 'gray', normalization: { kind: 'none' } });
      assert.deepEqual(Array.from(u8.bytes), [50, 228]);
    },
  },
];

export const visionBackendContract: Contract<VisionBackend> = { name: 'VisionBackend', properties };
