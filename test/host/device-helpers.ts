/**
 * What the device tests share: a device of device_app.wasm instances whose every state change and
 * output line is recorded, a wait for a condition on them (bounded generously: waiting is not
 * what the tests measure), and a camera that counts what it renders.
 */
import { createDevice, type AppState, type Device } from '../../src/index.js';
import { TestPatternDevice } from '../../src/sensor/devices/test-pattern.js';
import type { DeviceEnvironment, SensorDevice } from '../../src/sensor/devices/device.js';
import { componentPath } from '../helpers/run-guest.js';

export const DEVICE_APP = componentPath('device_app');

export interface Recorded {
  device: Device;
  /** Every state published, in order, with when (performance.now()). */
  states: (AppState & { at: number })[];
  /** Each app's stdout, split into lines. */
  lines(app: string): string[];
  /** Parsed JSON lines of an app's stdout that have `key`. */
  json(app: string, key: string): Record<string, number | string>[];
  /** Resolves when `done` holds for the recorded states (checked at each change and every 50 ms). */
  until(done: () => boolean, what: string, ms?: number): Promise<void>;
  last(app: string): AppState;
}

export function recordDevice(config: Record<string, unknown>): Recorded {
  const states: (AppState & { at: number })[] = [];
  const out = new Map<string, string>();
  const device = createDevice(config, {
    onState: (s) => states.push({ ...s, at: performance.now() }),
    stdout: (app) => (b) => out.set(app, (out.get(app) ?? '') + Buffer.from(b).toString()),
    stderr: (app) => (b) => out.set(`${app}:err`, (out.get(`${app}:err`) ?? '') + Buffer.from(b).toString()),
  });
  const lines = (app: string) => (out.get(app) ?? '').split('\n').filter(Boolean);
  return {
    device,
    states,
    lines,
    json: (app, key) => lines(app).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, number | string>).filter((o) => key in o),
    last: (app) => device.state(app),
    until: (done, what, ms = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const deadline = performance.now() + ms;
        const tick = () => {
          if (done()) return resolve();
          if (performance.now() > deadline) {
            return reject(new Error(`gave up waiting for ${what}; states: ${JSON.stringify(device.states())}; stderr: ${[...out].filter(([k]) => k.endsWith(':err')).map(([k, v]) => `${k} ${v}`).join(' | ')}`));
          }
          setTimeout(tick, 50);
        };
        tick();
      }),
  };
}

/** A test-pattern camera that counts its renders of each frame (by capture time) and whether it was closed. */
export function countingCamera(width = 64, height = 48) {
  const counts = { renders: new Map<bigint, number>(), opened: 0, closed: 0 };
  const open = (_env: DeviceEnvironment): SensorDevice => {
    counts.opened++;
    const inner = new TestPatternDevice('counting test pattern', {
      layout: { width, height, strideBytes: width * 3, pixelFormat: 'rgb24' },
      rate: { numerator: 30, denominator: 1 },
      capabilities: { formats: ['rgb24'], maxWidth: width, maxHeight: height, minFps: 30, maxFps: 30, layoutSettable: false },
    });
    const collect = inner.collect.bind(inner);
    inner.collect = (now) => {
      const frames = collect(now);
      const render = (i: number, into?: Uint8Array) => {
        const at = frames.timestamp(i);
        counts.renders.set(at, (counts.renders.get(at) ?? 0) + 1);
        return frames.render(i, into);
      };
      return { ...frames, render };
    };
    const close = inner.close.bind(inner);
    inner.close = () => (counts.closed++, close());
    return inner;
  };
  return { counts, config: { kind: 'custom' as const, open } };
}

/** The app entry of a device_app instance. */
export function app(env: Record<string, string>, extra: Record<string, unknown> = {}) {
  return { component: DEVICE_APP, cameras: ['camera:0'], env, ...extra };
}
