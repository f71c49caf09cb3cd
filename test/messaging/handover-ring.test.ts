/**
 * The shared-memory hand-over ring on its own (both ends in one thread: the ring's rules do not
 * depend on threads): entries come out in order and intact across many wrap-arounds, a full ring
 * refuses until the reader takes, and an idle reader is woken by a commit.
 */
import { describe, expect, it } from 'vitest';
import { RingReader, RingWriter, createRingMemory } from '../../src/messaging/handover-ring.js';

function payload(i: number): Uint8Array {
  // Lengths from 0 to 96 bytes, contents that tell one entry from another.
  const b = new Uint8Array((i * 37) % 97);
  for (let k = 0; k < b.length; k++) b[k] = (i + k) & 0xff;
  return b;
}

function put(w: RingWriter, kind: number, b: Uint8Array): boolean {
  const at = w.reserve(kind, b.length);
  if (at < 0) return false;
  w.bytes.set(b, at);
  return true;
}

function takeAll(r: RingReader): [number, number[]][] {
  const out: [number, number[]][] = [];
  r.drain((kind, at, length) => out.push([kind, [...r.bytes.subarray(at, at + length)]]));
  return out;
}

describe('hand-over ring', () => {
  it('hands entries over in order, intact, through many wrap-arounds', () => {
    const memory = createRingMemory(512);
    const w = new RingWriter(memory);
    const r = new RingReader(memory);
    const expected: [number, number[]][] = [];
    const got: [number, number[]][] = [];
    for (let i = 0; i < 2000; i++) {
      const b = payload(i);
      if (!put(w, 1 + (i % 3), b)) {
        // Full: nothing of it went in; once the reader takes what was committed there is room.
        w.commit();
        got.push(...takeAll(r));
        expect(put(w, 1 + (i % 3), b)).toBe(true);
      }
      expected.push([1 + (i % 3), [...b]]);
      if (i % 5 === 4) w.commit();
    }
    w.commit();
    got.push(...takeAll(r));
    expect(got.length).toBe(2000);
    expect(got).toEqual(expected);
  });

  it('shows nothing before commit, and refuses an entry while the ring is full', () => {
    const memory = createRingMemory(64);
    const w = new RingWriter(memory);
    const r = new RingReader(memory);
    expect(w.maxPayload).toBe(11);
    let n = 0;
    while (put(w, 1, new Uint8Array([n]))) n++;
    // 6 bytes an entry, one byte always free: 10 entries in 64 bytes.
    expect(n).toBe(10);
    expect(takeAll(r)).toEqual([]);
    w.commit();
    expect(takeAll(r).map(([, b]) => b[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(put(w, 1, new Uint8Array([10]))).toBe(true);
  });

  it('an idle reader is woken by the next commit; one with something committed does not wait', async () => {
    const memory = createRingMemory(256);
    const w = new RingWriter(memory);
    const r = new RingReader(memory);
    let woke = false;
    const sleeping = r.sleep().then(() => (woke = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(woke).toBe(false);
    put(w, 2, new Uint8Array([7]));
    w.commit();
    await sleeping;
    expect(takeAll(r)).toEqual([[2, [7]]]);
    put(w, 2, new Uint8Array([8]));
    w.commit();
    await r.sleep(); // returns at once: an entry waits
    expect(takeAll(r)).toEqual([[2, [8]]]);
  });

  it('counts reports posted back', () => {
    const memory = createRingMemory(64);
    const w = new RingWriter(memory);
    const r = new RingReader(memory);
    expect(w.reports()).toBe(0);
    r.reported();
    r.reported();
    expect(w.reports()).toBe(2);
  });
});
