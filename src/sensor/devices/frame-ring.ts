/**
 * The frame ring: how a live camera's frames cross from the thread that owns the camera to the
 * component's thread, which may be blocked in a synchronous import (so no message could reach it).
 * The writer half runs where the camera is (Node: a worker thread reading ffmpeg's stdout,
 * src/platform/node/ffmpeg-worker.ts; browser: the page, src/platform/browser/page/webcam-pump.ts);
 * the reader half is the device (ring-camera.ts), which copies frames out when its pool pulls.
 *
 * Everything lives in SharedArrayBuffers, so `FrameRingBuffers` can go through workerData or
 * postMessage as it is:
 *   ring    `slots` frames of `frameBytes` (packed rows), frame j in slot j mod slots
 *   stamps  one BigInt64 per slot: when its frame was complete (the writer's clock, ns)
 *   meta    Int32 cells: frames written, ended flag, end code, producer pid (0: none)
 *   wake    the sensor provider's wake cell, bumped (Atomics.notify) for every frame and at the end
 * Frames written only grows; the writer never waits for the reader: a slow reader loses the oldest
 * frames (counted as overrun), and a frame overwritten while it was being copied is reported lost.
 * Nothing here imports anything, so the writer loads in a worker or a page on its own.
 */
const WRITTEN = 0;
const ENDED = 1;
const CODE = 2;
const PID = 3;

export interface FrameRingBuffers {
  slots: number;
  frameBytes: number;
  ring: SharedArrayBuffer;
  stamps: SharedArrayBuffer;
  meta: SharedArrayBuffer;
  wake: SharedArrayBuffer;
}

export function createFrameRing(frameBytes: number, slots: number, wake: Int32Array): FrameRingBuffers {
  return {
    slots,
    frameBytes,
    ring: new SharedArrayBuffer(frameBytes * slots),
    stamps: new SharedArrayBuffer(8 * slots),
    meta: new SharedArrayBuffer(16),
    wake: wake.buffer as SharedArrayBuffer,
  };
}

export class FrameRingWriter {
  private readonly meta: Int32Array;
  private readonly wake: Int32Array;
  private readonly ring: Uint8Array;
  private readonly stamps: BigInt64Array;
  /** Bytes of the next frame already appended (`append`). */
  private filled = 0;

  constructor(private readonly b: FrameRingBuffers) {
    this.meta = new Int32Array(b.meta);
    this.wake = new Int32Array(b.wake);
    this.ring = new Uint8Array(b.ring);
    this.stamps = new BigInt64Array(b.stamps);
  }

  /** The slot the next frame goes into: fill all of it, then `commit`. */
  nextSlot(): Uint8Array {
    const slot = Atomics.load(this.meta, WRITTEN) % this.b.slots;
    return this.ring.subarray(slot * this.b.frameBytes, (slot + 1) * this.b.frameBytes);
  }

  /** Publishes the frame in `nextSlot()`, captured at `stampNs`. */
  commit(stampNs: bigint): void {
    this.stamps[Atomics.load(this.meta, WRITTEN) % this.b.slots] = stampNs;
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
  private readonly stamps: BigInt64Array;
  private consumed = 0;

  constructor(readonly buffers: FrameRingBuffers) {
    this.meta = new Int32Array(buffers.meta);
    this.ring = new Uint8Array(buffers.ring);
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
    // The writer is already filling the slot of the oldest frame: only the newest slots − 1 are whole.
    return { first, count, overrun: Math.max(0, count - (this.buffers.slots - 1)) };
  }

  timestamp(j: number): bigint {
    return this.stamps[j % this.buffers.slots]!;
  }

  /**
   * Copies frame `j` into `out` with rows `stride` bytes apart (rows of `rowBytes` in the ring),
   * or returns an empty array when the writer overwrote it meanwhile (the frame is lost).
   */
  copy(j: number, out: Uint8Array, rowBytes: number, stride: number): Uint8Array {
    const { slots, frameBytes } = this.buffers;
    const start = (j % slots) * frameBytes;
    if (stride === rowBytes) out.set(this.ring.subarray(start, start + frameBytes));
    else for (let y = 0, h = frameBytes / rowBytes; y < h; y++) out.set(this.ring.subarray(start + y * rowBytes, start + (y + 1) * rowBytes), y * stride);
    if (Atomics.load(this.meta, WRITTEN) >= j + slots) return new Uint8Array(0);
    return out;
  }
}
