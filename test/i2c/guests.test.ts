// Component tests: the C guests run through jco (runGuest) against simulated buses.
import { describe, expect, it } from 'vitest';
import { runGuest } from '../helpers/run-guest.js';
import { SimulatedBus } from '../../src/i2c/simulated.js';
import { Bme280 } from '../../src/i2c/devices/bme280.js';
import { At24c } from '../../src/i2c/devices/at24c.js';
import { VirtualClock } from '../../src/i2c/clock.js';
import type { Bus, Segment, TransferOptions } from '../../src/i2c/bus.js';

function num(re: RegExp, text: string): number {
  const m = re.exec(text);
  if (!m) throw new Error(`no match for ${re} in:\n${text}`);
  return Number(m[1]);
}

describe('C guests against the default simulated bus', () => {
  it('i2c_bme280 reads temperature, pressure and humidity in real units', async () => {
    const r = await runGuest('i2c_bme280');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^bme280 at 0x76 on i2c-sim0: dig_T1=27504/); // first line intact
    expect(num(/temperature (-?[\d.]+) C/, r.stdout)).toBeCloseTo(21.5, 1);
    expect(num(/pressure ([\d.]+) hPa/, r.stdout)).toBeCloseTo(1013.25, 0);
    expect(num(/humidity ([\d.]+) %RH/, r.stdout)).toBeCloseTo(45, 0);
  });

  it('i2c_eeprom does a page write, ACK-polls the write cycle and reads back in one transaction', async () => {
    const r = await runGuest('i2c_eeprom');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^eeprom: wrote 16 bytes at 0x0100 \(transaction returned 0 results\)/);
    expect(r.stdout).toMatch(/write cycle done after \d+ busy poll/); // real clock: the count depends on the machine
    expect(r.stdout).toContain('read back 16 bytes in 2 parts: a0 a3 a6 a9');
    expect(r.stdout).toContain('eeprom round trip: match');
  });

  it('i2c_nack meets and handles NACKs, a refused address and a missing bus', async () => {
    // The EEPROM's 5 ms write cycle on a clock that moves 1 ms each time the chip reads it, not on
    // the wall clock: a stall between the guest's write and its next read (GC, a loaded machine)
    // cannot let the cycle end unseen, so "read right after a write" is a NACK every time.
    let t = 0;
    const steps = { now: () => ++t, sleep: () => {} };
    const bus = new SimulatedBus();
    bus.attach(0x76, new Bme280({}));
    bus.attach(0x50, new At24c({ variant: 'at24c32', clock: steps }));
    const r = await runGuest('i2c_nack', { i2c: { buses: { 'i2c-sim0': { kind: 'custom', bus } } } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^open-i2c\(no-such-bus\): not-found/);
    expect(r.stdout).toContain('read 0x13: no-acknowledge(address)');
    expect(r.stdout).toContain('read 0x80: other');
    expect(r.stdout).toContain('eeprom read right after a write: no-acknowledge(address)');
    expect(r.stdout).toContain('eeprom read after');
    expect(r.stdout).toContain('handled 4 errors');
  });
});

describe('C guests against buses a test scripts', () => {
  it('a temperature changed from outside while the guest runs shows in its next readings', async () => {
    const bus = new SimulatedBus();
    const bme = bus.attach(0x76, new Bme280({ temperature: 20 }));
    // Each forced measurement is triggered by a write to 0xF4; raise the temperature by 5 °C after each.
    const scripted: Bus = {
      capabilities: bus.capabilities,
      transfer(address: number, segments: readonly Segment[], options?: TransferOptions) {
        const out = bus.transfer(address, segments, options);
        const first = segments[0];
        if (first && 'write' in first && first.write[0] === 0xf7) bme.environment.temperature += 5;
        return out;
      },
      close() {},
    };
    const r = await runGuest('i2c_bme280', { i2c: { buses: { lab: { kind: 'custom', bus: scripted } } }, wasi: { args: ['bme', 'lab', '3'] } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const temps = [...r.stdout.matchAll(/temperature (-?[\d.]+) C/g)].map((m) => Number(m[1]));
    expect(temps).toHaveLength(3);
    temps.forEach((t, i) => expect(t).toBeCloseTo(20 + 5 * i, 1));
    // The transaction log shows the guest's driver: chip id, reset, calibration, then measurements.
    expect([...bus.log[0]!.segments[0]!.write!]).toEqual([0xd0]);
    expect(bus.log.some((e) => e.segments[0]?.write?.[0] === 0xe0 && e.segments[0]?.write?.[1] === 0xb6)).toBe(true);
  });

  it('a guest on a bus with an absent sensor reports the NACK and exits non-zero', async () => {
    const r = await runGuest('i2c_bme280', { i2c: { buses: { empty: { kind: 'simulated', devices: [] } } }, wasi: { args: ['bme', 'empty'] } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error: reading register 0xd0: no-acknowledge(address)');
  });

  it('the EEPROM guest on a 10-bit bus with an AT24C at 0x2a0', async () => {
    const bus = new SimulatedBus();
    const eeprom = bus.attach(0x2a0, new At24c({ variant: 'at24c32' }), { tenBit: true });
    const r = await runGuest('i2c_eeprom', { i2c: { buses: { ten: { kind: 'custom', bus, tenBit: true } } }, wasi: { args: ['e', 'ten', '0x2a0'] } });
    expect(r.code, r.stdout).toBe(0);
    expect(eeprom.memory[0x100]).toBe(0xa0);
    expect(bus.log.every((e) => e.tenBit)).toBe(true);
  });

  it('ACK polling on bus time: with 1 ms per transfer, a 5 ms write cycle NACKs exactly 4 polls', async () => {
    const clock = new VirtualClock();
    const bus = new SimulatedBus({ clock });
    bus.attach(0x50, new At24c({ clock, writeCycleMs: 5 }));
    const ticking: Bus = {
      capabilities: bus.capabilities,
      transfer(address: number, segments: readonly Segment[], options?: TransferOptions) {
        try {
          return bus.transfer(address, segments, options);
        } finally {
          clock.advance(1);
        }
      },
      close() {},
    };
    const r = await runGuest('i2c_eeprom', { i2c: { buses: { b: { kind: 'custom', bus: ticking } } }, wasi: { args: ['e', 'b'] } });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('write cycle done after 4 busy polls');
    expect(bus.log.map((e) => e.error ?? 'ok')).toEqual(['ok', 'nack-address', 'nack-address', 'nack-address', 'nack-address', 'ok', 'ok']);
  });

  it('an EEPROM write-protected by its WP pin gives the guest no-acknowledge(data)', async () => {
    const bus = new SimulatedBus();
    bus.attach(0x50, new At24c()).writeProtect = true;
    const r = await runGuest('i2c_eeprom', { i2c: { buses: { b: { kind: 'custom', bus } } }, wasi: { args: ['e', 'b'] } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error: page write: no-acknowledge(data)');
  });
});
