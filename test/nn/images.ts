/** BlazeFace test inputs and a score helper for the nn tests. */
export { imageToBlazefaceInput } from './blazeface-input.mjs';

/** Best face probability over BlazeFace's two score outputs (sigmoid of the logits). */
export function topScore(outputs: Map<string, Uint8Array>): number {
  let best = 0;
  for (const name of ['Identity:0', 'Identity_1:0']) {
    const logits = new Float32Array(outputs.get(name)!.slice().buffer);
    for (const l of logits) best = Math.max(best, 1 / (1 + Math.exp(-l)));
  }
  return best;
}
