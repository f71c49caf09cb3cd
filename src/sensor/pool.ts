/**
 * A named frame queue (wasi:buffer-pool `pool`) without WIT: buffering modes, bounds, exact
 * statistics and sequence numbers. Lent host-memory buffers count against the bounds.
 *
 * Frames are pulled, not pushed: `pull(now)` asks every attached device for the frames captured
 * up to `now` and offers them in timestamp order. Each offered frame takes the next sequence
 * number and counts as enqueued; a frame the mode rejects counts as dropped, so
 * enqueued = dequeued + dropped + queued always holds, and a gap in the sequence numbers a guest
 * sees is exactly the frames it lost. Pixels of clocked devices are rendered only when a frame is
 * delivered (dropped frames cost nothing), so a pool left unread for an hour does not burn CPU.
 * What becomes of a frame's buffer once it leaves the queue (lent or recycled) is lending.ts's.
 */
import { unexpectedFailureMessage } from '../core/backend-failure.js';
import type { HeldFrame, SensorDevice } from './devices/device.js';
import { SensorFailure, type SensorFailureCode } from './fault.js';
import { FrameLending, type DeliveredFrame, type OutgoingFrame } from './lending.js';
import { frameBytes } from './pixels.js';

export type BufferingMode = 'off' | 'discard' | 'overwrite' | 'unlimited';

export interface PoolOptions {
  name: string;
  mode: BufferingMode;
  /** Largest payload of one frame in bytes; 0 = whatever the device produces. */
  size: number;
  /** Queue bound for discard and overwrite. */
  bufferNum: number;
  /** Deliver `host-memory` handles instead of copying pixels into the guest. */
  hostMemory: boolean;
  /** Host limit on bytes held by this pool (queued + lent); bounds the unlimited mode. */
  maxBytes: number;
}

/** A device feeding this pool: what to do when it fails, and how its owner stops it. */
export interface PoolSource {
  device: SensorDevice;
  /**
   * The device failed and is no longer attached (the provider marks it stopped). `unexpected`: it
   * threw something other than a SensorFailure, so unlike a device that reports hardware-error it
   * may not have stopped itself.
   */
  onFailure(failure: SensorFailure, unexpected: boolean): void;
  /** Stops delivery for good: the pool is going away (the provider stops the device). */
  halt(): void;
}

interface QueuedFrame extends OutgoingFrame {
  /** Must be rendered before the pull returns (the device's buffer will be reused). */
  urgent: boolean;
  /** Takes the device's buffer itself instead (zero copy; host-memory pools only), if it offers it. */
  hold?: () => HeldFrame | undefined;
}

export interface PoolStatistics {
  enqueued: bigint;
  dropped: bigint;
  dequeued: bigint;
}

export class FramePool {
  readonly sources = new Set<PoolSource>();
  /** The buffers of frames that left the queue: lent host memory, recycled by-value buffers. */
  readonly lending: FrameLending;
  private queue: QueuedFrame[] = [];
  private head = 0;
  private queuedBytes = 0;
  private nextSeq = 0n;
  private lastTimestamp = 0n;
  private enqueued = 0n;
  private dropped = 0n;
  private dequeued = 0n;
  private readonly pending: SensorFailureCode[] = [];
  private readonly pendingMessages: string[] = [];
  /** The unlimited pool refused a frame for its byte limit during the current pull. */
  private overLimit = false;
  disposed = false;

  constructor(readonly options: PoolOptions) {
    this.lending = new FrameLending(options.hostMemory);
  }

  get name(): string {
    return this.options.name;
  }

  get queued(): number {
    return this.queue.length - this.head;
  }

  attach(source: PoolSource): void {
    this.sources.add(source);
  }

  detach(device: SensorDevice): void {
    for (const s of this.sources) if (s.device === device) this.sources.delete(s);
  }

  statistics(): PoolStatistics {
    return { enqueued: this.enqueued, dropped: this.dropped, dequeued: this.dequeued };
  }

  /** True when read-frames would return something (frames or a pending error). */
  ready(now: bigint): boolean {
    this.pull(now);
    return this.queued > 0 || this.pending.length > 0;
  }

  /** The earliest deadline of an attached clocked device. */
  nextDeadline(): bigint | undefined {
    let best: bigint | undefined;
    for (const s of this.sources) {
      const d = s.device.nextDeadline();
      if (d !== undefined && (best === undefined || d < best)) best = d;
    }
    return best;
  }

  /**
   * Why nothing can ever make this pool ready while the guest waits on it (it is not ready now), or
   * undefined when a frame may still come. Every buffer lent out is the sharpest case: frames keep
   * arriving and are dropped, and only the guest, which is waiting, could give one back. (A device
   * failure would still end such a wait with hardware-error; a guest does not wait for that, so it
   * does not count: docs/spec-notes/sensor.md § Polling.)
   */
  neverReady(): string | undefined {
    const { name, mode, bufferNum } = this.options;
    if (this.disposed) return `pool "${name}" was dropped`;
    if (this.capacity() === 0) {
      return `all ${bufferNum} buffer${bufferNum === 1 ? '' : 's'} of pool "${name}" (${mode}, buffer-num ${bufferNum}) are lent to the guest ` +
        '(memory handles, or images made from them), so every new frame is dropped until it drops or invalidates one';
    }
    if (this.sources.size === 0) return `no started device feeds pool "${name}"`;
    if (this.nextDeadline() === undefined && !this.hasAsynchronousSource()) {
      return `the device feeding pool "${name}" has delivered its last frame`;
    }
    return undefined;
  }

