/**
 * Under JSPI (ProviderContext.jspi) a pool pollable's `block` and `poll` wait without blocking the
 * thread: they return a Promise that settles when a frame is due (Atomics.waitAsync on the wake
 * cell, bounded by the frame's deadline), and the event loop runs meanwhile. Runs on any Node
 * (waitAsync needs no JSPI); the guest-level check under real JSPI is test/runtimes/run.mjs's `jspi`.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWasiImports } from '../../src/platform/node/wasi.js';
import { nodePlatform } from '../../src/platform/node/index.js';
import { parseSensorConfig } from '../../src/sensor/config.js';
import { createSensorProvider } from '../../src/sensor/provider.js';
import { DeadlockError } from '../../src/sensor/waiter.js';

function provider(jspi: boolean) {
  const config = parseSensorConfig({ clock: 'real', devices: { c: { kind: 'test-pattern', width: 8, height: 4, fps: [20, 1] } } }, 'sensor', process.cwd());
  const wasi = createWasiImports({ preopens: {}, env: {}, args: ['t'], network: false }, {});
  const p = createSensorProvider(config, { services: { counters: { pixelBytesLowered: 0, encodedBytesLowered: 0 } }, wasi, platform: nodePlatform, jspi });
  const i = p.imports as Record<string, any>;
  return { p, Pool: i['wasi:buffer-pool/buffer-pool'].Pool, Device: i['wasi:sensor/sensor'].Device, poll: i['wasi:io/poll'].poll as (l: unknown[]) => unknown };
}

afterEach(() => vi.restoreAllMocks());

describe('pool pollables under JSPI', () => {
  it('block returns a Promise that settles when the next frame is due, without Atomics.wait; the loop runs meanwhile', async () => {
    const t = provider(true);
    try {
      const pool = t.Pool.create('buffering-discard', 0, 4, 'p');
      const p = pool.subscribe();
      t.Device.open('c').start('p');
      pool.readFrames(10); // frame 0 is captured at start; the next is due in 50 ms
      expect(p.ready()).toBe(false);
      const wait = vi.spyOn(Atomics, 'wait');
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 5);
      const blocked = p.block();
      expect(blocked).toBeInstanceOf(Promise);
      await blocked;
      clearInterval(ticker);
      expect(p.ready()).toBe(true);
      expect(pool.readFrames(10)).toHaveLength(1);
      expect(wait).not.toHaveBeenCalled();
      expect(ticks).toBeGreaterThan(0); // timers ran while the guest waited
    } finally {
      t.p.dispose();
    }
  });

  it('poll over pools only resolves to the ready indices; a pool that can never fill still rejects with the deadlock', async () => {
    const t = provider(true);
    try {
      const started = t.Pool.create('buffering-discard', 0, 4, 'a');
      const idle = t.Pool.create('buffering-discard', 0, 4, 'b');
      t.Device.open('c').start('a');
      started.readFrames(10);
      const ready = await t.poll([idle.subscribe(), started.subscribe()]);
      expect(Array.from(ready as Uint32Array)).toEqual([1]);
      await expect(Promise.resolve().then(() => idle.subscribe().block())).rejects.toThrowError(DeadlockError);
    } finally {
      t.p.dispose();
    }
  });

  it('without JSPI the same block returns nothing and blocks in Atomics.wait', () => {
    const t = provider(false);
    try {
      const pool = t.Pool.create('buffering-discard', 0, 4, 'p');
      const p = pool.subscribe();
      t.Device.open('c').start('p');
      pool.readFrames(10);
      const wait = vi.spyOn(Atomics, 'wait');
      expect(p.block()).toBeUndefined();
      expect(p.ready()).toBe(true);
      expect(wait).toHaveBeenCalled();
    } finally {
      t.p.dispose();
    }
  });
});
