/**
 * A stand-in for the kernel under the V4L2 backend (its `V4l2Kernel` seam): a capture driver with
 * the formats, sizes and rates it is given, that fills queued buffers in order, drops frames (and
 * counts them in its sequence numbers) when none is queued, answers EBUSY to a second file while
 * one owns the queue, adjusts an S_FMT it cannot do to one it can (as drivers do), and can be
 * unplugged (ENODEV on every open file, ENOENT on open) and plugged back. Its structs are the real
 * byte layouts of either ABI (abi.ts), so the backend's encoding is exercised too.
 *
 * Frames are produced by a ticker thread at the streaming rate (a frame counter in shared memory
 * plus one wake-up per frame), so the main thread may sleep in Atomics.wait as a guest does; without
 * the ticker a test moves the driver's time itself (`advance`), frame by frame. Frame
 * k's pixels all hold k mod 256 (luma for YUYV and NV12, whose chroma is 128), so its number is
 * readable in every raw format; MJPG frames are JPEGs of that gray level.
 */
import { Worker } from 'node:worker_threads';
import { encodeJpeg } from '../../src/core/codecs/index.js';
import {
  LAYOUTS, V4L2, decodeFormat, encodeFormat, fourcc, requests, writeBuffer, type V4l2Abi,
} from '../../src/sensor/devices/v4l2/abi.js';
import type { FrameWatch, MappedBuffer, V4l2Kernel } from '../../src/sensor/devices/v4l2/kernel.js';

export interface StandInFormat {
  fourcc: 'YUYV' | 'NV12' | 'RGB3' | 'BGR3' | 'GREY' | 'MJPG' | 'H264';
  sizes: readonly (readonly [number, number])[];
  /** Frames per second offered at every size. */
  fps: readonly number[];
}

interface Buffer {
  mem: Uint8Array;
  state: 'user' | 'queued' | 'done';
  sequence: number;
  ts: bigint;
  bytesused: number;
}

interface File {
  fd: number;
  /** Files opened before an unplug stay dead. */
  dead: boolean;
  fmt: { width: number; height: number; code: number; bytesperline: number; sizeimage: number };
  fps: number;
  buffers: Buffer[];
  streaming: boolean;
  /** Shared with the ticker: [0] frames produced since STREAMON, [1] stop. */
  ticks?: Int32Array;
  ticker?: Worker;
  /** Frames of the stream the driver has handed out or dropped. */
  processed: number;
}

const errno = (code: string) => Object.assign(new Error(code), { code });

const TICKER = `
const { workerData } = require('node:worker_threads');
const ticks = new Int32Array(workerData.ticks);
const wake = new Int32Array(workerData.wake);
const timer = setInterval(() => {
  if (Atomics.load(ticks, 1)) { clearInterval(timer); return; }
  Atomics.add(ticks, 0, 1);
  Atomics.add(wake, 0, 1);
  Atomics.notify(wake, 0);
}, workerData.periodMs);
`;

export class V4l2StandIn implements V4l2Kernel {
  present = true;
  /** What the test can look at. */
  readonly counts = { mapped: 0, unmapped: 0, detached: 0, qbuf: 0, dqbuf: 0 };
  /** The memory of every buffer the driver allocated (a zero-copy frame must be one of these). */
  readonly memories = new Set<ArrayBufferLike>();
  private readonly files = new Map<number, File>();
  private nextFd = 100;
  private owner: File | undefined;
  private readonly req;
  private readonly codes: Map<number, StandInFormat>;

  /** Called after every DQBUF that handed out a buffer (a test makes time pass mid-collect with it). */
  afterDequeue: (() => void) | undefined;

  constructor(
    readonly formats: readonly StandInFormat[],
    readonly abi: V4l2Abi = 'lp64',
    readonly card = 'stand-in camera',
    /** false: no ticker thread; frames come only from `advance`, so a test decides when each is captured. */
    readonly ticking = true,
  ) {
    this.req = requests(abi);
    this.codes = new Map(formats.map((f) => [fourcc(f.fourcc), f]));
  }

  unplug(): void {
    this.present = false;
    for (const f of this.files.values()) {
      f.dead = true;
      this.stopTicker(f);
    }
  }

  replug(): void {
    this.present = true;
  }

  /**
   * `frames` frame periods pass at once on the streaming file: the driver captures them now, into
   * the buffers queued at this moment, and drops the rest (as a real driver does between two calls).
   */
  advance(frames: number): void {
    const f = this.owner;
    if (!f?.streaming || !f.ticks) throw new Error('advance: nothing is streaming');
    Atomics.add(f.ticks, 0, frames);
    this.produce(f);
  }

