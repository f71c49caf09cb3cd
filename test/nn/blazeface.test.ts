/** BlazeFace through the provider (no Wasm): a real detector on the public-domain test images. */
import { describe, expect, it } from 'vitest';
import { makeProvider, tensor } from './helpers.js';
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