  /** True when an attached device delivers frames on its own (signalled on the wake cell). */
  hasAsynchronousSource(): boolean {
    for (const s of this.sources) if (s.device.asynchronous) return true;
    return false;
  }

  /**
   * Collects due frames from every device and offers them in timestamp order. A frame the mode
   * drops whatever it is (the discard queue is full; in overwrite, enough newer frames follow to
   * push it out; the unlimited pool is at its byte limit) is counted without being rendered, and
   * when one device's frames are left such frames are counted all at once: the work of a pull
   * follows the frames the pool keeps, not the frames a fast device captured since the last one
   * (a pool left unread for minutes at 1000 fps would otherwise render and drop every frame).
   */
  pull(now: bigint): void {
    if (this.disposed) return;
    const batches: { frames: ReturnType<SensorDevice['collect']>; next: number }[] = [];
    for (const source of [...this.sources]) {
      try {
        const frames = source.device.collect(now);
        if (frames.count > 0) batches.push({ frames, next: 0 });
      } catch (e) {
        // A device that throws something else has failed all the same (src/core/backend-failure.ts).
        const failure =
          e instanceof SensorFailure ? e : new SensorFailure('hardware-error', unexpectedFailureMessage(e, 'sensor device failure'));
        this.sources.delete(source);
        this.raise(failure.code, failure.message);
        source.onFailure(failure, failure !== e);
      }
    }
    if (batches.length === 0) return;
    this.overLimit = false;
    let remaining = batches.reduce((n, b) => n + b.frames.count, 0);
    // Merge by timestamp (usually one batch: a plain loop).
    for (;;) {
      const live = batches.filter((b) => b.next < b.frames.count);
      if (live.length === 0) break;
      if (live.length === 1) {
        const b = live[0]!;
        const skip = Math.min(b.frames.count - b.next, this.droppedAhead(remaining));
        if (skip > 0) {
          this.dropUnseen(b.frames, b.next, skip);
          b.next += skip;
          remaining -= skip;
          continue;
        }
      }
      let pick = live[0]!;
      for (const b of live) if (b.frames.timestamp(b.next) < pick.frames.timestamp(pick.next)) pick = b;
      const i = pick.next++;
      remaining--;
      const f = pick.frames;
      let ts = f.timestamp(i);
      if (ts < this.lastTimestamp) ts = this.lastTimestamp;
      this.lastTimestamp = ts;
      if (i < (f.overrun ?? 0) || f.lost?.(i)) {
        this.countDropped();
        continue;
      }
      if (this.droppedAhead(remaining + 1) > 0) {
        this.dropUnseen(f, i, 1);
        continue;
      }
      let bytes = frameBytes(f.layout);
      let pixels: Uint8Array | undefined;
      let release: (() => void) | undefined;
      if (bytes === undefined) {
        // Variable-size (mjpeg): render (or hold, zero copy) now to learn the size.
        const held = this.options.hostMemory ? f.hold?.(i) : undefined;
        pixels = held?.pixels ?? f.render(i);
        release = held && (() => held.release());
        bytes = pixels.length;
      }
      this.offer({
        seq: 0n,
        timestampNs: ts,
        layout: f.layout,
        bytes,
        pixels,
        render: pixels ? undefined : (into) => f.render(i, into),
        extra: f.extra ? (px) => f.extra!(i, px) : undefined,
        urgent: !f.deferrable,
        stable: f.stable ?? false,
        hold: this.options.hostMemory && f.hold && !pixels ? () => f.hold!(i) : undefined,
        release,
      });
    }
    this.materializeUrgent();
    for (const b of batches) b.frames.done?.();
  }

  /**
   * How many of the next `left` frames of this pull the mode drops whatever they hold: all of them
   * when the discard queue is full or the unlimited pool is at its byte limit (the queue cannot
   * drain during a pull; after one refusal a later variable-size frame is not rendered to see
   * whether it is small enough), the ones that newer frames of the same pull would push out in
   * overwrite.
   */
  private droppedAhead(left: number): number {
    const { mode, maxBytes } = this.options;
    if (mode === 'discard') return this.queued >= this.capacity() ? left : 0;
    if (mode === 'unlimited') return this.overLimit || this.queuedBytes + this.lending.bytes >= maxBytes ? left : 0;
    // off and overwrite: only the last `capacity` frames survive (none when every buffer is lent).
    return Math.max(0, left - this.capacity());
  }

