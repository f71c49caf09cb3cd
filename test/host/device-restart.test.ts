/**
 * Rogue apps on a device (docs/device.md "Restart"): a trap storm, a hang, a memory bomb and a
 * host-call flood each hit one app, which is restarted on the documented schedule, while the other
 * app keeps reading the shared camera. Real components (guests/c/device_app.c) in real workers;
 * needs `npm run build`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RESTART, failuresInARow, restartDelayMs } from '../../src/host/device/backoff.js';
import { SimulatedBus, At24c } from '../../src/i2c/index.js';
import { app, recordDevice, type Recorded } from './device-helpers.js';

let running: Recorded | undefined;
afterEach(async () => {
  await running?.device.stop();
  running = undefined;
});

const camera = { 'camera:0': { kind: 'test-pattern', width: 64, height: 48, fps: [30, 1] } };

describe('the restart schedule', () => {
  it('is 0, then initialMs doubling up to maxMs (the defaults: 0, 100 ms, 200 ms, … 30 s)', () => {
    // Written from the documented schedule, not from the function.
    expect([1, 2, 3, 4, 5].map((n) => restartDelayMs(DEFAULT_RESTART, n))).toEqual([0, 100, 200, 400, 800]);
    expect(restartDelayMs(DEFAULT_RESTART, 12)).toBe(30_000);
    expect(restartDelayMs({ initialMs: 20, factor: 3, maxMs: 100, resetAfterMs: 0 }, 4)).toBe(100);
  });
  it('counts a failure after resetAfterMs of running as a first one again', () => {
    expect(failuresInARow(DEFAULT_RESTART, 5, 9_999)).toBe(6);
    expect(failuresInARow(DEFAULT_RESTART, 5, 10_000)).toBe(1);
  });
});

describe('a trap storm', () => {
  it('restarts the trapping app on the schedule while the other app reads every frame', async () => {
    const restart = { initialMs: 40, factor: 2, maxMs: 160, resetAfterMs: 60_000 };
    running = recordDevice({
      devices: { sensor: { devices: camera } },
      ringFrames: 64,
      restart,
      apps: { steady: app({ FRAMES: '150' }), storm: app({ TRAP_AFTER: '1' }, { standby: false }) },
    });
    const r = running;
    await r.until(() => r.last('storm').counters.traps >= 5, 'five traps');
    const restarting = r.states.filter((s) => s.app === 'storm' && s.status === 'restarting');
    // The schedule as documented: 0, initialMs, doubling, capped at maxMs.
    expect(restarting.slice(0, 5).map((s) => s.nextRestartMs)).toEqual([0, 40, 80, 160, 160]);
    expect(restarting.slice(0, 5).map((s) => s.failuresInARow)).toEqual([1, 2, 3, 4, 5]);
    // No start came before its wait was over (a lower bound only: timers never fire early).
    for (const s of restarting.slice(0, 4)) {
      const next = r.states.find((t) => t.app === 'storm' && t.status === 'starting' && t.at > s.at)!;
      expect(next.at - s.at).toBeGreaterThanOrEqual(s.nextRestartMs! - 1);
    }
    expect(r.last('storm').lastError).toMatchObject({ kind: 'trap', message: 'unreachable', code: 2 });
    await r.until(() => r.last('steady').status === 'stopped', 'the steady app to finish');
    expect(r.last('steady')).toMatchObject({ exitCode: 0, instance: 1, counters: { failures: 0 } });
    expect(r.json('steady', 'done')).toEqual([{ done: 150, missed: expect.any(Number) }]);
  }, 120_000);
});

describe('a hang, a memory bomb and a time limit', () => {
  it('each is stopped, named in lastError and restarted; the other app is untouched', async () => {
    running = recordDevice({
      devices: { sensor: { devices: camera } },
      restart: { initialMs: 50, factor: 2, maxMs: 200, resetAfterMs: 60_000 },
      apps: {
        steady: app({}),
        hang: app({ HANG_AFTER: '3' }, { watchdogMs: 500 }),
        bomb: app({ BOMB_AFTER: '2' }, { limits: { maxMemoryBytes: 32 * 2 ** 20 } }),
        slow: app({ HANG_AFTER: '2' }, { limits: { timeoutMs: 1500 } }),
      },
    });
    const r = running;
    await r.until(() => ['hang', 'bomb', 'slow'].every((n) => r.last(n).counters.restarts >= 2), 'two restarts of each rogue app');
    expect(r.last('hang').lastError).toMatchObject({ kind: 'hang', message: expect.stringMatching(/no frame for 500 ms \(watchdogMs\)/) });
    expect(r.last('hang').counters.hangs).toBeGreaterThanOrEqual(2);
    expect(r.last('bomb').lastError).toMatchObject({ kind: 'limit', code: 4, message: expect.stringMatching(/^memory limit: .*max-memory-size=32MiB/) });
    expect(r.json('bomb', 'bomb')[0]!.bomb).toMatch(/malloc failed after \d+ MiB/);
    expect(r.last('slow').lastError).toMatchObject({ kind: 'limit', code: 6, message: expect.stringMatching(/^time limit: .*1\.5 s/) });
    expect(r.last('steady')).toMatchObject({ status: 'running', instance: 1, counters: { failures: 0 } });
    const frames = r.json('steady', 'frame');
    expect(frames.at(-1)!.got).toBe(frames.length);
  }, 120_000);
});

describe('a host-call flood', () => {
  it('one app flooding the shared bus does not stop the other app\'s frames or transactions', async () => {
    const bus = new SimulatedBus({ logLimit: 10 });
    bus.attach(0x50, new At24c({ writeCycleMs: 0 }));
    running = recordDevice({
      devices: { sensor: { devices: camera }, i2c: { buses: { shared: { kind: 'custom', bus } } } },
      apps: {
        steady: app({ FRAMES: '60', I2C_BUS: 'shared', PAGE: '1' }, { i2c: { shared: {} } }),
        flood: app({ I2C_BUS: 'shared', PAGE: '2', FLOOD: '5000' }, { i2c: { shared: {} } }),
      },
    });
    const r = running;
    await r.until(() => r.last('steady').status === 'stopped', 'the steady app to finish');
    expect(r.last('steady')).toMatchObject({ exitCode: 0, counters: { failures: 0, busTransactions: 120 } });
    expect(r.json('steady', 'done')).toEqual([{ done: 60, missed: expect.any(Number) }]);
    // It was flooding all along (it never finishes one frame's 5000 calls in the steady app's 2 s).
    expect(r.last('flood').counters.busTransactions).toBeGreaterThan(4 * 120);
    expect(r.last('flood').counters.failures).toBe(0);
  }, 120_000);
});
