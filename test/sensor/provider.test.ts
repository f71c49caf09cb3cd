import { afterEach, describe, expect, it } from 'vitest';
import { codeOf, harness, ms, tp, type Harness } from './helpers.js';
import jpeg from 'jpeg-js';
import { DeadlockError } from '../../src/sensor/waiter.js';

let h: Harness | undefined;
afterEach(() => {
  h?.provider.dispose();
  h = undefined;
});

function setup(raw: Record<string, unknown> = {}) {
  h = harness(raw);
  return h;
}

const twoDevices = { devices: { 'cam:0': tp(), 'cam:1': tp(), 'secret:0': tp({ granted: false }) } };

describe('device lifecycle and errors', () => {
  it('lists granted devices only; unknown is not-found, ungranted is permission-denied', () => {
    const { Device } = setup(twoDevices);
    expect(Device.listNames()).toEqual(['cam:0', 'cam:1']);
    expect(codeOf(() => Device.open('nope'))).toBe('not-found');
    expect(codeOf(() => Device.open('secret:0'))).toBe('permission-denied');
  });

  it('a device is open by one handle at a time (busy); dropping the handle releases it', () => {
    const { Device } = setup(twoDevices);
    const d = Device.open('cam:0');
    expect(codeOf(() => Device.open('cam:0'))).toBe('busy');
    d[Symbol.dispose]();
    d[Symbol.dispose]();
    expect(() => Device.open('cam:0')).not.toThrow();
  });

  it('start: unknown pool not-found, twice busy; stop when stopped invalid-operation', () => {
    const { Device, Pool } = setup(twoDevices);
    const d = Device.open('cam:0');
    expect(codeOf(() => d.start('missing'))).toBe('not-found');
    const p = Pool.create('buffering-discard', 0, 4, 'p');
    expect(codeOf(() => d.stop())).toBe('invalid-operation');
    d.start('p');
    expect(codeOf(() => d.start('p'))).toBe('busy');
    d.stop();
    expect(codeOf(() => d.stop())).toBe('invalid-operation');
    p[Symbol.dispose]();
  });

  it('start refuses a frame larger than the pool size (out-of-range) and buffers beyond the host limit (resource-exhausted)', () => {
    const { Device, Pool } = setup({ ...twoDevices, maxPoolBytes: 1000 });
    const d = Device.open('cam:0'); // 8x4 rgb24 = 96 bytes
    Pool.create('buffering-discard', 50, 4, 'small');
    expect(codeOf(() => d.start('small'))).toBe('out-of-range');
    Pool.create('buffering-overwrite', 0, 20, 'many');
    expect(codeOf(() => d.start('many'))).toBe('resource-exhausted');
    Pool.create('buffering-overwrite', 96, 10, 'fits');
    d.start('fits');
  });
});