  /** Files open now (a test checks that stop and close let go of theirs). */
  get openFiles(): number {
    return this.files.size;
  }

  open(): number {
    if (!this.present) throw errno('ENOENT');
    const first = this.formats[0]!;
    const file: File = { fd: this.nextFd++, dead: false, fmt: this.format(fourcc(first.fourcc), first.sizes[0]![0], first.sizes[0]![1]), fps: first.fps[0]!, buffers: [], streaming: false, processed: 0 };
    this.files.set(file.fd, file);
    return file.fd;
  }

  close(fd: number): void {
    const f = this.files.get(fd);
    if (!f) throw errno('EBADF');
    this.stopTicker(f);
    if (this.owner === f) this.owner = undefined;
    this.files.delete(fd);
  }

  private format(code: number, width: number, height: number) {
    const name = [...this.codes.entries()].find(([c]) => c === code)?.[1].fourcc;
    const bpl = name === 'YUYV' ? width * 2 : name === 'RGB3' || name === 'BGR3' ? width * 3 : name === 'MJPG' ? 0 : width;
    const sizeimage = name === 'NV12' ? width * height * 1.5 : name === 'MJPG' ? width * height * 2 + 1024 : bpl * height;
    return { width, height, code, bytesperline: bpl, sizeimage };
  }

  mmap(fd: number, length: number, offset: number): MappedBuffer {
    const f = this.live(fd);
    const b = f.buffers[offset / 0x10000];
    if (!b || length !== b.mem.length) throw errno('EINVAL');
    this.counts.mapped++;
    let mapped = true;
    return {
      bytes: b.mem,
      unmap: () => {
        if (mapped) this.counts.unmapped++;
        mapped = false;
      },
      detach: () => {
        if (mapped) this.counts.detached++;
      },
    };
  }

  watch(fd: number, wake: Int32Array): FrameWatch {
    const f = this.live(fd);
    const ticks = new Int32Array(new SharedArrayBuffer(8));
    f.ticks = ticks;
    if (this.ticking) {
      f.ticker = new Worker(TICKER, { eval: true, workerData: { ticks: ticks.buffer, wake: wake.buffer, periodMs: 1000 / f.fps } });
      f.ticker.unref();
    }
    return { ack: () => {}, stop: () => this.stopTicker(f) };
  }

  private stopTicker(f: File): void {
    if (f.ticks) Atomics.store(f.ticks, 1, 1);
    void f.ticker?.terminate();
    f.ticker = undefined;
  }

  private live(fd: number): File {
    const f = this.files.get(fd);
    if (!f) throw errno('EBADF');
    if (f.dead) throw errno('ENODEV');
    return f;
  }

