/**
 * PNG and JPEG, both pure JavaScript and synchronous (fast-png, jpeg-js), so a synchronous
 * import can call them in Node and in browsers. Decoding checks the size in the header against
 * the configured pixel limit before allocating anything.
 */
import { decode as decodePng, encode as encodePngRaw, convertIndexedToRgb } from 'fast-png';
import jpeg from 'jpeg-js';
import { convert } from './convert.js';
import { VisionFailure } from './failure.js';
import { type Format, type Raster, packed, packedPlanes } from './formats.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(b: Uint8Array): boolean {
  return b.length >= 8 && PNG_SIGNATURE.every((v, i) => b[i] === v);
}

export function isJpeg(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

function raster(format: Format, width: number, height: number, data: Uint8Array): Raster {
  return { width, height, format, data, planes: packedPlanes(format, width, height) };
}

function tooLarge(width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) throw new VisionFailure('too-large', `${width}x${height} exceeds the limit of ${maxPixels} pixels`);
}

/** Scales packed samples of `depth` bits (1, 2, 4) to 0..255, one byte each. */
function unpackBits(src: Uint8Array, width: number, height: number, depth: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const rowBytes = Math.ceil((width * depth) / 8);
  const max = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = src[y * rowBytes + (bit >> 3)]!;
      const v = (byte >> (8 - depth - (bit & 7))) & max;
      out[y * width + x] = Math.round((v * 255) / max);
    }
  }
  return out;
}

export function decodePngImage(bytes: Uint8Array, maxPixels: number): Raster {
  // IHDR is always first: width and height are big-endian u32 at bytes 16 and 20.
  if (bytes.length < 24) throw new VisionFailure('decode-failed', 'PNG is truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  tooLarge(view.getUint32(16), view.getUint32(20), maxPixels);
  let png;
  try {
    png = decodePng(bytes);
  } catch (e) {
    throw new VisionFailure('decode-failed', `PNG: ${(e as Error).message}`);
  }
  const { width, height, channels, depth } = png;
  if (png.palette) {
    const rgb = convertIndexedToRgb(png);
    return raster(rgb.length === width * height * 4 ? 'rgba32' : 'rgb24', width, height, rgb);
  }
  let samples: Uint8Array;
  if (depth === 16) samples = Uint8Array.from(png.data as Uint16Array, (v) => v >> 8);
  else if (depth < 8) samples = unpackBits(png.data as Uint8Array, width, height, depth);
  else samples = png.data instanceof Uint8Array ? png.data : new Uint8Array(png.data);
  switch (channels) {
    case 1:
      return raster('gray', width, height, samples);
    case 2: {
      // Gray + alpha has no format of its own: widen to RGBA.
      const out = new Uint8Array(width * height * 4);
      for (let i = 0; i < width * height; i++) {
        out[i * 4] = out[i * 4 + 1] = out[i * 4 + 2] = samples[i * 2]!;
        out[i * 4 + 3] = samples[i * 2 + 1]!;
      }
      return raster('rgba32', width, height, out);
    }
    case 3:
      return raster('rgb24', width, height, samples);
    case 4:
      return raster('rgba32', width, height, samples);
    default:
      throw new VisionFailure('decode-failed', `PNG with ${channels} channels`);
  }
}

export function decodeJpegImage(bytes: Uint8Array, maxPixels: number): Raster {
  let img;
  try {
    img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: maxPixels / 1e6,
      maxMemoryUsageInMB: Math.max(64, Math.ceil((maxPixels * 8) / 2 ** 20)),
    });
  } catch (e) {
    const message = String((e as Error)?.message ?? e);
    if (message.includes('maxResolutionInMP') || message.includes('maxMemoryUsageInMB')) {
      throw new VisionFailure('too-large', `JPEG: ${message}`);
    }
    throw new VisionFailure('decode-failed', `JPEG: ${message}`);
  }
  tooLarge(img.width, img.height, maxPixels);
  if (img.width === 0 || img.height === 0) throw new VisionFailure('decode-failed', 'JPEG has no pixels');
  return raster('rgb24', img.width, img.height, img.data);
}

/** Decodes PNG or JPEG, recognised by signature. */
export function decodeImage(bytes: Uint8Array, maxPixels: number): Raster {
  if (isPng(bytes)) return decodePngImage(bytes, maxPixels);
  if (isJpeg(bytes)) return decodeJpegImage(bytes, maxPixels);
  throw new VisionFailure('decode-failed', 'neither a PNG nor a JPEG signature');
}

/** PNG keeps gray, rgb24 and rgba32 as they are; other formats are converted (alpha kept). */
export function encodePng(r: Raster): Uint8Array {
  const target: Format =
    r.format === 'gray' || r.format === 'rgb24' || r.format === 'rgba32' ? r.format
    : r.format === 'argb32' || r.format === 'abgr32' ? 'rgba32'
    : 'rgb24';
  const p = r.format === target ? packed(r) : convert(r, target);
  const channels = target === 'gray' ? 1 : target === 'rgb24' ? 3 : 4;
  return encodePngRaw({ width: p.width, height: p.height, data: p.data, depth: 8, channels });
}

/** Baseline JPEG (alpha dropped). jpeg-js wants RGBA input. */
export function encodeJpeg(r: Raster, quality: number): Uint8Array {
  const rgba = convert(r, 'rgba32');
  // jpeg-js ends with `Buffer.from(bytes)` whenever a CommonJS `module` exists, which is also the
  // case in bundled browser code without a Buffer. Lend it a minimal one for this synchronous call.
  const g = globalThis as { Buffer?: unknown };
  const lent = g.Buffer === undefined;
  if (lent) g.Buffer = { from: (bytes: ArrayLike<number>) => Uint8Array.from(bytes) };
  let out: Uint8Array;
  try {
    out = jpeg.encode({ width: r.width, height: r.height, data: rgba.data }, quality).data;
  } finally {
    if (lent) delete g.Buffer;
  }
  // jpeg-js returns a Node Buffer where one exists; hand out a plain Uint8Array either way.
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
