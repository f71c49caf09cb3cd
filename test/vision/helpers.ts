/**
 * Calls the wasi:vision provider the way jco does (static functions and methods on the resource
 * class, errors thrown with a `payload`), with fake sensor-frame and nn-tensor services.
 */
import { expect } from 'vitest';
import type * as Wit from '../../src/generated/interfaces/wasi-vision-image.js';
import type { HostServices } from '../../src/core/services.js';
import { createVisionProvider, type VisionLimits } from '../../src/vision/provider.js';
import { visionDefinition } from '../../src/vision/definition.js';

export interface FakeTensor {
  dimensions: number[];
  type: string;
  data: Uint8Array;
}

export interface Harness {
  Image: typeof Wit.Image;
  services: HostServices;
  tensors: FakeTensor[];
  dispose(): void;
}

export function harness(opts: { limits?: Partial<VisionLimits>; nn?: boolean; frames?: HostServices['frames'] } = {}): Harness {
  const tensors: FakeTensor[] = [];
  const services: HostServices = { counters: { pixelBytesLowered: 0, encodedBytesLowered: 0 } };
  if (opts.nn !== false) {
    services.nnTensors = {
      create(dimensions, type, data) {
        const t = { dimensions: [...dimensions], type, data: new Uint8Array(data) };
        tensors.push(t);
        return t;
      },
      allocate: (byteLength) => new ArrayBuffer(byteLength),
    };
  }
  if (opts.frames) services.frames = opts.frames;
  const limits = { ...visionDefinition.defaultConfig(), ...opts.limits };
  const provider = createVisionProvider(limits, { services, wasi: {}, platform: undefined });
  const Image = (provider.imports['wasi:vision/image'] as { Image: typeof Wit.Image }).Image;
  return { Image, services, tensors, dispose: () => provider.dispose() };
}

/** The `vision-error` a call throws (fails the test if it does not throw one). */
export function witErr(f: () => unknown): Wit.VisionError {
  try {
    f();
  } catch (e) {
    expect(e).toHaveProperty('payload');
    return (e as { payload: Wit.VisionError }).payload;
  }
  expect.fail('expected a vision-error');
}

/** Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
export function randomBytes(n: number, seed = 1): Uint8Array {
  let s = seed >>> 0 || 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 255;
  }
  return out;
}

export function layout(width: number, height: number, pixelFormat: Wit.PixelFormat, planes: Wit.Plane[] = []): Wit.Layout {
  return { width, height, pixelFormat, planes };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}
