/** Drawing: outlines inside the rectangle, fills, clipping, points, YUV colours, copy on write. */
import { describe, expect, it } from 'vitest';
import { harness, layout } from './helpers.js';

const RED = { r: 255, g: 0, b: 0 };

/** The gray image as rows of 0/1 (1 = drawn). */
function mask(bytes: Uint8Array, w: number): string[] {
  const rows: string[] = [];
  for (let i = 0; i < bytes.length; i += w) rows.push([...bytes.subarray(i, i + w)].map((v) => (v ? '#' : '.')).join(''));
  return rows;
}

describe('draw-rect', () => {
  it('draws a 1-pixel outline inside the rectangle', () => {
    const { Image } = harness();
    const img = Image.fromPixels(layout(6, 5, 'gray'), new Uint8Array(30));
    img.drawRect({ x: 1, y: 1, width: 4, height: 3 }, { r: 255, g: 255, b: 255 }, 1);
    expect(mask(img.read(undefined), 6)).toEqual(['......', '.####.', '.#..#.', '.####.', '......']);
  });

  it('thickness 0 fills; a partly outside rectangle is clipped', () => {
    const { Image } = harness();
    const img = Image.fromPixels(layout(4, 3, 'gray'), new Uint8Array(12));
    img.drawRect({ x: 2, y: 1, width: 10, height: 10 }, { r: 255, g: 255, b: 255 }, 0);
    expect(mask(img.read(undefined), 4)).toEqual(['....', '..##', '..##']);
  });

  it('writes the colour in the image format (rgba32 gets alpha 255, bgr24 reversed)', () => {
    const { Image } = harness();
    const rgba = Image.fromPixels(layout(1, 1, 'rgba32'), new Uint8Array(4));
    rgba.drawRect({ x: 0, y: 0, width: 1, height: 1 }, { r: 1, g: 2, b: 3 }, 0);
    expect([...rgba.read(undefined)]).toEqual([1, 2, 3, 255]);
    const bgr = Image.fromPixels(layout(1, 1, 'bgr24'), new Uint8Array(3));
    bgr.drawRect({ x: 0, y: 0, width: 1, height: 1 }, { r: 1, g: 2, b: 3 }, 0);
    expect([...bgr.read(undefined)]).toEqual([3, 2, 1]);
  });

  it('on nv12 a filled red box reads back red', () => {
    const { Image } = harness();
    const img = Image.fromPixels(layout(4, 4, 'rgb24'), new Uint8Array(48)).convert('nv12');
    img.drawRect({ x: 0, y: 0, width: 2, height: 2 }, RED, 0);
    const px = img.convert('rgb24').read({ x: 0, y: 0, width: 1, height: 1 });
    expect(Math.abs(px[0]! - 255)).toBeLessThanOrEqual(2);
    expect(px[1]!).toBeLessThanOrEqual(2);
    expect(img.convert('rgb24').read({ x: 3, y: 3, width: 1, height: 1 })[0]).toBe(0);
  });

  it('never changes the image a crop shares pixels with', () => {
    const { Image } = harness();
    const img = Image.fromPixels(layout(4, 4, 'gray'), new Uint8Array(16));
    const part = img.crop({ x: 1, y: 1, width: 2, height: 2 });
    part.drawRect({ x: 0, y: 0, width: 2, height: 2 }, { r: 255, g: 255, b: 255 }, 0);
    expect([...img.read(undefined)].every((v) => v === 0)).toBe(true);
    expect([...part.read(undefined)]).toEqual([255, 255, 255, 255]);
    img.drawRect({ x: 0, y: 0, width: 1, height: 1 }, { r: 255, g: 255, b: 255 }, 0);
    expect([...part.read(undefined)]).toEqual([255, 255, 255, 255]);
  });

  it('never changes the image a conversion to its own format was made from, nor the other way round', () => {
    // The conversion hands back the same bytes (nothing to convert): the two images share them.
    const { Image } = harness();
    const img = Image.fromPixels(layout(4, 4, 'rgb24'), new Uint8Array(48).fill(7));
    const same = img.convert('rgb24');
    same.drawRect({ x: 0, y: 0, width: 2, height: 2 }, RED, 0);
    expect([...img.read(undefined)].every((v) => v === 7)).toBe(true);
    expect([...same.read({ x: 0, y: 0, width: 1, height: 1 })]).toEqual([255, 0, 0]);
    const again = img.convert('rgb24');
    img.drawRect({ x: 3, y: 3, width: 1, height: 1 }, RED, 0);
    expect([...again.read(undefined)].every((v) => v === 7)).toBe(true);
  });
});

describe('draw-points', () => {
  it('draws (2r+1)-squares clipped at the edges', () => {
    const { Image } = harness();
    const img = Image.fromPixels(layout(5, 4, 'gray'), new Uint8Array(20));
    img.drawPoints([{ x: 0, y: 0 }, { x: 3, y: 2 }], { r: 255, g: 255, b: 255 }, 1);
    expect(mask(img.read(undefined), 5)).toEqual(['##...', '#####', '..###', '..###']);
  });
});
