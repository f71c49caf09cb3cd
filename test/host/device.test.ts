/**
 * The device runtime (docs/device.md): several apps, each a real component (guests/c/device_app.c)
 * in a worker of its own, over one camera and one bus the device owns. Needs `npm run build`
 * (the app workers run dist/).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimulatedBus, At24c } from '../../src/i2c/index.js';
import { parseDeviceConfig } from '../../src/host/device/config.js';
import { createDevice } from '../../src/index.js';
import { ConfigError } from '../../src/core/validate.js';
import { componentPath } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';
import { app, countingCamera, recordDevice, type Recorded } from './device-helpers.js';

let running: Recorded | undefined;
afterEach(async () => {
  await running?.device.stop();
  running = undefined;
});

function eepromBus() {
  const bus = new SimulatedBus();
  bus.attach(0x50, new At24c({ writeCycleMs: 0 }));
  return bus;
}

/** Which app's page a logged transfer is about: the word address of its first write, in pages of 16. */
const pageOf = (t: { segments: { write?: Uint8Array }[] }) => {
  const w = t.segments[0]?.write;
  return w && w.length >= 2 ? ((w[0]! << 8) | w[1]!) / 16 : undefined;
};

describe('two apps on one camera and one bus', () => {
  it('both get the same camera frames, captured once, and every transaction reaches the bus whole', async () => {
    const camera = countingCamera();
    const bus = eepromBus();
    running = recordDevice({
      devices: { sensor: { devices: { 'camera:0': camera.config } }, i2c: { buses: { shared: { kind: 'custom', bus } } } },
      ringFrames: 32,
      apps: {
        a: app({ FRAMES: '60', I2C_BUS: 'shared', PAGE: '1' }, { i2c: { shared: {} } }),
        b: app({ FRAMES: '60', I2C_BUS: 'shared', PAGE: '2' }, { i2c: { shared: {} } }),
      },
    });
    const r = running;
    await r.until(() => r.device.states().every((s) => s.status === 'stopped'), 'both apps to finish');
    for (const name of ['a', 'b']) {
      // The guest exits 1 if a page read back is not what it wrote (another transaction got inside its own).
      expect(r.last(name)).toMatchObject({ status: 'stopped', exitCode: 0, counters: { failures: 0 } });
      expect(r.json(name, 'done')).toEqual([{ done: 60, missed: expect.any(Number) }]);
    }
    // One camera: frame numbers come from the device's own test pattern, so both apps saw the same ones.
    const seen = (n: string) => new Set(r.json(n, 'frame').map((l) => l.frame));
    const a = seen('a');
    const both = [...seen('b')].filter((f) => a.has(f));
    expect(both.length).toBeGreaterThanOrEqual(30);
    // Captured once: the camera was opened once and rendered each of its frames once, not once per app.
    expect(camera.counts.opened).toBe(1);
    expect(Math.max(...camera.counts.renders.values())).toBe(1);
    expect(camera.counts.renders.size).toBeGreaterThanOrEqual(new Set([...a, ...seen('b')]).size);
    // Each app's page check is one write transaction (address + 16 bytes) and one write-read (two segments).
    const log = bus.log.filter((t) => t.address === 0x50);
    expect(log.length).toBe(r.last('a').counters.busTransactions + r.last('b').counters.busTransactions);
    for (const t of log) {
      const shape = t.segments.map((s) => (s.write ? `w${s.write.length}` : `r${s.read!.length}`)).join(',');
      expect(['w18', 'w2,r16']).toContain(shape);
    }
    // The two apps' transactions did follow each other on the bus (so whole-ness was put to the test).
    const pages = log.map(pageOf);
    expect(pages.slice(1).filter((p, i) => p !== pages[i]).length).toBeGreaterThan(1);
    expect(new Set(pages)).toEqual(new Set([1, 2]));
  }, 120_000);

  it('an app sees only what it was granted: no camera, no bus, no default device', async () => {
    running = recordDevice({
      devices: { sensor: { devices: { 'camera:0': { kind: 'test-pattern', width: 32, height: 24 } } }, i2c: { buses: { shared: { kind: 'custom', bus: eepromBus() } } } },
      apps: {
        nocam: app({ FRAMES: '1' }, { cameras: [] }),
        nobus: app({ FRAMES: '1', I2C_BUS: 'shared' }),
      },
    });
    const r = running;
    await r.until(() => ['nocam', 'nobus'].every((n) => r.last(n).lastError !== undefined), 'both apps to fail');
    expect(r.last('nocam').lastError).toMatchObject({ kind: 'exit' });
    expect(r.lines('nocam')).toContain('error: device.open: not-found');
    expect(r.last('nobus').lastError).toMatchObject({ kind: 'exit' });
  }, 120_000);
});

