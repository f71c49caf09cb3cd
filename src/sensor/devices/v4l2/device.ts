/**
 * A V4L2 capture device through the kernel's own interface (kind `v4l2`), no child process:
 *
 * - opened: QUERYCAP (a streaming capture device?), then the modes (modes.ts) become the sensor's
 *   capabilities: the buffer-pool formats some driver format gives directly or by conversion
 *   (formats.ts), the largest size, the range of rates;
 * - start: S_FMT (the exact format and size, or `not-supported`), S_PARM (the rate), REQBUFS for
 *   the pool's buffers plus `spareBuffers` in flight in the driver, QUERYBUF + mmap + QBUF each,
 *   STREAMON; `EBUSY` anywhere is `busy` (another process has the camera);
 * - collect: DQBUF until EAGAIN (non-blocking; a worker polls the fd and bumps the wake cell, see
 *   watcher.ts). The driver's sequence numbers say which frames it dropped for want of a free
 *   buffer: a gap before the batch is its `overrun`, a gap inside it `lost` frames;
 * - zero copy: `hold(i)` hands the pool the mmap'd driver buffer itself; it is queued back (QBUF)
 *   when the pool releases it — the guest dropped or invalidated the memory handle, or the frame
 *   was dropped from the queue. Frames not held (by-value pools, conversions) are copied by
 *   `render` and queued back when the pool is done with the batch;
 * - faults: ENODEV (or any other error) on dequeue — the device was unplugged or its driver
 *   unbound — delivers the frames already dequeued, then `hardware-error` once, and the device is
 *   stopped; `start` opens the node again, so it works once the device is back.
 */
import { checkLayout, checkRate, type Capabilities, type Layout, type Rate } from '../../pixels.js';
import { fault } from '../../fault.js';
import type { PixelFormat } from '../../pixels.js';
import { NO_FRAMES, type CapturedFrames, type HeldFrame, type SensorDevice, type StartHints } from '../device.js';
import {
  V4L2, decodeBuffer, decodeCapability, decodeFormat, decodeRequestBuffers, encodeBuffer, encodeFormat,
  encodeRequestBuffers, encodeStreamParm, requests, type BufferInfo, type V4l2Requests,
} from './abi.js';
import { errnoCode, type FrameWatch, type MappedBuffer, type V4l2Kernel } from './kernel.js';
import { enumerateModes, rateFits, sizeFits, type Mode } from './modes.js';
import { convertFrame, isDirect, sourceByName, sourcesFor, type DriverFrame, type Source } from './formats.js';
import { PIXEL_FORMATS } from '../../pixels.js';

export interface V4l2DeviceOptions {
  /** `/dev/video0` */
  device: string;
  layout: Layout;
  rate: Rate;
  /** The buffer-pool formats to offer (default: every one the driver's formats give). */
  formats?: readonly PixelFormat[];
  /** Driver formats (fourccs) this device may use, best first (default: formats.ts's order). */
  fourccs?: readonly string[];
  /** Narrow what the driver offers (the configuration's maxima and rate range). */
  limits?: Pick<Capabilities, 'maxWidth' | 'maxHeight' | 'minFps' | 'maxFps'>;
  /** Driver buffers beyond the pool's: the ones the driver fills while the pool holds its own. */
  spareBuffers: number;
  kernel: V4l2Kernel;
  wake: Int32Array;
  /** Converts a CLOCK_MONOTONIC reading (ns) to the host clock. */
  toClock: (monotonicNs: bigint) => bigint;
  /** CLOCK_MONOTONIC now, ns (stamps frames of drivers whose timestamps are not monotonic). */
  monotonicNow?: () => bigint;
}

/** What the device counted since it was opened (tests, bench). */
export interface V4l2Stats {
  /** Frames dequeued from the driver. */
  dequeued: number;
  /** Frames handed to a pool as the driver's buffer itself. */
  held: number;
  /** Frames whose pixels were copied or converted out of the driver's buffer. */
  copies: number;
  /** Frames the driver dropped (gaps in its sequence numbers). */
  driverDropped: number;
}

type BufferState = 'driver' | 'batch' | 'held' | 'idle';

/** One started stream: its fd, buffers and watch. */
class Stream {
  readonly state: BufferState[];
  ended = false;
  constructor(
    readonly fd: number,
    readonly maps: MappedBuffer[],
    readonly frame: DriverFrame,
    readonly watch: FrameWatch,
  ) {
    this.state = maps.map(() => 'driver');
  }
}

