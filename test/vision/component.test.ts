/**
 * Real guests through jco: vision_basic exercises every function of wasi:vision/image through
 * the canonical ABI (C header guests/c/include/wasi_vision.h); its output is checked against values
 * computed here from the spec (half-pixel centres, BT.601 in integers), not by the provider.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runGuest, type GuestRun } from '../helpers/run-guest.js';

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

  it('gets the resize, conversion and tensor the spec defines, computed here from it', () => {
    const at = (x: number, y: number) => [...px.subarray((y * W + x) * 3, (y * W + x) * 3 + 3)] as [number, number, number];
    // area 8×4 → 4×2: each destination pixel is the mean of a 2×2 block, rounded half up.
    const area: number[] = [];
    for (let y = 0; y < 2; y++) for (let x = 0; x < 4; x++) {
      for (let c = 0; c < 3; c++) area.push(Math.floor(([0, 1].flatMap((dy) => [0, 1].map((dx) => at(2 * x + dx, 2 * y + dy)[c]!)).reduce((a, b) => a + b) + 2) / 4));
    }
    expect(nums(line(run.stdout, 'resize-area'))).toEqual(area);
    // nv12: BT.601 limited range in the integer form of docs/spec-notes.md § One BT.601; chroma of each 2×2 block.
    const S = ([r, g, b]: number[]) => 299 * r! + 587 * g! + 114 * b!;
    const T = ([r, g, b]: number[]) => 886 * b! - 299 * r! - 587 * g!;
    const U = ([r, g, b]: number[]) => 701 * r! - 587 * g! - 114 * b!;
    const nv12: number[] = [];
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) nv12.push(Math.floor((73 * S(at(x, y)) + 1_402_500) / 85_000));
    for (let y = 0; y < H; y += 2) for (let x = 0; x < W; x += 2) {
      const block = [at(x, y), at(x + 1, y), at(x, y + 1), at(x + 1, y + 1)];
      nv12.push(Math.floor((112 * block.map(T).reduce((a, b) => a + b) + 257 * 112_965 * 4) / (225_930 * 4)));
      nv12.push(Math.floor((224 * block.map(U).reduce((a, b) => a + b) + 257 * 178_755 * 4) / (357_510 * 4)));
    }
    expect(nums(line(run.stdout, 'nv12'))).toEqual(nv12);
    // The guest draws a filled red 2×2 square at the origin and a blue point at (7, 3), then makes a
    // 4×2 nearest tensor, NCHW, BGR, U8: nearest samples source (2d + 1) in both directions.
    const drawn = (x: number, y: number) => (x < 2 && y < 2 ? [255, 0, 0] : x === 7 && y === 3 ? [0, 0, 255] : at(x, y));
    const tensor: number[] = [];
    for (const c of [2, 1, 0]) for (let y = 0; y < 2; y++) for (let x = 0; x < 4; x++) tensor.push(drawn(2 * x + 1, 2 * y + 1)[c]!);
    expect(line(run.stdout, 'tensor dims')).toBe('1 3 2 4 type=4');
    expect(nums(line(run.stdout, 'tensor'))).toEqual(tensor);
  });

  it('round-trips PNG, takes a by-value frame, and draws', () => {
    expect(line(run.stdout, 'png round trip')).toBe('exact');
    expect(line(run.stdout, 'frame')).toBe('8 4 1');
    expect(line(run.stdout, 'drawn-corner')).toBe('255 0 0');
    expect(line(run.stdout, 'drawn-point')).toBe('0 0 255');
  });

  it('drawing on a conversion to the same format leaves the source alone, and the other way round', () => {
    const at = (x: number, y: number) => [...px.subarray((y * W + x) * 3, (y * W + x) * 3 + 3)].join(' ');
    expect(line(run.stdout, 'conversion-drawn')).toBe('0 255 0');
    expect(line(run.stdout, 'source-after-conversion-drawn')).toBe(at(0, 0));
    expect(line(run.stdout, 'conversion-after-source-drawn')).toBe(at(7, 3));
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
