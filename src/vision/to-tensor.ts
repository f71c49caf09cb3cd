/**
 * Image → tensor bytes, defined as a composition of the other ops so that it can be checked
 * against them: resize to the target size (in the image's own format), convert YUV to RGB,
 * pick the channels, then map each 8-bit sample through the normalisation. The normalisation is
 * a per-channel 256-entry table, so every sample costs one lookup.
 */
import { convert } from './convert.js';
import { grayOf } from '../core/pixels/bt601.js';
import { VisionFailure } from './failure.js';
import { CHANNEL_OFFSETS, FORMAT_PLANES, type Raster, isYuv } from './formats.js';
import { type ResizeMethod, resize } from './resize.js';
import { bilinearTensor, fusable, geometryFor } from './tensor-bilinear.js';
import { runSimdTensor } from './simd/kernel.js';

export type Normalization =
  | { kind: 'none' }
  | { kind: 'scale-offset'; scale: number; offset: number }
  | { kind: 'mean-std'; mean: ArrayLike<number>; std: ArrayLike<number> };

export interface TensorSpec {
  /** 0 and 0 keep the image's size. */
  width: number;
  height: number;
  method: ResizeMethod;
  layout: 'nhwc' | 'nchw';
  element: 'u8' | 'f32';
  channels: 'rgb' | 'bgr' | 'gray';
  normalization: Normalization;
}

export interface TensorBytes {
  dimensions: number[];
  element: 'u8' | 'f32';
  /** Row-major, little-endian element bytes. */
  bytes: Uint8Array;
}

/** Per-channel lookup tables: sample → value. Throws invalid-argument for malformed parameters. */
function tables(spec: TensorSpec, channels: number): Float64Array[] {
  const n = spec.normalization;
  if (spec.element === 'u8' && n.kind !== 'none') {
    throw new VisionFailure('invalid-argument', 'a U8 tensor takes no normalization (use FP32)');
  }
  const out: Float64Array[] = [];
  for (let c = 0; c < channels; c++) {
    const t = new Float64Array(256);
    for (let v = 0; v < 256; v++) {
      if (n.kind === 'none') t[v] = v;
      else if (n.kind === 'scale-offset') t[v] = v * n.scale + n.offset;
      else t[v] = (v / 255 - n.mean[c]!) / n.std[c]!;
    }
    out.push(t);
  }
  if (n.kind === 'mean-std') {
    if (n.mean.length !== channels || n.std.length !== channels) {
      throw new VisionFailure('invalid-argument', `mean-std needs ${channels} mean and std values, got ${n.mean.length} and ${n.std.length}`);
    }
    for (let c = 0; c < channels; c++) {
      if (!(n.std[c] !== 0 && Number.isFinite(n.std[c]) && Number.isFinite(n.mean[c]))) {
        throw new VisionFailure('invalid-argument', `mean-std: std must be finite and non-zero, mean finite (channel ${c})`);
      }
    }
  }
  if (n.kind === 'scale-offset' && !(Number.isFinite(n.scale) && Number.isFinite(n.offset))) {
    throw new VisionFailure('invalid-argument', 'scale-offset: scale and offset must be finite');
  }
  return out;
}

/** The size the tensor will have, after checking width/height (both 0 or both non-zero). */
export function targetSize(r: Raster, spec: TensorSpec): [number, number] {
  if ((spec.width === 0) !== (spec.height === 0)) {
    throw new VisionFailure('invalid-argument', `tensor size ${spec.width}x${spec.height}: give both or neither`);
  }
  return spec.width === 0 ? [r.width, r.height] : [spec.width, spec.height];
}

/**
 * The normalisation as one flat table, channel k at k*256, for one monomorphic Float32Array loop
 * (U8 values are the integers 0..255, converted at the end): mixing Uint8Array and Float32Array
 * writes in one loop made V8's stores polymorphic and the loop several times slower. The last
 * table is kept: a pipeline asks for the same normalisation frame after frame.
 */
let lastTable: { element: TensorSpec['element']; channels: number; normalization: Normalization; table: Float32Array } | undefined;

