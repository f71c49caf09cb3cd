/**
 * The one codec path: PNG and JPEG in and out, for wasi:vision (decode, encode, mjpeg frames),
 * the sensor's image-fixture camera (its files) and its mjpeg frames. Pure JavaScript and
 * synchronous (fast-png, jpeg-js), so a synchronous import can call it in Node and in browsers.
 */
import { decodeJpeg, isJpeg } from './jpeg.js';
import { decodePng, isPng } from './png.js';
import { CodecFailure, type DecodedImage } from './decoded.js';

export { CodecFailure, type CodecFailureCode, type DecodedImage } from './decoded.js';
export { decodePng, encodePng, isPng } from './png.js';
export { decodeJpeg, encodeJpeg, isJpeg } from './jpeg.js';

/** Decodes a PNG or a JPEG, recognised by its signature (not by a file name). */
export function decodeImage(bytes: Uint8Array, maxPixels: number): DecodedImage {
  if (isPng(bytes)) return decodePng(bytes, maxPixels);
  if (isJpeg(bytes)) return decodeJpeg(bytes, maxPixels);
  throw new CodecFailure('decode-failed', 'neither a PNG nor a JPEG signature');
}
