/**
 * Real guests through jco: vision_basic exercises every function of wasi:vision/image through
 * the canonical ABI (C header guests/c/include/wasi_vision.h); its output is checked against the
 * same calls made directly on the provider.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runGuest, type GuestRun } from '../helpers/run-guest.js';
import { harness, layout } from './helpers.js';

const W = 8, H = 4;
const px = Uint8Array.from({ length: W * H * 3 }, (_, i) => (i * 7) & 255);
const line = (out: string, key: string) => out.split('\n').find((l) => l.startsWith(`${key}:`))?.slice(key.length + 1).trim();
const nums = (s: string | undefined) => (s ?? '').split(' ').filter(Boolean).map(Number);

describe('vision_basic guest', () => {
  let run: GuestRun;
  beforeAll(async () => {
    run = await runGuest('vision_basic');
  });

  it('runs to the end without a trap', () => {
    expect(run.trap).toBeUndefined();
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('vision_basic start\n')).toBe(true);
    expect(run.stdout).toContain('vision_basic done');
  });

  it('sees the size, format and layout of an image it made from pixels', () => {
    expect(line(run.stdout, 'size')).toBe('8 4 1');
    expect(line(run.stdout, 'layout')).toBe('8 4 1 planes=1 offset=0 stride=24');
  });

  it('reads a region and a crop of the pixels it gave', () => {
    const want: number[] = [];
    for (let y = 1; y < 3; y++) want.push(...px.subarray((y * W + 2) * 3, (y * W + 5) * 3));
    expect(nums(line(run.stdout, 'read-region'))).toEqual(want);
    expect(nums(line(run.stdout, 'crop'))).toEqual(want);
  });

  it('gets the same resize, conversion and tensor as the provider called directly', () => {
    const { Image, tensors } = harness();
    const img = Image.fromPixels(layout(W, H, 'rgb24'), px);
    expect(nums(line(run.stdout, 'resize-area'))).toEqual([...img.resize(4, 2, 'area').read(undefined)]);
    expect(nums(line(run.stdout, 'nv12'))).toEqual([...img.convert('nv12').read(undefined)]);
    img.drawRect({ x: 0, y: 0, width: 2, height: 2 }, { r: 255, g: 0, b: 0 }, 0);
    img.drawPoints([{ x: 7, y: 3 }], { r: 0, g: 0, b: 255 }, 0);
    img.toTensor({ width: 4, height: 2, resizeMethod: 'nearest', tensorLayout: 'nchw', elementType: 'U8', channels: 'bgr', normalization: { tag: 'none' } });
    expect(line(run.stdout, 'tensor dims')).toBe('1 3 2 4 type=4');
    expect(nums(line(run.stdout, 'tensor'))).toEqual([...tensors[0]!.data]);
  });

  it('round-trips PNG, takes a by-value frame, and draws', () => {
    expect(line(run.stdout, 'png round trip')).toBe('exact');
    expect(line(run.stdout, 'frame')).toBe('8 4 1');
    expect(line(run.stdout, 'drawn-corner')).toBe('255 0 0');
    expect(line(run.stdout, 'drawn-point')).toBe('0 0 255');
  });

  it('receives each error as a vision-error value', () => {
    expect(line(run.stdout, 'crop outside')).toBe('out-of-bounds');
    expect(line(run.stdout, 'convert mjpeg')).toBe('unsupported-format: 6');
    expect(line(run.stdout, 'from-encoded junk')).toMatch(/^decode-failed: /);
    expect(line(run.stdout, 'from-pixels short')).toMatch(/^invalid-argument: .*96 bytes/);
    expect(line(run.stdout, 'resize huge')).toBe('too-large');
    expect(line(run.stdout, 'to-tensor fp16')).toMatch(/^not-supported: .*FP16/);
  });
});
