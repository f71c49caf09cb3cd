/**
 * The TypeScript vision backend: the kernels of src/vision (pure, synchronous, no Node APIs), so it
 * runs in browsers and is the fallback on Node when sharp is not installed.
 */
import { decodeImage, decodeJpegImage, encodeJpeg, encodePng } from '../codecs.js';
import { convert } from '../convert.js';
import { crop } from '../crop.js';
import { resize } from '../resize.js';
import { toTensor } from '../to-tensor.js';
import type { VisionBackend } from './backend.js';

export const typescriptBackend: VisionBackend = {
  name: 'typescript',
  pngEncoder: 'fast-png',
  decode: decodeImage,
  decodeJpeg: decodeJpegImage,
  encodePng,
  encodeJpeg,
  resize,
  crop,
  convert,
  toTensor,
  dispose() {},
};