function sameNumbers(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function sameNormalization(a: Normalization, b: Normalization): boolean {
  if (a.kind === 'scale-offset') return b.kind === 'scale-offset' && Object.is(a.scale, b.scale) && Object.is(a.offset, b.offset);
  if (a.kind === 'mean-std') return b.kind === 'mean-std' && sameNumbers(a.mean, b.mean) && sameNumbers(a.std, b.std);
  return b.kind === 'none';
}

function normalisationTable(spec: TensorSpec, c: number): Float32Array {
  const last = lastTable;
  if (last && last.element === spec.element && last.channels === c && sameNormalization(last.normalization, spec.normalization)) return last.table;
  const lut = tables(spec, c); // validates: what matched a kept table was valid
  const table = new Float32Array(256 * c);
  lut.forEach((t, k) => table.set(t, k * 256));
  // A copy of the parameters: the caller's mean and std arrays may change after this call.
  const n = spec.normalization;
  const normalization: Normalization = n.kind === 'mean-std' ? { kind: n.kind, mean: Array.from(n.mean), std: Array.from(n.std) } : { ...n };
  lastTable = { element: spec.element, channels: c, normalization, table };
  return table;
}

export interface ToTensorOptions {
  /** Use the WebAssembly SIMD kernel where the engine runs it (default true; tests compare both paths). */
  simd?: boolean;
  /** Where an f32 tensor's bytes go: a buffer of exactly that many bytes, every one of which is written (default: a new one). */
  allocate?: (byteLength: number) => ArrayBuffer;
}

export function toTensor(r: Raster, spec: TensorSpec, options: ToTensorOptions = {}): TensorBytes {
  const [w, h] = targetSize(r, spec);
  const c = spec.channels === 'gray' ? 1 : 3;
  const table = normalisationTable(spec, c);
  // Element index of (y, x, channel k): NHWC ((y*w)+x)*c+k, NCHW k*h*w + y*w + x.
  const pixelStep = spec.layout === 'nhwc' ? c : 1;
  const channelStep = spec.layout === 'nhwc' ? 1 : w * h;
  const resized = w !== r.width || h !== r.height;
  // Only an f32 tensor is the values themselves; a u8 one is made from them below.
  const allocate = spec.element === 'f32' ? options.allocate : undefined;
  const f32Out = (n: number) => (allocate ? new Float32Array(allocate(n * 4)) : new Float32Array(n));
  let values: Float32Array;
  if (resized && spec.method === 'bilinear' && fusable(r)) {
    const [ro, go, bo] = CHANNEL_OFFSETS[r.format]!;
    const picks = spec.channels === 'bgr' ? [bo, go, ro] as const : [ro, go, bo] as const;
    const n = spec.normalization;
    const scale = spec.element === 'f32' && n.kind === 'scale-offset' && Object.is(n.offset, 0) && Math.fround(n.scale) === n.scale ? n.scale : undefined;
    const target = { width: w, height: h, channels: c, picks, table, pixelStep, channelStep, ...(scale !== undefined ? { scale } : {}) } as const;
    const g = geometryFor(r, target);
    const simd = options.simd === false ? undefined : runSimdTensor(r, target, g, f32Out);
    if (simd) values = simd;
    else bilinearTensor(r, target, (values = f32Out(w * h * c)), g);
  } else {
    values = f32Out(w * h * c);
    pack(resized ? resize(r, w, h, spec.method) : r, spec, c, table, values, pixelStep, channelStep);
  }
  const dimensions = spec.layout === 'nhwc' ? [1, h, w, c] : [1, c, h, w];
  const typed = spec.element === 'f32' ? values : Uint8Array.from(values);
  return { dimensions, element: spec.element, bytes: new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength) };
}

/** Channel pick + normalisation of an image already at the tensor's size. */
function pack(
  image: Raster, spec: TensorSpec, c: number, table: Float32Array, values: Float32Array, pixelStep: number, channelStep: number,
): void {
  const src = isYuv(image.format) ? convert(image, 'rgb24') : image;
  const [ro, go, bo] = CHANNEL_OFFSETS[src.format]!;
  const bpp = FORMAT_PLANES[src.format][0]!.unitBytes;
  const picks = spec.channels === 'bgr' ? [bo, go, ro] : [ro, go, bo];
  const { offset, stride } = src.planes[0]!;
  const data = src.data;
  const { width: w, height: h } = src;
  const p0 = picks[0]!, p1 = picks[1]!, p2 = picks[2]!;
  for (let y = 0; y < h; y++) {
    let s = offset + y * stride;
    let o = y * w * pixelStep;
    for (let x = 0; x < w; x++, s += bpp, o += pixelStep) {
      if (c === 1) {
        values[o] = table[grayOf(data[s + ro]!, data[s + go]!, data[s + bo]!)]!;
      } else {
        values[o] = table[data[s + p0]!]!;
        values[o + channelStep] = table[256 + data[s + p1]!]!;
        values[o + 2 * channelStep] = table[512 + data[s + p2]!]!;
      }
    }
  }
}
