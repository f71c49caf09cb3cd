/**
 * A wait that can never end is caught, and the message says why (issue 20; docs/spec-notes/sensor.md
 * § Polling). The guest is the conformance sensor-script guest, a third-party guest's view: it keeps
 * every buffer of a host-memory discard pool (one memory handle, and one more as a wasi:vision image
 * made from a frame) and then blocks on the pool's pollable. On the live test pattern frames keep
 * arriving and are dropped; before, that wait never ended (the time limit below is what would have
 * stopped it). On the 3-frame fixture camera the message blamed the finished device, not the held
 * buffers.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runComponent, type RunResult } from '../../src/index.js';
import type { EdgeConfigInput } from '../../src/host/config.js';
import { ROOT } from '../helpers/run-guest.js';

// The sensor-script guest with its wasi:vision commands (one case makes an image of a frame).
const GUEST = join(ROOT, 'fixtures/conformance/vision/frame-script.wasm');

async function script(args: string[], config: EdgeConfigInput = {}): Promise<RunResult & { stdout: string }> {
  let stdout = '';
  // The time limit turns a regression (a wait that never ends) into a failed assertion, not a hung suite.
  const r = await runComponent(GUEST, { ...config, limits: { timeoutMs: 30_000 }, wasi: { args: ['sensor-script', ...args] } }, {
    stdio: { stdout: (b) => (stdout += Buffer.from(b).toString()), stderr: () => {} },
  });
  return { ...r, stdout };
}

const THREE_FRAMES: EdgeConfigInput = {
  sensor: { devices: { 'cam:0': { kind: 'image-fixture', directory: join(ROOT, 'fixtures/demo/camera'), loop: false, fps: [10, 1] } } },
};

describe('a guest that holds every buffer of its pool and waits on it', () => {
  it('live camera, one buffer: a deadlock that names the lent buffer, at once', async () => {
    const r = await script(['open', 'test-pattern:0', 'pool', 'discard', '0', '1', 'p-hm', 'start', 'p-hm', 'wait', 'read', '1', 'wait']);
    expect(r.stdout).toBe('open test-pattern:0: ok\npool p-hm: ok\nstart: ok\nwait: ok\nread: ok n=1\nframe seq=0 host-memory size=921600\n');
    expect(r).toMatchObject({ code: 2 });
    expect(r.limit).toBeUndefined();
    expect(r.stuck).toBe(
      'deadlock: the guest waits on what can never become ready, and on nothing else: all 1 buffer of pool "p-hm" (discard, buffer-num 1) ' +
        'are lent to the guest (memory handles, or images made from them), so every new frame is dropped until it drops or invalidates one',
    );
  });

  it('live camera, two buffers, one of them held by a wasi:vision image', async () => {
    const r = await script([
      'open', 'test-pattern:0', 'pool', 'discard', '0', '2', 'p-hm', 'start', 'p-hm',
      'wait', 'read', '1', 'vision-frame', 'wait', 'read', '1', 'wait',
    ]);
    expect(r.stdout).toContain('vision-frame: ok 640x480\n');
    expect(r.code).toBe(2);
    expect(r.stuck).toMatch(/all 2 buffers of pool "p-hm" \(discard, buffer-num 2\) are lent to the guest/);
  });

  it('overwrite mode is the same: there is nothing to overwrite', async () => {
    const r = await script(['open', 'test-pattern:0', 'pool', 'overwrite', '0', '1', 'p-hm', 'start', 'p-hm', 'wait', 'read', '1', 'wait']);
    expect(r.code).toBe(2);
    expect(r.stuck).toMatch(/all 1 buffer of pool "p-hm" \(overwrite, buffer-num 1\) are lent/);
  });

  it('the 3-frame fixture camera: the held buffer is blamed, not the device', async () => {
    const r = await script(['open', 'cam:0', 'pool', 'discard', '0', '1', 'p-hm', 'start', 'p-hm', 'wait', 'read', '1', 'wait'], THREE_FRAMES);
    expect(r.code).toBe(2);
    expect(r.stuck).toMatch(/all 1 buffer of pool "p-hm" .* are lent to the guest/);
    expect(r.stuck).not.toMatch(/last frame/);
  });

  it('once the guest gives its buffers back, it is the finished device that is blamed', async () => {
    // drain reads the three frames one by one (each read drops the memory handle before), keeping one of three buffers.
    const r = await script(['open', 'cam:0', 'pool', 'discard', '0', '3', 'p-hm', 'start', 'p-hm', 'drain', '3', 'drop-memory', 'wait'], THREE_FRAMES);
    expect(r.stdout).toContain('drain: frames=3\n');
    expect(r.code).toBe(2);
    expect(r.stuck).toBe('deadlock: the guest waits on what can never become ready, and on nothing else: the device feeding pool "p-hm" has delivered its last frame');
  });

  it('a guest that gives a buffer back before waiting gets its next frame', async () => {
    const r = await script(['open', 'test-pattern:0', 'pool', 'discard', '0', '1', 'p-hm', 'start', 'p-hm', 'wait', 'read', '1', 'drop-memory', 'wait', 'read', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/drop-memory: ok\nwait: ok\nread: ok n=1\nframe seq=\d+ host-memory size=921600\n$/);
  });
});
