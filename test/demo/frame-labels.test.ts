/**
 * The live stream's labels (scripts/frame-labels.mjs): each face's score above its box and the frame
 * number with the temperature in the corner, in a 5×7 bitmap font on a black box. The expected pixels
 * are read off the font's pictures by hand (the '1' and '#' glyphs), not from the code.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { drawLabel, frameLabels, labelSize } from '../../scripts/frame-labels.mjs';

const W = 40, H = 20;
function rgbRaster() {
  return { width: W, height: H, format: 'rgb24', data: new Uint8Array(W * H * 3).fill(100), planes: [{ offset: 0, stride: W * 3 }] };
}
const at = (r: ReturnType<typeof rgbRaster>, x: number, y: number) => [...r.data.subarray((y * W + x) * 3, (y * W + x) * 3 + 3)];

describe('frame labels', () => {
  it('draws a glyph in ink on a black box, scaled, at the given corner', () => {
    const r = rgbRaster();
    drawLabel(r, 3, 4, '1', [255, 0, 0], 1);
    // '1' row 0 is "..#..": ink at column 2 only. Padding is 2 px: the glyph starts at (5, 6).
    expect(at(r, 7, 6)).toEqual([255, 0, 0]);
    expect(at(r, 6, 6)).toEqual([0, 0, 0]);
    // row 6 is ".###.": columns 1-3.
    expect([at(r, 6, 12), at(r, 8, 12), at(r, 9, 12)]).toEqual([[255, 0, 0], [255, 0, 0], [0, 0, 0]]);
    // The box is 5+4 wide and 7+4 high; outside it the picture is untouched.
    expect(at(r, 3, 4)).toEqual([0, 0, 0]);
    expect(at(r, 11, 14)).toEqual([0, 0, 0]);
    expect(at(r, 12, 4)).toEqual([100, 100, 100]);
    expect(at(r, 3, 15)).toEqual([100, 100, 100]);
  });

  it('moves a label that would leave the image back inside it', () => {
    const r = rgbRaster();
    drawLabel(r, 35, -3, '#', [255, 255, 255], 1);
    // 9 px wide: it ends at the right edge, top at 0. '#' row 0 ".#.#." → ink at columns 1 and 3.
    expect(at(r, 31 + 2 + 1, 2)).toEqual([255, 255, 255]);
    expect(at(r, 31 + 2 + 3, 2)).toEqual([255, 255, 255]);
    expect(at(r, 31 + 2 + 2, 2)).toEqual([0, 0, 0]);
    expect(at(r, 30, 2)).toEqual([100, 100, 100]);
  });

  it('refuses characters it has no glyph for and formats it cannot draw on', () => {
    expect(() => drawLabel(rgbRaster(), 0, 0, 'x', [0, 0, 0])).toThrow(/no glyph for "x"/);
    expect(() => drawLabel({ ...rgbRaster(), format: 'gray8' }, 0, 0, '1', [0, 0, 0])).toThrow(/rgb24 or rgba only/);
  });

  it('labels every face with its score above the box, and the frame with its temperature', () => {
    const labels = frameLabels({ frame: 87, faces: [{ score: 0.934, box: { x: 100, y: 50, w: 40, h: 40 } }], temperature: 21.5 });
    expect(labels.map((l: { text: string }) => l.text)).toEqual(['0.93', '#87 21.5°C']);
    expect(labels[0].y + labelSize('0', 2).h).toBeLessThanOrEqual(50);
    expect(frameLabels({ frame: 1, faces: [], temperature: null }).map((l: { text: string }) => l.text)).toEqual(['#1 N/A']);
  });
});