describe('properties', () => {
  it('gets and sets sampling-rate and dimension', () => {
    const { Device } = setup(twoDevices);
    const d = Device.open('cam:0');
    expect(d.getProperty('sampling-rate')).toEqual({ tag: 'fraction', val: { numerator: 10, denominator: 1 } });
    expect(d.getProperty('dimension')).toEqual({
      tag: 'dimension',
      val: { width: 8, height: 4, strideBytes: 24, pixelFormat: 'rgb24' },
    });
    d.setProperty('sampling-rate', { tag: 'fraction', val: { numerator: 30000, denominator: 1001 } });
    expect(d.getProperty('sampling-rate').val).toEqual({ numerator: 30000, denominator: 1001 });
    d.setProperty('dimension', { tag: 'dimension', val: { width: 6, height: 2, strideBytes: 0, pixelFormat: 'yuy2' } });
    expect(d.getProperty('dimension').val).toEqual({ width: 6, height: 2, strideBytes: 12, pixelFormat: 'yuy2' });
  });

  it('malformed values are invalid-argument, unsupported values out-of-range', () => {
    const { Device } = setup({ devices: { c: tp({ maxFps: 60, maxWidth: 100, maxHeight: 100, formats: ['rgb24', 'gray', 'yuy2', 'mjpeg'] }) } });
    const d = Device.open('c');
    const dim = (val: object) => codeOf(() => d.setProperty('dimension', { tag: 'dimension', val }));
    expect(codeOf(() => d.setProperty('sampling-rate', { tag: 'fraction', val: { numerator: 1, denominator: 0 } }))).toBe('invalid-argument');
    expect(codeOf(() => d.setProperty('sampling-rate', { tag: 'fraction', val: { numerator: 0, denominator: 1 } }))).toBe('invalid-argument');
    expect(codeOf(() => d.setProperty('sampling-rate', { tag: 'fraction', val: { numerator: 120, denominator: 1 } }))).toBe('out-of-range');
    expect(codeOf(() => d.setProperty('sampling-rate', { tag: 'dimension', val: {} }))).toBe('invalid-argument');
    expect(codeOf(() => d.setProperty('dimension', { tag: 'fraction', val: { numerator: 1, denominator: 1 } }))).toBe('invalid-argument');
    expect(dim({ width: 0, height: 4, strideBytes: 0, pixelFormat: 'rgb24' })).toBe('invalid-argument');
    expect(dim({ width: 8, height: 4, strideBytes: 10, pixelFormat: 'rgb24' })).toBe('invalid-argument');
    expect(dim({ width: 7, height: 4, strideBytes: 0, pixelFormat: 'yuy2' })).toBe('invalid-argument');
    expect(dim({ width: 8, height: 4, strideBytes: 24, pixelFormat: 'mjpeg' })).toBe('invalid-argument');
    expect(dim({ width: 200, height: 4, strideBytes: 0, pixelFormat: 'rgb24' })).toBe('out-of-range');
    expect(dim({ width: 8, height: 4, strideBytes: 0, pixelFormat: 'argb32' })).toBe('out-of-range');
    // Nothing changed.
    expect(d.getProperty('dimension').val).toEqual({ width: 8, height: 4, strideBytes: 24, pixelFormat: 'rgb24' });
  });

  it('an image-fixture camera cannot change its dimension (not-supported); nothing changes while started (busy)', () => {
    const { Device, Pool } = setup({
      devices: { f: { kind: 'image-fixture', directory: 'fixtures/sensor/jpeg', fps: [5, 1] }, c: tp() },
    });
    const f = Device.open('f');
    expect(f.getProperty('dimension').val).toEqual({ width: 64, height: 48, strideBytes: 192, pixelFormat: 'rgb24' });
    expect(codeOf(() => f.setProperty('dimension', { tag: 'dimension', val: { width: 64, height: 48, strideBytes: 0, pixelFormat: 'rgb24' } }))).toBe(
      'not-supported',
    );
    const c = Device.open('c');
    Pool.create('buffering-off', 0, 0, 'p');
    c.start('p');
    expect(codeOf(() => c.setProperty('sampling-rate', { tag: 'fraction', val: { numerator: 1, denominator: 1 } }))).toBe('busy');
  });
});

