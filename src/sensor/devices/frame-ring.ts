/**
 * The frame ring: how a live camera's frames cross from the thread that owns the camera to the
 * component's thread, which may be blocked in a synchronous import (so no message could reach it).
 * The writer half runs where the camera is (Node: a worker thread reading ffmpeg's stdout,
 * src/platform/node/ffmpeg-worker.ts; browser: the page, src/platform/browser/page/webcam-pump.ts;
 * a device's shared camera: its main thread, src/host/device/camera-pump.ts); the reader half is
 * the device (ring-device.ts), which copies frames out when its pool pulls, or holds them.
 *
 * Everything lives in SharedArrayBuffers, so `FrameRingBuffers` can go through workerData or
 * postMessage as it is:
 *   ring        `slots` frames of `frameBytes` (packed rows)
 *   slotFrames  one Int32 per slot: the frame number in it, -1 while it is written (or empty)
 *   frameSlots  one Int32 per frame number mod slots: the slot frame j went into
 *   stamps      one BigInt64 per frame number mod slots: when frame j was complete (the writer's clock, ns)
 *   meta        Int32 cells: frames written, ended flag, end code, producer pid (0: none)
 *   wake        the sensor provider's wake cell, bumped (Atomics.notify) for every frame and at the end
 * Frames written only grows; the writer never waits for a reader: a slow reader loses the oldest
 * frames (counted as overrun), and a frame overwritten while it was being copied is reported lost.
 *
 * Holds (frame-holds.ts): a reader may keep a frame in its slot instead of copying it (a host-memory
 * frame lent to a guest). The writer then skips that slot. A ring with holds has `slots = window +
 * spare`, where `spare` bounds the frames all readers may hold at once; so the writer always finds a
 * free slot, and the newest `window - 1` frames are whole whatever the readers hold.
 * Nothing here imports anything but a type, so the writer loads in a worker or a page on its own.
 */
import type { FrameHolds } from './frame-holds.js';

const WRITTEN = 0;
const ENDED = 1;
const CODE = 2;
const PID = 3;
/** In slotFrames: no frame (never written, or being written). */
const NO_FRAME = -1;

export interface FrameRingBuffers {
  /** Slots in the ring: `window` plus the frames readers may hold. */
  slots: number;
  /** Frames a reader can count on finding in the ring (with one slot being written: `window - 1` whole). */
  window: number;
  frameBytes: number;
  ring: SharedArrayBuffer;
  slotFrames: SharedArrayBuffer;
  frameSlots: SharedArrayBuffer;
  stamps: SharedArrayBuffer;
  meta: SharedArrayBuffer;
  wake: SharedArrayBuffer;
}

/** A ring of `window` frames, with `spare` more slots for frames readers hold (frame-holds.ts). */
export function createFrameRing(frameBytes: number, window: number, wake: Int32Array, spare = 0): FrameRingBuffers {
  const slots = window + spare;
  const slotFrames = new SharedArrayBuffer(4 * slots);
  new Int32Array(slotFrames).fill(NO_FRAME);
  return {
    slots,
    window,
    frameBytes,
    ring: new SharedArrayBuffer(frameBytes * slots),
    slotFrames,
    frameSlots: new SharedArrayBuffer(4 * slots),
    stamps: new SharedArrayBuffer(8 * slots),
    meta: new SharedArrayBuffer(16),
    wake: wake.buffer as SharedArrayBuffer,
  };
}

export class FrameRingWriter {
  private readonly meta: Int32Array;
  private readonly wake: Int32Array;
  private readonly ring: Uint8Array;
  private readonly slotFrames: Int32Array;
  private readonly frameSlots: Int32Array;
  private readonly stamps: BigInt64Array;
  /** Bytes of the next frame already appended (`append`). */
  private filled = 0;
  /** The slot the next frame is being written into (-1: none claimed yet). */
  private claimed = -1;
  /** Where the search for the next free slot starts: slots are reused in turn, held ones skipped. */
  private cursor = 0;

