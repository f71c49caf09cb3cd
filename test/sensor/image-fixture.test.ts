/**
 * The image-fixture camera reads its files through the host's one codec path: any PNG kind
 * (here 16-bit gray and gray + alpha, which it used to refuse) and JPEG become packed RGB, and a
 * file that is no image is an error naming the file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encode } from 'fast-png';
import jpeg from 'jpeg-js';
import { decodeToRgb } from '../../src/sensor/devices/image-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'fixture-'));
const file = (name: string, bytes: Uint8Array) => {
  writeFileSync(join(dir, name), bytes);
  return join(dir, name);
};

describe('image-fixture decoding', () => {
  it('16-bit gray keeps the high byte in all three channels; gray + alpha drops the alpha', () => {
    const g16 = file('g16.png', encode({ width: 2, height: 1, depth: 16, channels: 1, data: new Uint16Array([0x1234, 0xff00]) }));
    expect(decodeToRgb(g16)).toEqual({ width: 2, height: 1, rgb: new Uint8Array([0x12, 0x12, 0x12, 0xff, 0xff, 0xff]) });
    const ga = file('ga.png', encode({ width: 1, height: 1, depth: 8, channels: 2, data: new Uint8Array([77, 9]) }));
    expect(decodeToRgb(ga).rgb).toEqual(new Uint8Array([77, 77, 77]));
  });

  it('RGBA drops alpha; a JPEG decodes to its size', () => {
    const rgba = file('a.png', encode({ width: 1, height: 1, depth: 8, channels: 4, data: new Uint8Array([1, 2, 3, 4]) }));
    expect(decodeToRgb(rgba).rgb).toEqual(new Uint8Array([1, 2, 3]));
    const jpg = file('b.jpg', jpeg.encode({ width: 8, height: 4, data: Buffer.alloc(8 * 4 * 4, 200) }, 90).data);
    const img = decodeToRgb(jpg);
    expect([img.width, img.height, img.rgb.length]).toEqual([8, 4, 8 * 4 * 3]);
  });

  it('a file that is no image is an error naming it', () => {
    const bad = file('c.png', new TextEncoder().encode('not a picture'));
    expect(() => decodeToRgb(bad)).toThrow(/c\.png: neither a PNG nor a JPEG/);
  });
});