describe('pools', () => {
  it('create errors: duplicate name already-exists, empty name and zero buffers invalid-argument, host limits resource-exhausted', () => {
    const { Pool } = setup({ ...twoDevices, maxPoolBytes: 1000, maxPools: 2 });
    const a = Pool.create('buffering-discard', 0, 1, 'a');
    expect(codeOf(() => Pool.create('buffering-overwrite', 0, 1, 'a'))).toBe('already-exists');
    expect(codeOf(() => Pool.create('buffering-discard', 0, 1, ''))).toBe('invalid-argument');
    expect(codeOf(() => Pool.create('buffering-discard', 0, 0, 'z'))).toBe('invalid-argument');
    expect(codeOf(() => Pool.create('buffering-overwrite', 0, 0, 'z'))).toBe('invalid-argument');
    expect(codeOf(() => Pool.create('buffering-unlimited', 2000, 0, 'z'))).toBe('resource-exhausted');
    expect(codeOf(() => Pool.create('buffering-discard', 100, 11, 'z'))).toBe('resource-exhausted');
    Pool.create('buffering-off', 0, 0, 'b');
    expect(codeOf(() => Pool.create('buffering-off', 0, 0, 'c'))).toBe('resource-exhausted');
    // Dropping a pool frees its name (and a pool slot).
    a[Symbol.dispose]();
    expect(() => Pool.create('buffering-unlimited', 0, 0, 'a')).not.toThrow();
  });

  function started(mode: string, bufferNum: number, raw: Record<string, unknown> = {}) {
    const t = setup({ devices: { c: tp() }, ...raw });
    const pool = t.Pool.create(mode, 0, bufferNum, 'p');
    const d = t.Device.open('c');
    d.start('p');
    return { ...t, pool, d };
  }

  const seqs = (frames: any[]) => frames.map((f) => Number(f.sequenceNumber));

  it('discard keeps the oldest buffer-num frames and drops the newest', () => {
    const { pool, clock } = started('buffering-discard', 3);
    clock.advance(ms(950)); // frames 0..9 due at 10 fps
    const frames = pool.readFrames(100);
    expect(seqs(frames)).toEqual([0, 1, 2]);
    expect(pool.getStatistics()).toEqual({ enqueued: 10n, dropped: 7n, dequeued: 3n });
    clock.advance(ms(100));
    expect(seqs(pool.readFrames(100))).toEqual([10]);
  });

  it('overwrite keeps the newest buffer-num frames and drops the oldest', () => {
    const { pool, clock } = started('buffering-overwrite', 3);
    clock.advance(ms(950));
    expect(seqs(pool.readFrames(2))).toEqual([7, 8]);
    expect(seqs(pool.readFrames(2))).toEqual([9]);
    expect(pool.getStatistics()).toEqual({ enqueued: 10n, dropped: 7n, dequeued: 3n });
  });

  it('off keeps only the newest frame', () => {
    const { pool, clock } = started('buffering-off', 0);
    clock.advance(ms(950));
    expect(seqs(pool.readFrames(5))).toEqual([9]);
    expect(pool.getStatistics()).toEqual({ enqueued: 10n, dropped: 9n, dequeued: 1n });
  });

  it('unlimited keeps everything up to the host limit, then drops and reports resource-exhausted once', () => {
    const { pool, clock } = started('buffering-unlimited', 0, { maxPoolBytes: 96 * 5 });
    clock.advance(ms(350)); // 4 frames
    expect(seqs(pool.readFrames(10))).toEqual([0, 1, 2, 3]);
    clock.advance(ms(1000)); // 10 more: 5 fit
    expect(codeOf(() => pool.readFrames(10))).toBe('resource-exhausted');
    expect(seqs(pool.readFrames(10))).toEqual([4, 5, 6, 7, 8]);
    expect(pool.getStatistics()).toEqual({ enqueued: 14n, dropped: 5n, dequeued: 9n });
  });

  it('read-frames(0) returns nothing and changes nothing; frames carry ns timestamps and pattern pixels', () => {
    const { pool, clock, services } = started('buffering-unlimited', 0);
    clock.advance(ms(250));
    expect(pool.readFrames(0)).toEqual([]);
    const frames = pool.readFrames(10);
    expect(frames.map((f: any) => f.timestamp)).toEqual([0n, ms(100), ms(200)]);
    const img = frames[2].data[0];
    expect(img.tag).toBe('by-value');
    expect(img.val.tag).toBe('image');
    expect(img.val.val.dimension).toEqual({ width: 8, height: 4, strideBytes: 24, pixelFormat: 'rgb24' });
    const px = img.val.val.payload as Uint8Array;
    for (let y = 0; y < 4; y++) for (let x = 0; x < 8; x++) expect([...px.subarray((y * 8 + x) * 3, (y * 8 + x) * 3 + 3)]).toEqual(referenceRgb(x, y, 2));
    expect(services.counters.pixelBytesLowered).toBe(3 * 96);
  });

  it('a frame bigger than the pool size (mjpeg) is dropped and reported as data-loss', () => {
    const t = setup({ devices: { c: tp({ width: 64, height: 48, pixelFormat: 'mjpeg' }) } });
    const pool = t.Pool.create('buffering-unlimited', 100, 0, 'p');
    t.Device.open('c').start('p');
    t.clock.advance(ms(50));
    expect(codeOf(() => pool.readFrames(4))).toBe('data-loss');
    expect(pool.getStatistics()).toEqual({ enqueued: 1n, dropped: 1n, dequeued: 0n });
  });

  it('dropping a device stops it; dropping a pool stops its devices and frees its buffers', () => {
    const t = setup({ devices: { c: tp(), d: tp() } });
    const p = t.Pool.create('buffering-unlimited', 0, 0, 'p');
    const c = t.Device.open('c');
    c.start('p');
    t.clock.advance(ms(50));
    c[Symbol.dispose]();
    t.clock.advance(ms(500));
    expect(seqs(p.readFrames(100))).toEqual([0]);
    const d = t.Device.open('d');
    d.start('p');
    t.clock.advance(ms(10));
    expect(p.inner.queued).toBe(0); // not pulled yet
    p[Symbol.dispose]();
    expect(t.provider.poolNames()).toEqual([]);
    expect(codeOf(() => d.stop())).toBe('invalid-operation');
    expect(p.inner.queued).toBe(0);
  });

  it('every pixel format of the pattern arrives exactly as the spec defines it, frame number recoverable', () => {
    for (const pixelFormat of ['gray', 'rgb24', 'bgr24', 'argb32', 'abgr32', 'yuy2', 'mjpeg']) {
      const t = setup({ devices: { c: tp({ width: 10, height: 6 }) } });
      const d = t.Device.open('c');
      const layout = { width: 10, height: 6, strideBytes: pixelFormat === 'mjpeg' ? 0 : 48, pixelFormat };
      d.setProperty('dimension', { tag: 'dimension', val: layout });
      const pool = t.Pool.create('buffering-unlimited', 0, 0, 'p');
      d.start('p');
      t.clock.advance(ms(1000) * 3n); // frames 0..30
      const frames = pool.readFrames(100);
      expect(frames.length).toBe(31);
      const last = frames[30].data[0].val.val;
      expect(last.dimension).toEqual(layout);
      if (pixelFormat !== 'mjpeg') expect([...last.payload], pixelFormat).toEqual([...referenceFrame(pixelFormat, 10, 6, 48, 30)]);
      if (pixelFormat === 'gray') expect(last.payload[0]).toBe(30);
      // Limited range: a gray level of 30 is Y = 16 + 219 * 30 / 255 = 41.8, chroma neutral.
      if (pixelFormat === 'yuy2') expect([last.payload[0], last.payload[1], last.payload[3]]).toEqual([42, 128, 128]);
      if (pixelFormat === 'mjpeg') {
        const img = jpeg.decode(last.payload, { useTArray: true });
        expect(img.comments).toEqual(['frame=30']);
        expect([img.width, img.height]).toEqual([10, 6]);
        // Lossy, but close to the pattern away from the stamped corner.
        const [r, g] = referenceRgb(6, 4, 30);
        expect(Math.abs(img.data[(4 * 10 + 6) * 4]! - r)).toBeLessThan(40);
        expect(Math.abs(img.data[(4 * 10 + 6) * 4 + 1]! - g)).toBeLessThan(40);
      }
      t.provider.dispose();
    }
  });
});

