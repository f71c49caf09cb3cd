import { describe, expect, it } from 'vitest';
import { WitError } from '../../src/core/wit-error.js';
import { parseI2cConfig, defaultI2cConfig } from '../../src/i2c/config.js';
import { createI2cProvider, DelayHandle, I2cHandle } from '../../src/i2c/provider.js';
import { I2cFailure, type Bus } from '../../src/i2c/bus.js';
import { rig, witErr } from './helpers.js';

const w = (...b: number[]) => Uint8Array.from(b);

describe('wasi:i2c provider: operations', () => {
  it('write-read reads the BME280 chip id with a repeated START (one log entry, no STOP between)', () => {
    const { i2c, bus } = rig();
    expect([...i2c.writeRead(0x76, w(0xd0), 1n)]).toEqual([0x60]);
    expect(bus.log).toHaveLength(1);
    expect(bus.log[0]!.segments.map((s) => Object.keys(s)[0])).toEqual(['write', 'read']);
  });

  it('write then read are two transactions; read continues from the register pointer', () => {
    const { i2c, bus } = rig();
    i2c.write(0x76, w(0x88));
    const calib = i2c.read(0x76, 2n);
    expect(calib[0]! | (calib[1]! << 8)).toBe(27504); // dig_T1
    expect(bus.log).toHaveLength(2);
  });

  it('transaction returns one entry per read operation, in order, and goes out as one transfer', () => {
    const { i2c, bus, eeprom } = rig();
    eeprom.memory.set([1, 2, 3, 4], 0x100);
    const out = i2c.transaction(0x50, [
      { tag: 'write', val: w(0x01, 0x00) },
      { tag: 'read', val: 2n },
      { tag: 'read', val: 0n },
      { tag: 'read', val: 2n },
    ]);
    expect(out.map((b) => [...b])).toEqual([[1, 2], [], [3, 4]]);
    expect(bus.log).toHaveLength(1);
  });

  it('an empty transaction returns [] and touches no bus', () => {
    const { i2c, bus } = rig();
    expect(i2c.transaction(0x50, [])).toEqual([]);
    expect(bus.log).toHaveLength(0);
  });

  it('delay-ns blocks without error and never throws for 0', () => {
    const { access } = rig();
    const d = access.getDelay();
    const t0 = performance.now();
    d.delayNs(2_000_000);
    d.delayNs(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1.5);
  });
});

