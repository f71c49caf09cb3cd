/**
 * Pixel formats and their sizes, for every interface that holds pixels. Two lists:
 *  - `PIXEL_FORMATS`: wasi:buffer-pool's `pixel-format` enum by its WIT names, what a sensor frame
 *    can be (the sensor provider checks at compile time, through its dimension type, that it equals
 *    what jco generated from wit/: `src/core/type-equal.ts`);
 *  - `RASTER_FORMATS`: the uncompressed layouts pixels can be held in (buffer-pool's raw formats plus
 *    rgba32, nv12 and i420, the wasi:vision image formats). mjpeg is not a raster: it is decoded
 *    (src/core/codecs/) into one.
 * A raster format is described by its planes; everything about sizes and strides follows from that.
 */
export const PIXEL_FORMATS = ['gray', 'rgb24', 'bgr24', 'argb32', 'abgr32', 'yuy2', 'mjpeg'] as const;
export type PixelFormat = (typeof PIXEL_FORMATS)[number];

export const RASTER_FORMATS = ['gray', 'rgb24', 'bgr24', 'argb32', 'abgr32', 'yuy2', 'rgba32', 'nv12', 'i420'] as const;
export type RasterFormat = (typeof RASTER_FORMATS)[number];

export function isRasterFormat(f: string): f is RasterFormat {
  return (RASTER_FORMATS as readonly string[]).includes(f);
}

/**
 * One plane of a format. A plane row holds ceil(width / xSub) "units" of `unitBytes` bytes, and
 * the plane has ceil(height / ySub) rows. For yuy2 a unit is a pixel pair (y0 u y1 v).
 */
export interface PlaneInfo {
  xSub: number;
  ySub: number;
  unitBytes: number;
}

const P = (xSub: number, ySub: number, unitBytes: number): PlaneInfo => ({ xSub, ySub, unitBytes });

export const FORMAT_PLANES: Readonly<Record<RasterFormat, readonly PlaneInfo[]>> = {
  gray: [P(1, 1, 1)],
  rgb24: [P(1, 1, 3)],
  bgr24: [P(1, 1, 3)],
  argb32: [P(1, 1, 4)],
  abgr32: [P(1, 1, 4)],
  rgba32: [P(1, 1, 4)],
  yuy2: [P(2, 1, 4)],
  nv12: [P(1, 1, 1), P(2, 2, 2)],
  i420: [P(1, 1, 1), P(2, 2, 1), P(2, 2, 1)],
};

/** Byte offsets of r, g, b, a (-1: none) inside a pixel of a packed RGB-family format (gray: its one byte). */
export const CHANNEL_OFFSETS: Readonly<Partial<Record<RasterFormat, readonly [number, number, number, number]>>> = {
  gray: [0, 0, 0, -1],
  rgb24: [0, 1, 2, -1],
  bgr24: [2, 1, 0, -1],
  argb32: [1, 2, 3, 0],
  abgr32: [3, 2, 1, 0],
  rgba32: [0, 1, 2, 3],
};

export function isYuv(f: RasterFormat): boolean {
  return f === 'yuy2' || f === 'nv12' || f === 'i420';
}

/**
 * Bytes per pixel of a buffer-pool format as buffer-pool counts them (a row of a packed frame is
 * width × this); 0 for mjpeg, whose frames have no fixed size.
 */
export function bytesPerPixel(format: PixelFormat): number {
  if (format === 'mjpeg') return 0;
  const [plane] = FORMAT_PLANES[format];
  return plane!.unitBytes / plane!.xSub;
}

/** Where a plane starts in a buffer and how far apart its rows are. */
export interface PlaneLayout {
  offset: number;
  stride: number;
}

export function planeWidth(info: PlaneInfo, width: number): number {
  return Math.ceil(width / info.xSub);
}

export function planeHeight(info: PlaneInfo, height: number): number {
  return Math.ceil(height / info.ySub);
}

export function rowBytes(info: PlaneInfo, width: number): number {
  return planeWidth(info, width) * info.unitBytes;
}

/** The tightly packed layout: planes back to back, stride = row length. */
export function packedPlanes(format: RasterFormat, width: number, height: number): PlaneLayout[] {
  let offset = 0;
  return FORMAT_PLANES[format].map((info) => {
    const stride = rowBytes(info, width);
    const plane = { offset, stride };
    offset += stride * planeHeight(info, height);
    return plane;
  });
}

export function packedSize(format: RasterFormat, width: number, height: number): number {
  return FORMAT_PLANES[format].reduce((n, info) => n + rowBytes(info, width) * planeHeight(info, height), 0);
}