/**
 * The test pattern as docs/spec-notes/sensor.md § Test pattern and conformance/README.md define it,
 * written here from that text (not from src/sensor/devices/test-pattern.ts or src/core/pixels/):
 * pixel (x, y) of frame n, and BT.601 in the integer form of docs/spec-notes.md § One BT.601.
 */
function referenceRgb(x: number, y: number, n: number): [number, number, number] {
  if (y === 0 && x < 4) {
    const v = Math.floor(n / 256 ** x) % 256;
    return [v, v, v];
  }
  return [(x + n) % 256, y % 256, (3 * (x + n) + 5 * y) % 256];
}

function referenceFrame(format: string, width: number, height: number, stride: number, n: number): Uint8Array {
  const out = new Uint8Array(stride * height); // padding bytes are 0
  const S = ([r, g, b]: number[]) => 299 * r! + 587 * g! + 114 * b!;
  const T = ([r, g, b]: number[]) => 886 * b! - 299 * r! - 587 * g!;
  const U = ([r, g, b]: number[]) => 701 * r! - 587 * g! - 114 * b!;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = referenceRgb(x, y, n);
      const at = y * stride;
      if (format === 'gray') out[at + x] = Math.floor((S([r, g, b]) + 500) / 1000);
      else if (format === 'rgb24') out.set([r, g, b], at + 3 * x);
      else if (format === 'bgr24') out.set([b, g, r], at + 3 * x);
      else if (format === 'argb32') out.set([255, r, g, b], at + 4 * x);
      else if (format === 'abgr32') out.set([255, b, g, r], at + 4 * x);
      else if (format === 'yuy2' && x % 2 === 0) {
        const pair = [referenceRgb(x, y, n), referenceRgb(x + 1, y, n)];
        const luma = (p: number[]) => Math.floor((73 * S(p) + 1_402_500) / 85_000);
        const cb = Math.floor((112 * (T(pair[0]!) + T(pair[1]!)) + 257 * 112_965 * 2) / (225_930 * 2));
        const cr = Math.floor((224 * (U(pair[0]!) + U(pair[1]!)) + 257 * 178_755 * 2) / (357_510 * 2));
        out.set([luma(pair[0]!), cb, luma(pair[1]!), cr], at + 2 * x);
      }
    }
  }
  return out;
}

