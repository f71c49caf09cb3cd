/**
 * The V4L2 backend over the stand-in kernel (test/contracts/v4l2-stand-in.ts): capabilities from
 * the enumeration, zero copy into host-memory pools (the frame is the driver's buffer, queued
 * back when the guest drops it), the copy and conversion paths, and the faults: EBUSY → busy,
 * a format or size the driver lacks → not-supported, both ABIs. The SensorDevice contract runs on
 * it in test/contracts/sensor-device.test.ts; the real kernel (vivid) in the QEMU suite.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseSensorConfig, type V4l2DeviceConfig } from '../../../src/sensor/config.js';
import type { DeviceEnvironment } from '../../../src/sensor/devices/device.js';
import { V4l2Device } from '../../../src/sensor/devices/v4l2/device.js';
import { openV4l2Device } from '../../../src/sensor/devices/v4l2/open.js';
import type { Layout } from '../../../src/sensor/pixels.js';
import { V4l2StandIn, type StandInFormat } from '../../contracts/v4l2-stand-in.js';
import { codeOf, harness, type Harness } from '../helpers.js';

const SIZES = [[32, 24], [16, 12]] as const;
const ALL: StandInFormat[] = ['YUYV', 'NV12', 'RGB3', 'GREY', 'MJPG'].map((f) => ({ fourcc: f as StandInFormat['fourcc'], sizes: SIZES, fps: [50, 25, 10] }));

function entry(extra: Record<string, unknown> = {}): V4l2DeviceConfig {
  return parseSensorConfig({ devices: { cam: { kind: 'v4l2', width: 32, height: 24, fps: [50, 1], ...extra } } }, 'sensor', process.cwd()).devices.cam as V4l2DeviceConfig;
}

const opened: Harness[] = [];
afterEach(() => opened.splice(0).forEach((h) => h.provider.dispose()));

/** A host (real clock) whose device `cam` is a V4L2 camera on `kernel`. */
function host(kernel: V4l2StandIn, extra: Record<string, unknown> = {}) {
  const devices: V4l2Device[] = [];
  const c = entry(extra);
  const layout: Layout = { width: c.width, height: c.height, strideBytes: 0, pixelFormat: c.pixelFormat };
  const open = (env: DeviceEnvironment) => {
    const d = openV4l2Device('cam', c, layout, env, kernel);
    devices.push(d);
    return d;
  };
  const h = harness({ clock: 'real', devices: { cam: { kind: 'custom', open }, cam2: { kind: 'custom', open } } });
  opened.push(h);
  return { h, devices };
}

/** Reads until `n` frames came (blocking on the pool's pollable between reads). */
function readN(pool: { subscribe(): { block(): void }; readFrames(n: bigint): any[] }, n: number): any[] {
  const out: any[] = [];
  const sub = pool.subscribe();
  while (out.length < n) {
    sub.block();
    out.push(...pool.readFrames(BigInt(n - out.length)));
  }
  return out;
}

