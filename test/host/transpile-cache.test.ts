import { describe, expect, it } from 'vitest';
import { speedUpListLifting } from '../../src/host/transpile-cache.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('post-processing of the transpiled bindings', () => {
  it('copies byte lists through a view instead of slicing the wasm memory buffer', () => {
    const js = 'var result3 = new Uint8Array(memory0.buffer.slice(ptr3, ptr3 + len3 * 1));';
    expect(dec(speedUpListLifting(enc(js)))).toBe('var result3 = new Uint8Array(memory0.buffer, ptr3, len3).slice();');
  });

  it('leaves wider element types alone (a view would need an aligned pointer)', () => {
    const js = 'new Float32Array(memory0.buffer.slice(ptr2, ptr2 + len2 * 4)); new Uint32Array(memory0.buffer.slice(ptr1, ptr1 + len1 * 4));';
    expect(dec(speedUpListLifting(enc(js)))).toBe(js);
  });

  it('the rewritten expression yields the same independent copy', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    new Uint8Array(memory.buffer).set([9, 8, 7, 6, 5], 100);
    const before = new Uint8Array(memory.buffer.slice(101, 101 + 3 * 1));
    const after = new Uint8Array(memory.buffer, 101, 3).slice();
    expect(after).toEqual(before);
    new Uint8Array(memory.buffer)[101] = 0;
    expect(after[0]).toBe(8);
  });
});
