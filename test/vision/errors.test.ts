/** Every vision-error case, produced by a guest-style call (never a trap, never a plain Error). */
import { describe, expect, it } from 'vitest';
import { encode as encodePng } from 'fast-png';
import type { TensorOptions } from '../../src/generated/interfaces/wasi-vision-image.js';
import { visionDefinition } from '../../src/vision/definition.js';
import { ConfigError } from '../../src/core/validate.js';
import { harness, layout, witErr } from './helpers.js';

const tensor = (o: Partial<TensorOptions> = {}): TensorOptions => ({
  width: 0, height: 0, resizeMethod: 'nearest', tensorLayout: 'nhwc', elementType: 'U8', channels: 'rgb', normalization: { tag: 'none' }, ...o,
});

function rgb(w = 4, h = 4) {
  const h1 = harness();
  return { ...h1, img: h1.Image.fromPixels(layout(w, h, 'rgb24'), new Uint8Array(w * h * 3)) };
}

describe('invalid-argument', () => {
  const cases: [string, () => unknown][] = [
    ['zero-size layout', () => harness().Image.fromPixels(layout(0, 4, 'rgb24'), new Uint8Array(12))],
    ['data shorter than the layout', () => harness().Image.fromPixels(layout(4, 4, 'rgb24'), new Uint8Array(47))],
    ['stride shorter than a row', () => harness().Image.fromPixels(layout(4, 1, 'rgb24', [{ offset: 0, strideBytes: 11 }]), new Uint8Array(64))],
    ['wrong number of planes', () => harness().Image.fromPixels(layout(4, 4, 'nv12', [{ offset: 0, strideBytes: 4 }]), new Uint8Array(64))],
    ['empty crop', () => rgb().img.crop({ x: 0, y: 0, width: 0, height: 2 })],
    ['crop splitting chroma', () => rgb().img.convert('nv12').crop({ x: 1, y: 0, width: 2, height: 2 })],
    ['resize to zero', () => rgb().img.resize(0, 3, 'bilinear')],
    ['JPEG quality 0', () => rgb().img.encode({ tag: 'jpeg', val: 0 })],
    ['JPEG quality 101', () => rgb().img.encode({ tag: 'jpeg', val: 101 })],
    ['tensor width without height', () => rgb().img.toTensor(tensor({ width: 8 }))],
    ['U8 tensor with normalization', () => rgb().img.toTensor(tensor({ normalization: { tag: 'scale-offset', val: { scale: 1, offset: 0 } } }))],
    ['mean-std with two entries for rgb', () => rgb().img.toTensor(tensor({ elementType: 'FP32', normalization: { tag: 'mean-std', val: { mean: Float32Array.of(0, 0), std: Float32Array.of(1, 1) } } }))],
    ['mean-std with std 0', () => rgb().img.toTensor(tensor({ elementType: 'FP32', normalization: { tag: 'mean-std', val: { mean: Float32Array.of(0, 0, 0), std: Float32Array.of(1, 0, 1) } } }))],
    ['empty rectangle to draw', () => rgb().img.drawRect({ x: 0, y: 0, width: 0, height: 1 }, { r: 0, g: 0, b: 0 }, 1)],
  ];
  for (const [name, call] of cases) {
    it(name, () => {
      const e = witErr(call);
      expect(e.tag).toBe('invalid-argument');
      expect((e as { val: string }).val.length).toBeGreaterThan(0);
    });
  }
});

describe('out-of-bounds', () => {
  it('crop, read, draw-rect and draw-points outside the image', () => {
    const { img } = rgb(4, 4);
    expect(witErr(() => img.crop({ x: 2, y: 0, width: 3, height: 1 }))).toEqual({ tag: 'out-of-bounds' });
    expect(witErr(() => img.read({ x: 0, y: 3, width: 1, height: 2 }))).toEqual({ tag: 'out-of-bounds' });
    expect(witErr(() => img.drawRect({ x: 4, y: 0, width: 1, height: 1 }, { r: 1, g: 1, b: 1 }, 0))).toEqual({ tag: 'out-of-bounds' });
    expect(witErr(() => img.drawPoints([{ x: 1, y: 1 }, { x: 0, y: 4 }], { r: 9, g: 9, b: 9 }, 0))).toEqual({ tag: 'out-of-bounds' });
    // Nothing was drawn by the refused call, not even the valid first point.
    expect([...img.read(undefined)].every((b) => b === 0)).toBe(true);
  });
});

describe('unsupported-format', () => {
  it('convert to mjpeg', () => {
    expect(witErr(() => rgb().img.convert('mjpeg'))).toEqual({ tag: 'unsupported-format', val: 'mjpeg' });
  });
});

