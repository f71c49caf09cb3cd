/**
 * Test input for BlazeFace from the shared image fixtures: decode a PNG with fast-png, resize to
 * 128x128 by box averaging (area), and write NHWC float32 in [-1,1] — the layout and range the
 * model expects (fixtures/models/PROVENANCE.md). Deliberately simple and independent of wasi:vision.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { ROOT } from '../helpers/run-guest.js';

export function imageToBlazefaceInput(file: string, size = 128): Uint8Array {
  const png = decode(readFileSync(join(ROOT, 'fixtures/images', file)));
  const { width, height, channels } = png;
  const src = png.data;
  const out = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    const y0 = Math.floor((y * height) / size), y1 = Math.max(y0 + 1, Math.floor(((y + 1) * height) / size));
    for (let x = 0; x < size; x++) {
      const x0 = Math.floor((x * width) / size), x1 = Math.max(x0 + 1, Math.floor(((x + 1) * width) / size));
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += src[(yy * width + xx) * channels + c]!;
        const mean = sum / ((y1 - y0) * (x1 - x0));
        out[(y * size + x) * 3 + c] = mean / 127.5 - 1;
      }
    }
  }
  return new Uint8Array(out.buffer);
}

/** Best face probability over BlazeFace's two score outputs (sigmoid of the logits). */
export function topScore(outputs: Map<string, Uint8Array>): number {
  let best = 0;
  for (const name of ['Identity:0', 'Identity_1:0']) {
    const logits = new Float32Array(outputs.get(name)!.slice().buffer);
    for (const l of logits) best = Math.max(best, 1 / (1 + Math.exp(-l)));
  }
  return best;
}
