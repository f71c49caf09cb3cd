/**
 * Pixel layouts of wasi:buffer-pool frames, without WIT: the formats, their sizes, how a
 * requested layout is checked against what a device supports, and conversion from packed RGB
 * (the form every device produces first) into each format.
 */
import { encodeJpeg } from './jpeg-encoder.js';
import { fault } from './fault.js';

export const PIXEL_FORMATS = ['gray', 'rgb24', 'bgr24', 'argb32', 'abgr32', 'yuy2', 'mjpeg'] as const;
export type PixelFormat = (typeof PIXEL_FORMATS)[number];

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

export function bytesPerPixel(format: PixelFormat): number {
  switch (format) {
    case 'gray':
      return 1;
    case 'rgb24':
    case 'bgr24':
      return 3;
    case 'argb32':
    case 'abgr32':
      return 4;
    case 'yuy2':
      return 2;
    case 'mjpeg':
      return 0;
  }
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

/** BT.601 full-range luma and chroma (the JFIF equations), rounded and clamped: the gray format. */
function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}
export function rgbToY(r: number, g: number, b: number): number {
  return clamp(0.299 * r + 0.587 * g + 0.114 * b);
}
export function rgbToU(r: number, g: number, b: number): number {
  return clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
}
export function rgbToV(r: number, g: number, b: number): number {
  return clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
}

/**
 * Limited-range ("video range") BT.601 for yuy2: Y in 16..235, Cb/Cr in 16..240. That is what
 * V4L2 cameras send for YUYV and what wasi:vision reads, so a test-pattern yuy2 frame converts
 * back to the pattern's RGB within rounding. (gray stays full-range luma, as for a mono sensor.)
 */
export function rgbToYVideo(r: number, g: number, b: number): number {
  return clamp(16 + (219 / 255) * (0.299 * r + 0.587 * g + 0.114 * b));
}
export function rgbToUVideo(r: number, g: number, b: number): number {
  return clamp(128 + (224 / 255) * (-0.168736 * r - 0.331264 * g + 0.5 * b));
}
export function rgbToVVideo(r: number, g: number, b: number): number {
  return clamp(128 + (224 / 255) * (0.5 * r - 0.418688 * g - 0.081312 * b));
}

/**
 * Converts packed RGB (width*height*3) into `layout` (any raw format, padded rows zero), or
 * JPEG for mjpeg (`comment` goes into a COM segment: how a test pattern carries its frame number
 * through a lossy codec). `out`, when given, must have room for the whole frame.
 */
export function fromRgb(rgb: Uint8Array, layout: Layout, out?: Uint8Array, comment?: string): Uint8Array {
  const { width: w, height: h, strideBytes: stride, pixelFormat } = layout;
  if (pixelFormat === 'mjpeg') {
    const rgba = new Uint8Array(w * h * 4);
    for (let i = 0, j = 0; i < w * h * 3; i += 3, j += 4) {
      rgba[j] = rgb[i]!;
      rgba[j + 1] = rgb[i + 1]!;
      rgba[j + 2] = rgb[i + 2]!;
      rgba[j + 3] = 255;
    }
    return encodeJpeg(w, h, rgba, 90, comment ? [comment] : []);
  }
  const dst = out ?? new Uint8Array(stride * h);
  for (let y = 0; y < h; y++) {
    let s = y * w * 3;
    let d = y * stride;
    switch (pixelFormat) {
      case 'rgb24':
        dst.set(rgb.subarray(s, s + w * 3), d);
        d += w * 3;
        break;
      case 'bgr24':
        for (let x = 0; x < w; x++, s += 3, d += 3) {
          dst[d] = rgb[s + 2]!;
          dst[d + 1] = rgb[s + 1]!;
          dst[d + 2] = rgb[s]!;
        }
        break;
      case 'argb32':
        for (let x = 0; x < w; x++, s += 3, d += 4) {
          dst[d] = 255;
          dst[d + 1] = rgb[s]!;
          dst[d + 2] = rgb[s + 1]!;
          dst[d + 3] = rgb[s + 2]!;
        }
        break;
      case 'abgr32':
        for (let x = 0; x < w; x++, s += 3, d += 4) {
          dst[d] = 255;
          dst[d + 1] = rgb[s + 2]!;
          dst[d + 2] = rgb[s + 1]!;
          dst[d + 3] = rgb[s]!;
        }
        break;
      case 'gray':
        for (let x = 0; x < w; x++, s += 3, d += 1) dst[d] = rgbToY(rgb[s]!, rgb[s + 1]!, rgb[s + 2]!);
        break;
      case 'yuy2':
        // Chroma of a pixel pair is the mean of the pair's chroma.
        for (let x = 0; x < w; x += 2, s += 6, d += 4) {
          const r0 = rgb[s]!, g0 = rgb[s + 1]!, b0 = rgb[s + 2]!;
          const r1 = rgb[s + 3]!, g1 = rgb[s + 4]!, b1 = rgb[s + 5]!;
          dst[d] = rgbToYVideo(r0, g0, b0);
          dst[d + 1] = (rgbToUVideo(r0, g0, b0) + rgbToUVideo(r1, g1, b1) + 1) >> 1;
          dst[d + 2] = rgbToYVideo(r1, g1, b1);
          dst[d + 3] = (rgbToVVideo(r0, g0, b0) + rgbToVVideo(r1, g1, b1) + 1) >> 1;
        }
        break;
    }
    if (out) dst.fill(0, d, y * stride + stride);
  }
  return dst;
}
