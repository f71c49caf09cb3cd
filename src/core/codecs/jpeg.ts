/**
 * JPEG through jpeg-js (pure JavaScript, synchronous): decoding, and baseline encoding with optional
 * COM segments (how a test-pattern mjpeg frame carries its number through a lossy codec).
 *
 * jpeg-js builds its Huffman and colour tables on every `encode` call (~0.3 s), which would cap an
 * mjpeg test pattern at ~3 fps. Its encoder class is not exported, so on the first encode, where
 * Node's module loader is at hand (`process.getBuiltinModule`, Node ≥ 20.16), we load the same file
 * once with one extra export line and keep one encoder per quality. Where that is not possible
 * (browsers, older Node, a different jpeg-js layout) every encode goes through `jpeg.encode`: the
 * same bytes, only slower. Nothing here imports a Node module, so browsers can load it unbundled.
 */
import jpeg from 'jpeg-js';
import { CodecFailure, checkPixels, type DecodedImage } from './decoded.js';

export function isJpeg(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

/** Decodes a baseline or progressive JPEG to rgb24, refusing more than `maxPixels` before allocating them. */
export function decodeJpeg(bytes: Uint8Array, maxPixels: number): DecodedImage {
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
    if (message.includes('maxResolutionInMP') || message.includes('maxMemoryUsageInMB')) throw new CodecFailure('too-large', `JPEG: ${message}`);
    throw new CodecFailure('decode-failed', `JPEG: ${message}`);
  }
  checkPixels(img.width, img.height, maxPixels);
  if (img.width === 0 || img.height === 0) throw new CodecFailure('decode-failed', 'JPEG has no pixels');
  return { width: img.width, height: img.height, format: 'rgb24', data: img.data };
}

interface Encoder {
  encode(image: { width: number; height: number; data: Uint8Array; comments?: string[] }, quality: number): Uint8Array;
}
type EncoderClass = new (quality: number) => Encoder;

/**
 * jpeg-js ends an encode with `Buffer.from(bytes)` whenever a CommonJS `module` exists (also in
 * bundled browser code, which has no Buffer). This stand-in makes it return a plain Uint8Array.
 */
const PLAIN_BUFFER = { from: (bytes: ArrayLike<number>) => Uint8Array.from(bytes) };

let EncoderCtor: EncoderClass | null | undefined;
const encoders = new Map<number, Encoder>();

function loadEncoderClass(): EncoderClass | null {
  try {
    const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const mod = node?.getBuiltinModule?.('node:module') as typeof import('node:module') | undefined;
    const fs = node?.getBuiltinModule?.('node:fs') as typeof import('node:fs') | undefined;
    if (!mod?.createRequire || !fs?.readFileSync) return null;
    const require = mod.createRequire(import.meta.url);
    const source = fs.readFileSync(require.resolve('jpeg-js/lib/encoder.js'), 'utf8') + '\nmodule.exports = { JPEGEncoder };';
    const module = { exports: {} as { JPEGEncoder?: EncoderClass } };
    new Function('module', 'exports', 'require', 'Buffer', source)(module, module.exports, require, PLAIN_BUFFER);
    return module.exports.JPEGEncoder ?? null;
  } catch {
    return null;
  }
}

/** `jpeg.encode`, with a Buffer stand-in lent for the call where there is none. */
function encodeUncached(image: { width: number; height: number; data: Uint8Array; comments: string[] }, quality: number): Uint8Array {
  const g = globalThis as { Buffer?: unknown };
  const lent = g.Buffer === undefined;
  if (lent) g.Buffer = PLAIN_BUFFER;
  try {
    return jpeg.encode(image, quality).data;
  } finally {
    if (lent) delete g.Buffer;
  }
}

/**
 * A baseline JPEG of `width`×`height` packed RGB (3 channels) or RGBA (4; alpha dropped) pixels,
 * quality 1..100, with one COM segment per comment. Always a plain Uint8Array.
 */
export function encodeJpeg(width: number, height: number, pixels: Uint8Array, channels: 3 | 4, quality: number, comments: string[] = []): Uint8Array {
  let rgba = pixels;
  if (channels === 3) {
    // jpeg-js reads RGBA only.
    rgba = new Uint8Array(width * height * 4);
    for (let i = 0, j = 0; i < width * height * 3; i += 3, j += 4) {
      rgba[j] = pixels[i]!;
      rgba[j + 1] = pixels[i + 1]!;
      rgba[j + 2] = pixels[i + 2]!;
      rgba[j + 3] = 255;
    }
  }
  const image = { width, height, data: rgba, comments };
  if (EncoderCtor === undefined) EncoderCtor = loadEncoderClass();
  let out: Uint8Array;
  if (EncoderCtor) {
    let enc = encoders.get(quality);
    if (!enc) {
      enc = new EncoderCtor(quality);
      encoders.set(quality, enc);
    }
    out = enc.encode(image, quality);
  } else {
    out = encodeUncached(image, quality);
  }
  // jpeg-js returns a Node Buffer where it found the real one; hand out a plain Uint8Array either way.
  return out.constructor === Uint8Array ? out : new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
