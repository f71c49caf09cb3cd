/**
 * The zero-copy pipeline through real guests: vision_frame takes a host-memory frame from the
 * test-pattern camera, makes an image of it, resizes it, turns it into a tensor and runs
 * BlazeFace on it, for five frames through a pool of two buffers (so every image must give its
 * frame buffer back to the pool when dropped; the guest gives up after 3 s without a frame).
 * No pixel may enter guest memory: the host's pixelBytesLowered counter stays 0, and the guest's
 * whole linear memory stays smaller than one frame.
 */
import { describe, expect, it } from 'vitest';
import type { EdgeHost } from '../../src/host/create-host.js';
import { runGuest } from '../helpers/run-guest.js';

const FRAME_BYTES = 640 * 480 * 3;

async function run(config = {}) {
  let host: EdgeHost | undefined;
  const result = await runGuest('vision_frame', config, { onHost: (h) => (host = h) });
  return { ...result, lowered: host!.services.counters.pixelBytesLowered };
}

describe('vision_frame guest (sensor → vision → nn)', () => {
  it('runs BlazeFace on a camera frame without lowering a single pixel into the guest', async () => {
    const r = await run();
    expect(r.trap).toBeUndefined();
    expect(r.stdout).toContain(`host-memory, ${FRAME_BYTES} bytes`);
    expect(r.stdout).toContain('image: 640x480 format 1');
    expect(r.stdout).toContain('output Identity:0 [1,512,1]');
    expect(r.stdout).toContain('output Identity_1:0 [1,384,1]');
    expect(r.stdout.match(/top face score: 0\.\d{4}/g)).toHaveLength(5);
    expect(r.stdout).toContain('frames processed: 5');
    expect(r.stdout).toContain('vision_frame done');
    expect(r.code).toBe(0);
    expect(r.lowered).toBe(0);
    const memory = Number(/guest memory: (\d+) bytes/.exec(r.stdout)?.[1]);
    expect(memory).toBeGreaterThan(0);
    expect(memory).toBeLessThan(FRAME_BYTES);
  });

  it('control: the same guest on a by-value pool is refused, and the counter sees the copied frame', async () => {
    const r = await run({ sensor: { hostMemoryPools: [] } });
    expect(r.stdout).toContain('frame is not host-memory failed: 0');
    expect(r.code).toBe(1);
    expect(r.lowered).toBeGreaterThanOrEqual(FRAME_BYTES);
  });
});
