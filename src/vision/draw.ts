/**
 * Annotation: filled rectangles, rectangle outlines and point markers, written in place in the
 * image's own format (the caller makes sure the bytes are not shared). YUV: luma per pixel, and
 * the chroma sample of every block that has a drawn pixel.
 */
import { grayOf, yuvOf } from '../core/pixels/bt601.js';
import { VisionFailure } from './failure.js';
import { CHANNEL_OFFSETS, FORMAT_PLANES, type Raster } from './formats.js';
import type { Rect } from './crop.js';

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

export interface Point {
  x: number;
  y: number;
}

/** Fills [x0, x1) × [y0, y1) (already clipped). */
function fill(r: Raster, x0: number, y0: number, x1: number, y1: number, color: Rgb): void {
  const d = r.data;
  const offs = CHANNEL_OFFSETS[r.format];
  if (offs) {
    const bpp = FORMAT_PLANES[r.format][0]!.unitBytes;
    const { offset, stride } = r.planes[0]!;
    const gray = grayOf(color.r, color.g, color.b);
    for (let y = y0; y < y1; y++) {
      for (let x = x0, s = offset + y * stride + x0 * bpp; x < x1; x++, s += bpp) {
        if (r.format === 'gray') {
          d[s] = gray;
          continue;
        }
        d[s + offs[0]] = color.r;
        d[s + offs[1]] = color.g;
        d[s + offs[2]] = color.b;
        if (offs[3] >= 0) d[s + offs[3]] = 255;
      }
    }
    return;
  }
  const [Y, U, V] = yuvOf(color.r, color.g, color.b);
  const [p0, p1, p2] = r.planes;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if (r.format === 'yuy2') {
        const s = p0!.offset + y * p0!.stride + (x >> 1) * 4;
        d[s + (x & 1) * 2] = Y;
        d[s + 1] = U;
        d[s + 3] = V;
        continue;
      }
      d[p0!.offset + y * p0!.stride + x] = Y;
      const cy = y >> 1;
      const cx = x >> 1;
      if (r.format === 'nv12') {
        d[p1!.offset + cy * p1!.stride + cx * 2] = U;
        d[p1!.offset + cy * p1!.stride + cx * 2 + 1] = V;
      } else {
        d[p1!.offset + cy * p1!.stride + cx] = U;
        d[p2!.offset + cy * p2!.stride + cx] = V;
      }
    }
  }
}

function clippedFill(r: Raster, x: number, y: number, w: number, h: number, color: Rgb): void {
  const x1 = Math.min(x + w, r.width);
  const y1 = Math.min(y + h, r.height);
  if (x < x1 && y < y1) fill(r, Math.max(x, 0), Math.max(y, 0), x1, y1, color);
}

/** Outline `thickness` pixels wide inside `rect` (0: filled), clipped to the image. */
export function drawRect(r: Raster, rect: Rect, color: Rgb, thickness: number): void {
  if (rect.width === 0 || rect.height === 0) throw new VisionFailure('invalid-argument', 'empty rectangle');
  if (rect.x >= r.width || rect.y >= r.height) throw new VisionFailure('out-of-bounds', 'rectangle outside the image');
  const { x, y, width: w, height: h } = rect;
  if (thickness === 0 || 2 * thickness >= w || 2 * thickness >= h) {
    clippedFill(r, x, y, w, h, color);
    return;
  }
  const t = thickness;
  clippedFill(r, x, y, w, t, color);
  clippedFill(r, x, y + h - t, w, t, color);
  clippedFill(r, x, y + t, t, h - 2 * t, color);
  clippedFill(r, x + w - t, y + t, t, h - 2 * t, color);
}

/** A filled square of side 2*radius+1 at each point; any point outside → out-of-bounds, nothing drawn. */
export function drawPoints(r: Raster, points: readonly Point[], color: Rgb, radius: number): void {
  for (const p of points) {
    if (p.x >= r.width || p.y >= r.height) throw new VisionFailure('out-of-bounds', `point ${p.x},${p.y} outside the image`);
  }
  for (const p of points) clippedFill(r, p.x - radius, p.y - radius, 2 * radius + 1, 2 * radius + 1, color);
}