describe('decode-failed', () => {
  it('bytes that are neither PNG nor JPEG', () => {
    expect(witErr(() => harness().Image.fromEncoded(Uint8Array.of(1, 2, 3, 4))).tag).toBe('decode-failed');
  });
  it('a PNG with a corrupt body', () => {
    const png = encodePng({ width: 4, height: 4, channels: 3, depth: 8, data: new Uint8Array(48) });
    const broken = png.slice(0, png.length - 20);
    broken[40] = broken[40]! ^ 0xff;
    expect(witErr(() => harness().Image.fromEncoded(broken)).tag).toBe('decode-failed');
  });
  it('PNG bytes declared as mjpeg', () => {
    const png = encodePng({ width: 2, height: 2, channels: 1, depth: 8, data: new Uint8Array(4) });
    expect(witErr(() => harness().Image.fromPixels(layout(2, 2, 'mjpeg'), png)).tag).toBe('decode-failed');
  });
  it('a JPEG signature followed by garbage (also as an mjpeg frame)', () => {
    const bad = Uint8Array.of(0xff, 0xd8, 0xff, 0x00, 1, 2, 3);
    expect(witErr(() => harness().Image.fromEncoded(bad)).tag).toBe('decode-failed');
    expect(witErr(() => harness().Image.fromPixels(layout(0, 0, 'mjpeg'), bad)).tag).toBe('decode-failed');
  });
});

describe('too-large', () => {
  const small = { limits: { maxPixels: 100, maxInputBytes: 1000 } };
  it('raw pixels, resize, to-tensor, decoded PNG and JPEG above maxPixels; inputs above maxInputBytes', () => {
    const { Image } = harness(small);
    expect(witErr(() => Image.fromPixels(layout(11, 10, 'gray'), new Uint8Array(110)))).toEqual({ tag: 'too-large' });
    const img = Image.fromPixels(layout(10, 10, 'gray'), new Uint8Array(100));
    expect(witErr(() => img.resize(20, 10, 'nearest'))).toEqual({ tag: 'too-large' });
    expect(witErr(() => img.toTensor(tensor({ width: 101, height: 1 })))).toEqual({ tag: 'too-large' });
    expect(witErr(() => Image.fromPixels(layout(10, 10, 'gray'), new Uint8Array(1001)))).toEqual({ tag: 'too-large' });
    const big = harness();
    const png = big.Image.fromPixels(layout(20, 20, 'gray'), new Uint8Array(400)).encode({ tag: 'png' });
    const jpeg = big.Image.fromPixels(layout(20, 20, 'gray'), new Uint8Array(400)).encode({ tag: 'jpeg', val: 50 });
    expect(witErr(() => Image.fromEncoded(png))).toEqual({ tag: 'too-large' });
    expect(witErr(() => Image.fromEncoded(jpeg))).toEqual({ tag: 'too-large' });
  });
});

describe('not-supported', () => {
  it('to-tensor without wasi:nn', () => {
    const { Image } = harness({ nn: false });
    const e = witErr(() => Image.fromPixels(layout(2, 2, 'gray'), new Uint8Array(4)).toTensor(tensor()));
    expect(e).toEqual({ tag: 'not-supported', val: expect.stringContaining('wasi:nn') });
  });
  it('tensor element types other than U8 and FP32', () => {
    for (const elementType of ['FP16', 'BF16', 'FP64', 'I32', 'I64'] as const) {
      expect(witErr(() => rgb().img.toTensor(tensor({ elementType }))).tag).toBe('not-supported');
    }
  });
  it('the nn provider refusing the tensor never leaks its own error type', () => {
    const h = harness();
    h.services.nnTensors = { create: () => { throw Object.assign(new Error('nn says no'), { payload: 'too-large' }); }, allocate: (n) => new ArrayBuffer(n) };
    const e = witErr(() => h.Image.fromPixels(layout(2, 2, 'gray'), new Uint8Array(4)).toTensor(tensor()));
    expect(e).toEqual({ tag: 'not-supported', val: expect.stringContaining('nn says no') });
  });
  // host-memory without a sensor provider: frames.test.ts.
});

describe('stale-frame', () => {
  it('is covered in frames.test.ts (invalidated and unknown memory)', () => {
    // Produced here too, so that this file lists every case.
    const h = harness({ frames: { resolve: () => undefined } });
    const e = witErr(() => h.Image.fromFrame({ tag: 'host-memory', val: {} as never }));
    expect(e).toEqual({ tag: 'stale-frame' });
  });
});

describe('configuration', () => {
  it('parses limits, rejects unknown keys and bad values naming the field', () => {
    expect(visionDefinition.parseConfig({ maxPixels: 640 * 480 }, 'vision', '.')).toEqual({ maxPixels: 307200, maxInputBytes: 64 * 2 ** 20 });
    expect(() => visionDefinition.parseConfig({ maxPixel: 1 }, 'vision', '.')).toThrow(/vision\.maxPixel.*maxPixels/);
    expect(() => visionDefinition.parseConfig({ maxPixels: 0 }, 'vision', '.')).toThrow(ConfigError);
    expect(visionDefinition.describe(visionDefinition.defaultConfig()).join('\n')).toContain('nv12');
  });
});
