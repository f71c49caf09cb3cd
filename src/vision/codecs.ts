/**
 * wasi:vision's side of the host's one codec path (src/core/codecs/): decoded images become
 * rasters, codec failures become vision failures (`decode-failed`, `too-large`), and encoding
 * picks the PNG channel layout or JPEG input a raster needs.
 */
import {
  CodecFailure, type DecodedImage, decodeImage as decodeAny, decodeJpeg, encodeJpeg as encodeJpegRgba, encodePng as encodePngRaw,
} from '../core/codecs/index.js';
import { convert } from './convert.js';
import { VisionFailure } from './failure.js';
import { type Format, type Raster, packed, packedPlanes } from './formats.js';

function asRaster(decode: () => DecodedImage): Raster {
  let img;
  try {
    img = decode();
  } catch (e) {
    if (e instanceof CodecFailure) throw new VisionFailure(e.code, e.message);
    throw e;
  }
  return { width: img.width, height: img.height, format: img.format, data: img.data, planes: packedPlanes(img.format, img.width, img.height) };
}

/** Decodes PNG or JPEG, recognised by signature; refuses more than `maxPixels` before allocating them. */
export function decodeImage(bytes: Uint8Array, maxPixels: number): Raster {
  return asRaster(() => decodeAny(bytes, maxPixels));
}

/** Decodes JPEG (an mjpeg frame). */
export function decodeJpegImage(bytes: Uint8Array, maxPixels: number): Raster {
  return asRaster(() => decodeJpeg(bytes, maxPixels));
}

/** What a PNG of `r` holds: gray, rgb24 and rgba32 as they are; other formats converted (alpha kept). Packed rows. */
export function pngSource(r: Raster): { width: number; height: number; channels: 1 | 3 | 4; data: Uint8Array } {
  const target: Format =
    r.format === 'gray' || r.format === 'rgb24' || r.format === 'rgba32' ? r.format
    : r.format === 'argb32' || r.format === 'abgr32' ? 'rgba32'
    : 'rgb24';
  const p = r.format === target ? packed(r) : convert(r, target);
  return { width: p.width, height: p.height, channels: target === 'gray' ? 1 : target === 'rgb24' ? 3 : 4, data: p.data };
}

export function encodePng(r: Raster): Uint8Array {
  const s = pngSource(r);
  return encodePngRaw(s.width, s.height, s.channels, s.data);
}

/** Baseline JPEG (alpha dropped). */
export function encodeJpeg(r: Raster, quality: number): Uint8Array {
  if (r.format === 'rgb24') return encodeJpegRgba(r.width, r.height, packed(r).data, 3, quality);
  return encodeJpegRgba(r.width, r.height, convert(r, 'rgba32').data, 4, quality);
}