  /** `held(frame)`: whether a reader holds that frame (frame-holds.ts); a ring without holds has none. */
  constructor(
    private readonly b: FrameRingBuffers,
    private readonly held: (frame: number) => boolean = () => false,
  ) {
    this.meta = new Int32Array(b.meta);
    this.wake = new Int32Array(b.wake);
    this.ring = new Uint8Array(b.ring);
    this.slotFrames = new Int32Array(b.slotFrames);
    this.frameSlots = new Int32Array(b.frameSlots);
    this.stamps = new BigInt64Array(b.stamps);
  }

  /** The slot the next frame goes into: fill all of it, then `commit`. */
  nextSlot(): Uint8Array {
    const slot = this.tryNextSlot();
    // Only a ring whose readers hold more than its spare slots gets here (frame-holds.ts bounds them).
    if (!slot) throw new Error('frame ring: every slot is held by a reader');
    return slot;
  }

  /** As `nextSlot`, or undefined when every slot is held (the frame is then lost at the source). */
  tryNextSlot(): Uint8Array | undefined {
    if (this.claimed < 0) this.claimed = this.claim();
    if (this.claimed < 0) return undefined;
    const at = this.claimed * this.b.frameBytes;
    return this.ring.subarray(at, at + this.b.frameBytes);
  }

  /**
   * Finds the next slot no reader holds and marks it as being written. A reader takes a hold by
   * writing the frame number into its hold cell and then checking the slot still has that frame;
   * the writer marks the slot first and then looks at the holds. With sequentially consistent
   * atomics one of the two sees the other: the reader gives up (and copies, or counts the frame
   * lost), or the writer leaves the slot as it was and tries the next one.
   */
  private claim(): number {
    const slots = this.b.slots;
    for (let tried = 0; tried < slots; tried++) {
      const s = this.cursor;
      this.cursor = (s + 1) % slots;
      const old = Atomics.load(this.slotFrames, s);
      if (old !== NO_FRAME && this.held(old)) continue;
      Atomics.store(this.slotFrames, s, NO_FRAME);
      if (old !== NO_FRAME && this.held(old)) {
        Atomics.store(this.slotFrames, s, old);
        continue;
      }
      return s;
    }
    return -1;
  }

  /** Publishes the frame in `nextSlot()`, captured at `stampNs`. */
  commit(stampNs: bigint): void {
    const slot = this.claimed;
    if (slot < 0) throw new Error('frame ring: commit without a slot');
    this.claimed = -1;
    const frame = Atomics.load(this.meta, WRITTEN);
    const at = frame % this.b.slots;
    this.stamps[at] = stampNs;
    Atomics.store(this.frameSlots, at, slot);
    Atomics.store(this.slotFrames, slot, frame);
    Atomics.add(this.meta, WRITTEN, 1);
    Atomics.notify(this.meta, WRITTEN); // a start() waiting for the first frame
    this.signal();
  }

  /** Appends bytes of a stream of whole frames back to back (a raw-video pipe), committing each frame as it completes. */
  append(chunk: Uint8Array, now: () => bigint): void {
    const frameBytes = this.b.frameBytes;
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(frameBytes - this.filled, chunk.length - off);
      this.nextSlot().set(chunk.subarray(off, off + n), this.filled);
      this.filled += n;
      off += n;
      if (this.filled === frameBytes) {
        this.filled = 0;
        this.commit(now());
      }
    }
  }

  /** The process that produces the frames, for the reader to end it (0: none). */
  setPid(pid: number): void {
    Atomics.store(this.meta, PID, pid);
  }

  /** The camera is gone (`code` says why, for the reader's message); only the first call counts. */
  end(code: number): void {
    if (Atomics.load(this.meta, ENDED)) return;
    Atomics.store(this.meta, CODE, code);
    Atomics.store(this.meta, ENDED, 1);
    Atomics.notify(this.meta, WRITTEN);
    this.signal();
  }

  private signal(): void {
    Atomics.add(this.wake, 0, 1);
    Atomics.notify(this.wake, 0);
  }
}

/** A batch of frames taken from the ring: the first frame number and how many. */
export interface RingBatch {
  first: number;
  count: number;
  /** Frames of the batch the writer had already overwritten when it was taken. */
  overrun: number;
}

