/**
 * wasi-edge-host/vision: the wasi:vision definition, and the image ops it is built from, for
 * JavaScript code that wants the very same algorithms (tests, benchmarks, pre/post-processing).
 * Browser-safe: nothing here imports Node modules.
 */
export { visionDefinition, type VisionConfig } from './definition.js';
export { createVisionProvider, type VisionLimits } from './provider.js';
export { type Format, type Raster, type PlaneLayout, FORMATS, allocRaster, packed, packedSize, checkLayout } from './formats.js';
export { convert, toRgba, fromRgba, rgbToYuv, luma } from './convert.js';
export { crop, type Rect } from './crop.js';
export { resize, type ResizeMethod } from './resize.js';
export { toTensor, type TensorSpec, type TensorBytes, type Normalization } from './to-tensor.js';
export { drawRect, drawPoints } from './draw.js';
export { decodeImage, encodePng, encodeJpeg } from './codecs.js';
export { VisionFailure, type VisionFailureCode } from './failure.js';
