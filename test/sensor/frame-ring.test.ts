/**
 * The frame ring's two halves on one thread (in the host they are a worker or a page and the
 * component's thread): a byte stream cut into frames, stamps, overrun when the reader falls
 * behind, a frame overwritten during its copy reported lost, strided copies, and the end.
 */
import { describe, expect, it } from 'vitest';
import { FrameRingReader, FrameRingWriter, createFrameRing } from '../../src/sensor/devices/frame-ring.js';

const wakeCell = () => new Int32Array(new SharedArrayBuffer(4));

describe('frame ring', () => {
  it('cuts a stream into frames across chunk boundaries, stamps each and bumps the wake cell', () => {
    const wake = wakeCell();
    const ring = createFrameRing(4, 3, wake);
    const w = new FrameRingWriter(ring);
    const r = new FrameRingReader(ring);
    let t = 100n;
    w.append(new Uint8Array([1, 2, 3]), () => t++);
    expect(r.take().count).toBe(0);
    w.append(new Uint8Array([4, 5, 6, 7, 8, 9]), () => t++); // completes frame 0 and 1, starts 2
    expect(Atomics.load(wake, 0)).toBe(2);
    const batch = r.take();
    expect(batch).toEqual({ first: 0, count: 2, overrun: 0 });
    expect([...r.copy(0, new Uint8Array(4), 4, 4)]).toEqual([1, 2, 3, 4]);
    expect([...r.copy(1, new Uint8Array(4), 4, 4)]).toEqual([5, 6, 7, 8]);
    expect([r.timestamp(0), r.timestamp(1)]).toEqual([100n, 101n]);
  });

  it('copies rows into a wider stride', () => {
    const ring = createFrameRing(4, 2, wakeCell());
    const w = new FrameRingWriter(ring);
    w.nextSlot().set([1, 2, 3, 4]);
    w.commit(1n);
    const r = new FrameRingReader(ring);
    r.take();
    expect([...r.copy(0, new Uint8Array(6), 2, 3)]).toEqual([1, 2, 0, 3, 4, 0]);
  });

  it('a reader that falls behind loses the oldest frames (overrun), and a frame overwritten while copied is lost', () => {
    const ring = createFrameRing(1, 3, wakeCell());
    const w = new FrameRingWriter(ring);
    const r = new FrameRingReader(ring);
    for (let i = 0; i < 5; i++) {
      w.nextSlot()[0] = i;
      w.commit(BigInt(i));
    }
    // 5 frames into 3 slots, the writer filling the next: only the newest 2 are whole.
    expect(r.take()).toEqual({ first: 0, count: 5, overrun: 3 });
    expect([...r.copy(4, new Uint8Array(1), 1, 1)]).toEqual([4]);
    w.nextSlot()[0] = 5;
    w.commit(5n); // overwrites frame 2's slot, and 3 is now the oldest slot
    w.nextSlot()[0] = 6;
    w.commit(6n); // ... and frame 3's
    expect(r.copy(3, new Uint8Array(1), 1, 1).length).toBe(0);
  });

  it('the end is seen after the last frame was taken; only the first end code counts; waitForFirst returns at the end', () => {
    const wake = wakeCell();
    const ring = createFrameRing(1, 2, wake);
    const w = new FrameRingWriter(ring);
    const r = new FrameRingReader(ring);
    w.nextSlot()[0] = 9;
    w.commit(1n);
    w.setPid(1234);
    w.end(3);
    w.end(7);
    expect(r.ended).toBe(true);
    expect(r.pid).toBe(1234);
    expect(r.endCode()).toBeUndefined(); // a frame is still waiting
    expect(r.take().count).toBe(1);
    expect(r.endCode()).toBe(3);
    const started = performance.now();
    new FrameRingReader(createFrameRingEnded()).waitForFirst(5000);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

function createFrameRingEnded() {
  const ring = createFrameRing(1, 2, wakeCell());
  new FrameRingWriter(ring).end(1);
  return ring;
}