export class FrameRingReader {
  private readonly meta: Int32Array;
  private readonly ring: Uint8Array;
  private readonly slotFrames: Int32Array;
  private readonly frameSlots: Int32Array;
  private readonly stamps: BigInt64Array;
  private consumed = 0;

  constructor(readonly buffers: FrameRingBuffers) {
    this.meta = new Int32Array(buffers.meta);
    this.ring = new Uint8Array(buffers.ring);
    this.slotFrames = new Int32Array(buffers.slotFrames);
    this.frameSlots = new Int32Array(buffers.frameSlots);
    this.stamps = new BigInt64Array(buffers.stamps);
  }

  /** The end code once the writer has ended and every frame it wrote was taken; else undefined. */
  endCode(): number | undefined {
    if (Atomics.load(this.meta, WRITTEN) !== this.consumed || Atomics.load(this.meta, ENDED) === 0) return undefined;
    return Atomics.load(this.meta, CODE);
  }

  /** True once the writer has ended (frames may still be waiting). */
  get ended(): boolean {
    return Atomics.load(this.meta, ENDED) === 1;
  }

  get pid(): number {
    return Atomics.load(this.meta, PID);
  }

  /** Waits (Atomics.wait, bounded) until a first frame was written or the writer ended. */
  waitForFirst(timeoutMs: number): void {
    const until = performance.now() + timeoutMs;
    while (Atomics.load(this.meta, WRITTEN) === 0 && Atomics.load(this.meta, ENDED) === 0) {
      const left = until - performance.now();
      if (left <= 0) return;
      Atomics.wait(this.meta, WRITTEN, 0, left);
    }
  }

  /** Takes every frame written since the last call. */
  take(): RingBatch {
    const written = Atomics.load(this.meta, WRITTEN);
    const first = this.consumed;
    const count = written - first;
    this.consumed = written;
    // The writer may already be filling a slot of the window: only its newest `window - 1` frames are sure to be whole.
    return { first, count, overrun: Math.max(0, count - (this.buffers.window - 1)) };
  }

  timestamp(j: number): bigint {
    return this.stamps[j % this.buffers.slots]!;
  }

  /** The slot frame `j` is in now, or -1 when it was overwritten (or is being). */
  private slotOf(j: number): number {
    const s = Atomics.load(this.frameSlots, j % this.buffers.slots);
    return Atomics.load(this.slotFrames, s) === j ? s : -1;
  }

  /**
   * Copies frame `j` into `out` with rows `stride` bytes apart (rows of `rowBytes` in the ring),
   * or returns an empty array when the writer overwrote it before or during the copy (the frame is lost).
   */
  copy(j: number, out: Uint8Array, rowBytes: number, stride: number): Uint8Array {
    const { frameBytes } = this.buffers;
    const slot = this.slotOf(j);
    if (slot < 0) return new Uint8Array(0);
    const start = slot * frameBytes;
    if (stride === rowBytes) out.set(this.ring.subarray(start, start + frameBytes));
    else for (let y = 0, h = frameBytes / rowBytes; y < h; y++) out.set(this.ring.subarray(start + y * rowBytes, start + (y + 1) * rowBytes), y * stride);
    // The writer marks a slot before it writes into it: still frame j now means the copy is whole.
    if (Atomics.load(this.slotFrames, slot) !== j) return new Uint8Array(0);
    return out;
  }

  /**
   * Frame `j`'s slot itself, held in one of `holds`' cells until `release`: the writer skips it
   * meanwhile. Undefined when no cell is free or the frame is no longer in the ring (frame-holds.ts).
   */
  hold(j: number, holds: FrameHolds): { pixels: Uint8Array; release(): void } | undefined {
    const cell = holds.take(j);
    if (cell < 0) return undefined;
    // The hold is written first, then the slot is checked (the writer's claim() does the reverse).
    const slot = this.slotOf(j);
    if (slot < 0 || holds.closed) {
      holds.give(cell);
      return undefined;
    }
    const start = slot * this.buffers.frameBytes;
    let released = false;
    return {
      pixels: this.ring.subarray(start, start + this.buffers.frameBytes),
      release: () => {
        if (released) return;
        released = true;
        holds.give(cell);
      },
    };
  }
}
