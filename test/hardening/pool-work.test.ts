/**
 * The fuzzer's hang (seed 717071, `node scripts/fuzz.mjs --interfaces sensor`): after ~800,000
 * calls the host spun at 100 % CPU inside one `stop`. A device had run at 1000 frames/s in mjpeg
 * into a pool nobody read; the stop's last pull offered every frame captured since, and each mjpeg
 * frame was JPEG-encoded to learn its size before the full queue dropped it. The work of one call
 * grew with the time the pool was left alone. Now a frame the mode drops whatever it holds is
 * counted without being rendered (src/sensor/pool.ts `droppedAhead`), so a pull renders at most
 * the frames the pool keeps. The same cause in small: a minute of frames at 1000 frames/s.
 */
import { describe, expect, it } from 'vitest';
import { FramePool, TestPatternDevice, type BufferingMode, type Layout } from '../../src/sensor/index.js';

const ms = (n: number) => BigInt(n) * 1_000_000n;

class CountingPattern extends TestPatternDevice {
  renders = 0;
  override render(layout: Layout, n: number, into?: Uint8Array): Uint8Array {
    this.renders++;
    return super.render(layout, n, into);
  }
}

function setup(mode: BufferingMode, pixelFormat: 'mjpeg' | 'rgb24', maxBytes = 256 << 20) {
  const layout: Layout = { width: 32, height: 24, pixelFormat, strideBytes: pixelFormat === 'mjpeg' ? 0 : 32 * 3 };
  const device = new CountingPattern('fast', {
    layout,
    rate: { numerator: 1000, denominator: 1 },
    capabilities: { formats: ['mjpeg', 'rgb24'], maxWidth: 64, maxHeight: 64, minFps: 1, maxFps: 1000, layoutSettable: true },
  });
  const pool = new FramePool({ name: 'p', mode, size: 0, bufferNum: 2, hostMemory: false, maxBytes });
  pool.attach({ device, onFailure: () => {}, halt: () => {} });
  device.start(0n);
  return { device, pool };
}

// Frames 0..60000 are due after 60 s at 1000 frames/s.
const DUE = 60_001n;

describe('a pool left unread renders only the frames it keeps', () => {
  it.each(['mjpeg', 'rgb24'] as const)('discard (%s): the first two are kept, the rest counted without a render', (format) => {
    const { device, pool } = setup('discard', format);
    pool.pull(ms(60_000));
    expect(device.renders).toBe(format === 'mjpeg' ? 2 : 0); // mjpeg: rendered to learn its size
    expect(pool.statistics()).toEqual({ enqueued: DUE, dropped: DUE - 2n, dequeued: 0n });
    expect(pool.read(10, ms(60_000)).map((f) => f.seq)).toEqual([0n, 1n]);
  });

  it.each(['mjpeg', 'rgb24'] as const)('overwrite (%s): the last two are kept, the ones they would push out are not rendered', (format) => {
    const { device, pool } = setup('overwrite', format);
    pool.pull(ms(1));
    pool.pull(ms(60_000));
    expect(device.renders).toBeLessThanOrEqual(format === 'mjpeg' ? 4 : 0);
    expect(pool.statistics()).toEqual({ enqueued: DUE, dropped: DUE - 2n, dequeued: 0n });
    const frames = pool.read(10, ms(60_000));
    expect(frames.map((f) => f.seq)).toEqual([59_999n, 60_000n]);
    expect(frames.map((f) => f.timestampNs)).toEqual([ms(59_999), ms(60_000)]);
  });

  it('unlimited at its byte limit: one refusal, then no more renders', () => {
    const { device, pool } = setup('unlimited', 'mjpeg', 20_000);
    pool.pull(ms(60_000));
    // Each 32x24 JPEG is well under 2000 bytes: about ten fit, the rest are dropped unrendered.
    expect(device.renders).toBeLessThan(40);
    const s = pool.statistics();
    expect(s.enqueued).toBe(DUE);
    expect(s.dropped).toBe(DUE - BigInt(pool.queued));
    expect(() => pool.read(1, ms(60_000))).toThrowError(/host limit of 20000 bytes/);
  });
});
