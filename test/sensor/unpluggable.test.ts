/**
 * A camera that goes away and comes back while a guest uses it (src/sensor/devices/unpluggable.ts),
 * plugged in through a `custom` device entry: through the provider's imports as jco calls them,
 * and through the face-detection app in field mode (KEEP_GOING=1), which must live through it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { codeOf, harness, ms, type Harness } from './helpers.js';
import { TestPatternDevice } from '../../src/sensor/devices/test-pattern.js';
import { ImageFixtureDevice } from '../../src/sensor/devices/image-fixture.js';
import { UnpluggableDevice } from '../../src/sensor/devices/unpluggable.js';
import { ConfigError } from '../../src/core/validate.js';
import { sensorDefinition } from '../../src/sensor/definition.js';
import { join } from 'node:path';
import { ROOT, componentPath, runGuest } from '../helpers/run-guest.js';
import { runComponent } from '../../src/index.js';

let h: Harness | undefined;
afterEach(() => {
  h?.provider.dispose();
  h = undefined;
});

/** A harness whose "cam:0" is an unpluggable 8x4 test pattern at 10 fps, on a fake wall clock. */
function setup() {
  const wall = { ms: 0 };
  const made: UnpluggableDevice[] = [];
  const open = () => {
    const inner = new TestPatternDevice('cam:0: test pattern', {
      layout: { width: 8, height: 4, strideBytes: 0, pixelFormat: 'rgb24' },
      rate: { numerator: 10, denominator: 1 },
      capabilities: { formats: ['rgb24'], maxWidth: 8, maxHeight: 4, minFps: 1, maxFps: 100, layoutSettable: false },
    });
    const d = new UnpluggableDevice(inner, () => wall.ms);
    made.push(d);
    return d;
  };
  h = harness({ devices: { 'cam:0': { kind: 'custom', open } } });
  return { ...h, wall, made };
}

describe('an unpluggable camera (custom device)', () => {
  it('unplugged while running: what it captured is delivered, then hardware-error once; stopped; start fails until it is back', () => {
    const { Device, Pool, clock, wall, made } = setup();
    const d = Device.open('cam:0');
    const pool = Pool.create('buffering-discard', 0, 4, 'p');
    d.start('p');
    clock.advance(ms(250));
    expect(pool.readFrames(4n).length).toBeGreaterThan(0);

    made[0]!.unplug(1000);
    clock.advance(ms(250));
    // What it captured until the host next looked is still delivered (300, 400, 500 ms), then the error, once.
    expect(pool.readFrames(4n).map((f: { sequenceNumber: bigint }) => f.sequenceNumber)).toEqual([3n, 4n, 5n]);
    expect(codeOf(() => pool.readFrames(4n))).toBe('hardware-error');
    // The host stopped it: no error is left, stop says it is not running, start is refused.
    expect(pool.readFrames(4n)).toEqual([]);
    expect(codeOf(() => d.stop())).toBe('invalid-operation');
    expect(codeOf(() => d.start('p'))).toBe('hardware-error');
    // Its properties are the host's record of it, readable throughout.
    expect(d.getProperty('dimension').val.width).toBe(8);

    wall.ms += 1000; // it comes back by itself
    d.start('p');
    clock.advance(ms(250));
    expect(pool.readFrames(4n).length).toBeGreaterThan(0);
  });

  it('a stop whose last pull meets the failure (the camera was just unplugged) stops cleanly; the error is still reported', () => {
    const { Device, Pool, clock, made } = setup();
    const d = Device.open('cam:0');
    const pool = Pool.create('buffering-discard', 0, 8, 'p');
    d.start('p');
    clock.advance(ms(250));
    made[0]!.unplug();
    clock.advance(ms(100));
    // This read drains what it captured; the device now owes its failure.
    expect(pool.readFrames(8n).length).toBeGreaterThan(0);
    // stop's own last pull meets the failure, whose handler lets go of the device inside that pull.
    expect(() => d.stop()).not.toThrow();
    expect(codeOf(() => pool.readFrames(8n))).toBe('hardware-error');
    expect(() => d[Symbol.dispose]()).not.toThrow();
    expect(() => pool[Symbol.dispose]()).not.toThrow();
  });

  it('unplugged while stopped: nothing is owed, start fails until replug()', () => {
    const { Device, Pool, made } = setup();
    const d = Device.open('cam:0');
    const pool = Pool.create('buffering-discard', 0, 4, 'p');
    made[0]!.unplug();
    expect(made[0]!.description).toContain('(unplugged)');
    expect(codeOf(() => d.start('p'))).toBe('hardware-error');
    expect(pool.readFrames(1n)).toEqual([]);
    made[0]!.replug();
    d.start('p');
  });

  it('a guest blocked on the pool wakes to read the error', () => {
    const { Device, Pool, poll, made } = setup();
    const d = Device.open('cam:0');
    const pool = Pool.create('buffering-discard', 0, 4, 'p');
    d.start('p');
    made[0]!.unplug();
    const ready = pool.subscribe();
    expect([...poll([ready])]).toEqual([0]);
    expect(codeOf(() => pool.readFrames(1n))).toBe('hardware-error');
  });

  it('a custom entry needs an open function and takes no other keys but granted', () => {
    const field = (raw: unknown) => {
      try {
        sensorDefinition.parseConfig({ devices: { c: raw } }, 'sensor', process.cwd());
      } catch (e) {
        if (e instanceof ConfigError) return e.field;
        throw e;
      }
      return 'accepted';
    };
    expect(field({ kind: 'custom' })).toBe('sensor.devices.c.open');
    expect(field({ kind: 'custom', open: 'camera.js' })).toBe('sensor.devices.c.open');
    expect(field({ kind: 'custom', open: () => undefined, width: 8 })).toBe('sensor.devices.c.width');
    expect(field({ kind: 'custom', open: () => undefined, granted: false })).toBe('accepted');
    const described = sensorDefinition.describe(
      sensorDefinition.parseConfig({ devices: { c: { kind: 'custom', open: () => undefined, granted: false } } }, 'sensor', process.cwd()),
    );
    expect(described.join('\n')).toContain('sensor device "c": provided by the embedder (custom); NOT granted');
  });
});