interface Dequeued {
  info: BufferInfo;
  /** Host-clock capture time. */
  ts: bigint;
}

export class V4l2Device implements SensorDevice {
  readonly asynchronous = true;
  readonly capabilities: Capabilities;
  readonly description: string;
  readonly stats: V4l2Stats = { dequeued: 0, held: 0, copies: 0, driverDropped: 0 };
  private readonly req: V4l2Requests;
  private readonly modes: Mode[];
  private layout: Layout;
  private rate: Rate;
  private stream: Stream | undefined;
  /** Dequeued, not yet in a batch. */
  private pending: Dequeued[] = [];
  private lastSequence: number | undefined;
  private lastTs = -1n;
  private gone: string | undefined;
  /** The frames of the last batch: queued back when the pool is done with it, unless held. */
  private batch: number[] = [];

  constructor(description: string, private readonly options: V4l2DeviceOptions) {
    const { kernel, device } = options;
    this.req = requests(kernel.abi);
    let fd: number;
    try {
      fd = kernel.open(device);
    } catch (e) {
      throw new Error(openHint(device, e));
    }
    try {
      const capBuf = new Uint8Array(104);
      kernel.ioctl(fd, this.req.QUERYCAP, capBuf);
      const cap = decodeCapability(capBuf);
      if (!(cap.caps & V4L2.CAP_VIDEO_CAPTURE)) throw new Error(`${device} (${cap.card}, ${cap.driver}) is not a video capture device`);
      if (!(cap.caps & V4L2.CAP_STREAMING)) throw new Error(`${device} (${cap.card}, ${cap.driver}) cannot stream (no V4L2_CAP_STREAMING)`);
      this.description = `${description} (${cap.card}, ${cap.driver})`;
      const allowed = options.fourccs?.map((n) => sourceByName(n) ?? unknownFourcc(n));
      this.modes = enumerateModes(kernel, fd, this.req)
        .filter((m) => !allowed || allowed.includes(m.source))
        .sort((a, b) => (allowed ?? []).indexOf(a.source) - (allowed ?? []).indexOf(b.source));
    } finally {
      kernel.close(fd);
    }
    if (this.modes.length === 0) throw new Error(`${device}: none of its pixel formats is one this backend reads (YUYV, NV12, RGB3, BGR3, GREY, MJPG)`);
    const sources = [...new Set(this.modes.map((m) => m.source))];
    const reachable = PIXEL_FORMATS.filter((f) => sourcesFor(f, sources).length > 0 && (!options.formats || options.formats.includes(f)));
    const lim = options.limits;
    this.capabilities = {
      formats: reachable,
      maxWidth: Math.min(lim?.maxWidth ?? Infinity, Math.max(...this.modes.map((m) => m.size.maxWidth))),
      maxHeight: Math.min(lim?.maxHeight ?? Infinity, Math.max(...this.modes.map((m) => m.size.maxHeight))),
      minFps: Math.max(lim?.minFps ?? 0, Math.min(...this.modes.map((m) => m.rates.minFps))),
      maxFps: Math.min(lim?.maxFps ?? Infinity, Math.max(...this.modes.map((m) => m.rates.maxFps))),
      layoutSettable: true,
    };
    this.layout = this.checkMode(checkLayout(options.layout, this.capabilities));
    this.rate = checkRate(options.rate, this.capabilities);
  }

  /** The driver modes that give `layout`, best first; `not-supported` when none has its size. */
  private modesFor(layout: Layout): Mode[] {
    const sources = sourcesFor(layout.pixelFormat, [...new Set(this.modes.map((m) => m.source))]);
    return sources.flatMap((s) => this.modes.filter((m) => m.source === s && sizeFits(m.size, layout.width, layout.height)));
  }

  private checkMode(layout: Layout): Layout {
    if (this.modesFor(layout).length === 0) {
      fault('not-supported', `${this.options.device} has no mode for ${layout.width}x${layout.height} ${layout.pixelFormat} (its sizes: ${this.sizeList()})`);
    }
    return layout;
  }

  private sizeList(): string {
    const sizes = new Set(this.modes.map((m) => (m.size.minWidth === m.size.maxWidth ? `${m.size.minWidth}x${m.size.minHeight}` : `${m.size.minWidth}x${m.size.minHeight}..${m.size.maxWidth}x${m.size.maxHeight}`)));
    return [...sizes].join(', ');
  }

