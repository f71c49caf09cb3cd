// BlazeFace test input from the shared image fixtures: decode a PNG with fast-png, resize to
// 128x128 by box averaging (area), and write NHWC float32 in [-1, 1], the layout and range the
// model expects (fixtures/models/PROVENANCE.md). Deliberately simple and independent of
// wasi:vision. Plain JS so that both the vitest suites (test/nn/images.ts) and the browser
// driver (test/browser/run.mjs, plain Node) use this one copy.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decode } from 'fast-png';

const IMAGES = fileURLToPath(new URL('../../fixtures/images/', import.meta.url));

/** The input tensor's bytes for `file` (a name under fixtures/images). */
export function imageToBlazefaceInput(file, size = 128) {
  const png = decode(readFileSync(IMAGES + file));
  const { width, height, channels } = png;
  const src = png.data;
  const out = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    const y0 = Math.floor((y * height) / size), y1 = Math.max(y0 + 1, Math.floor(((y + 1) * height) / size));
    for (let x = 0; x < size; x++) {
      const x0 = Math.floor((x * width) / size), x1 = Math.max(x0 + 1, Math.floor(((x + 1) * width) / size));
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += src[(yy * width + xx) * channels + c];
        out[(y * size + x) * 3 + c] = sum / ((y1 - y0) * (x1 - x0)) / 127.5 - 1;
      }
    }
  }
  return new Uint8Array(out.buffer);
}