describe('host-memory frames', () => {
  it('pools matching hostMemoryPools lend handles: address, size, resolve without copy, invalidate once', () => {
    const t = setup({ devices: { c: tp() } });
    const pool = t.Pool.create('buffering-overwrite', 0, 2, 'cam-hm');
    t.Device.open('c').start('cam-hm');
    t.clock.advance(ms(150));
    const frames = pool.readFrames(5);
    expect(frames.length).toBe(2);
    const [m0, m1] = frames.map((f: any) => {
      expect(f.data[0].tag).toBe('host-memory');
      return f.data[0].val;
    });
    expect(m0).toBeInstanceOf(t.Memory);
    expect(m0.address()).not.toBe(0n);
    expect(m0.address()).not.toBe(m1.address());
    expect(m0.size()).toBe(96);
    const resolved = t.services.frames!.resolve(m1)!;
    expect(resolved.dimension).toEqual({ width: 8, height: 4, strideBytes: 24, pixelFormat: 'rgb24' });
    expect([...resolved.bytes.subarray(12, 15)]).toEqual(referenceRgb(4, 0, 1));
    expect(t.services.counters.pixelBytesLowered).toBe(0);
    // Both buffers are lent: the overwrite pool has nothing to overwrite, new frames are dropped.
    t.clock.advance(ms(300));
    expect(pool.readFrames(5)).toEqual([]);
    m0.invalidate();
    expect(t.services.frames!.resolve(m0)).toBeUndefined();
    expect(codeOf(() => m0.invalidate())).toBe('invalid-operation');
    m0[Symbol.dispose]();
    t.clock.advance(ms(100));
    const next = pool.readFrames(5);
    expect(next.map((f: any) => Number(f.sequenceNumber))).toEqual([5]);
    m1[Symbol.dispose]();
    expect(t.services.frames!.resolve(m1)).toBeUndefined();
    expect(t.services.frames!.resolve({})).toBeUndefined();
    const s = pool.getStatistics();
    expect(s.enqueued).toBe(s.dequeued + s.dropped + BigInt(pool.inner.queued));
  });
});

