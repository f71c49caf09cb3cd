import { describe, expect, it } from 'vitest';
import { rewriteByteLists } from '../../src/host/transpile.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('post-processing of the transpiled bindings', () => {
  it('copies byte lists through a view instead of slicing the wasm memory buffer', () => {
    const js = 'var result3 = new Uint8Array(memory0.buffer.slice(ptr3, ptr3 + len3 * 1));';
    expect(dec(rewriteByteLists(enc(js)))).toBe('var result3 = new Uint8Array(memory0.buffer, ptr3, len3).slice();');
  });

  it('leaves wider element types alone (a view would need an aligned pointer)', () => {
    const js = 'new Float32Array(memory0.buffer.slice(ptr2, ptr2 + len2 * 4)); new Uint32Array(memory0.buffer.slice(ptr1, ptr1 + len1 * 4));';
    expect(dec(rewriteByteLists(enc(js)))).toBe(js);
  });

  it('lowers a returned Uint8Array without asking for its .buffer (V8 would move a small array out of the heap)', () => {
    const js = 'var src4 = new Uint8Array(val4.buffer || val4, val4.byteOffset, len4 * 1);';
    expect(dec(rewriteByteLists(enc(js)))).toBe(
      'var src4 = (val4 instanceof Uint8Array ? val4 : new Uint8Array(val4.buffer || val4, val4.byteOffset, len4 * 1));',
    );
  });

  it('the rewritten lowering copies the same bytes, for a Uint8Array, a Buffer slice and an ArrayBuffer', () => {
    const lower = (val4: Uint8Array | ArrayBuffer) => {
      const len4 = val4.byteLength;
      const v = val4 as Uint8Array;
      return (val4 instanceof Uint8Array ? val4 : new Uint8Array(v.buffer || val4, v.byteOffset, len4 * 1)).slice();
    };
    const original = (val4: Uint8Array | ArrayBuffer) => {
      const v = val4 as Uint8Array;
      return new Uint8Array(v.buffer || val4, v.byteOffset, val4.byteLength * 1).slice();
    };
    const pool = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const val of [Uint8Array.of(7, 8, 9), pool.subarray(2, 5), new Uint8Array([4, 5]).buffer]) {
      expect([...lower(val)]).toEqual([...original(val)]);
    }
  });

  it('with jco\'s cached DataView present, byte copies go through one cached byte view, bounds-checked', () => {
    const js = [
      'const dataView = mem => dv.buffer === mem.buffer ? dv : dv = new DataView(mem.buffer);',
      'var result3 = new Uint8Array(memory0.buffer.slice(ptr3, ptr3 + len3 * 1));',
      'var src4 = new Uint8Array(val4.buffer || val4, val4.byteOffset, len4 * 1);',
      '(new Uint8Array(memory0.buffer, ptr4, len4 * 1)).set(src4);',
    ].join('\n');
    const out = dec(rewriteByteLists(enc(js)));
    expect(out).toContain('var result3 = liftBytes(memory0, ptr3, len3);');
    expect(out).toContain('lowerBytes(memory0, ptr4, src4);');
    // Run the helpers as the bindings would: copies, growth, and a list outside memory.
    const helpers = out.split('\n').filter((l) => !/^var |^\(|^lowerBytes/.test(l.trim())).join('\n');
    const make = new Function(`let dv = new DataView(new ArrayBuffer(0));\n${helpers}\nreturn { liftBytes, lowerBytes };`);
    const { liftBytes, lowerBytes } = make() as {
      liftBytes: (m: WebAssembly.Memory, p: number, l: number) => Uint8Array;
      lowerBytes: (m: WebAssembly.Memory, p: number, s: Uint8Array) => void;
    };
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    lowerBytes(memory, 100, Uint8Array.of(9, 8, 7));
    const lifted = liftBytes(memory, 101, 2);
    expect([...lifted]).toEqual([8, 7]);
    new Uint8Array(memory.buffer)[101] = 0;
    expect(lifted[0]).toBe(8); // an independent copy
    memory.grow(1); // the old buffer is detached; the helpers follow the new one
    lowerBytes(memory, 70000, Uint8Array.of(5));
    expect([...liftBytes(memory, 69999, 3)]).toEqual([0, 5, 0]);
    expect(() => liftBytes(memory, 2 * 65536 - 1, 2)).toThrow(WebAssembly.RuntimeError);
    expect(() => lowerBytes(memory, 2 * 65536, Uint8Array.of(1))).toThrow(WebAssembly.RuntimeError);
    expect(liftBytes(memory, 2 * 65536, 0)).toHaveLength(0);
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