  /**
   * Counts `n` frames from `first` as dropped without rendering them: what offer() would have
   * counted, with the error it would have raised when it is known without the pixels.
   */
  private dropUnseen(f: ReturnType<SensorDevice['collect']>, first: number, n: number): void {
    const last = f.timestamp(first + n - 1);
    if (last > this.lastTimestamp) this.lastTimestamp = last;
    const bytes = frameBytes(f.layout);
    if (bytes !== undefined && this.tooBig(bytes)) this.raiseTooBig(bytes);
    else if (this.options.mode === 'unlimited') this.raiseOverLimit();
    this.nextSeq += BigInt(n);
    this.enqueued += BigInt(n);
    this.dropped += BigInt(n);
  }

  private countDropped(): void {
    this.nextSeq++;
    this.enqueued++;
    this.dropped++;
  }

  private raise(code: SensorFailureCode, message: string): void {
    if (!this.pending.includes(code)) {
      this.pending.push(code);
      this.pendingMessages.push(message);
    }
  }

  private tooBig(bytes: number): boolean {
    return this.options.size > 0 && bytes > this.options.size;
  }

  private raiseTooBig(bytes: number): void {
    this.raise('data-loss', `a ${bytes}-byte frame does not fit the pool's ${this.options.size}-byte buffers`);
  }

  private raiseOverLimit(): void {
    this.raise('resource-exhausted', `the unlimited pool reached the host limit of ${this.options.maxBytes} bytes`);
  }

  private capacity(): number {
    switch (this.options.mode) {
      case 'off':
        return 1;
      case 'discard':
      case 'overwrite':
        // Lent host-memory buffers are buffers of this pool too.
        return Math.max(0, this.options.bufferNum - this.lending.count);
      case 'unlimited':
        return Infinity;
    }
  }

  private offer(frame: QueuedFrame): void {
    frame.seq = this.nextSeq++;
    this.enqueued++;
    const { mode, maxBytes } = this.options;
    if (this.tooBig(frame.bytes)) {
      this.dropped++;
      this.raiseTooBig(frame.bytes);
      frame.release?.();
      return;
    }
    if (mode === 'unlimited') {
      if (this.queuedBytes + this.lending.bytes + frame.bytes > maxBytes) {
        this.dropped++;
        this.overLimit = true;
        this.raiseOverLimit();
        frame.release?.();
        return;
      }
    } else {
      const cap = this.capacity();
      if (this.queued >= cap) {
        if (mode === 'discard' || this.queued === 0) {
          // discard drops the newest; overwrite with every buffer lent out has nothing to overwrite.
          this.dropped++;
          frame.release?.();
          return;
        }
        this.dropOldest();
      }
    }
    const held = frame.hold?.();
    frame.hold = undefined;
    if (held) {
      // The device's buffer is this frame's until the guest (or a drop) gives it back: no copy.
      frame.pixels = held.pixels;
      frame.render = undefined;
      frame.urgent = false;
      frame.release = () => held.release();
    }
    this.queue.push(frame);
    this.queuedBytes += frame.bytes;
  }

  private dropOldest(): void {
    const f = this.queue[this.head]!;
    this.queue[this.head++] = undefined as unknown as QueuedFrame;
    this.queuedBytes -= f.bytes;
    this.dropped++;
    f.release?.();
    this.compact();
  }

  private compact(): void {
    if (this.head > 64 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** Copies frames of asynchronous devices out of their rings before those are reused. */
  private materializeUrgent(): void {
    let lost = false;
    for (let i = this.head; i < this.queue.length; i++) {
      const f = this.queue[i]!;
      if (!f.urgent || f.pixels) continue;
      f.pixels = f.render!();
      f.render = undefined;
      f.urgent = false;
      if (f.pixels.length === 0) lost = true;
    }
    if (lost) {
      const keep = this.queue.slice(this.head).filter((f) => f.pixels?.length !== 0);
      const removed = this.queued - keep.length;
      for (const f of this.queue.slice(this.head)) if (f.pixels?.length === 0) this.queuedBytes -= f.bytes;
      this.dropped += BigInt(removed);
      this.queue = keep;
      this.head = 0;
    }
  }

  /**
   * Up to `max` frames, oldest first. A pending failure (a device that went away, a frame too
   * big for the pool, the unlimited pool's host limit) is thrown once, before any frame.
   * One call returns at most `maxBytes` of pixels (at least one frame).
   */
  read(max: number, now: bigint): DeliveredFrame[] {
    this.lending.reclaim();
    if (max === 0) return [];
    this.pull(now);
    if (this.pending.length > 0) {
      const code = this.pending.shift()!;
      const message = this.pendingMessages.shift()!;
      throw new SensorFailure(code, message);
    }
    const out: DeliveredFrame[] = [];
    let total = 0;
    while (out.length < max && this.queued > 0) {
      const f = this.queue[this.head]!;
      if (out.length > 0 && total + f.bytes > this.options.maxBytes) break;
      this.queue[this.head++] = undefined as unknown as QueuedFrame;
      this.queuedBytes -= f.bytes;
      this.dequeued++;
      total += f.bytes;
      out.push(this.lending.deliver(f));
    }
    this.compact();
    return out;
  }

  /** Frees every buffer; devices still attached are detached (the owner halts them first). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.lending.dispose();
    for (let i = this.head; i < this.queue.length; i++) this.queue[i]?.release?.();
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
    this.sources.clear();
  }
}