/** The demo's three pictures at 30 fps, looped, behind an unplug switch. */
function unpluggableFixtureCamera(): UnpluggableDevice {
  return new UnpluggableDevice(new ImageFixtureDevice('camera:0', {
    directory: join(ROOT, 'fixtures/demo/camera'), rate: { numerator: 30, denominator: 1 }, loop: true, pixelFormat: 'rgb24', maxFps: 1000,
  }));
}

describe('the face-detection app in field mode (KEEP_GOING=1)', () => {
  it('lives through an unplug: camera-lost (hardware-error), camera-back, then every frame it was asked for', async () => {
    let camera: UnpluggableDevice | undefined;
    const frames = 12;
    let out = '';
    let pulled = false;
    const result = await runComponent(
      componentPath('facedetect'),
      {
        sensor: {
          clock: 'real',
          devices: {
            'camera:0': {
              kind: 'custom',
              open: () => (camera = unpluggableFixtureCamera()),
            },
          },
        },
        wasi: { args: ['facedetect', String(frames)], env: { OUT_DIR: '-', KEEP_GOING: '1' } },
      },
      {
        stdio: {
          stdout: (c) => {
            out += Buffer.from(c).toString();
            // Pulled out once, after the fourth frame line; back 300 ms later.
            if (!pulled && out.split('\n').filter((l) => l.startsWith('{"frame"')).length === 4) {
              pulled = true;
              camera!.unplug(300);
            }
          },
        },
      },
    );
    expect(result.code).toBe(0);
    const lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const events = lines.filter((l) => 'event' in l);
    expect(events.map((e) => e.event)).toEqual(['model-loaded', 'camera-lost', 'camera-back']);
    expect(events[1]).toMatchObject({ frames: 4, error: 'hardware-error' });
    expect(events[2]!.after_ms).toBeGreaterThanOrEqual(250);
    expect(lines.filter((l) => 'frame' in l)).toHaveLength(frames);
    expect(lines.at(-1)).toMatchObject({ summary: { frames, camera_outages: 1, model_failures: 0 } });
  }, 60_000);

  it('runs without a model until it can be loaded, and reports those frames with "model":false', async () => {
    const run = await runGuest('facedetect', {
      sensor: { clock: 'virtual', devices: { 'camera:0': { kind: 'image-fixture', directory: join(ROOT, 'fixtures/demo/camera'), loop: true } } },
      nn: { models: { blazeface: join(ROOT, 'fixtures/demo/camera/frame-0-astronaut.png') } },
      wasi: { args: ['facedetect', '12'], env: { OUT_DIR: '-', KEEP_GOING: '1' } },
    });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const failed = lines.filter((l) => l.event === 'model-failed');
    // Tried at the start and at frames 0 and 10 (every 10 frames), each time invalid-encoding.
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(String(failed[0]!.error)).toMatch(/^invalid-encoding: /);
    const frameLines = lines.filter((l) => 'frame' in l);
    expect(frameLines).toHaveLength(12);
    for (const f of frameLines) expect(f).toMatchObject({ model: false, faces: [] });
    expect(lines.at(-1)).toMatchObject({ summary: { frames: 12, faces: 0, model_failures: failed.length } });
  }, 60_000);

  it('without KEEP_GOING the app stops at the first camera failure, as before', async () => {
    let camera: UnpluggableDevice | undefined;
    let out = '';
    const result = await runComponent(
      componentPath('facedetect'),
      {
        sensor: {
          clock: 'virtual',
          devices: {
            'camera:0': {
              kind: 'custom',
              open: () => (camera = unpluggableFixtureCamera()),
            },
          },
        },
        wasi: { args: ['facedetect', '12'], env: { OUT_DIR: '-' } },
      },
      {
        stdio: {
          stdout: (c) => {
            out += Buffer.from(c).toString();
            if (camera?.plugged) camera.unplug();
          },
          stderr: (c) => (out += Buffer.from(c).toString()),
        },
      },
    );
    expect(result.code).toBe(1);
    expect(out).toContain('facedetect: read-frames: hardware-error');
  }, 60_000);
});