  getRate(): Rate {
    return { ...this.rate };
  }

  setRate(rate: Rate): void {
    if (this.stream) fault('busy', 'stop the camera before changing its sampling rate');
    const r = checkRate(rate, this.capabilities);
    if (!this.modesFor(this.layout).some((m) => rateFits(m.rates, r))) {
      fault('not-supported', `${this.options.device} does not offer ${r.numerator}/${r.denominator} fps at ${this.layout.width}x${this.layout.height} ${this.layout.pixelFormat}`);
    }
    this.rate = r;
  }

  getLayout(): Layout {
    return { ...this.layout };
  }

  setLayout(layout: Layout): void {
    if (this.stream) fault('busy', 'stop the camera before changing its dimension');
    this.layout = this.checkMode(checkLayout(layout, this.capabilities));
  }

  start(_now: bigint, hints?: StartHints): void {
    if (this.stream) return;
    const { kernel, device } = this.options;
    let fd: number;
    try {
      fd = kernel.open(device);
    } catch (e) {
      fault('hardware-error', openHint(device, e));
    }
    const maps: MappedBuffer[] = [];
    try {
      const frame = this.setFormat(fd);
      this.setRateOn(fd, frame);
      const want = Math.max(2, (hints?.frames ?? 2) + this.options.spareBuffers);
      const rb = encodeRequestBuffers(want);
      this.ioctl(fd, this.req.REQBUFS, rb, 'REQBUFS');
      const count = decodeRequestBuffers(rb);
      if (count < 1) fault('resource-exhausted', `${device} granted no buffers`);
      for (let i = 0; i < count; i++) {
        const b = encodeBuffer(kernel.abi, i);
        this.ioctl(fd, this.req.QUERYBUF, b, 'QUERYBUF');
        const info = decodeBuffer(kernel.abi, b);
        maps.push(kernel.mmap(fd, info.length, info.offset));
      }
      for (let i = 0; i < count; i++) this.ioctl(fd, this.req.QBUF, encodeBuffer(kernel.abi, i), 'QBUF');
      this.ioctl(fd, this.req.STREAMON, typeArg(), 'STREAMON');
      const periodMs = (1000 * this.rate.denominator) / this.rate.numerator;
      const watch = kernel.watch(fd, this.options.wake, { buffers: count, periodMs });
      this.stream = new Stream(fd, maps, frame, watch);
      this.pending = [];
      this.batch = [];
      this.lastSequence = undefined;
      this.gone = undefined;
    } catch (e) {
      for (const m of maps) m.unmap();
      kernel.close(fd);
      throw e;
    }
  }

  /** S_FMT with the first driver mode that gives the layout; the driver must keep format and size. */
  private setFormat(fd: number): DriverFrame {
    const { kernel, device } = this.options;
    const { width, height } = this.layout;
    for (const mode of this.modesFor(this.layout)) {
      const f = encodeFormat(kernel.abi, { width, height, pixelformat: mode.source.code });
      this.ioctl(fd, this.req.S_FMT, f, 'S_FMT');
      const got = decodeFormat(kernel.abi, f);
      if (got.pixelformat === mode.source.code && got.width === width && got.height === height) {
        return { source: mode.source, width, height, bytesperline: got.bytesperline || width * bytesOfRow(mode.source) };
      }
    }
    fault('not-supported', `${device} does not accept ${width}x${height} in any format that gives ${this.layout.pixelFormat}`);
  }

  /** S_PARM: the rate, when the driver lets the application choose it; it may round to its own. */
  private setRateOn(fd: number, _frame: DriverFrame): void {
    const p = encodeStreamParm({ numerator: this.rate.denominator, denominator: this.rate.numerator });
    try {
      this.options.kernel.ioctl(fd, this.req.S_PARM, p);
    } catch (e) {
      if (errnoCode(e) === 'ENOTTY' || errnoCode(e) === 'EINVAL') return; // fixed rate
      throw this.failure(e, 'S_PARM');
    }
  }

  private ioctl(fd: number, request: number, arg: Uint8Array, what: string): void {
    try {
      this.options.kernel.ioctl(fd, request, arg);
    } catch (e) {
      throw this.failure(e, what);
    }
  }