describe('V4L2 backend (stand-in kernel)', () => {
  it('maps the enumeration to capabilities: formats direct or converted, the largest size, the rate range', () => {
    const kernel = new V4l2StandIn([{ fourcc: 'NV12', sizes: SIZES, fps: [30, 15] }, { fourcc: 'H264', sizes: [[1920, 1080]], fps: [60] }]);
    const env = { wake: new Int32Array(new SharedArrayBuffer(4)), clock: harness().clock };
    const d = openV4l2Device('cam', entry({ pixelFormat: 'rgb24', fps: [15, 1] }), { width: 32, height: 24, strideBytes: 0, pixelFormat: 'rgb24' }, env, kernel);
    // NV12 has no buffer-pool format: every raw format is a conversion; mjpeg is not offered (no encoder); H264 is not read.
    expect(d.capabilities).toEqual({ formats: ['gray', 'rgb24', 'bgr24', 'argb32', 'abgr32', 'yuy2'], maxWidth: 32, maxHeight: 24, minFps: 15, maxFps: 30, layoutSettable: true });
    expect(d.description).toBe('cam (stand-in camera, standin)');
    // A size within the maxima that the driver does not list, a rate it does not offer: not-supported.
    expect(() => d.setLayout({ width: 30, height: 20, strideBytes: 0, pixelFormat: 'rgb24' })).toThrow(expect.objectContaining({ code: 'not-supported' }));
    expect(() => d.setRate({ numerator: 20, denominator: 1 })).toThrow(expect.objectContaining({ code: 'not-supported' }));
    d.setLayout({ width: 16, height: 12, strideBytes: 0, pixelFormat: 'gray' });
    d.setRate({ numerator: 30, denominator: 1 });
    expect(kernel.openFiles).toBe(0);
  });

  it('a device with no format this backend reads cannot be opened, and says which it reads', () => {
    const kernel = new V4l2StandIn([{ fourcc: 'H264', sizes: SIZES, fps: [30] }]);
    const env = { wake: new Int32Array(new SharedArrayBuffer(4)), clock: harness().clock };
    expect(() => openV4l2Device('cam', entry(), { width: 32, height: 24, strideBytes: 0, pixelFormat: 'yuy2' }, env, kernel)).toThrow(/none of its pixel formats .*YUYV, NV12/);
  });

  it('host memory: each frame is the driver buffer itself (no copy, no pixel lowered), queued back when the guest drops it', () => {
    const kernel = new V4l2StandIn(ALL);
    const { h, devices } = host(kernel, { pixelFormat: 'yuy2' });
    const d = h.Device.open('cam');
    const pool = h.Pool.create('buffering-overwrite', 0, 3, 'cam-hm');
    d.start('cam-hm');
    const frames = readN(pool, 3);
    for (const f of frames) {
      expect(f.data[0].tag).toBe('host-memory');
      const lent = h.services.frames!.resolve(f.data[0].val)!;
      expect(kernel.memories.has(lent.bytes.buffer)).toBe(true);
      expect(lent.bytes.length).toBe(32 * 24 * 2);
      expect(lent.dimension).toEqual({ width: 32, height: 24, strideBytes: 64, pixelFormat: 'yuy2' });
    }
    expect(devices[0]!.stats.copies).toBe(0);
    expect(devices[0]!.stats.held).toBeGreaterThanOrEqual(3);
    expect(h.services.counters.pixelBytesLowered).toBe(0);
    // 3 pool buffers + 2 spare = 5 driver buffers.
    expect(kernel.counts.mapped).toBe(5);
    const queuedBack = kernel.counts.qbuf;
    for (const f of frames) f.data[0].val[Symbol.dispose]();
    expect(kernel.counts.qbuf - queuedBack).toBeGreaterThanOrEqual(frames.length);
    d.stop();
  });

  it('a guest holding every buffer of its pool: new frames are dropped (overwrite policy), capture never stalls, and frames flow again once it lets go', () => {
    const kernel = new V4l2StandIn(ALL);
    const { h } = host(kernel, { pixelFormat: 'gray' });
    const d = h.Device.open('cam');
    const pool = h.Pool.create('buffering-overwrite', 0, 2, 'cam-hm');
    d.start('cam-hm');
    const held = readN(pool, 2);
    const sub = pool.subscribe();
    // Every pool buffer is lent: waiting can never end (the host says so instead of hanging).
    expect(() => sub.block()).toThrow(/deadlock/);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    expect(pool.readFrames(5n)).toEqual([]);
    const before = pool.getStatistics();
    expect(before.dropped).toBeGreaterThan(0n);
    held[0].data[0].val[Symbol.dispose]();
    const next = readN(pool, 1)[0];
    expect(next.sequenceNumber).toBeGreaterThan(held[1].sequenceNumber + 1n);
    d.stop();
  });

  it('a format the driver does not have is converted (NV12 → rgb24), one counted copy per frame, never held', () => {
    const kernel = new V4l2StandIn([{ fourcc: 'NV12', sizes: SIZES, fps: [50] }]);
    const { h, devices } = host(kernel, { pixelFormat: 'rgb24' });
    const d = h.Device.open('cam');
    const pool = h.Pool.create('buffering-unlimited', 0, 0, 'rgb');
    d.start('rgb');
    const frames = readN(pool, 20);
    d.stop();
    for (const f of frames) {
      const img = f.data[0].val.val;
      expect(img.dimension).toEqual({ width: 32, height: 24, strideBytes: 96, pixelFormat: 'rgb24' });
      // Frame k: luma k mod 256, chroma 128 (limited-range BT.601): R = G = B = (k - 16) * 255 / 219, clamped.
      const k = Number(f.sequenceNumber) & 0xff;
      const want = Math.min(255, Math.max(0, ((k - 16) * 255) / 219));
      expect(Math.abs(img.payload[0] - want)).toBeLessThanOrEqual(1);
      expect(new Set(img.payload).size).toBe(1);
    }
    expect(frames.some((f) => (Number(f.sequenceNumber) & 0xff) > 17)).toBe(true);
    expect(devices[0]!.stats.copies).toBe(devices[0]!.stats.dequeued);
    expect(devices[0]!.stats.held).toBe(0);
  });

  it('EBUSY: a second device on the same camera while the first streams is busy; it starts once the first stopped', () => {
    const kernel = new V4l2StandIn(ALL);
    const { h } = host(kernel, { pixelFormat: 'gray' });
    const a = h.Device.open('cam');
    const b = h.Device.open('cam2');
    h.Pool.create('buffering-discard', 0, 2, 'pa');
    h.Pool.create('buffering-discard', 0, 2, 'pb');
    a.start('pa');
    expect(codeOf(() => b.start('pb'))).toBe('busy');
    a.stop();
    b.start('pb');
    b.stop();
  });

  it('the driver adjusting S_FMT to another size is not-supported at start (never frames of a size the guest did not ask for)', () => {
    // The stand-in lists 16x12 for GREY only; asked for YUYV 16x12 it falls back to its first size.
    const kernel = new V4l2StandIn([{ fourcc: 'YUYV', sizes: [[32, 24]], fps: [25] }, { fourcc: 'GREY', sizes: [[16, 12]], fps: [25] }]);
    const env = { wake: new Int32Array(new SharedArrayBuffer(4)), clock: harness().clock };
    const d = openV4l2Device('cam', entry({ pixelFormat: 'gray', width: 16, height: 12, fps: [25, 1] }), { width: 16, height: 12, strideBytes: 0, pixelFormat: 'gray' }, env, kernel);
    // yuy2 at 16x12: reachable only by converting GREY, which has that size: accepted.
    d.setLayout({ width: 16, height: 12, strideBytes: 0, pixelFormat: 'yuy2' });
    d.start(0n);
    d.stop();
    d.setLayout({ width: 32, height: 24, strideBytes: 0, pixelFormat: 'gray' }); // YUYV converted to gray
    d.start(0n);
    d.stop();
    expect(kernel.openFiles).toBe(0);
  });

  it('MJPEG: mjpeg frames are the driver\'s JPEG bytes (zero copy in host memory); raw formats are decoded by the host codec', () => {
    const kernel = new V4l2StandIn([{ fourcc: 'MJPG', sizes: SIZES, fps: [25] }]);
    const { h, devices } = host(kernel, { pixelFormat: 'mjpeg', fps: [25, 1] });
    const d = h.Device.open('cam');
    const pool = h.Pool.create('buffering-discard', 0, 2, 'j-hm');
    d.start('j-hm');
    const [f] = readN(pool, 1);
    const bytes = h.services.frames!.resolve(f.data[0].val)!.bytes;
    expect([bytes[0], bytes[1], bytes.at(-2), bytes.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    expect(kernel.memories.has(bytes.buffer)).toBe(true);
    expect(devices[0]!.stats.copies).toBe(0);
    d.stop();
    f.data[0].val[Symbol.dispose]();
    d.setProperty('dimension', { tag: 'dimension', val: { width: 32, height: 24, strideBytes: 0, pixelFormat: 'gray' } });
    const gray = h.Pool.create('buffering-discard', 0, 2, 'g');
    d.start('g');
    const [g] = readN(gray, 1);
    const px = g.data[0].val.val.payload as Uint8Array;
    // A JPEG of one gray level decodes to (about) that level everywhere: the frame number mod 256.
    expect(Math.max(...px) - Math.min(...px)).toBeLessThanOrEqual(2);
    d.stop();
  });

  it('a slow reader whose requeued buffer the driver refills mid-collect: the frames dropped in between are lost inside the batch, never delivered', () => {
    // The race the QEMU suite met on vivid: collect queues the previous batch back, and the driver
    // captures into it before the dequeue loop ends, so one collect spans more sequence numbers
    // than the driver has buffers. The span is counted (overrun + lost); only buffers are delivered.
    const kernel = new V4l2StandIn([{ fourcc: 'GREY', sizes: SIZES, fps: [10] }], 'lp64', 'stand-in camera', false);
    const clock = harness().clock;
    const d = openV4l2Device('cam', entry({ pixelFormat: 'gray', fps: [10, 1] }), { width: 32, height: 24, strideBytes: 0, pixelFormat: 'gray' }, { wake: new Int32Array(new SharedArrayBuffer(4)), clock }, kernel);
    d.start(clock.now());
    kernel.advance(1);
    const first = d.collect(clock.now());
    expect(first.count).toBe(1); // frame 0, held by the batch until the next collect
    // 12 periods unread: the 3 queued buffers take frames 1-3, frames 4-12 find none.
    kernel.advance(12);
    let mid = true;
    kernel.afterDequeue = () => {
      if (!mid) return;
      mid = false;
      // Right after the first DQBUF, 12 more periods: frame 13 lands in frame 0's buffer (queued
      // back at the start of this collect), 14-24 are dropped.
      kernel.advance(12);
    };
    const f = d.collect(clock.now());
    expect(mid).toBe(false);
    const buffers = kernel.counts.mapped;
    expect(buffers).toBe(4);
    const delivered = Array.from({ length: f.count }, (_, i) => i).filter((i) => i >= f.overrun! && !f.lost!(i));
    // Dequeued 1, 2, 3 and 13; the two oldest go back (kept: buffers − 2 spare), so 3 and 13 are delivered.
    expect(f.overrun).toBe(2);
    expect(f.count).toBe(13);
    expect(f.count - f.overrun!).toBeGreaterThan(buffers);
    expect(delivered).toEqual([2, 12]);
    expect(delivered.map((i) => f.render(i)[0])).toEqual([3, 13]);
    // Frames 14-24 were dropped after the batch: the next collect starts with them as its overrun.
    kernel.advance(1);
    const next = d.collect(clock.now());
    expect(next.overrun).toBe(11);
    expect(next.render(next.overrun!)[0]).toBe(25);
    d.stop();
  });

  it('32-bit ARM layout (ILP32): the same frames, sequence numbers and timestamps through the smaller structs', () => {
    const kernel = new V4l2StandIn(ALL, 'ilp32');
    const { h } = host(kernel, { pixelFormat: 'gray' });
    const d = h.Device.open('cam');
    const pool = h.Pool.create('buffering-unlimited', 0, 0, 'u');
    d.start('u');
    const frames = readN(pool, 4);
    for (const f of frames) expect(f.data[0].val.val.payload[0]).toBe(Number(f.sequenceNumber) & 0xff);
    for (let i = 1; i < frames.length; i++) expect(frames[i].timestamp).toBeGreaterThan(frames[i - 1].timestamp);
    d.stop();
  });

  it('unplugged: hardware-error once, start refused while it is away, frames again once it is back', () => {
    const kernel = new V4l2StandIn(ALL);
    const { h } = host(kernel, { pixelFormat: 'gray' });
    const d = h.Device.open('cam');
    const pool = h.Pool.create('buffering-unlimited', 0, 0, 'u-hm');
    d.start('u-hm');
    const lent = readN(pool, 2);
    kernel.unplug();
    let code: string | undefined;
    for (let i = 0; i < 20 && !code; i++) {
      try {
        pool.readFrames(10n);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      } catch (e) {
        code = (e as { payload?: string }).payload;
      }
    }
    expect(code).toBe('hardware-error');
    // The frames the guest still holds stay readable, in memory of their own (the node is let go).
    expect(kernel.counts.detached).toBeGreaterThanOrEqual(2);
    for (const f of lent) expect(h.services.frames!.resolve(f.data[0].val)!.bytes.length).toBe(32 * 24);
    expect(codeOf(() => d.start('u-hm'))).toBe('hardware-error');
    kernel.replug();
    d.start('u-hm');
    expect(readN(pool, 1)).toHaveLength(1);
    d.stop();
    expect(kernel.openFiles).toBe(0);
  });
});

