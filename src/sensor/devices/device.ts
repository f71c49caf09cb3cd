/**
 * The one small interface every sensor device implements. Devices know nothing of WIT or of
 * pools: they say which frames were captured up to a moment of the host clock, and render the
 * pixels of a frame when asked. Clocked devices (test pattern, fixtures) compute frames from the
 * clock; asynchronous devices (a camera child process) collect what has arrived.
 */
import { checkRate, type Capabilities, type Layout, type Rate } from '../pixels.js';
import { fault } from '../fault.js';
import type { SensorClock } from '../clock.js';

/** Frames captured since the previous `collect` call, oldest first. */
export interface CapturedFrames {
  readonly count: number;
  /** Host-clock nanoseconds at which frame `i` was captured. */
  timestamp(i: number): bigint;
  /**
   * The payload of frame `i` in the layout that was current when it was captured. Called at
   * most once per frame, possibly later (frames that are dropped are never rendered); `into`
   * is a buffer of exactly the frame's size that the callee may fill and return.
   */
  render(i: number, into?: Uint8Array): Uint8Array;
  /** The layout of every frame of this batch. */
  readonly layout: Layout;
  /**
   * The first `overrun` frames were captured but lost before collection (a ring that wrapped):
   * they count as dropped. `render` returns an empty array for a frame lost while copying.
   */
  readonly overrun?: number;
  /**
   * Frame `i` (past the overrun) was captured but lost before it reached the host — a V4L2 driver
   * that had no free buffer for it, which its sequence numbers say. Counted as dropped, never
   * rendered; its timestamp lies between its neighbours'.
   */
  lost?(i: number): boolean;
  /**
   * True when `render(i)` without `into` returns a buffer the device never changes (a decoded
   * fixture image): the pool then hands it out as it is, without copying it first.
   */
  readonly stable?: boolean;
  /** True when `render` can be called later (pixels are a function of the frame number). */
  readonly deferrable: boolean;
  /**
   * More by-value entries of frame `i` after its pixels (an on-sensor-AI camera's output tensors,
   * docs/spec-notes/sensor-ai.md); called once, when the frame is delivered, with its pixels.
   */
  extra?(i: number, pixels: Uint8Array): FrameExtra[];
  /**
   * Frame `i`'s buffer itself, for a host-memory pool (zero copy, instead of `render`): the device
   * leaves it untouched until `release` is called (the guest dropped the memory handle, or the pool
   * dropped the frame). Undefined when this frame must be rendered (a conversion). At most once per frame.
   */
  hold?(i: number): HeldFrame | undefined;
  /** The host is done with this batch: buffers of frames it did not hold may be reused (the next collect implies it). */
  done?(): void;
}

/** A device buffer lent out as it is (CapturedFrames.hold). */
export interface HeldFrame {
  readonly pixels: Uint8Array;
  release(): void;
}

/** What the host tells a device it starts for a pool. */
export interface StartHints {
  /** Frames the pool may hold at once (queued and lent): a device with its own buffers needs that many plus its own. */
  frames: number;
}

/** A by-value `image` entry that follows a frame's pixels in its `frame-info.data`. */
export interface FrameExtra {
  layout: Layout;
  payload: Uint8Array;
}

/** What a device is given when it is opened. */
export interface DeviceEnvironment {
  /** Cell that asynchronous devices bump (Atomics.notify) when a frame arrives. */
  wake: Int32Array;
  clock: SensorClock;
}

export interface SensorDevice {
  /** For `wasi-edge devices` and error messages. */
  readonly description: string;
  readonly capabilities: Capabilities;
  getRate(): Rate;
  /** Throws SensorFault (invalid-argument, out-of-range, not-supported). Only while stopped. */
  setRate(rate: Rate): void;
  getLayout(): Layout;
  setLayout(layout: Layout): void;
  /** Begins capturing at host time `now`. May throw SensorFault('hardware-error', 'busy', 'not-supported'). */
  start(now: bigint, hints?: StartHints): void;
  stop(): void;
  /**
   * Frames captured at or before `now` and not yet collected. Throws SensorFault('hardware-error')
   * once when the hardware went away; the device is then stopped.
   */
  collect(now: bigint): CapturedFrames;
  /** When the next frame will be captured, if the device knows (clocked devices); undefined otherwise. */
  nextDeadline(): bigint | undefined;
  /** True while frames may arrive without a deadline (a child process), signalled on the wake cell. */
  readonly asynchronous: boolean;
  /** Releases everything (child processes, workers). Idempotent. */
  close(): void;
}

export const NO_FRAMES = (layout: Layout): CapturedFrames => ({
  count: 0,
  layout,
  deferrable: true,
  timestamp: () => 0n,
  render: () => new Uint8Array(0),
});

/** Frame k of a clocked device is captured at start + frameTime(rate, k); this tracks k. */
export class Ticker {
  private startNs = 0n;
  private next = 0n;
  running = false;

  constructor(private rate: Rate) {}

  setRate(rate: Rate): void {
    this.rate = rate;
  }

  getRate(): Rate {
    return { ...this.rate };
  }

  /** set-property of a clocked device's sampling rate: only while stopped (`busy`), within `caps`. */
  changeRate(rate: Rate, caps: Capabilities): void {
    if (this.running) fault('busy', 'stop the device before changing its sampling rate');
    this.rate = checkRate(rate, caps);
  }

  start(now: bigint): void {
    this.startNs = now;
    this.next = 0n;
    this.running = true;
  }

  stop(): void {
    this.running = false;
  }

  /** Rounded up, so that `take(at(k))` includes frame k whatever the rate. */
  at(k: bigint): bigint {
    const num = BigInt(this.rate.numerator);
    return this.startNs + (k * 1_000_000_000n * BigInt(this.rate.denominator) + num - 1n) / num;
  }

  /** Frame numbers [first, first+count) due at or before now; advances past them. */
  take(now: bigint): { first: bigint; count: number } {
    if (!this.running || now < this.startNs) return { first: this.next, count: 0 };
    // k <= (now - start) * num / (den * 1e9)
    const last = ((now - this.startNs) * BigInt(this.rate.numerator)) / (1_000_000_000n * BigInt(this.rate.denominator));
    const first = this.next;
    const count = last >= first ? Number(last - first + 1n) : 0;
    this.next = first + BigInt(count);
    return { first, count };
  }

  deadline(): bigint | undefined {
    return this.running ? this.at(this.next) : undefined;
  }
}
