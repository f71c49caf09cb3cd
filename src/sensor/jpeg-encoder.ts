/**
 * JPEG encoding for mjpeg frames. jpeg-js builds its Huffman and colour tables on every
 * `encode` call (~0.3 s), which would cap an mjpeg test pattern at ~3 fps. Its encoder class is
 * not exported, so we load the same file once with one extra export line and keep one encoder
 * per quality. If that ever fails (a different jpeg-js layout), we fall back to `jpeg.encode`.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';

interface Encoder {
  encode(image: { width: number; height: number; data: Uint8Array; comments?: string[] }, quality: number): Uint8Array;
}
type EncoderClass = new (quality: number) => Encoder;

let EncoderCtor: EncoderClass | null | undefined;
const encoders = new Map<number, Encoder>();

function loadEncoderClass(): EncoderClass | null {
  try {
    const require = createRequire(import.meta.url);
    const file = require.resolve('jpeg-js/lib/encoder.js');
    const source = readFileSync(file, 'utf8') + '\nmodule.exports = { JPEGEncoder };';
    const module = { exports: {} as { JPEGEncoder?: EncoderClass } };
    new Function('module', 'exports', 'require', 'Buffer', source)(module, module.exports, require, Buffer);
    return module.exports.JPEGEncoder ?? null;
  } catch {
    return null;
  }
}

/** Encodes RGBA pixels as a baseline JPEG with optional COM segments. */
export function encodeJpeg(width: number, height: number, rgba: Uint8Array, quality: number, comments: string[] = []): Uint8Array {
  if (EncoderCtor === undefined) EncoderCtor = loadEncoderClass();
  if (EncoderCtor) {
    let enc = encoders.get(quality);
    if (!enc) {
      enc = new EncoderCtor(quality);
      encoders.set(quality, enc);
    }
    const out = enc.encode({ width, height, data: rgba, comments }, quality);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }
  const encoded = jpeg.encode({ width, height, data: rgba, comments }, quality).data;
  return new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.byteLength);
}