describe('wasi:i2c provider: every error code', () => {
  it('no-acknowledge(address) for an absent chip', () => {
    const { i2c } = rig();
    expect(witErr(() => i2c.read(0x10, 1n))).toEqual({ tag: 'no-acknowledge', val: 'address' });
  });

  it('no-acknowledge(address) while the EEPROM is in its write cycle, ok after tWR', () => {
    const { i2c, clock } = rig();
    i2c.write(0x50, w(0, 0, 42));
    expect(witErr(() => i2c.writeRead(0x50, w(0, 0), 1n))).toEqual({ tag: 'no-acknowledge', val: 'address' });
    clock.advance(5);
    expect([...i2c.writeRead(0x50, w(0, 0), 1n)]).toEqual([42]);
  });

  it('no-acknowledge(data) for a data byte the chip refuses (write-protected EEPROM) and a scripted one', () => {
    const { i2c, eeprom, bus } = rig();
    eeprom.writeProtect = true;
    expect(witErr(() => i2c.write(0x50, w(0, 0, 1)))).toEqual({ tag: 'no-acknowledge', val: 'data' });
    eeprom.writeProtect = false;
    bus.inject({ kind: 'nack-data', address: 0x76, afterBytes: 1 });
    expect(witErr(() => i2c.write(0x76, w(0xf4, 0x27)))).toEqual({ tag: 'no-acknowledge', val: 'data' });
    expect([...bus.log.at(-1)!.segments[0]!.write!]).toEqual([0xf4, 0x27]);
  });

  it('no-acknowledge(unknown), arbitration-loss, bus (stuck), overrun', () => {
    const { i2c, bus } = rig();
    bus.inject({ kind: 'nack-unknown' });
    expect(witErr(() => i2c.read(0x76, 1n))).toEqual({ tag: 'no-acknowledge', val: 'unknown' });
    bus.inject({ kind: 'arbitration-loss', address: 0x76 });
    expect(witErr(() => i2c.read(0x76, 1n))).toEqual({ tag: 'arbitration-loss' });
    bus.inject({ kind: 'overrun' });
    expect(witErr(() => i2c.read(0x76, 4n))).toEqual({ tag: 'overrun' });
    bus.inject({ kind: 'stuck' });
    expect(witErr(() => i2c.read(0x76, 1n))).toEqual({ tag: 'bus' });
    expect(witErr(() => i2c.write(0x50, w(0)))).toEqual({ tag: 'bus' });
    bus.clearFaults();
    expect([...i2c.writeRead(0x76, w(0xd0), 1n)]).toEqual([0x60]);
  });

  it('other: 8-bit address on a 7-bit bus, address above 0x3ff, not granted, too long, 2^32 length', () => {
    const { i2c, bus } = rig({ addresses: [0x76, 0x50], limits: { maxRead: 16, maxTransactionBytes: 20, maxOperations: 3 } });
    expect(witErr(() => i2c.read(0x80, 1n))).toEqual({ tag: 'other' });
    expect(witErr(() => i2c.read(0x400, 1n))).toEqual({ tag: 'other' });
    expect(witErr(() => i2c.read(0x48, 1n))).toEqual({ tag: 'other' }); // present but not granted
    expect(witErr(() => i2c.read(0x76, 17n))).toEqual({ tag: 'other' });
    expect(witErr(() => i2c.read(0x76, 2n ** 32n))).toEqual({ tag: 'other' });
    expect(witErr(() => i2c.read(0x76, 2n ** 64n - 1n))).toEqual({ tag: 'other' });
    expect(witErr(() => i2c.writeRead(0x76, new Uint8Array(10), 16n))).toEqual({ tag: 'other' }); // 26 > 20 bytes
    const four = Array.from({ length: 4 }, () => ({ tag: 'read' as const, val: 1n }));
    expect(witErr(() => i2c.transaction(0x76, four))).toEqual({ tag: 'other' });
    expect(bus.log).toHaveLength(0); // refusals never reach the bus
  });

  it('other: a transfer an SMBus-only adapter cannot express is refused, not split', () => {
    const { i2c, bus } = rig();
    (bus.capabilities as { i2c: boolean }).i2c = false;
    expect(witErr(() => i2c.writeRead(0x50, w(0, 0), 4n))).toEqual({ tag: 'other' });
    expect(bus.log).toHaveLength(0);
    expect([...i2c.writeRead(0x76, w(0xd0), 1n)]).toEqual([0x60]); // SMBus read-byte: fine
  });

  it('10-bit bus: addresses up to 0x3ff reach 10-bit chips; above is refused', () => {
    const { i2c, bus, provider } = rig({ tenBit: true });
    const eeprom = bus.attach(0x2a0, new (bus.device(0x50)!.constructor as typeof import('../../src/i2c/devices/at24c.js').At24c)(), { tenBit: true });
    eeprom.memory[0] = 7;
    expect([...i2c.writeRead(0x2a0, w(0, 0), 1n)]).toEqual([7]);
    expect(bus.log.at(-1)!.tenBit).toBe(true);
    expect(witErr(() => i2c.read(0x400, 1n))).toEqual({ tag: 'other' });
    // 0x50 is a 7-bit chip: as a 10-bit address 0x050 nobody answers.
    expect(witErr(() => i2c.read(0x50, 1n))).toEqual({ tag: 'no-acknowledge', val: 'address' });
    provider.dispose();
  });

  it('a backend throwing a non-I2cFailure still gives the guest `other`', () => {
    const bad: Bus = { capabilities: { i2c: true, tenBit: false }, transfer() { throw new TypeError('boom'); }, close() {} };
    const p = createI2cProvider(parseI2cConfig({ buses: { x: { kind: 'custom', bus: bad } } }, 'i2c'));
    const access = p.imports['wasi-edge:host/access'] as { openI2c(n: string): I2cHandle };
    expect(witErr(() => access.openI2c('x').read(1, 1n))).toEqual({ tag: 'other' });
  });
});

