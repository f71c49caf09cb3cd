/**
 * PNG through fast-png (pure JavaScript, synchronous, so a synchronous import can call it in Node
 * and in browsers). Every PNG kind decodes to 8-bit gray, rgb24 or rgba32: 16-bit samples keep
 * their high byte, 1/2/4-bit samples are scaled to 0..255, palettes are expanded, gray + alpha is
 * widened to RGBA.
 */
import { decode, encode, convertIndexedToRgb } from 'fast-png';
import { CodecFailure, checkPixels, type DecodedImage } from './decoded.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(b: Uint8Array): boolean {
  return b.length >= 8 && SIGNATURE.every((v, i) => b[i] === v);
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

/** Decodes a PNG, checking the header's size against `maxPixels` before allocating anything. */
export function decodePng(bytes: Uint8Array, maxPixels: number): DecodedImage {
  // IHDR is always first: width and height are big-endian u32 at bytes 16 and 20.
  if (bytes.length < 24) throw new CodecFailure('decode-failed', 'PNG is truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  checkPixels(view.getUint32(16), view.getUint32(20), maxPixels);
  let png;
  try {
    png = decode(bytes);
  } catch (e) {
    throw new CodecFailure('decode-failed', `PNG: ${(e as Error).message}`);
  }
  const { width, height, channels, depth } = png;
  if (png.palette) {
    const rgb = convertIndexedToRgb(png);
    return { width, height, format: rgb.length === width * height * 4 ? 'rgba32' : 'rgb24', data: rgb };
  }
  let samples: Uint8Array;
  if (depth === 16) samples = Uint8Array.from(png.data as Uint16Array, (v) => v >> 8);
  else if (depth < 8) samples = unpackBits(png.data as Uint8Array, width, height, depth);
  else samples = png.data instanceof Uint8Array ? png.data : new Uint8Array(png.data);
  switch (channels) {
    case 1:
      return { width, height, format: 'gray', data: samples };
    case 2: {
      // Gray + alpha has no format of its own: widen to RGBA.
      const out = new Uint8Array(width * height * 4);
      for (let i = 0; i < width * height; i++) {
        out[i * 4] = out[i * 4 + 1] = out[i * 4 + 2] = samples[i * 2]!;
        out[i * 4 + 3] = samples[i * 2 + 1]!;
      }
      return { width, height, format: 'rgba32', data: out };
    }
    case 3:
      return { width, height, format: 'rgb24', data: samples };
    case 4:
      return { width, height, format: 'rgba32', data: samples };
    default:
      throw new CodecFailure('decode-failed', `PNG with ${channels} channels`);
  }
}

/** An 8-bit PNG of tightly packed gray (1 channel), RGB (3) or RGBA (4) rows. */
export function encodePng(width: number, height: number, channels: 1 | 3 | 4, data: Uint8Array): Uint8Array {
  return encode({ width, height, data, depth: 8, channels });
}
