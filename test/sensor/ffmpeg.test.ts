/**
 * The ffmpeg camera with ffmpeg's synthetic lavfi source standing in for /dev/video0.
 * `-re` makes ffmpeg produce frames in real time, as a camera would.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { codeOf, harness, ms, tp, type Harness } from './helpers.js';

const FFMPEG = '/usr/bin/ffmpeg';
const have = existsSync(FFMPEG);

let h: Harness | undefined;
afterEach(() => {
  h?.provider.dispose();
  h = undefined;
});

function lavfi(extra: Record<string, unknown> = {}, seconds?: number) {
  return {
    kind: 'ffmpeg',
    ffmpeg: FFMPEG,
    width: 64,
    height: 48,
    fps: [25, 1],
    input: ['-re', '-f', 'lavfi', '-i', 'testsrc2=size={width}x{height}:rate={fps}', ...(seconds ? ['-t', String(seconds)] : [])],
    ...extra,
  };
}

describe.skipIf(!have)('ffmpeg camera (lavfi testsrc2)', () => {
  it('delivers raw frames of the requested size while the guest is blocked, in every raw format', () => {
    for (const pixelFormat of ['rgb24', 'gray', 'yuy2', 'abgr32']) {
      h = harness({ clock: 'real', devices: { cam: lavfi() } });
      const d = h.Device.open('cam');
      d.setProperty('dimension', { tag: 'dimension', val: { width: 32, height: 24, strideBytes: 0, pixelFormat } });
      const pool = h.Pool.create('buffering-overwrite', 0, 4, 'p');
      d.start('p');
      const p = pool.subscribe();
      p.block(); // Atomics.wait on the wake cell: the worker bumps it when a frame is complete
      const frames = pool.readFrames(4);
      expect(frames.length).toBeGreaterThan(0);
      const img = frames[0].data[0].val.val;
      const bpp = { rgb24: 3, gray: 1, yuy2: 2, abgr32: 4 }[pixelFormat]!;
      expect(img.dimension).toEqual({ width: 32, height: 24, strideBytes: 32 * bpp, pixelFormat });
      expect(img.payload.length).toBe(32 * 24 * bpp);
      expect(img.payload.some((b: number) => b !== 0)).toBe(true);
      if (pixelFormat === 'abgr32') expect(img.payload[0]).toBe(255); // alpha first
      h.provider.dispose();
      h = undefined;
    }
  });

  it('a camera that goes away is hardware-error on the next read; the other device keeps working', () => {
    h = harness({ clock: 'real', devices: { cam: lavfi({}, 0.3), pattern: tp({ fps: [100, 1] }) } });
    const cam = h.Device.open('cam');
    const pat = h.Device.open('pattern');
    const pc = h.Pool.create('buffering-unlimited', 0, 0, 'cam');
    const pp = h.Pool.create('buffering-unlimited', 0, 0, 'pat');
    cam.start('cam');
    pat.start('pat');
    const sub = pc.subscribe();
    let frames = 0;
    let code = '';
    // Read until the error arrives (ffmpeg stops after 0.3 s of video).
    for (let i = 0; i < 1000 && !code; i++) {
      sub.block();
      try {
        frames += pc.readFrames(100).length;
      } catch (e: any) {
        code = e.payload;
      }
    }
    expect(code).toBe('hardware-error');
    expect(frames).toBeGreaterThan(0);
    // The camera stopped itself; stop now is invalid-operation, start again works (ffmpeg restarts).
    expect(codeOf(() => cam.stop())).toBe('invalid-operation');
    pp.subscribe().block();
    expect(pp.readFrames(10).length).toBeGreaterThan(0);
    const s = pc.getStatistics();
    expect(s.enqueued).toBe(s.dequeued + s.dropped + BigInt(pc.inner.queued));
    cam.start('cam');
    sub.block();
    expect(pc.readFrames(1).length).toBe(1);
  });

  it('poll: a camera frame and a shim clock together (the io-worker extension wakes the shim poll)', () => {
    h = harness({ clock: 'real', devices: { cam: lavfi() } });
    const clocks = h.wasi['wasi:clocks/monotonic-clock'] as any;
    const pool = h.Pool.create('buffering-overwrite', 0, 2, 'p');
    const ours = pool.subscribe();
    h.Device.open('cam').start('p');
    const long = clocks.subscribeDuration(ms(60_000));
    expect([...h.poll([long, ours])]).toEqual([1]);
    expect(pool.readFrames(1).length).toBe(1);
    long[Symbol.dispose]();
  });

  it('a missing ffmpeg binary is hardware-error at start', () => {
    h = harness({ devices: { cam: lavfi({ ffmpeg: '/nonexistent/ffmpeg' }) } });
    const d = h.Device.open('cam');
    h.Pool.create('buffering-off', 0, 0, 'p');
    expect(codeOf(() => d.start('p'))).toBe('hardware-error');
  });
});
