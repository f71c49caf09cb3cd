/**
 * Isolation (issue 11 §2): two component instances in one host process sharing one simulated I2C
 * bus. Guests run synchronously on one thread, so two instances interleave only between import
 * calls: a transaction is atomic on the bus when it reaches the bus as ONE `Bus.transfer` with all
 * its segments. The recording bus below fails the test if a transaction arrives split, nested
 * (a transfer starting while another is in flight), or touches an address the calling instance
 * was not granted; alternating calls from both instances on the same EEPROM would read wrong
 * bytes if the write of the address and the read were separate transfers.
 */
import { describe, expect, it } from 'vitest';
import type { Bus, Segment } from '../../src/i2c/bus.js';
import { SimulatedBus } from '../../src/i2c/simulated.js';
import { VirtualClock } from '../../src/i2c/clock.js';
import { Bme280 } from '../../src/i2c/devices/bme280.js';
import { At24c } from '../../src/i2c/devices/at24c.js';
import { BLAZEFACE_PATH } from '../../src/nn/config.js';
import { runGuest } from '../helpers/run-guest.js';
import { codeOf, host, witError } from './helpers.js';

interface Transfer { who: string; address: number; segments: number }

/** A Bus in front of the shared simulated bus: logs each transfer per instance and catches nesting. */
function recordingBus(inner: Bus, who: () => string, log: Transfer[]): Bus {
  let inFlight = false;
  return {
    capabilities: inner.capabilities,
    transfer(address: number, segments: readonly Segment[], options) {
      if (inFlight) throw new Error('a transfer started while another was in flight');
      inFlight = true;
      try {
        log.push({ who: who(), address, segments: segments.length });
        return inner.transfer(address, segments, options);
      } finally {
        inFlight = false;
      }
    },
    close() {
      // Shared: neither instance may close it (custom buses are not owned by the provider).
      throw new Error('an instance closed the shared bus');
    },
  };
}

function sharedBus(realTime = false) {
  // Guests wait for conversions with wasi:i2c delay (real time): their bus runs on the real clock.
  const clock = realTime ? undefined : new VirtualClock();
  const sim = new SimulatedBus(clock ? { clock } : {});
  sim.attach(0x76, new Bme280({ clock }));
  const eeprom = sim.attach(0x50, new At24c({ clock, variant: 'at24c32', writeCycleMs: 0 }));
  return { sim, eeprom, clock };
}