describe('replace', () => {
  it('swaps one app\'s component while the other keeps reading; a component that cannot load changes nothing', async () => {
    running = recordDevice({
      devices: { sensor: { devices: { 'camera:0': { kind: 'test-pattern', width: 64, height: 48 } } } },
      apps: { steady: app({}), swapped: app({}) },
    });
    const r = running;
    await r.until(() => r.device.states().every((s) => s.status === 'running' && s.counters.frames > 5), 'both apps to run');
    const dir = tempDir('device-replace');
    const broken = join(dir, 'broken.wasm');
    writeFileSync(broken, 'not a component');
    await expect(r.device.replace('swapped', broken)).rejects.toThrow(/cannot replace/);
    expect(r.last('swapped')).toMatchObject({ status: 'running', instance: 1, component: componentPath('device_app') });

    const framesBefore = r.json('steady', 'frame').length;
    const hello = join(dir, 'hello.wasm');
    copyFileSync(componentPath('hello'), hello);
    await r.device.replace('swapped', hello);
    await r.until(() => r.last('swapped').status === 'stopped', 'the replacement to finish');
    expect(r.last('swapped')).toMatchObject({ component: hello, exitCode: 0, instance: 2, counters: { replacements: 1, failures: 0 } });
    expect(r.lines('swapped')).toContain('hello from a wasi-edge guest');
    // The other app was not touched: same instance, still reading, nothing missed across the swap.
    await r.until(() => r.json('steady', 'frame').length > framesBefore + 10, 'the steady app to read on');
    expect(r.last('steady')).toMatchObject({ status: 'running', instance: 1, counters: { failures: 0 } });
    const last = r.json('steady', 'frame').at(-1)!;
    expect(last.got).toBe(r.json('steady', 'frame').length);
  }, 120_000);
});

describe('stop', () => {
  it('releases the camera, every worker and every timer', async () => {
    const before = process.getActiveResourcesInfo().filter((k) => k !== 'TTYWrap').length;
    const camera = countingCamera();
    running = recordDevice({
      devices: { sensor: { devices: { 'camera:0': camera.config } }, i2c: { buses: { shared: { kind: 'simulated', devices: [{ chip: 'at24c', address: 0x50, writeCycleMs: 0 }] } } } },
      apps: { a: app({ I2C_BUS: 'shared' }, { i2c: { shared: {} }, watchdogMs: 10_000 }), b: app({}, { limits: { timeoutMs: 600_000 } }) },
    });
    const r = running;
    await r.until(() => r.device.states().every((s) => s.status === 'running' && s.counters.frames > 3), 'both apps to run');
    await r.device.stop();
    expect(r.device.states().map((s) => s.status)).toEqual(['stopped', 'stopped']);
    expect(camera.counts.closed).toBe(1);
    // Workers, their ports and the device's timers are gone (give the event loop a turn to drop them).
    await new Promise((res) => setTimeout(res, 200));
    const after = process.getActiveResourcesInfo().filter((k) => k !== 'TTYWrap').length;
    expect(after).toBeLessThanOrEqual(before);
    await expect(r.device.finished).resolves.toHaveLength(2);
    // Its camera is closed: a replacement now would start without it, so it is refused.
    await expect(r.device.replace('a', componentPath('hello'))).rejects.toThrow(/the device has been stopped; its cameras and buses are released/);
  }, 120_000);

  it('a device whose apps have all finished refuses a replacement (its cameras are released)', async () => {
    running = recordDevice({
      devices: { sensor: { devices: { 'camera:0': { kind: 'test-pattern', width: 32, height: 24 } } } },
      apps: { a: app({ FRAMES: '2' }) },
    });
    await running.device.finished;
    await expect(running.device.replace('a', componentPath('hello'))).rejects.toThrow(/the device has finished \(every app stopped\)/);
    expect(running.last('a')).toMatchObject({ status: 'stopped', exitCode: 0, instance: 1 });
  }, 60_000);
});

describe('device configuration', () => {
  it('refuses an app configuration that cannot cross to its worker, naming the part, and leaves nothing open', () => {
    const before = process.getActiveResourcesInfo().length;
    const config = { i2c: { buses: { mine: { kind: 'custom', bus: eepromBus() } } } };
    expect(() => createDevice({ devices: { sensor: { devices: { 'camera:0': { kind: 'test-pattern' } } } }, apps: { a: app({}, { config }) } }))
      .toThrow(/^an app of a device runs in a worker thread of its own, and apps\.a\.config\.i2c\.buses\.mine\.bus cannot go there: it is an object of class SimulatedBus/);
    expect(process.getActiveResourcesInfo().length).toBeLessThanOrEqual(before);
  });

  it('names what is wrong', () => {
    expect(() => parseDeviceConfig({ apps: {} })).toThrow(ConfigError);
    expect(() => parseDeviceConfig({ apps: { a: { component: 'x.wasm', cameras: ['camera:9'] } } })).toThrow(/apps\.a\.cameras\[0\]/);
    expect(() => parseDeviceConfig({ apps: { a: { component: 'x.wasm', i2c: { nope: {} } } } })).toThrow(/apps\.a\.i2c\.nope/);
    expect(() => parseDeviceConfig({ apps: { a: { component: 'x.wasm', colour: 1 } } })).toThrow(/colour/);
    expect(() =>
      parseDeviceConfig({ devices: { sensor: { devices: { c: { kind: 'test-pattern', pixelFormat: 'mjpeg' } } } }, apps: { a: { component: 'x.wasm' } } }),
    ).toThrow(/raw format/);
    expect(() =>
      parseDeviceConfig({ devices: { sensor: { devices: { ai: { kind: 'ai-camera', directory: '.', model: 'm.onnx' } } } }, apps: { a: { component: 'x.wasm' } } }),
    ).toThrow(/devices\.sensor\.devices\.ai\.kind should be a camera whose frames are pixels only/);
  });
});
