/**
 * One camera, many apps, no copy per app (docs/device.md): a host-memory pool of a shared camera
 * is lent the ring's slot itself (frame-holds.ts); by-value pools, and frames beyond an app's
 * `frameHolds`, are copied out and counted. Real components in their own workers. Needs
 * `npm run build` (the app workers run dist/).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseDeviceConfig } from '../../src/host/device/config.js';
import { ConfigError } from '../../src/core/validate.js';
import { ROOT, componentPath, runGuest } from '../helpers/run-guest.js';
import { app, countingCamera, recordDevice, type Recorded } from './device-helpers.js';

let running: Recorded | undefined;
afterEach(async () => {
  await running?.device.stop();
  running = undefined;
});

const CAMERA_DIR = join(ROOT, 'fixtures/demo/camera');
const everyStopped = (r: Recorded) => () => r.device.states().every((s) => s.status === 'stopped');

interface FrameLine { frame: number; faces: { score: number; box: Record<string, number> }[] }
const frameLines = (text: string[]) => text.filter((l) => l.startsWith('{"frame"')).map((l) => JSON.parse(l) as FrameLine);

describe('shared camera frames lent from the ring', () => {
  it('host-memory pools copy no frame; a by-value pool copies each; frameHolds 0 copies each too', async () => {
    const camera = countingCamera();
    running = recordDevice({
      devices: { sensor: { devices: { 'camera:0': camera.config } } },
      ringFrames: 8,
      apps: {
        lentA: app({ FRAMES: '60', POOL: 'a-hm' }),
        lentB: app({ FRAMES: '60', POOL: 'b-hm' }),
        byValue: app({ FRAMES: '60' }),
        noHolds: app({ FRAMES: '60', POOL: 'c-hm' }, { frameHolds: 0 }),
      },
    });
    const r = running;
    await r.until(everyStopped(r), 'the apps to finish');
    for (const name of ['lentA', 'lentB', 'byValue', 'noHolds']) {
      expect(r.last(name)).toMatchObject({ status: 'stopped', exitCode: 0 });
      expect(r.json(name, 'done')).toEqual([{ done: 60, missed: expect.any(Number) }]);
      expect(r.last(name).counters.frames).toBeGreaterThanOrEqual(60);
    }
    expect(r.last('lentA').counters.copies).toBe(0);
    expect(r.last('lentB').counters.copies).toBe(0);
    // Each frame a pool kept was copied once (a frame dropped unseen is not copied at all).
    for (const name of ['byValue', 'noHolds']) {
      const { copies, frames } = r.last(name).counters;
      expect(copies).toBeGreaterThanOrEqual(60);
      expect(copies).toBeLessThanOrEqual(frames);
    }
    expect(camera.counts.opened).toBe(1);
  }, 120_000);

  it('an app that traps holding lent frames gives them back: the camera never runs out of slots', async () => {
    running = recordDevice({
      devices: { sensor: { devices: { 'camera:0': { kind: 'test-pattern', width: 64, height: 48, fps: [30, 1] } } } },
      ringFrames: 8,
      restart: { initialMs: 20, factor: 1, maxMs: 20, resetAfterMs: 60_000 },
      apps: { steady: app({ FRAMES: '120', POOL: 's-hm' }), storm: app({ TRAP_AFTER: '12', POOL: 't-hm' }, { standby: false }) },
    });
    const r = running;
    await r.until(() => r.last('storm').counters.traps >= 4, 'four traps');
    await r.until(() => r.last('steady').status === 'stopped', 'the steady app to finish');
    const [cam] = r.device.cameras();
    // 8 slots for the window and 8 for each app's frameHolds (the default).
    expect(cam).toMatchObject({ camera: 'camera:0', slots: 24, lostAtSource: 0 });
    expect(cam!.held).toBeLessThanOrEqual(8);
    expect(r.last('steady')).toMatchObject({ exitCode: 0, counters: { copies: 0, lost: 0 } });
    expect(r.json('steady', 'done')).toEqual([{ done: 120, missed: 0 }]);
    await r.device.stop();
    expect(r.device.cameras()[0]!.held).toBe(0);
  }, 120_000);

  it('the face detector three times over one camera finds the faces of one run alone, on lent frames', async () => {
    // The same app alone, with its own camera: what each shared instance must print for each image.
    const alone = await runGuest('facedetect', {
      sensor: { devices: { 'camera:0': { kind: 'image-fixture', directory: CAMERA_DIR, fps: [10, 1] } } },
      wasi: { args: ['facedetect'], env: { OUT_DIR: '-', FRAMES: '3' } },
    });
    const expected = frameLines(alone.stdout.split('\n')).map((l) => JSON.stringify(l.faces));
    expect(expected).toHaveLength(3);
    const faces = { component: componentPath('facedetect'), cameras: ['camera:0'], env: { FRAMES: '6', OUT_DIR: '-' } };
    running = recordDevice({
      devices: { sensor: { devices: { 'camera:0': { kind: 'image-fixture', directory: CAMERA_DIR, loop: true, fps: [10, 1] } } } },
      apps: { one: faces, two: faces, three: faces },
    });
    const r = running;
    await r.until(everyStopped(r), 'the apps to finish', 120_000);
    for (const name of ['one', 'two', 'three']) {
      expect(r.last(name)).toMatchObject({ status: 'stopped', exitCode: 0, counters: { copies: 0, lost: 0 } });
      const got = frameLines(r.lines(name)).map((l) => JSON.stringify(l.faces));
      expect(got).toHaveLength(6);
      // The looped camera shows the three images in turn from wherever this app's first frame fell.
      const cycles = [0, 1, 2].map((shift) => got.map((_, i) => expected[(i + shift) % 3]));
      expect(cycles).toContainEqual(got);
      expect(got.filter((f) => f !== '[]').length).toBe(2);
    }
  }, 180_000);

  it('frameHolds is checked', () => {
    const config = (frameHolds: unknown) => ({
      devices: { sensor: { devices: { 'camera:0': { kind: 'test-pattern' } } } },
      apps: { a: { component: 'a.wasm', cameras: ['camera:0'], frameHolds } },
    });
    expect(parseDeviceConfig(config(3)).apps[0]!.frameHolds).toBe(3);
    expect(parseDeviceConfig({ ...config(1), apps: { a: { component: 'a.wasm' } } }).apps[0]!.frameHolds).toBe(8);
    expect(() => parseDeviceConfig(config(-1))).toThrowError(ConfigError);
    expect(() => parseDeviceConfig(config('all'))).toThrowError(/apps\.a\.frameHolds/);
  });
});
