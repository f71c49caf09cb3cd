/**
 * What happens to a frame's pixels once the pool lets the frame go (FramePool decides which frames
 * leave and when; this file owns the buffers they leave in):
 *
 * - host-memory pools lend the buffer to the guest (a `memory` handle) until it is invalidated or
 *   dropped. A lent buffer is still one of the pool's buffers: the pool counts `count` and `bytes`
 *   against its bound.
 * - by-value pools render into a recycled buffer and hand it to jco, which copies it into the
 *   guest before the import returns; by the next read it is free again. Only buffers allocated
 *   here are recycled (a device may return its own cache, which is not ours to overwrite).
 */
import type { FrameExtra } from './devices/device.js';
import type { Layout } from './pixels.js';

/** A frame leaving the pool: its pixels, or how to render them. */
export interface OutgoingFrame {
  seq: bigint;
  timestampNs: bigint;
  layout: Layout;
  /** Payload size in bytes (known before rendering for raw formats). */
  bytes: number;
  pixels?: Uint8Array;
  render?: (into?: Uint8Array) => Uint8Array;
  /** The device's extra entries (on-sensor-AI tensors), computed on delivery. */
  extra?: (pixels: Uint8Array) => FrameExtra[];
  /** The device's own buffer can be handed out without a copy. */
  stable: boolean;
  /** `pixels` is a device buffer held for this frame (zero copy): gives it back to the device. */
  release?: () => void;
}

export interface DeliveredFrame {
  seq: bigint;
  timestampNs: bigint;
  layout: Layout;
  pixels: Uint8Array;
  /** Set for host-memory pools: the lent buffer's handle id. */
  handle?: number;
  /** By-value entries that follow the pixels (always by value, whatever the pool). */
  extra?: FrameExtra[];
}

export interface LentBuffer {
  readonly id: number;
  readonly layout: Layout;
  readonly pixels: Uint8Array;
  released: boolean;
  /** Gives a held device buffer back (zero-copy frames), once the guest let go of it. */
  readonly giveBack?: () => void;
}

/** Spare buffers kept between reads; more would only hold memory a pool of this size never reuses. */
const MAX_SPARE = 8;

/** Handle ids are never 0 and never reused within a process (a stale handle never finds a new buffer). */
let nextHandleId = 1;

export class FrameLending {
  private readonly lent = new Map<number, LentBuffer>();
  private lentBytes = 0;
  /** Buffers handed to jco by the previous read. */
  private scratch: Uint8Array[] = [];
  private spare: Uint8Array[] = [];
  /** Held device buffers handed to jco by value by the previous read. */
  private afterCopy: (() => void)[] = [];

  constructor(private readonly hostMemory: boolean) {}

  /** Buffers lent out now. */
  get count(): number {
    return this.lent.size;
  }

  /** Bytes lent out now. */
  get bytes(): number {
    return this.lentBytes;
  }

  /** At the start of each read: what the previous read handed to jco has been copied into the guest. */
  reclaim(): void {
    for (const giveBack of this.afterCopy.splice(0)) giveBack();
    this.spare.push(...this.scratch.splice(0));
    if (this.spare.length > MAX_SPARE) this.spare.length = MAX_SPARE;
  }

  /** Renders the frame if needed, then lends its buffer (host memory) or hands it out by value. */
  deliver(f: OutgoingFrame): DeliveredFrame {
    let pixels = f.pixels;
    let ours = false;
    if (!pixels && f.stable) {
      pixels = f.render!();
    } else if (!pixels) {
      const into = this.take(f.bytes);
      pixels = f.render!(into);
      ours = pixels === into;
    }
    const extra = f.extra?.(pixels);
    if (this.hostMemory) {
      const lent: LentBuffer = { id: nextHandleId++, layout: f.layout, pixels, released: false, giveBack: f.release };
      this.lent.set(lent.id, lent);
      this.lentBytes += pixels.length;
      return { seq: f.seq, timestampNs: f.timestampNs, layout: f.layout, pixels, handle: lent.id, extra };
    }
    if (ours) this.scratch.push(pixels);
    // A held buffer reaches a by-value pool only if the pool was not host-memory when it was held: jco
    // copies it before this read returns, so it goes back at the next read (with the scratch buffers).
    if (f.release) this.afterCopy.push(f.release);
    return { seq: f.seq, timestampNs: f.timestampNs, layout: f.layout, pixels, extra };
  }

  private take(bytes: number): Uint8Array {
    const i = this.spare.findIndex((b) => b.length === bytes);
    if (i >= 0) return this.spare.splice(i, 1)[0]!;
    return new Uint8Array(bytes);
  }

  lentBuffer(id: number): LentBuffer | undefined {
    return this.lent.get(id);
  }

  /** Returns a lent buffer (invalidate or drop of the `memory` handle); false if it was not lent. */
  release(id: number): boolean {
    const b = this.lent.get(id);
    if (!b) return false;
    b.released = true;
    this.lent.delete(id);
    this.lentBytes -= b.pixels.length;
    b.giveBack?.();
    return true;
  }

  /** The pool went away: every lent buffer counts as released, every spare buffer is let go. */
  dispose(): void {
    for (const b of this.lent.values()) {
      b.released = true;
      b.giveBack?.();
    }
    for (const giveBack of this.afterCopy.splice(0)) giveBack();
    this.lent.clear();
    this.lentBytes = 0;
    this.scratch = [];
    this.spare = [];
  }
}
