// The sensor's yuy2 test pattern and wasi:vision's yuy2 reader agree on the colour range:
// a frame converted back to RGB is the pattern within rounding (vision reads limited range,
// as V4L2 cameras send it).
import { describe, expect, it } from 'vitest';
import { patternFrame } from '../../src/sensor/devices/test-pattern.js';
import { convert } from '../../src/vision/convert.js';

describe('sensor yuy2 frames through wasi:vision', () => {
  it('convert back to the rgb24 pattern within a few levels', () => {
    const w = 32, h = 8, n = 5;
    const yuy2 = patternFrame({ width: w, height: h, strideBytes: w * 2, pixelFormat: 'yuy2' }, n);
    const rgb = patternFrame({ width: w, height: h, strideBytes: w * 3, pixelFormat: 'rgb24' }, n);
    const back = convert({ width: w, height: h, format: 'yuy2', data: yuy2, planes: [{ offset: 0, stride: w * 2 }] }, 'rgb24');
    const p = back.planes[0]!;
    let sum = 0;
    for (let y = 0; y < h; y++) for (let x = 0; x < w * 3; x++) sum += Math.abs(back.data[p.offset + y * p.stride + x]! - rgb[y * w * 3 + x]!);
    expect(sum / (w * h * 3)).toBeLessThan(3);
  });
});
