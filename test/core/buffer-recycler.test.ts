/**
 * Tensor buffers reused instead of allocated per frame (src/core/buffer-recycler.ts): only buffers
 * the recycler handed out come back, only once their tensor is consumed or dropped, and within bounds.
 */
import { describe, expect, it } from 'vitest';
import { BufferRecycler } from '../../src/core/buffer-recycler.js';
import { makeProvider } from '../nn/helpers.js';

const BIG = 64 * 1024;

describe('buffer recycler', () => {
  it('hands a given-back buffer out again, and allocates when none of that size is free', () => {
    const r = new BufferRecycler();
    const a = r.take(BIG);
    expect(r.take(BIG)).not.toBe(a);
    r.give(a);
    expect(r.take(BIG)).toBe(a);
    expect(r.take(BIG)).not.toBe(a);
    expect(r.counts).toEqual({ reused: 1, allocated: 3 });
  });

  it('never takes a buffer it did not hand out, a detached one, a small one or one past its bounds', () => {
    const r = new BufferRecycler({ perSize: 1, totalBytes: 2 * BIG, minBytes: 1024 });
    const foreign = new ArrayBuffer(BIG);
    r.give(foreign);
    expect(r.take(BIG)).not.toBe(foreign);
    const detached = r.take(BIG);
    structuredClone(detached, { transfer: [detached] });
    r.give(detached);
    expect(r.take(BIG).byteLength).toBe(BIG);
    const small = r.take(512);
    r.give(small);
    expect(r.take(512)).not.toBe(small);
    const [x, y] = [r.take(BIG), r.take(BIG)];
    r.give(x);
    r.give(y); // one per size
    expect(r.take(BIG)).toBe(x);
    expect(r.take(BIG)).not.toBe(y);
  });

  it('wasi:nn takes a to-tensor buffer back when its tensor is dropped or consumed, not before', () => {
    const p = makeProvider();
    const first = p.tensors.allocate(BIG);
    const t = p.tensors.create([BIG / 4], 'FP32', new Uint8Array(first)) as { [Symbol.dispose](): void; data(): Uint8Array };
    // Still held by a live tensor: a new one is allocated.
    const second = p.tensors.allocate(BIG);
    expect(second).not.toBe(first);
    expect(t.data().buffer).toBe(first);
    t[Symbol.dispose]();
    expect(p.tensors.allocate(BIG)).toBe(first);
    // A guest-constructed tensor's bytes (lifted by the bindings) are never taken.
    const lifted = new Uint8Array(BIG);
    const g = new p.api.Tensor([BIG / 4], 'FP32', lifted) as unknown as { [Symbol.dispose](): void };
    g[Symbol.dispose]();
    expect(p.tensors.allocate(BIG)).not.toBe(lifted.buffer);
    p.dispose();
  });
});
