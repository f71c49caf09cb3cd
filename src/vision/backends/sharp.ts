/**
 * The sharp vision backend (Node): PNG and JPEG through libvips (libspng, libjpeg-turbo, zlib-ng)
 * instead of fast-png and jpeg-js. sharp is an optional dependency, never loaded in the browser
 * build (its `node:module` stand-in reports every package but onnxruntime-web as not installed).
 *
 * sharp's API is Promise-only and wasi:vision's calls are synchronous, so sharp runs in a worker
 * thread behind the platform's blocking bridge (src/core/blocking-bridge.ts); one worker serves every
 * host of the process, started on the first codec call.
 *
 * Resize, crop, convert and to-tensor stay on the exact TypeScript kernels: libvips's resamplers
 * (reduce with a shrink-widened kernel, no half-pixel bilinear) and its colour matrices round
 * differently from the formulas docs/vision.md fixes, and a worker round trip with the pixels
 * copied both ways costs more than those kernels take for camera-sized images (docs/vision.md,
 * "Native backend", has the measurements).
 */
import type { SyncWorker, SyncWorkerFactory } from '../../core/blocking-bridge.js';
import { isJpeg, isPng } from '../../core/codecs/index.js';
import { loadOptional, type OptionalPackage } from '../../core/optional-package.js';
import { pngSource } from '../codecs.js';
import { convert } from '../convert.js';
import { VisionFailure } from '../failure.js';
import { type Raster, packed, packedPlanes } from '../formats.js';
import type { VisionBackend } from './backend.js';
import { typescriptBackend } from './typescript.js';

/** The version this host is tested with (package.json pins it). */
export const SHARP: OptionalPackage = { name: 'sharp', version: '0.35.5' };

/** Longest one codec call may take in the worker before it is stopped (a 4096×4096 PNG takes well under 10 s). */
const CALL_TIMEOUT_MS = 60_000;

/**
 * zlib level of sharp's PNG encoder: 1, not zlib's default 6. PNG is lossless at every level,
 * so the level only trades size for time (docs/vision.md, "Native backend").
 */
const PNG_COMPRESSION_LEVEL = 1;

/** The worker (CommonJS after the bridge's prelude): one op per codec call, outputs copied once and transferred. */
const WORKER_SCRIPT = `
const sharp = require(workerData.sharpPath);
sharp.cache(false);
const own = (b) => { const c = new Uint8Array(b.byteLength); c.set(b); return c; };
serve(async (op, a) => {
  if (op === 'probe') return [sharp.versions.vips];
  if (op === 'decode') {
    const options = { limitInputPixels: a.maxPixels, failOn: 'error', sequentialRead: true };
    let p = sharp(a.bytes, options);
    // sharp writes 8-bit sRGB unless told otherwise: gray PNGs stay gray, and 16-bit
    // PNGs come out as 16-bit (the main thread keeps the high byte; libvips would round v / 257). JPEG is RGB.
    let depth = 'uchar';
    if (a.jpeg) p = p.removeAlpha().toColourspace('srgb');
    else {
      const m = await sharp(a.bytes, options).metadata();
      depth = m.depth === 'ushort' ? 'ushort' : 'uchar';
      // Gray + alpha is widened to RGBA by sharp's own sRGB output, as the TypeScript decoder does.
      const gray = m.channels === 1;
      if (gray || depth === 'ushort') p = p.toColourspace(depth === 'ushort' ? (gray ? 'grey16' : 'rgb16') : 'b-w');
    }
    const { data, info } = await p.raw({ depth }).toBuffer({ resolveWithObject: true });
    const out = own(data);
    return [{ data: out, width: info.width, height: info.height, channels: info.channels, depth: info.depth }, [out.buffer]];
  }
  let input = sharp(a.data, { raw: { width: a.width, height: a.height, channels: a.channels } });
  if (a.channels === 1) input = input.toColourspace('b-w');
  const encoded = op === 'png'
    ? await input.png({ compressionLevel: a.level }).toBuffer()
    : await input.jpeg({ quality: a.quality }).toBuffer();
  const out = own(encoded);
  return [out, [out.buffer]];
});
`;

interface DecodedReply {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
  depth: string;
}

/** Where sharp is, or MissingPackageError naming the package and the install command. */
export function resolveSharp(req?: NodeJS.Require): string {
  return loadOptional(SHARP, 'the sharp vision backend', (r) => r.resolve(SHARP.name), req ? { require: req } : {});
}

let shared: { worker: SyncWorker; vips: string } | undefined;

/** The process's sharp worker, started (and sharp loaded in it) on first use; a dead one is replaced. */
function worker(spawn: SyncWorkerFactory): SyncWorker {
  if (shared && !shared.worker.dead) return shared.worker;
  const w = spawn(WORKER_SCRIPT, { sharpPath: resolveSharp() });
  let vips: string;
  try {
    vips = w.call('probe', null, CALL_TIMEOUT_MS) as string;
  } catch (e) {
    w.terminate();
    throw new VisionFailure('not-supported', `the sharp vision backend could not load ${SHARP.name}@${SHARP.version}: ${(e as Error).message}`);
  }
  shared = { worker: w, vips };
  return w;
}