describe('wasi-edge:host/access', () => {
  it('lists granted buses; not-found, permission-denied, unavailable', () => {
    const config = parseI2cConfig(
      {
        buses: {
          a: { kind: 'simulated', devices: [] },
          hidden: { kind: 'simulated' },
          hw: { kind: 'linux', device: '/dev/i2c-does-not-exist' },
        },
        allow: ['a', 'hw'],
      },
      'i2c',
    );
    const p = createI2cProvider(config);
    const access = p.imports['wasi-edge:host/access'] as { listI2cBuses(): string[]; openI2c(n: string): I2cHandle };
    expect(access.listI2cBuses()).toEqual(['a', 'hw']);
    expect(access.openI2c('a')).toBeInstanceOf(I2cHandle);
    expect(witErr(() => access.openI2c('nope'))).toEqual({ tag: 'not-found' });
    expect(witErr(() => access.openI2c('hidden'))).toEqual({ tag: 'permission-denied' });
    const unavailable = witErr(() => access.openI2c('hw')) as { tag: string; val: string };
    expect(unavailable.tag).toBe('unavailable');
    expect(unavailable.val).toMatch(/does not exist|koffi/);
    p.dispose();
  });

  it('each open returns a fresh handle; dispose is idempotent; a closed handle gives other', () => {
    const { access, i2c, provider } = rig();
    const second = access.openI2c('b');
    expect(second).not.toBe(i2c);
    i2c[Symbol.dispose]();
    i2c[Symbol.dispose]();
    expect(witErr(() => i2c.read(0x76, 1n))).toEqual({ tag: 'other' });
    expect([...second.writeRead(0x76, w(0xd0), 1n)]).toEqual([0x60]);
    provider.dispose();
    provider.dispose();
    expect(witErr(() => second.read(0x76, 1n))).toEqual({ tag: 'other' });
    expect(witErr(() => access.openI2c('b'))).toEqual({ tag: 'not-found' });
  });

  it('the default config has a simulated bus with a BME280, an AT24C32 and an ADS1115', () => {
    const p = createI2cProvider(defaultI2cConfig());
    const access = p.imports['wasi-edge:host/access'] as { listI2cBuses(): string[]; openI2c(n: string): I2cHandle };
    expect(access.listI2cBuses()).toEqual(['i2c-sim0']);
    const h = access.openI2c('i2c-sim0');
    expect([...h.writeRead(0x76, w(0xd0), 1n)]).toEqual([0x60]);
    expect(h.writeRead(0x50, w(0, 0), 4n)).toHaveLength(4);
    expect([...h.writeRead(0x48, w(1), 2n)]).toEqual([0x85, 0x83]);
    p.dispose();
  });

  it('imports are keyed by unversioned names with the classes jco expects', () => {
    const p = createI2cProvider(defaultI2cConfig());
    expect(Object.keys(p.imports).sort()).toEqual(['wasi-edge:host/access', 'wasi:i2c/delay', 'wasi:i2c/i2c']);
    expect(p.imports['wasi:i2c/i2c']!.I2c).toBe(I2cHandle);
    expect(p.imports['wasi:i2c/delay']!.Delay).toBe(DelayHandle);
    expect(new I2cHandle()).toBeInstanceOf(I2cHandle); // zero-argument constructor
    expect(witErr(() => new I2cHandle().read(0x76, 1n))).toEqual({ tag: 'other' });
  });
});

it('I2cFailure and WitError are distinct: the provider never lets an I2cFailure through', () => {
  const { i2c } = rig();
  try {
    i2c.read(0x11, 1n);
  } catch (e) {
    expect(e).toBeInstanceOf(WitError);
    expect(e).not.toBeInstanceOf(I2cFailure);
  }
  expect.assertions(2);
});
