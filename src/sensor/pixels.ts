/**
 * Frame layouts of wasi:buffer-pool, without WIT: how a requested layout and rate are checked
 * against what a device supports, and conversion from packed RGB (the form every device produces
 * first) into a frame. The formats, their sizes and the colour equations are the host's one pixel
 * module (src/core/pixels/); JPEG for mjpeg is its one codec path (src/core/codecs/).
 */
import { PIXEL_FORMATS, bytesPerPixel, writePixels, type PixelFormat } from '../core/pixels/index.js';
import { encodeJpeg } from '../core/codecs/jpeg.js';
import { fault } from './fault.js';

export { PIXEL_FORMATS, bytesPerPixel, type PixelFormat };

/** Same shape as `wasi:buffer-pool/data-types.dimension`. */
export interface Layout {
  width: number;
  height: number;
  /** Bytes from one row to the next; 0 for mjpeg. */
  strideBytes: number;
  pixelFormat: PixelFormat;
}

/** Same shape as `wasi:sensor/property.fraction`: frames per second = numerator / denominator. */
export interface Rate {
  numerator: number;
  denominator: number;
}

/** What a device advertises (config and `wasi-edge devices`); anything else is refused. */
export interface Capabilities {
  formats: readonly PixelFormat[];
  maxWidth: number;
  maxHeight: number;
  /** Inclusive range of frames per second. */
  minFps: number;
  maxFps: number;
  /** False for devices whose frame layout is fixed (image fixtures). */
  layoutSettable: boolean;
}

/** Payload bytes of one frame, or undefined for mjpeg (variable). */
export function frameBytes(layout: Layout): number | undefined {
  return layout.pixelFormat === 'mjpeg' ? undefined : layout.strideBytes * layout.height;
}

/**
 * Checks a requested layout. Malformed requests (zero size, a stride that cannot hold a row,
 * a stride for mjpeg, an odd yuy2 width) are `invalid-argument`; well-formed requests beyond
 * what the device advertises (size, format) are `out-of-range`. A raw-format stride of 0 means
 * "rows packed", and the returned layout carries the actual stride.
 */
export function checkLayout(d: Layout, caps: Capabilities): Layout {
  if (!Number.isInteger(d.width) || !Number.isInteger(d.height) || d.width < 1 || d.height < 1) {
    fault('invalid-argument', `width and height must be at least 1, got ${d.width}x${d.height}`);
  }
  const bpp = bytesPerPixel(d.pixelFormat);
  let stride = d.strideBytes;
  if (d.pixelFormat === 'mjpeg') {
    if (stride !== 0) fault('invalid-argument', 'stride-bytes must be 0 for mjpeg');
  } else {
    if (d.pixelFormat === 'yuy2' && d.width % 2 !== 0) fault('invalid-argument', 'yuy2 needs an even width');
    if (stride === 0) stride = d.width * bpp;
    if (stride < d.width * bpp) fault('invalid-argument', `stride-bytes ${stride} cannot hold ${d.width} pixels of ${d.pixelFormat}`);
    if (stride > d.width * bpp + 4096) fault('out-of-range', `stride-bytes ${stride} pads rows by more than 4096 bytes`);
  }
  if (!caps.formats.includes(d.pixelFormat)) fault('out-of-range', `this device supports ${caps.formats.join(', ')}, not ${d.pixelFormat}`);
  if (d.width > caps.maxWidth || d.height > caps.maxHeight) {
    fault('out-of-range', `${d.width}x${d.height} exceeds the device maximum ${caps.maxWidth}x${caps.maxHeight}`);
  }
  return { width: d.width, height: d.height, strideBytes: stride, pixelFormat: d.pixelFormat };
}

/** A zero denominator or numerator is `invalid-argument`; a rate outside the device's range is `out-of-range`. */
export function checkRate(r: Rate, caps: Capabilities): Rate {
  if (!Number.isInteger(r.numerator) || !Number.isInteger(r.denominator) || r.numerator < 1 || r.denominator < 1) {
    fault('invalid-argument', `sampling rate must be a positive fraction, got ${r.numerator}/${r.denominator}`);
  }
  const fps = r.numerator / r.denominator;
  if (fps < caps.minFps || fps > caps.maxFps) fault('out-of-range', `${fps} fps is outside ${caps.minFps}..${caps.maxFps}`);
  return { numerator: r.numerator, denominator: r.denominator };
}

/**
 * Converts packed RGB (width*height*3) into `layout` (any raw format, padded rows zero), or
 * JPEG for mjpeg (`comment` goes into a COM segment: how a test pattern carries its frame number
 * through a lossy codec). `out`, when given, must have room for the whole frame.
 * gray is full-range BT.601 luma (a mono sensor); yuy2 is limited-range BT.601, what V4L2 cameras
 * send for YUYV and what wasi:vision reads (src/core/pixels/bt601.ts has the equations and rounding).
 */
export function fromRgb(rgb: Uint8Array, layout: Layout, out?: Uint8Array, comment?: string): Uint8Array {
  const { width, height, strideBytes, pixelFormat } = layout;
  if (pixelFormat === 'mjpeg') return encodeJpeg(width, height, rgb, 3, 90, comment ? [comment] : []);
  const dst = out ?? new Uint8Array(strideBytes * height);
  writePixels({ data: rgb, width, height, channels: 3 }, pixelFormat, dst, [{ offset: 0, stride: strideBytes }]);
  return dst;
}