  private failure(e: unknown, what: string): Error {
    const code = errnoCode(e);
    const device = this.options.device;
    try {
      if (code === 'EBUSY') fault('busy', `${device} is in use (${what}: EBUSY): another process has the camera`);
      if (code === 'EINVAL') fault('not-supported', `${device} refused ${what} (EINVAL) for ${this.layout.width}x${this.layout.height} ${this.layout.pixelFormat}`);
      if (code === 'ENOMEM') fault('resource-exhausted', `${device}: ${what} ran out of memory`);
      fault('hardware-error', `${device}: ${what} failed (${code ?? (e as Error).message})`);
    } catch (f) {
      return f as Error;
    }
  }

  stop(): void {
    const s = this.stream;
    if (!s) return;
    this.stream = undefined;
    this.pending = [];
    this.batch = [];
    s.ended = true;
    s.watch.stop();
    try {
      this.options.kernel.ioctl(s.fd, this.req.STREAMOFF, typeArg());
    } catch {
      // Gone already (ENODEV): closing is all that is left.
    }
    // Held buffers stay readable until the pool releases them (a guest may still read them), but
    // in memory of their own: a mapping would keep the node alive after an unplug.
    s.maps.forEach((m, i) => {
      if (s.state[i] === 'held') m.detach();
      else m.unmap();
    });
    this.options.kernel.close(s.fd);
  }

  /** Queues buffer `i` back to the driver (or unmaps it, once its stream has ended). */
  private giveBack(s: Stream, i: number): void {
    if (s.ended) {
      if (s.state[i] === 'held') s.maps[i]!.unmap();
      s.state[i] = 'idle';
      return;
    }
    if (s.state[i] === 'driver') return;
    s.state[i] = 'driver';
    try {
      this.options.kernel.ioctl(s.fd, this.req.QBUF, encodeBuffer(this.options.kernel.abi, i));
    } catch (e) {
      this.gone ??= `QBUF failed (${errnoCode(e) ?? (e as Error).message})`;
    }
  }

  /** The frames of the previous batch that the pool did not hold go back to the driver. */
  private settle(s: Stream): void {
    for (const i of this.batch) if (s.state[i] === 'batch') this.giveBack(s, i);
    this.batch = [];
  }

  private dequeueAll(s: Stream): void {
    const { kernel } = this.options;
    for (;;) {
      const b = encodeBuffer(kernel.abi, 0);
      try {
        kernel.ioctl(s.fd, this.req.DQBUF, b);
      } catch (e) {
        const code = errnoCode(e);
        if (code !== 'EAGAIN') this.gone ??= `DQBUF failed (${code ?? (e as Error).message})`;
        break;
      }
      const info = decodeBuffer(kernel.abi, b);
      this.stats.dequeued++;
      s.state[info.index] = 'batch';
      if (info.flags & V4L2.BUF_FLAG_ERROR) {
        // A corrupted frame: the driver counts it in its sequence; we count it as lost.
        this.giveBack(s, info.index);
        continue;
      }
      const monotonic = (info.flags & V4L2.BUF_FLAG_TIMESTAMP_MASK) === V4L2.BUF_FLAG_TIMESTAMP_MONOTONIC;
      const stamp = monotonic ? info.timestampNs : (this.options.monotonicNow ?? (() => process.hrtime.bigint()))();
      this.pending.push({ info, ts: this.options.toClock(stamp) });
    }
    s.watch.ack();
  }

  collect(): CapturedFrames {
    const s = this.stream;
    const layout = this.layout;
    if (!s) return NO_FRAMES(layout);
    this.settle(s);
    if (!this.gone) this.dequeueAll(s);
    if (this.pending.length === 0) {
      if (this.gone) {
        const why = this.gone;
        this.stop();
        fault('hardware-error', `${this.options.device} went away (${why})`);
      }
      return NO_FRAMES(layout);
    }
    // The driver keeps capturing only into buffers it has: at most `buffers - spareBuffers` of what
    // was dequeued stay out (the newest); older ones go back at once, lost as a ring's oldest are.
    const keep = Math.max(1, s.maps.length - this.options.spareBuffers);
    const trimmed = Math.max(0, this.pending.length - keep);
    for (const f of this.pending.splice(0, trimmed)) this.giveBack(s, f.info.index);
    // Every frame dequeued, in order; the driver's sequence numbers say which it dropped: before the
    // first (overrun) and between them (lost).
    const frames = this.pending.splice(0);
    const first = frames[0]!.info.sequence;
    const overrun = this.lastSequence === undefined ? trimmed : Math.max(0, first - this.lastSequence - 1);
    const last = frames[frames.length - 1]!.info.sequence;
    this.lastSequence = last;
    this.stats.driverDropped += overrun + (last - first + 1 - frames.length);
    for (const f of frames) {
      // Timestamps strictly increase, whatever the driver's clock did.
      if (f.ts <= this.lastTs) f.ts = this.lastTs + 1n;
      this.lastTs = f.ts;
    }
    this.batch = frames.map((f) => f.info.index);
    return this.batchOf(s, layout, frames, overrun);
  }

