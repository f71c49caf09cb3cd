/**
 * Cropping without copying: a crop is the same bytes with moved plane offsets. Chroma samples
 * are never split, so a YUV crop must start on a chroma boundary (x even; for 4:2:0 y even too).
 */
import { VisionFailure } from './failure.js';
import { FORMAT_PLANES, type Raster } from './formats.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Checks `rect` against `r`: empty → invalid-argument, outside → out-of-bounds, chroma split → invalid-argument. */
export function checkRect(r: Raster, rect: Rect): void {
  if (rect.width === 0 || rect.height === 0) throw new VisionFailure('invalid-argument', `empty rectangle ${rect.width}x${rect.height}`);
  if (rect.x + rect.width > r.width || rect.y + rect.height > r.height) {
    throw new VisionFailure('out-of-bounds', `rectangle ${rect.x},${rect.y} ${rect.width}x${rect.height} is outside the ${r.width}x${r.height} image`);
  }
  const infos = FORMAT_PLANES[r.format];
  const xSub = Math.max(...infos.map((i) => i.xSub));
  const ySub = Math.max(...infos.map((i) => i.ySub));
  if (rect.x % xSub !== 0 || rect.y % ySub !== 0) {
    throw new VisionFailure('invalid-argument', `${r.format} rectangles must start at a multiple of ${xSub},${ySub} (chroma is shared)`);
  }
}

/** A view of `rect` inside `r` (shares r.data). */
export function crop(r: Raster, rect: Rect): Raster {
  checkRect(r, rect);
  const planes = FORMAT_PLANES[r.format].map((info, i) => {
    const p = r.planes[i]!;
    return { offset: p.offset + (rect.y / info.ySub) * p.stride + (rect.x / info.xSub) * info.unitBytes, stride: p.stride };
  });
  return { width: rect.width, height: rect.height, format: r.format, data: r.data, planes };
}
