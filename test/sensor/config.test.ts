import { describe, expect, it } from 'vitest';
import { sensorDefinition } from '../../src/sensor/definition.js';
import { ConfigError } from '../../src/core/validate.js';
import { matchesPattern } from '../../src/sensor/config.js';
import { createHost } from '../../src/index.js';

describe('sensor configuration', () => {
  it('the default has a test-pattern camera and an image-fixture camera, real clock, *-hm host-memory pools', () => {
    const c = sensorDefinition.defaultConfig();
    expect(Object.keys(c.devices)).toEqual(['test-pattern:0', 'fixture:0']);
    expect(c.clock).toBe('real');
    expect(c.hostMemoryPools).toEqual(['*-hm']);
    const lines = sensorDefinition.describe(c).join('\n');
    expect(lines).toContain('sensor device "test-pattern:0": test pattern 640x480 rgb24 30/1 fps');
    expect(lines).toContain('sensor device "fixture:0": images in');
  });

  it('errors name the field', () => {
    const bad = (raw: unknown) => {
      try {
        sensorDefinition.parseConfig(raw, 'sensor', process.cwd());
      } catch (e) {
        if (e instanceof ConfigError) return e.field;
        throw e;
      }
      throw new Error('accepted');
    };
    expect(bad({ clock: 'fast' })).toBe('sensor.clock');
    expect(bad({ devices: { c: { kind: 'usb-camera' } } })).toBe('sensor.devices.c.kind');
    expect(bad({ devices: { c: { kind: 'test-pattern', fps: [30] } } })).toBe('sensor.devices.c.fps');
    expect(bad({ devices: { c: { kind: 'test-pattern', pixelFormat: 'nv12' } } })).toBe('sensor.devices.c.pixelFormat');
    expect(bad({ devices: { c: { kind: 'ffmpeg', formats: ['mjpeg'], pixelFormat: 'mjpeg' } } })).toBe('sensor.devices.c.formats');
    expect(bad({ devices: { c: { kind: 'test-pattern', widht: 3 } } })).toBe('sensor.devices.c.widht');
    expect(bad({ maxPoolBytes: 0 })).toBe('sensor.maxPoolBytes');
  });

  it('host-memory patterns: * matches any run, everything else literally', () => {
    expect(matchesPattern('cam-hm', '*-hm')).toBe(true);
    expect(matchesPattern('cam-hmx', '*-hm')).toBe(false);
    expect(matchesPattern('a.b', 'a.b')).toBe(true);
    expect(matchesPattern('axb', 'a.b')).toBe(false);
  });

  it('createHost installs the sensor imports, replaces wasi:io/poll, and offers the frame service', () => {
    const host = createHost({ sensor: { clock: 'virtual' } });
    try {
      expect(Object.keys(host.imports)).toEqual(expect.arrayContaining(['wasi:sensor/sensor', 'wasi:buffer-pool/buffer-pool', 'wasi:io/poll']));
      expect(host.services.frames).toBeDefined();
      const { Device } = host.imports['wasi:sensor/sensor'] as any;
      expect(Device.listNames()).toEqual(['test-pattern:0', 'fixture:0']);
      const fixture = Device.open('fixture:0');
      expect(fixture.getProperty('dimension').val).toEqual({ width: 160, height: 120, strideBytes: 480, pixelFormat: 'rgb24' });
    } finally {
      host.dispose();
    }
    expect(host.services.frames).toBeUndefined();
  });
});

describe('live camera kinds belong to the platform', () => {
  it("a 'webcam' device parses anywhere, and on Node its open is hardware-error naming the kinds Node has", () => {
    const config = sensorDefinition.parseConfig({ devices: { cam: { kind: 'webcam', width: 320, height: 240 } } }, 'sensor', '/');
    const cam = config.devices.cam!;
    expect(cam.kind).toBe('webcam');
    expect(cam.kind === 'webcam' && cam.device).toBe('webcam');
    const host = createHost({ sensor: { devices: { cam: { kind: 'webcam' } } } });
    try {
      const Device = (host.imports['wasi:sensor/sensor'] as { Device: { open(name: string): unknown } }).Device;
      let error: unknown;
      try {
        Device.open('cam');
      } catch (e) {
        error = e;
      }
      expect((error as { payload?: unknown }).payload).toBe('hardware-error');
      expect(String((error as Error).message)).toMatch(/webcam camera cannot be opened on this platform \(Node has kind 'ffmpeg'/);
    } finally {
      host.dispose();
    }
  });
});
