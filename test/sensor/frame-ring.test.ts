/**
 * The frame ring's two halves on one thread (in the host they are a worker or a page and the
 * component's thread): a byte stream cut into frames, stamps, overrun when the reader falls
 * behind, a frame overwritten during its copy reported lost, strided copies, and the end.
 */
import { describe, expect, it } from 'vitest';
import { FrameRingReader, FrameRingWriter, createFrameRing } from '../../src/sensor/devices/frame-ring.js';
import { FrameHolds, HoldRegistry, createHoldRow } from '../../src/sensor/devices/frame-holds.js';

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

describe('frame holds: readers keep frames in their slots (frame-holds.ts)', () => {
  /** A ring of `window` frames plus one reader's `cells` spare slots; frame i's one byte is i. */
  function heldRing(window: number, cells: number) {
    const ring = createFrameRing(1, window, wakeCell(), cells);
    const registry = new HoldRegistry();
    const row = createHoldRow(cells);
    registry.add(1, row);
    const writer = new FrameRingWriter(ring, (f) => registry.held(f));
    const reader = new FrameRingReader(ring);
    let n = 0;
    const write = (count: number) => {
      for (let k = 0; k < count; k++, n++) {
        writer.nextSlot()[0] = n;
        writer.commit(BigInt(n));
      }
    };
    return { ring, registry, writer, reader, holds: new FrameHolds(row), write };
  }

  it('the writer goes round a held slot: the held frame stays whole while the newest window − 1 frames do too', () => {
    const { reader, holds, registry, write } = heldRing(3, 2);
    write(1);
    reader.take();
    const held = reader.hold(0, holds)!;
    expect(held.pixels[0]).toBe(0);
    expect(registry.held(0)).toBe(true);
    write(20); // 4 free slots go round 20 times
    expect(held.pixels[0]).toBe(0);
    expect(reader.take()).toMatchObject({ count: 20, overrun: 18 });
    expect([...reader.copy(20, new Uint8Array(1), 1, 1)]).toEqual([20]);
    expect([...reader.copy(19, new Uint8Array(1), 1, 1)]).toEqual([19]);
    held.release();
    held.release(); // once only
    expect(holds.count).toBe(0);
    expect(registry.held(0)).toBe(false);
    write(5);
    // Released: its slot went back into the round and frame 0 is gone.
    expect(reader.copy(0, new Uint8Array(1), 1, 1).length).toBe(0);
  });

  it('a frame already overwritten cannot be held, and its cell is given back', () => {
    const { reader, holds, write } = heldRing(2, 1);
    write(6);
    reader.take();
    expect(reader.hold(0, holds)).toBeUndefined();
    expect(holds.count).toBe(0);
    expect(reader.hold(5, holds)?.pixels[0]).toBe(5);
  });

  it('a reader holds at most its cells; beyond them it gets nothing (and copies instead)', () => {
    const { reader, holds, write } = heldRing(4, 2);
    write(3);
    reader.take();
    expect(reader.hold(0, holds)).toBeDefined();
    expect(reader.hold(1, holds)).toBeDefined();
    expect(reader.hold(2, holds)).toBeUndefined();
    expect(holds.count).toBe(2);
  });

  it('a closed row drops its holds at once, and a hold taken after the close is given back', () => {
    const { reader, holds, registry, write } = heldRing(2, 2);
    write(2);
    reader.take();
    const held = reader.hold(1, holds)!;
    registry.close(1);
    expect(registry.held(1)).toBe(false);
    expect(holds.closed).toBe(true);
    expect(reader.hold(1, holds)).toBeUndefined();
    write(4); // the closed row's frame is overwritten like any other
    expect(held.pixels[0]).not.toBe(1);
    registry.remove(1);
    expect(registry.count).toBe(0);
  });

  it('readers holding more than the spare slots (which frameHolds prevents) leave the writer no slot: it says so, never waits', () => {
    const ring = createFrameRing(1, 1, wakeCell(), 0);
    const registry = new HoldRegistry();
    registry.add(1, createHoldRow(1));
    const writer = new FrameRingWriter(ring, (f) => registry.held(f));
    writer.nextSlot()[0] = 7;
    writer.commit(0n);
    const reader = new FrameRingReader(ring);
    reader.take();
    const held = reader.hold(0, new FrameHolds(createHoldRowFor(registry)))!;
    expect(held).toBeDefined();
    expect(writer.tryNextSlot()).toBeUndefined();
    expect(() => writer.nextSlot()).toThrowError(/every slot is held/);
    held.release();
    expect(writer.tryNextSlot()).toBeDefined();
  });
});

/** A second row registered for reader 2 (the first row's reader never holds here). */
function createHoldRowFor(registry: HoldRegistry): SharedArrayBuffer {
  const row = createHoldRow(1);
  registry.add(2, row);
  return row;
}