describe('pollables', () => {
  it('subscribe returns a shim Pollable; block jumps the virtual clock to the next frame', () => {
    const t = setup({ devices: { c: tp() } });
    const pool = t.Pool.create('buffering-discard', 0, 4, 'p');
    const p = pool.subscribe();
    expect(p).toBeInstanceOf(t.Pollable);
    expect(p.ready()).toBe(false);
    expect(() => p.block()).toThrow(DeadlockError);
    const d = t.Device.open('c');
    d.start('p');
    p.block();
    expect(p.ready()).toBe(true);
    pool.readFrames(10);
    expect(p.ready()).toBe(false);
    p.block();
    expect(t.clock.now()).toBe(ms(100));
    expect(pool.readFrames(10).map((f: any) => f.timestamp)).toEqual([ms(100)]);
  });

  it('poll mixes our pollable and a shim clock: the clock wins while nothing feeds the pool, the frame wins after start', () => {
    const t = setup({ devices: { c: tp() } });
    const clocks = t.wasi['wasi:clocks/monotonic-clock'] as any;
    const pool = t.Pool.create('buffering-discard', 0, 4, 'p');
    const ours = pool.subscribe();
    const timeout = clocks.subscribeDuration(ms(5));
    expect([...t.poll([ours, timeout])]).toEqual([1]);
    t.Device.open('c').start('p');
    const timeout2 = clocks.subscribeDuration(ms(60_000));
    expect([...t.poll([timeout2, ours])]).toEqual([1]);
    timeout[Symbol.dispose]();
    timeout2[Symbol.dispose]();
  });

  it('poll: a list of only shim pollables is the shim\'s; a pollable listed twice is reported at both indices', () => {
    const t = setup({ devices: { c: tp() } });
    const clocks = t.wasi['wasi:clocks/monotonic-clock'] as any;
    const a = clocks.subscribeDuration(0n);
    const b = clocks.subscribeDuration(ms(60_000));
    expect([...t.poll([b, a])]).toEqual([1]);
    const pool = t.Pool.create('buffering-off', 0, 0, 'p');
    t.Device.open('c').start('p');
    const ours = pool.subscribe();
    expect([...t.poll([ours, b, ours])]).toEqual([0, 2]);
    ours[Symbol.dispose]();
    expect(ours.ready()).toBe(false); // a dropped pollable is never ready
    a[Symbol.dispose]();
    b[Symbol.dispose]();
  });

  it('real clock: block sleeps until the next frame; poll lets a shim timeout win against a slow camera', () => {
    const t = setup({ clock: 'real', devices: { fast: tp({ fps: [200, 1] }), slow: tp({ fps: [1, 10] }) } });
    const fast = t.Pool.create('buffering-overwrite', 0, 2, 'fast');
    const slow = t.Pool.create('buffering-overwrite', 0, 2, 'slow');
    t.Device.open('fast').start('fast');
    t.Device.open('slow').start('slow');
    const pf = fast.subscribe();
    pf.block();
    expect(fast.readFrames(1).length).toBe(1);
    pf.block();
    expect(fast.readFrames(2).length).toBeGreaterThan(0);
    const ps = slow.subscribe();
    expect(slow.readFrames(1).length).toBe(1); // frame 0 at start
    const timeout = (t.wasi['wasi:clocks/monotonic-clock'] as any).subscribeDuration(ms(5));
    expect([...t.poll([ps, timeout])]).toEqual([1]);
    // Only ours with a far deadline and the fast pool: the fast one wins.
    expect([...t.poll([ps, pf])]).toEqual([1]);
  });
});

describe('image fixtures', () => {
  it('plays PNG files in name order at the configured rate, looped or once', () => {
    const t = setup({
      devices: {
        loop: { kind: 'image-fixture', directory: 'fixtures/sensor/sequence', fps: [10, 1] },
        once: { kind: 'image-fixture', directory: 'fixtures/sensor/jpeg', fps: [10, 1], loop: false },
      },
    });
    const a = t.Pool.create('buffering-unlimited', 0, 0, 'a');
    const b = t.Pool.create('buffering-unlimited', 0, 0, 'b');
    t.Device.open('loop').start('a');
    t.Device.open('once').start('b');
    t.clock.advance(ms(950));
    const frames = a.readFrames(100);
    expect(frames.length).toBe(10);
    const f9 = frames[9].data[0].val.val; // file 1 again
    expect(f9.dimension).toEqual({ width: 160, height: 120, strideBytes: 480, pixelFormat: 'rgb24' });
    // sequence rule: R = x + 8n, G = 2y, B = 128; white bar at x = 20n..20n+3
    const at = (x: number, y: number) => [...f9.payload.subarray((y * 160 + x) * 3, (y * 160 + x) * 3 + 3)];
    expect(at(50, 10)).toEqual([58, 20, 128]);
    expect(at(21, 3)).toEqual([255, 255, 255]);
    const once = b.readFrames(100);
    expect(once.length).toBe(3);
    const red = once[0].data[0].val.val.payload;
    expect(red[0]).toBeGreaterThan(240);
    expect(red[1]).toBeLessThan(15);
    const pb = b.subscribe();
    expect(() => pb.block()).toThrow(DeadlockError);
  });

  it('a folder without images cannot be opened (hardware-error)', () => {
    const t = setup({ devices: { bad: { kind: 'image-fixture', directory: 'src' } } });
    expect(codeOf(() => t.Device.open('bad'))).toBe('hardware-error');
  });
});
