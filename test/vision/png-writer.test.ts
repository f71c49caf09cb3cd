/**
 * The PNG writer on Node's zlib (src/core/codecs/png-writer.ts + src/platform/node/zlib.ts): its
 * files must decode to the very pixels in two decoders it has nothing to do with (fast-png and
 * libvips through sharp), carry correct chunk CRCs (checked with a CRC-32 written here), and hold
 * Up-filtered rows. Sizes cover the word-at-a-time filter (rows a multiple of 4 bytes, aligned) and
 * the byte loop (odd rows, a misaligned view, one row).
 */
import { inflateSync } from 'node:zlib';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { unavailableReason } from '../../src/core/optional-package.js';
import { encodePngWith } from '../../src/core/codecs/png-writer.js';
import { nativeZlib } from '../../src/platform/node/zlib.js';
import { resolveSharp } from '../../src/vision/backends/sharp.js';
import { randomBytes } from './helpers.js';

const sharpMissing = unavailableReason(() => resolveSharp());

/** CRC-32 (polynomial 0xedb88320), bit by bit: slow and independent of any zlib. */
function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

interface Chunk { type: string; data: Uint8Array; crcOk: boolean }

function chunks(png: Uint8Array): Chunk[] {
  expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Chunk[] = [];
  for (let at = 8; at < png.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    out.push({ type, data: png.subarray(at + 8, at + 8 + length), crcOk: crc32(png.subarray(at + 4, at + 8 + length)) === view.getUint32(at + 8 + length) });
    at += 12 + length;
  }
  return out;
}

const CASES: [string, number, number, 1 | 3 | 4, number][] = [
  // name, width, height, channels, byte offset of the pixels in their buffer
  ['rgb 64x48 (word path)', 64, 48, 3, 0],
  ['rgba 17x9 (word path)', 17, 9, 4, 0],
  ['rgb 13x7 (odd rows: byte path)', 13, 7, 3, 0],
  ['gray 31x5 (byte path)', 31, 5, 1, 0],
  ['rgb 16x16 at a misaligned offset (byte path)', 16, 16, 3, 1],
  ['gray 1x1', 1, 1, 1, 0],
  ['rgba 40x1 (one row)', 40, 1, 4, 0],
];

describe.skipIf(nativeZlib === undefined)('PNG writer on node:zlib', () => {
  const zlib = nativeZlib!;
  for (const [name, width, height, channels, offset] of CASES) {
    const backing = randomBytes(width * height * channels + offset);
    const data = backing.subarray(offset);
    // Runs of equal rows as well as noise, so that RLE and the filter both have something to do.
    for (let y = 1; y < height; y += 3) data.copyWithin(y * width * channels, (y - 1) * width * channels, y * width * channels);

    it(`${name}: fast-png decodes the same pixels; chunks, CRCs and Up rows are right`, () => {
      const png = encodePngWith(zlib, width, height, channels, data);
      const decoded = decode(png);
      expect([decoded.width, decoded.height, decoded.channels, decoded.depth]).toEqual([width, height, channels, 8]);
      expect(Buffer.from(decoded.data as Uint8Array).equals(Buffer.from(data))).toBe(true);

      const list = chunks(png);
      expect(list.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
      expect(list.every((c) => c.crcOk)).toBe(true);
      const ihdr = new DataView(list[0]!.data.buffer, list[0]!.data.byteOffset, 13);
      expect([ihdr.getUint32(0), ihdr.getUint32(4), ...list[0]!.data.subarray(8)]).toEqual([width, height, 8, { 1: 0, 3: 2, 4: 6 }[channels], 0, 0, 0]);

      const rows = inflateSync(list[1]!.data);
      const row = width * channels;
      expect(rows.length).toBe((row + 1) * height);
      for (let y = 0; y < height; y++) {
        expect(rows[y * (row + 1)]).toBe(2);
        for (let i = 0; i < row; i++) {
          const above = y > 0 ? data[(y - 1) * row + i]! : 0;
          if (rows[y * (row + 1) + 1 + i] !== ((data[y * row + i]! - above) & 255)) throw new Error(`row ${y} byte ${i} is not Up-filtered`);
        }
      }
    });

    it.skipIf(sharpMissing !== undefined)(`${name}: libvips decodes the same pixels`, async () => {
      const { default: sharp } = await import('sharp');
      const png = encodePngWith(zlib, width, height, channels, data);
      // sharp writes sRGB unless told otherwise: ask gray files for gray.
      const input = channels === 1 ? sharp(png).toColourspace('b-w') : sharp(png);
      const { data: pixels, info } = await input.raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels]).toEqual([width, height, channels]);
      expect(Buffer.from(pixels).equals(Buffer.from(data))).toBe(true);
    });
  }

  it('refuses fewer bytes than the size needs', () => {
    expect(() => encodePngWith(zlib, 4, 4, 3, new Uint8Array(47))).toThrow(RangeError);
  });
});
