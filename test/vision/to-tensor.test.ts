/** to-tensor numerics: layouts, channel orders, element types and both normalisations, by hand. */
import { describe, expect, it } from 'vitest';
import { harness, layout, randomBytes } from './helpers.js';
import type { TensorOptions } from '../../src/generated/interfaces/wasi-vision-image.js';

const f32 = (bytes: Uint8Array) => new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));

function options(o: Partial<TensorOptions> = {}): TensorOptions {
  return {
    width: 0, height: 0, resizeMethod: 'bilinear', tensorLayout: 'nhwc', elementType: 'U8', channels: 'rgb',
    normalization: { tag: 'none' }, ...o,
  };
}

// A 3x2 rgb24 image with distinct values: pixel (x, y) = [r, g, b].
const W = 3, H = 2;
const px = Uint8Array.from({ length: W * H * 3 }, (_, i) => i * 10);
const at = (x: number, y: number, c: number) => px[(y * W + x) * 3 + c]!;

describe('to-tensor', () => {
  it('U8 NHWC rgb is the pixels as they are, dims [1, h, w, 3]', () => {
    const { Image, tensors } = harness();
    Image.fromPixels(layout(W, H, 'rgb24'), px).toTensor(options());
    expect(tensors[0]!.dimensions).toEqual([1, H, W, 3]);
    expect(tensors[0]!.type).toBe('U8');
    expect([...tensors[0]!.data]).toEqual([...px]);
  });

  it('U8 NCHW bgr puts each channel in its own plane, blue first', () => {
    const { Image, tensors } = harness();
    Image.fromPixels(layout(W, H, 'rgb24'), px).toTensor(options({ tensorLayout: 'nchw', channels: 'bgr' }));
    expect(tensors[0]!.dimensions).toEqual([1, 3, H, W]);
    const want: number[] = [];
    for (const c of [2, 1, 0]) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) want.push(at(x, y, c));
    expect([...tensors[0]!.data]).toEqual(want);
  });

  it('the source pixel format does not matter: bgr24 and rgba32 give the same rgb tensor', () => {
    const { Image, tensors } = harness();
    const img = Image.fromPixels(layout(W, H, 'rgb24'), px);
    img.toTensor(options());
    img.convert('bgr24').toTensor(options());
    img.convert('rgba32').toTensor(options());
    expect([...tensors[1]!.data]).toEqual([...tensors[0]!.data]);
    expect([...tensors[2]!.data]).toEqual([...tensors[0]!.data]);
  });

  it('FP32 mean-std: (v/255 - mean[c]) / std[c] per channel, little-endian floats', () => {
    const { Image, tensors } = harness();
    const mean = Float32Array.of(0.485, 0.456, 0.406);
    const std = Float32Array.of(0.229, 0.224, 0.225);
    Image.fromPixels(layout(W, H, 'rgb24'), px).toTensor(options({ elementType: 'FP32', normalization: { tag: 'mean-std', val: { mean, std } } }));
    const got = f32(tensors[0]!.data);
    expect(tensors[0]!.type).toBe('FP32');
    expect(got.length).toBe(W * H * 3);
    for (let i = 0; i < got.length; i++) {
      const c = i % 3;
      expect(got[i]).toBeCloseTo((px[i]! / 255 - mean[c]!) / std[c]!, 5);
    }
  });

  it('FP32 scale-offset maps 0..255 to -1..1', () => {
    const { Image, tensors } = harness();
    Image.fromPixels(layout(2, 1, 'gray'), Uint8Array.of(0, 255)).toTensor(
      options({ elementType: 'FP32', channels: 'gray', normalization: { tag: 'scale-offset', val: { scale: 2 / 255, offset: -1 } } }));
    expect(tensors[0]!.dimensions).toEqual([1, 1, 2, 1]);
    expect([...f32(tensors[0]!.data)].map((v) => +v.toFixed(5))).toEqual([-1, 1]);
  });

  it('gray channel is BT.601 luma of the RGB pixels', () => {
    const { Image, tensors } = harness();
    Image.fromPixels(layout(W, H, 'rgb24'), px).toTensor(options({ channels: 'gray' }));
    const want = Array.from({ length: W * H }, (_, i) => Math.round(0.299 * px[i * 3]! + 0.587 * px[i * 3 + 1]! + 0.114 * px[i * 3 + 2]!));
    expect([...tensors[0]!.data]).toEqual(want);
  });

  it('resizing inside to-tensor equals resize then to-tensor (640x480 → 128x128, FP32 NHWC)', () => {
    const { Image, tensors } = harness();
    const big = Image.fromPixels(layout(640, 480, 'rgb24'), randomBytes(640 * 480 * 3, 99));
    const opts = options({ width: 128, height: 128, elementType: 'FP32', normalization: { tag: 'scale-offset', val: { scale: 1 / 255, offset: 0 } } });
    big.toTensor(opts);
    const small = big.resize(128, 128, 'bilinear').read(undefined);
    expect(tensors[0]!.dimensions).toEqual([1, 128, 128, 3]);
    const got = f32(tensors[0]!.data);
    for (let i = 0; i < got.length; i += 97) expect(got[i]).toBeCloseTo(small[i]! / 255, 6);
  });

  it('YUV images are converted to RGB after resizing', () => {
    const { Image, tensors } = harness();
    const img = Image.fromPixels(layout(8, 4, 'rgb24'), randomBytes(8 * 4 * 3, 5)).convert('nv12');
    img.toTensor(options({ width: 4, height: 2 }));
    const want = img.resize(4, 2, 'bilinear').convert('rgb24').read(undefined);
    expect([...tensors[0]!.data]).toEqual([...want]);
  });

  it('the pixels never count as lowered into the guest', () => {
    const { Image, services } = harness();
    Image.fromPixels(layout(W, H, 'rgb24'), px).toTensor(options());
    expect(services.counters.pixelBytesLowered).toBe(0);
  });

  it('a kept normalisation table never answers for other parameters, nor for mean/std arrays changed since', () => {
    const { Image, tensors } = harness();
    const img = Image.fromPixels(layout(W, H, 'rgb24'), px);
    const want = (f: (v: number, c: number) => number) => Array.from(px, (v, i) => Math.fround(f(v, i % 3)));
    const so = (scale: number, offset: number) => options({ elementType: 'FP32', normalization: { tag: 'scale-offset', val: { scale, offset } } });
    img.toTensor(so(0.5, 1));
    img.toTensor(so(0.5, 2));
    img.toTensor(so(0.25, 2));
    const mean = new Float32Array([0.5, 0.25, 0]), std = new Float32Array([0.5, 0.5, 0.25]);
    const ms = options({ elementType: 'FP32', normalization: { tag: 'mean-std', val: { mean, std } } });
    img.toTensor(ms);
    const first = Array.from(mean);
    mean[1] = 0.75; // the same array, changed: the next tensor must see it
    img.toTensor(ms);
    expect(Array.from(f32(tensors[0]!.data))).toEqual(want((v) => v * 0.5 + 1));
    expect(Array.from(f32(tensors[1]!.data))).toEqual(want((v) => v * 0.5 + 2));
    expect(Array.from(f32(tensors[2]!.data))).toEqual(want((v) => v * 0.25 + 2));
    expect(Array.from(f32(tensors[3]!.data))).toEqual(want((v, c) => (v / 255 - first[c]!) / std[c]!));
    expect(Array.from(f32(tensors[4]!.data))).toEqual(want((v, c) => (v / 255 - mean[c]!) / std[c]!));
  });
});