/** The libvips version of the running worker, once one runs (for `describe` and the bench). */
export function sharpVipsVersion(): string | undefined {
  return shared?.vips;
}

/** An 8-bit raster as the TypeScript decoder defines it: 16-bit samples keep their high byte (gray + alpha arrives as RGBA). */
function decodedRaster(d: DecodedReply): Raster {
  let samples = d.data;
  if (d.depth === 'ushort') {
    const words = new Uint16Array(samples.buffer, samples.byteOffset, samples.byteLength / 2);
    samples = Uint8Array.from(words, (v) => v >> 8);
  } else if (d.depth !== 'uchar') {
    throw new VisionFailure('decode-failed', `the decoder produced ${d.depth} samples`);
  }
  const { width, height } = d;
  let format: Raster['format'];
  switch (d.channels) {
    case 1:
      format = 'gray';
      break;
    case 3:
      format = 'rgb24';
      break;
    case 4:
      format = 'rgba32';
      break;
    default:
      throw new VisionFailure('decode-failed', `an image with ${d.channels} channels`);
  }
  return { width, height, format, data: samples, planes: packedPlanes(format, width, height) };
}

/** The worker's messages for input it refuses, as the decoder's failures. */
function decodeFailure(e: unknown, maxPixels: number): VisionFailure {
  const message = String((e as Error)?.message ?? e);
  if (/pixel limit/i.test(message)) return new VisionFailure('too-large', `the image exceeds the limit of ${maxPixels} pixels`);
  return new VisionFailure('decode-failed', message);
}

/**
 * The sharp backend on the given blocking bridge. Throws MissingPackageError (with the install
 * command) when sharp is not installed. A sharp that is installed but cannot load here (no binary
 * for this platform) is noticed on the first codec call: with a `fallback`, that backend's codecs
 * are used from then on; without one, the call fails with `not-supported` and the reason.
 */
export function createSharpBackend(spawn: SyncWorkerFactory, fallback?: VisionBackend): VisionBackend {
  resolveSharp();
  let broken = false;
  /** Whether sharp can be used now; false only with a fallback. */
  const ready = (): boolean => {
    if (broken) return false;
    try {
      worker(spawn);
      return true;
    } catch (e) {
      if (!fallback) throw e;
      broken = true;
      return false;
    }
  };
  const call = (op: string, args: Record<string, unknown>): unknown => worker(spawn).call(op, args, CALL_TIMEOUT_MS);
  const decode = (bytes: Uint8Array, maxPixels: number, jpeg: boolean): Raster => {
    let reply: DecodedReply;
    try {
      reply = call('decode', { bytes, maxPixels, jpeg }) as DecodedReply;
    } catch (e) {
      if (e instanceof VisionFailure) throw e;
      throw decodeFailure(e, maxPixels);
    }
    if (reply.width * reply.height > maxPixels) throw new VisionFailure('too-large', `${reply.width}x${reply.height} exceeds the limit of ${maxPixels} pixels`);
    return decodedRaster(reply);
  };
  return {
    ...typescriptBackend,
    name: 'sharp',
    pngEncoder: `libvips in sharp's worker (zlib level ${PNG_COMPRESSION_LEVEL}, no filter)`,
    decode(bytes, maxPixels) {
      if (!ready()) return fallback!.decode(bytes, maxPixels);
      // PNG and JPEG only, by signature, as the interface defines: libvips would also read WebP, GIF, TIFF…
      if (isPng(bytes)) return decode(bytes, maxPixels, false);
      if (isJpeg(bytes)) return decode(bytes, maxPixels, true);
      throw new VisionFailure('decode-failed', 'neither a PNG nor a JPEG signature');
    },
    decodeJpeg(bytes, maxPixels) {
      if (!ready()) return fallback!.decodeJpeg(bytes, maxPixels);
      if (!isJpeg(bytes)) throw new VisionFailure('decode-failed', 'JPEG: not a JPEG signature');
      return decode(bytes, maxPixels, true);
    },
    encodePng(r) {
      if (!ready()) return fallback!.encodePng(r);
      const s = pngSource(r);
      return call('png', { ...s, level: PNG_COMPRESSION_LEVEL }) as Uint8Array;
    },
    encodeJpeg(r, quality) {
      if (!ready()) return fallback!.encodeJpeg(r, quality);
      // libvips would read a fourth band as CMYK's K: give it RGB.
      const rgb = r.format === 'rgb24' ? packed(r) : convert(r, 'rgb24');
      return call('jpeg', { data: rgb.data, width: r.width, height: r.height, channels: 3, quality }) as Uint8Array;
    },
  };
}
