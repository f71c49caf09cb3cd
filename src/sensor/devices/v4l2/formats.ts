/**
 * Which driver pixel format serves which buffer-pool format, and the conversion when they differ.
 *
 * - Direct (the frame is the driver's buffer itself, zero copy on host-memory pools): YUYV → yuy2,
 *   RGB3 → rgb24, BGR3 → bgr24, GREY → gray, MJPG/JPEG → mjpeg.
 * - Converted (one pass into the pool's buffer, through the host's one pixel module): any of YUYV,
 *   NV12, RGB3, BGR3, GREY → any raw format; MJPG/JPEG decoded by the host's JPEG codec → any raw
 *   format. NV12 has no buffer-pool format of its own, so it is always converted.
 * A direct source is preferred over a conversion; among conversions, the order of `SOURCES`.
 */
import { decodeJpeg } from '../../../core/codecs/index.js';
import { packedPlanes, readRgba, writePixels, type RasterFormat } from '../../../core/pixels/index.js';
import type { Layout, PixelFormat } from '../../pixels.js';
import { fourcc } from './abi.js';

export interface Source {
  /** The fourcc as a string ("YUYV"). */
  name: string;
  code: number;
  /** How the pixel module reads it; undefined for JPEG. */
  raster?: RasterFormat;
  /** The buffer-pool format it is without conversion. */
  direct?: PixelFormat;
}

/** Every driver format this backend reads, in order of preference for conversions. */
export const SOURCES: readonly Source[] = [
  { name: 'YUYV', code: fourcc('YUYV'), raster: 'yuy2', direct: 'yuy2' },
  { name: 'NV12', code: fourcc('NV12'), raster: 'nv12' },
  { name: 'RGB3', code: fourcc('RGB3'), raster: 'rgb24', direct: 'rgb24' },
  { name: 'BGR3', code: fourcc('BGR3'), raster: 'bgr24', direct: 'bgr24' },
  { name: 'GREY', code: fourcc('GREY'), raster: 'gray', direct: 'gray' },
  { name: 'MJPG', code: fourcc('MJPG'), direct: 'mjpeg' },
  { name: 'JPEG', code: fourcc('JPEG'), direct: 'mjpeg' },
];

export const sourceByName = (name: string) => SOURCES.find((s) => s.name === name);
export const sourceByCode = (code: number) => SOURCES.find((s) => s.code === code);

/** The sources that can produce `target`, best first: direct ones, then conversions. */
export function sourcesFor(target: PixelFormat, offered: readonly Source[]): Source[] {
  const direct = offered.filter((s) => s.direct === target);
  if (target === 'mjpeg') return direct;
  return [...direct, ...offered.filter((s) => s.direct !== target)];
}

/** The driver's frame as it sits in its buffer: `bytesperline` of its first plane. */
export interface DriverFrame {
  source: Source;
  width: number;
  height: number;
  bytesperline: number;
}

/** True when the driver's buffer is the frame of `layout` as it is (same format and row stride). */
export function isDirect(d: DriverFrame, layout: Layout): boolean {
  return d.source.direct === layout.pixelFormat && (layout.pixelFormat === 'mjpeg' || d.bytesperline === layout.strideBytes);
}

/** The planes of a raw driver frame (NV12's chroma plane follows the luma plane at the same stride). */
function driverPlanes(d: DriverFrame) {
  const planes = packedPlanes(d.source.raster!, d.width, d.height);
  if (d.source.raster === 'nv12') return [{ offset: 0, stride: d.bytesperline }, { offset: d.bytesperline * d.height, stride: d.bytesperline }];
  return planes.map((p) => ({ offset: p.offset, stride: d.bytesperline }));
}

/**
 * Writes the driver's frame (`bytes`, `used` bytes of it) as `layout` into `out`: a row copy when
 * only the stride differs, else through RGB(A). Returns `out`.
 */
export function convertFrame(d: DriverFrame, bytes: Uint8Array, used: number, layout: Layout, out: Uint8Array): Uint8Array {
  const { width, height, strideBytes, pixelFormat } = layout;
  if (d.source.direct === pixelFormat && pixelFormat !== 'mjpeg') {
    const row = Math.min(strideBytes, d.bytesperline);
    for (let y = 0; y < height; y++) out.set(bytes.subarray(y * d.bytesperline, y * d.bytesperline + row), y * strideBytes);
    return out;
  }
  let rgba: { data: Uint8Array; channels: 3 | 4 };
  if (!d.source.raster) {
    const img = decodeJpeg(bytes.subarray(0, used), width * height);
    if (img.width !== width || img.height !== height) throw new Error(`a ${img.width}x${img.height} JPEG in a ${width}x${height} stream`);
    rgba = img.format === 'rgb24' ? { data: img.data, channels: 3 } : { data: readRgba(img.data, img.format === 'gray' ? 'gray' : 'rgba32', width, height, packedPlanes(img.format === 'gray' ? 'gray' : 'rgba32', width, height)), channels: 4 };
  } else {
    rgba = { data: readRgba(bytes, d.source.raster, width, height, driverPlanes(d)), channels: 4 };
  }
  writePixels({ data: rgba.data, width, height, channels: rgba.channels }, pixelFormat as RasterFormat, out, [{ offset: 0, stride: strideBytes }]);
  return out;
}