  private batchOf(s: Stream, layout: Layout, frames: Dequeued[], overrun: number): CapturedFrames {
    // slots[j]: the frame with sequence number first + j, or undefined where the driver dropped one.
    const first = frames[0]!.info.sequence;
    const slots: (Dequeued | undefined)[] = new Array(frames[frames.length - 1]!.info.sequence - first + 1);
    for (const f of frames) slots[f.info.sequence - first] = f;
    const slot = (i: number) => (i < overrun ? undefined : slots[i - overrun]);
    const stamp = (i: number): bigint => {
      if (i < overrun) return frames[0]!.ts;
      // A lost frame: just after the last frame before it.
      let j = i - overrun;
      while (!slots[j]) j--;
      return slots[j]!.ts + BigInt(i - overrun - j);
    };
    const direct = isDirect(s.frame, layout);
    const payload = (f: Dequeued) => {
      const bytes = s.maps[f.info.index]!.bytes;
      return layout.pixelFormat === 'mjpeg' ? bytes.subarray(0, f.info.bytesused) : bytes.subarray(0, layout.strideBytes * layout.height);
    };
    return {
      count: overrun + slots.length,
      overrun,
      lost: (i) => i >= overrun && slot(i) === undefined,
      layout,
      deferrable: false,
      timestamp: stamp,
      render: (i, into) => {
        const f = slot(i);
        if (!f || s.state[f.info.index] !== 'batch') return new Uint8Array(0);
        this.stats.copies++;
        const bytes = s.maps[f.info.index]!.bytes;
        if (layout.pixelFormat === 'mjpeg') {
          const out = into?.length === f.info.bytesused ? into : new Uint8Array(f.info.bytesused);
          out.set(bytes.subarray(0, f.info.bytesused));
          return out;
        }
        return convertFrame(s.frame, bytes, f.info.bytesused, layout, into ?? new Uint8Array(layout.strideBytes * layout.height));
      },
      hold: direct
        ? (i): HeldFrame | undefined => {
            const f = slot(i);
            if (!f || s.state[f.info.index] !== 'batch') return undefined;
            const index = f.info.index;
            s.state[index] = 'held';
            this.stats.held++;
            let released = false;
            return {
              pixels: payload(f),
              release: () => {
                if (released) return;
                released = true;
                this.giveBack(s, index);
              },
            };
          }
        : undefined,
      done: () => {
        if (this.stream === s) this.settle(s);
      },
    };
  }

  nextDeadline(): bigint | undefined {
    return undefined;
  }

  close(): void {
    this.stop();
  }
}

const typeArg = () => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, V4L2.BUF_TYPE_VIDEO_CAPTURE, true);
  return b;
};

/** Bytes per pixel of a source's first plane (for drivers that leave bytesperline 0). */
function bytesOfRow(s: Source): number {
  return s.name === 'RGB3' || s.name === 'BGR3' ? 3 : s.name === 'YUYV' ? 2 : s.name === 'MJPG' || s.name === 'JPEG' ? 0 : 1;
}

function unknownFourcc(name: string): never {
  throw new Error(`fourcc "${name}" is not one this backend reads (YUYV, NV12, RGB3, BGR3, GREY, MJPG, JPEG)`);
}

function openHint(device: string, e: unknown): string {
  const code = errnoCode(e);
  if (code === 'ENOENT' || code === 'ENODEV' || code === 'ENXIO') return `${device} is not there (${code}: no camera plugged in, or its driver is not loaded)`;
  if (code === 'EACCES' || code === 'EPERM') return `no permission to open ${device} (${code}: add the user to the 'video' group, or a udev rule)`;
  return `cannot open ${device}: ${(e as Error).message}`;
}