describe('two instances on one shared I2C bus', () => {
  it('alternating transactions arrive whole, unnested, and each instance reads its own bytes', () => {
    const { sim } = sharedBus();
    const log: Transfer[] = [];
    let current = '';
    const bus = recordingBus(sim, () => current, log);
    const a = host({ i2c: { buses: { shared: { kind: 'custom', bus, addresses: [0x50] } } } });
    const b = host({ i2c: { buses: { shared: { kind: 'custom', bus, addresses: [0x50, 0x76] } } } });
    const ia = a.api('wasi-edge:host/access').openI2c('shared');
    const ib = b.api('wasi-edge:host/access').openI2c('shared');
    // Each instance writes its own page of the EEPROM, then both read theirs back, alternating.
    current = 'a';
    ia.write(0x50, Uint8Array.from([0x00, 0x00, ...Array.from({ length: 16 }, (_, i) => 0xa0 + i)]));
    current = 'b';
    ib.write(0x50, Uint8Array.from([0x01, 0x00, ...Array.from({ length: 16 }, (_, i) => 0xb0 + i)]));
    for (let round = 0; round < 200; round++) {
      const offset = round % 16;
      current = 'a';
      const ra = ia.writeRead(0x50, Uint8Array.from([0x00, offset]), 1n);
      current = 'b';
      const rb = ib.transaction(0x50, [{ tag: 'write', val: Uint8Array.from([0x01, offset]) }, { tag: 'read', val: 1n }]);
      current = 'b';
      ib.read(0x76, 1n); // moves nothing of the EEPROM, but is another instance's operation in between
      expect(ra[0]).toBe(0xa0 + offset);
      expect(rb[0]![0]).toBe(0xb0 + offset);
    }
    // One transfer per call, with every segment of the call.
    const aTransfers = log.filter((t) => t.who === 'a');
    expect(aTransfers.length).toBe(201);
    expect(aTransfers.slice(1).every((t) => t.segments === 2 && t.address === 0x50)).toBe(true);
    expect(log.filter((t) => t.who === 'b' && t.address === 0x50).every((t) => t.segments >= 1)).toBe(true);
    // Grants: A never reached 0x76, and asking is refused before the bus is touched.
    expect(log.some((t) => t.who === 'a' && t.address !== 0x50)).toBe(false);
    current = 'a';
    const before = log.length;
    expect(codeOf(witError(() => ia.read(0x76, 1n)))).toBe('other');
    expect(log.length).toBe(before);
    a.dispose();
    b.dispose();
  });

  it('each instance sees only its own buses, devices and models', () => {
    const { sim } = sharedBus();
    const a = host({
      i2c: { buses: { shared: { kind: 'custom', bus: sim, addresses: [0x50] } } },
      nn: { models: { faces: BLAZEFACE_PATH } },
      sensor: { devices: { 'cam:a': { kind: 'test-pattern' }, 'cam:b': { kind: 'test-pattern', granted: false } } },
    });
    const b = host({
      i2c: { buses: { shared: { kind: 'custom', bus: sim, addresses: [0x76] }, mine: { kind: 'simulated' } }, allow: ['mine'] },
      nn: { models: {} },
      sensor: { devices: { 'cam:b': { kind: 'test-pattern' } } },
    });
    expect(a.api('wasi-edge:host/access').listI2cBuses()).toEqual(['shared']);
    expect(b.api('wasi-edge:host/access').listI2cBuses()).toEqual(['mine']);
    expect(codeOf(witError(() => b.api('wasi-edge:host/access').openI2c('shared')))).toBe('permission-denied');
    expect(a.api('wasi:nn/graph').loadByName('faces')).toBeTruthy();
    expect(codeOf(witError(() => b.api('wasi:nn/graph').loadByName('faces')))).toBe('not-found');
    const { Device: DevA } = a.api('wasi:sensor/sensor');
    const { Device: DevB } = b.api('wasi:sensor/sensor');
    expect(witError(() => DevA.open('cam:b'))).toBe('permission-denied');
    expect(witError(() => DevB.open('cam:a'))).toBe('not-found');
    expect(DevB.open('cam:b')).toBeTruthy();
    a.dispose();
    b.dispose();
  });

  it('tearing one instance down releases what it held and leaves the other working', () => {
    const { sim } = sharedBus();
    const make = () =>
      host({
        i2c: { buses: { shared: { kind: 'custom', bus: sim } } },
        sensor: { clock: 'virtual', devices: { cam: { kind: 'test-pattern', width: 64, height: 48 } } },
      });
    const a = make();
    const b = make();
    const grab = (h: ReturnType<typeof make>) => {
      const dev = h.api('wasi:sensor/sensor').Device.open('cam');
      const pool = h.api('wasi:buffer-pool/buffer-pool').Pool.create('buffering-overwrite', 64 * 48 * 3, 2, 'p');
      dev.start('p');
      const graph = h.api('wasi:nn/graph').loadByName('blazeface');
      const i2c = h.api('wasi-edge:host/access').openI2c('shared');
      const image = h.api('wasi:vision/image').Image.fromPixels({ width: 2, height: 2, pixelFormat: 'rgb24', planes: [] }, new Uint8Array(12));
      return { dev, pool, graph, i2c, image };
    };
    const ha = grab(a);
    const hb = grab(b);
    a.dispose();
    // Everything A held is gone: its handles answer with errors, never with its old resources.
    expect(codeOf(witError(() => ha.i2c.read(0x76, 1n)))).toBe('other');
    let leftover: unknown[] = [];
    try {
      leftover = ha.pool.readFrames(1);
    } catch {
      /* an error is as good: the pool is gone */
    }
    expect(leftover).toEqual([]);
    expect(codeOf(witError(() => ha.graph.initExecutionContext()))).toBe('runtime-error');
    // B still works on the same bus, camera kind and model.
    expect(hb.i2c.read(0x76, 1n)).toHaveLength(1);
    const frames = hb.pool.readFrames(1);
    expect(frames.length).toBeLessThanOrEqual(1);
    expect(hb.graph.initExecutionContext()).toBeTruthy();
    expect(hb.image.width()).toBe(2);
    b.dispose();
  });

  it('a component instance that traps leaves another instance on the shared bus working', async () => {
    const { sim } = sharedBus(true);
    const config = { i2c: { buses: { 'i2c-sim0': { kind: 'custom', bus: sim } } } };
    const trapped = await runGuest('trap', config);
    expect(trapped.code).toBe(2);
    const fuzzed = await runGuest('fuzz', { ...config, wasi: { args: ['fuzz', '7', '2000', 'i2c'] } });
    expect(fuzzed.code, fuzzed.stderr).toBe(0);
    const ok = await runGuest('i2c_bme280', { ...config, wasi: { args: ['i2c_bme280', 'i2c-sim0', '2'] } });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/\d/);
  }, 60_000);
});