  ioctl(fd: number, request: number, arg: Uint8Array): void {
    const f = this.live(fd);
    const v = new DataView(arg.buffer, arg.byteOffset, arg.byteLength);
    const r = this.req;
    const u32 = (at: number) => v.getUint32(at, true);
    const set = (at: number, x: number) => v.setUint32(at, x, true);
    switch (request) {
      case r.QUERYCAP: {
        arg.set(new TextEncoder().encode('standin'), 0);
        arg.set(new TextEncoder().encode(this.card), 16);
        set(84, V4L2.CAP_VIDEO_CAPTURE | V4L2.CAP_STREAMING | V4L2.CAP_DEVICE_CAPS);
        set(88, V4L2.CAP_VIDEO_CAPTURE | V4L2.CAP_STREAMING);
        return;
      }
      case r.ENUM_FMT: {
        const fmt = this.formats[u32(0)];
        if (!fmt) throw errno('EINVAL');
        set(44, fourcc(fmt.fourcc));
        return;
      }
      case r.ENUM_FRAMESIZES: {
        const size = this.codes.get(u32(4))?.sizes[u32(0)];
        if (!size) throw errno('EINVAL');
        set(8, V4L2.FRMSIZE_TYPE_DISCRETE);
        set(12, size[0]);
        set(16, size[1]);
        return;
      }
      case r.ENUM_FRAMEINTERVALS: {
        const fps = this.codes.get(u32(4))?.fps[u32(0)];
        if (fps === undefined) throw errno('EINVAL');
        set(16, V4L2.FRMIVAL_TYPE_DISCRETE);
        set(20, 1);
        set(24, fps);
        return;
      }
      case r.S_FMT:
      case r.G_FMT: {
        if (request === r.S_FMT) {
          if (this.owner && this.owner !== f) throw errno('EBUSY');
          if (f.streaming) throw errno('EBUSY');
          const want = decodeFormat(this.abi, arg);
          const fmt = this.codes.get(want.pixelformat) ?? this.formats[0]!;
          const size = fmt.sizes.find(([w, h]) => w === want.width && h === want.height) ?? fmt.sizes[0]!;
          f.fmt = this.format(fourcc(fmt.fourcc), size[0], size[1]);
        }
        const out = encodeFormat(this.abi, { width: f.fmt.width, height: f.fmt.height, pixelformat: f.fmt.code });
        const pix = LAYOUTS[this.abi].format.pix;
        new DataView(out.buffer).setUint32(pix + 16, f.fmt.bytesperline, true);
        new DataView(out.buffer).setUint32(pix + 20, f.fmt.sizeimage, true);
        arg.set(out);
        return;
      }
      case r.S_PARM: {
        const fmt = this.codes.get(f.fmt.code)!;
        const want = u32(16) / Math.max(1, u32(12));
        f.fps = fmt.fps.reduce((best, x) => (Math.abs(x - want) < Math.abs(best - want) ? x : best), fmt.fps[0]!);
        set(4, V4L2.CAP_TIMEPERFRAME);
        set(12, 1);
        set(16, f.fps);
        return;
      }
      case r.REQBUFS: {
        if (this.owner && this.owner !== f) throw errno('EBUSY');
        if (f.streaming) throw errno('EBUSY');
        const count = Math.min(u32(0), 32);
        f.buffers = Array.from({ length: count }, () => ({ mem: new Uint8Array(f.fmt.sizeimage), state: 'user' as const, sequence: 0, ts: 0n, bytesused: 0 }));
        for (const b of f.buffers) this.memories.add(b.mem.buffer);
        this.owner = count > 0 ? f : undefined;
        set(0, count);
        return;
      }
      case r.QUERYBUF: {
        const i = u32(0);
        const b = f.buffers[i];
        if (!b) throw errno('EINVAL');
        writeBuffer(this.abi, arg, this.info(i, b));
        return;
      }
      case r.QBUF: {
        const b = f.buffers[u32(0)];
        if (!b || b.state !== 'user') throw errno('EINVAL');
        this.counts.qbuf++;
        b.state = 'queued';
        return;
      }
      case r.DQBUF: {
        if (!f.streaming) throw errno('EINVAL');
        this.produce(f);
        const done = f.buffers.map((b, i) => ({ b, i })).filter((x) => x.b.state === 'done').sort((a, b) => a.b.sequence - b.b.sequence)[0];
        if (!done) throw errno('EAGAIN');
        this.counts.dqbuf++;
        done.b.state = 'user';
        writeBuffer(this.abi, arg, this.info(done.i, done.b));
        this.afterDequeue?.();
        return;
      }
      case r.STREAMON:
        f.streaming = true;
        f.processed = 0;
        return;
      case r.STREAMOFF:
        f.streaming = false;
        this.stopTicker(f);
        for (const b of f.buffers) b.state = 'user';
        return;
      default:
        throw errno('ENOTTY');
    }
  }

  private info(index: number, b: Buffer) {
    const flags = (b.state === 'done' ? V4L2.BUF_FLAG_DONE : b.state === 'queued' ? V4L2.BUF_FLAG_QUEUED : 0) | V4L2.BUF_FLAG_TIMESTAMP_MONOTONIC;
    return { index, bytesused: b.bytesused, flags, timestampNs: b.ts, sequence: b.sequence, offset: index * 0x10000, length: b.mem.length };
  }

  /** The frames the ticker produced since the last look: into queued buffers in order, or dropped. */
  private produce(f: File): void {
    const produced = f.ticks ? Atomics.load(f.ticks, 0) : 0;
    for (; f.processed < produced; f.processed++) {
      const b = f.buffers.find((x) => x.state === 'queued');
      if (!b) continue; // no buffer: the frame is lost, its sequence number with it
      b.state = 'done';
      b.sequence = f.processed;
      b.ts = process.hrtime.bigint();
      b.bytesused = this.paint(f, b.mem, f.processed & 0xff);
    }
  }

  private paint(f: File, mem: Uint8Array, n: number): number {
    const { width, height, code } = f.fmt;
    const name = this.codes.get(code)!.fourcc;
    if (name === 'MJPG') {
      const jpeg = encodeJpeg(width, height, new Uint8Array(width * height * 3).fill(n), 3, 90, []);
      mem.set(jpeg);
      return jpeg.length;
    }
    mem.fill(n);
    if (name === 'YUYV') for (let i = 1; i < mem.length; i += 2) mem[i] = 128;
    if (name === 'NV12') mem.fill(128, width * height);
    return f.fmt.sizeimage;
  }
}
