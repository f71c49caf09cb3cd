/** Real models through the provider (no Wasm): BlazeFace on the test images, PaddleOCR's classifier. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectNnError, makeProvider, tensor } from './helpers.js';
import { ROOT } from '../helpers/run-guest.js';
import { imageToBlazefaceInput, topScore } from './images.js';

function detect(image: string): number {
  const p = makeProvider();
  const ctx = p.api.loadByName('blazeface').initExecutionContext();
  const out = ctx.compute([['input:0', tensor([1, 128, 128, 3], 'FP32', imageToBlazefaceInput(image))]]);
  const result = topScore(new Map(out.map(([n, t]: [string, any]) => [n, t.data()])));
  p.dispose();
  return result;
}

describe('BlazeFace on the fixture images', () => {
  it('finds one confident face in astronaut.png', () => {
    expect(detect('astronaut.png')).toBeGreaterThan(0.85);
  });

  it('finds no face in chelsea.png (a cat) or coffee.png', () => {
    expect(detect('chelsea.png')).toBeLessThan(0.5);
    expect(detect('coffee.png')).toBeLessThan(0.5);
  });
});

describe('PaddleOCR direction classifier (dynamic batch, height and width)', () => {
  it('accepts any batch and width, returns one softmax pair per image, and checks the static channel count', () => {
    const p = makeProvider({ models: { cls: { path: join(ROOT, 'fixtures/models/ppocr-cls.onnx'), encoding: 'onnx', target: 'cpu' } } });
    const ctx = p.api.loadByName('cls').initExecutionContext();
    for (const [n, width] of [[1, 192], [3, 100]] as const) {
      const x = new Float32Array(n * 3 * 48 * width).map((_, i) => Math.sin(i) * 0.5);
      const [[name, y]] = ctx.compute([['x', tensor([n, 3, 48, width], 'FP32', new Uint8Array(x.buffer))]]);
      expect(name).toBe('softmax_0.tmp_0');
      expect(Array.from(y.dimensions())).toEqual([n, 2]);
      const probs = new Float32Array(y.data().slice().buffer);
      for (let i = 0; i < n; i++) expect(probs[2 * i]! + probs[2 * i + 1]!).toBeCloseTo(1, 5);
    }
    expect(expectNnError(() => ctx.compute([['x', tensor([1, 1, 48, 192], 'FP32', new Uint8Array(48 * 192 * 4))]]), 'invalid-argument')).toMatch(/dimension 1 expected 3, got 1/);
    p.dispose();
  });
});
