/**
 * What a V4L2 capture device can do, from its enumeration ioctls: ENUM_FMT (pixel formats),
 * ENUM_FRAMESIZES per format (discrete sizes, or stepwise/continuous bounds) and
 * ENUM_FRAMEINTERVALS per size (discrete intervals or bounds). Mapped to the sensor's properties:
 * `dimension` takes a format and size some mode has, `sampling-rate` a rate the mode offers.
 */
import {
  V4L2, decodeFmtdesc, decodeFrameInterval, decodeFrameSize, encodeFmtdesc, encodeFrameInterval, encodeFrameSize,
  type Fraction, type V4l2Requests,
} from './abi.js';
import type { V4l2Kernel } from './kernel.js';
import { errnoCode } from './kernel.js';
import { sourceByCode, type Source } from './formats.js';

export interface SizeRange {
  minWidth: number;
  maxWidth: number;
  stepWidth: number;
  minHeight: number;
  maxHeight: number;
  stepHeight: number;
}

/** Frame rates in frames per second (the inverse of the driver's intervals). */
export interface RateRange {
  /** Discrete rates, or undefined for a continuous range. */
  discrete?: Fraction[];
  minFps: number;
  maxFps: number;
}

export interface Mode {
  source: Source;
  size: SizeRange;
  rates: RateRange;
}

/** Runs an enumeration ioctl for index 0, 1, ... until the driver answers EINVAL. */
function enumerate<T>(kernel: V4l2Kernel, fd: number, request: number, make: (i: number) => Uint8Array, read: (b: Uint8Array) => T, limit = 256): T[] {
  const out: T[] = [];
  for (let i = 0; i < limit; i++) {
    const b = make(i);
    try {
      kernel.ioctl(fd, request, b);
    } catch (e) {
      if (errnoCode(e) === 'EINVAL' || errnoCode(e) === 'ENOTTY') break;
      throw e;
    }
    out.push(read(b));
  }
  return out;
}

const fps = (interval: Fraction) => interval.denominator / interval.numerator;

function ratesOf(kernel: V4l2Kernel, fd: number, req: V4l2Requests, code: number, width: number, height: number): RateRange {
  const ivals = enumerate(kernel, fd, req.ENUM_FRAMEINTERVALS, (i) => encodeFrameInterval(i, code, width, height), decodeFrameInterval);
  const valid = ivals.filter((v) => v.min.numerator > 0 && v.min.denominator > 0);
  // A driver without ENUM_FRAMEINTERVALS: nothing is known; the rate is whatever it streams at.
  if (valid.length === 0) return { minFps: 1 / 3600, maxFps: 1000 };
  if (valid[0]!.type !== V4L2.FRMIVAL_TYPE_DISCRETE) {
    const v = valid[0]!;
    return { minFps: fps(v.max), maxFps: fps(v.min) };
  }
  // Rates as fractions of frames per second: interval n/d seconds → d/n fps.
  const discrete = valid.map((v) => ({ numerator: v.min.denominator, denominator: v.min.numerator }));
  const all = discrete.map((r) => r.numerator / r.denominator);
  return { discrete, minFps: Math.min(...all), maxFps: Math.max(...all) };
}

/** Every (format, size) the device offers that this backend can read, with its rates. */
export function enumerateModes(kernel: V4l2Kernel, fd: number, req: V4l2Requests): Mode[] {
  const formats = enumerate(kernel, fd, req.ENUM_FMT, (i) => encodeFmtdesc(kernel.abi, i), decodeFmtdesc);
  const modes: Mode[] = [];
  for (const f of formats) {
    const source = sourceByCode(f.pixelformat);
    if (!source) continue;
    const sizes = enumerate(kernel, fd, req.ENUM_FRAMESIZES, (i) => encodeFrameSize(i, f.pixelformat), decodeFrameSize);
    for (const s of sizes) {
      const size: SizeRange = {
        minWidth: s.width, maxWidth: s.maxWidth, stepWidth: Math.max(1, s.stepWidth),
        minHeight: s.height, maxHeight: s.maxHeight, stepHeight: Math.max(1, s.stepHeight),
      };
      modes.push({ source, size, rates: ratesOf(kernel, fd, req, f.pixelformat, s.width, s.height) });
      if (s.type !== V4L2.FRMSIZE_TYPE_DISCRETE) break;
    }
  }
  return modes;
}

export function sizeFits(s: SizeRange, width: number, height: number): boolean {
  return width >= s.minWidth && width <= s.maxWidth && (width - s.minWidth) % s.stepWidth === 0 &&
    height >= s.minHeight && height <= s.maxHeight && (height - s.minHeight) % s.stepHeight === 0;
}

export function rateFits(r: RateRange, rate: Fraction): boolean {
  if (r.discrete) return r.discrete.some((d) => d.numerator * rate.denominator === rate.numerator * d.denominator);
  const f = rate.numerator / rate.denominator;
  return f >= r.minFps && f <= r.maxFps;
}
