/**
 * A PNG encoder around a native zlib: the platform compresses (Node's zlib, in-process and
 * synchronous), this file filters the rows and writes the chunks. It knows no Node API, so the
 * browser build may contain it; only a platform that has a zlib (src/platform/node/zlib.ts) makes
 * it reachable.
 *
 * Every row gets the Up filter (each byte minus the byte above it), compressed with zlib's RLE
 * strategy: on the 512×512 demo frame this is both faster and smaller than libvips's level-1,
 * unfiltered PNG (docs/vision.md, "PNG encoding", has the measurements). Up needs no per-pixel
 * branch and works on 32-bit words; Paeth compresses 4 % better but costs more than the deflate.
 */
export interface NativeZlib {
  /** What does the work and how, for messages and figures (e.g. `node:zlib 1.3.1 (RLE strategy)`). */
  readonly name: string;
  /** A zlib stream (RFC 1950) of `data`, compressed with the RLE strategy. */
  deflateRle(data: Uint8Array): Uint8Array;
  /** CRC-32 (ISO 3309, as PNG chunks use it) of `data`, continuing from `crc`. */
  crc32(data: Uint8Array, crc?: number): number;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const FILTER_UP = 2;
/** Colour type by channel count: gray 0, RGB 2, RGBA 6. */
const COLOUR_TYPE = { 1: 0, 3: 2, 4: 6 } as const;

/** An 8-bit PNG of tightly packed gray (1 channel), RGB (3) or RGBA (4) rows, compressed by `zlib`. */
export function encodePngWith(zlib: NativeZlib, width: number, height: number, channels: 1 | 3 | 4, data: Uint8Array): Uint8Array {
  const row = width * channels;
  if (data.length < row * height) throw new RangeError(`PNG: ${data.length} bytes for ${width}x${height}x${channels}`);
  const idat = zlib.deflateRle(upFiltered(data, row, height));
  const out = new Uint8Array(SIGNATURE.length + (12 + 13) + (12 + idat.length) + 12);
  const view = new DataView(out.buffer);
  out.set(SIGNATURE);
  let at = SIGNATURE.length;
  const chunk = (type: string, length: number, fill: (at: number) => void): void => {
    view.setUint32(at, length);
    for (let i = 0; i < 4; i++) out[at + 4 + i] = type.charCodeAt(i);
    fill(at + 8);
    view.setUint32(at + 8 + length, zlib.crc32(out.subarray(at + 4, at + 8 + length)) >>> 0);
    at += 12 + length;
  };
  chunk('IHDR', 13, (p) => {
    view.setUint32(p, width);
    view.setUint32(p + 4, height);
    out[p + 8] = 8; // bit depth
    out[p + 9] = COLOUR_TYPE[channels];
    // compression 0 (deflate), filter method 0, interlace 0 (none): the bytes are already 0
  });
  chunk('IDAT', idat.length, (p) => out.set(idat, p));
  chunk('IEND', 0, () => {});
  return out;
}

const HIGH = 0x80808080 | 0;
const LOW = 0x7f7f7f7f;

/**
 * The filtered scanlines: a filter-type byte, then the row minus the row above (the first row's
 * "above" is zeros, so it is itself). Four bytes at a time where the rows are word-aligned.
 */
function upFiltered(data: Uint8Array, row: number, height: number): Uint8Array {
  const out = new Uint8Array((row + 1) * height);
  if (row % 4 === 0 && data.byteOffset % 4 === 0 && height > 1) {
    // Per-byte subtraction in 32-bit words without borrows between the bytes (SWAR):
    // ((a | 0x80…) − (b & 0x7f…)) ^ ((a ^ ~b) & 0x80…). Then each row is one copy into place.
    const diff = new Uint8Array(row * height);
    const a32 = new Int32Array(data.buffer, data.byteOffset, (row * height) >> 2);
    const d32 = new Int32Array(diff.buffer);
    const r4 = row >> 2;
    d32.set(a32.subarray(0, r4));
    for (let i = r4, n = a32.length; i < n; i++) {
      const a = a32[i]!, b = a32[i - r4]!;
      d32[i] = ((a | HIGH) - (b & LOW)) ^ ((a ^ ~b) & HIGH);
    }
    for (let y = 0; y < height; y++) {
      out[y * (row + 1)] = FILTER_UP;
      out.set(diff.subarray(y * row, (y + 1) * row), y * (row + 1) + 1);
    }
    return out;
  }
  for (let y = 0; y < height; y++) {
    const o = y * (row + 1) + 1, s = y * row;
    out[o - 1] = FILTER_UP;
    if (y === 0) out.set(data.subarray(0, row), 1);
    else for (let i = 0; i < row; i++) out[o + i] = data[s + i]! - data[s + i - row]!;
  }
  return out;
}
