import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/i2c/clock.js';
import { SimulatedBus } from '../../src/i2c/simulated.js';
import { Bme280, bme280Compensate, BME280_DEFAULT_CALIBRATION } from '../../src/i2c/devices/bme280.js';
import { At24c } from '../../src/i2c/devices/at24c.js';
import { Ads1115 } from '../../src/i2c/devices/ads1115.js';
import { I2cFailure } from '../../src/i2c/bus.js';

const w = (...b: number[]) => ({ write: Uint8Array.from(b) });
const r = (n: number) => ({ read: n });

function setup() {
  const clock = new VirtualClock();
  const bus = new SimulatedBus({ clock });
  return { clock, bus };
}

/** The datasheet's 32-bit integer temperature compensation (§8.2), as a C driver does it. */
function intTemperature(adcT: number, T1: number, T2: number, T3: number): number {
  const var1 = (((adcT >> 3) - (T1 << 1)) * T2) >> 11;
  const var2 = (((((adcT >> 4) - T1) * ((adcT >> 4) - T1)) >> 12) * T3) >> 14;
  return ((var1 + var2) * 5 + 128) >> 8; // 0.01 °C
}

describe('BME280', () => {
  function readAll(bus: SimulatedBus) {
    const [calib] = bus.transfer(0x76, [w(0x88), r(26)]);
    const [data] = bus.transfer(0x76, [w(0xf7), r(8)]);
    const c = (i: number) => calib![i]! | (calib![i + 1]! << 8);
    const s = (i: number) => (c(i) << 16) >> 16;
    const adcP = (data![0]! << 12) | (data![1]! << 4) | (data![2]! >> 4);
    const adcT = (data![3]! << 12) | (data![4]! << 4) | (data![5]! >> 4);
    const adcH = (data![6]! << 8) | data![7]!;
    return { T1: c(0), T2: s(2), T3: s(4), adcT, adcP, adcH };
  }

  it('answers chip id 0x60 and the calibration words of the part', () => {
    const { bus } = setup();
    bus.attach(0x76, new Bme280());
    expect([...bus.transfer(0x76, [w(0xd0), r(1)])[0]!]).toEqual([0x60]);
    const got = readAll(bus);
    expect([got.T1, got.T2, got.T3]).toEqual([27504, 26435, -1000]);
  });

  it('reads 0x80000 (skipped) before any measurement, then the set values after a forced measurement', () => {
    const { bus, clock } = setup();
    const bme = bus.attach(0x76, new Bme280({ clock, temperature: 23.45, pressure: 98765, humidity: 40 }));
    expect(readAll(bus).adcT).toBe(0x80000);
    bus.transfer(0x76, [w(0xf2, 0x01, 0xf4, 0b101_101_01)]); // osrs_h x1; osrs_t x16, osrs_p x16, forced
    expect(bus.transfer(0x76, [w(0xf3), r(1)])[0]![0]! & 0x08).toBe(0x08); // measuring
    clock.advance(100);
    expect(bus.transfer(0x76, [w(0xf3), r(1)])[0]![0]! & 0x08).toBe(0);
    const got = readAll(bus);
    const env = bme280Compensate(BME280_DEFAULT_CALIBRATION, got.adcT, got.adcP, got.adcH);
    expect(env.temperature).toBeCloseTo(23.45, 1);
    expect(env.pressure).toBeCloseTo(98765, -1);
    expect(env.humidity).toBeCloseTo(40, 0);
    expect(intTemperature(got.adcT, got.T1, got.T2, got.T3) / 100).toBeCloseTo(23.45, 1);
    // A value set from outside shows in the next measurement (normal mode: always fresh).
    bme.environment.temperature = -5.5;
    bus.transfer(0x76, [w(0xf4, 0b101_101_11)]);
    expect(intTemperature(readAll(bus).adcT, 27504, 26435, -1000) / 100).toBeCloseTo(-5.5, 1);
  });

  it('soft reset restores sleep mode and the skipped output', () => {
    const { bus } = setup();
    bus.attach(0x76, new Bme280());
    bus.transfer(0x76, [w(0xf4, 0x27)]);
    expect(readAll(bus).adcT).not.toBe(0x80000);
    bus.transfer(0x76, [w(0xe0, 0xb6)]);
    expect([...bus.transfer(0x76, [w(0xf4), r(1)])[0]!]).toEqual([0]);
    expect(readAll(bus).adcT).toBe(0x80000);
  });
});

describe('AT24C EEPROM', () => {
  it('page write wraps inside the page; STOP starts tWR during which the address is NACKed', () => {
    const { bus, clock } = setup();
    const e = bus.attach(0x50, new At24c({ clock, variant: 'at24c02' })); // 8-byte pages
    bus.transfer(0x50, [w(0x06, 1, 2, 3, 4)]); // 0x06, 0x07, then wraps to 0x00, 0x01
    expect(() => bus.transfer(0x50, [w(0x00), r(1)])).toThrow(I2cFailure);
    expect(bus.log.at(-1)!.error).toBe('nack-address');
    clock.advance(5);
    expect([...bus.transfer(0x50, [w(0x00), r(8)])[0]!]).toEqual([3, 4, 255, 255, 255, 255, 1, 2]);
    expect(e.writeCycles).toBe(1);
  });

  it('random read does not program; current-address read continues; sequential read rolls over the end', () => {
    const { bus, clock } = setup();
    const e = bus.attach(0x50, new At24c({ clock, variant: 'at24c32' }));
    e.memory.set([9, 8, 7], 4093);
    expect([...bus.transfer(0x50, [w(0x0f, 0xfe), r(3)])[0]!]).toEqual([8, 7, 255]);
    expect(e.writeCycles).toBe(0);
    e.memory[1] = 0x11;
    expect([...bus.transfer(0x50, [r(1)])[0]!]).toEqual([0x11]); // counter was at 1 after roll-over
    bus.transfer(0x50, [w(0x0f, 0xfe)]); // address only, then STOP: a dummy write
    expect(e.busy).toBe(false);
    expect([...bus.transfer(0x50, [r(2)])[0]!]).toEqual([8, 7]);
  });

  it('two-byte word address selects 4 KB; a page write of 33 bytes on a 32-byte page overwrites its start', () => {
    const { bus, clock } = setup();
    const e = bus.attach(0x50, new At24c({ clock }));
    const data = Array.from({ length: 33 }, (_, i) => i + 1);
    bus.transfer(0x50, [w(0x01, 0x00, ...data)]);
    clock.advance(5);
    expect(e.memory[0x100]).toBe(33);
    expect(e.memory[0x101]).toBe(2);
    expect(e.memory[0x11f]).toBe(32);
  });

  it('a repeated START after data bytes programs nothing (only STOP starts the write)', () => {
    const { bus, clock } = setup();
    const e = bus.attach(0x50, new At24c({ clock }));
    bus.transfer(0x50, [w(0, 0, 0x55), r(1)]);
    expect(e.memory[0]).toBe(0xff);
    expect(e.writeCycles).toBe(0);
  });
});

describe('ADS1115', () => {
  it('single-shot conversion of AIN1 at ±4.096 V: OS=0 while converting, then the code', () => {
    const { bus, clock } = setup();
    const adc = bus.attach(0x48, new Ads1115({ clock, inputs: [0, 1.0, 0, 0] }));
    // OS=1, MUX=101 (AIN1-GND), PGA=001 (±4.096), MODE=1, DR=100 (128 SPS), comparator off
    const config = (1 << 15) | (0b101 << 12) | (0b001 << 9) | (1 << 8) | (0b100 << 5) | 0b11;
    bus.transfer(0x48, [w(1, config >> 8, config & 0xff)]);
    expect(bus.transfer(0x48, [w(1), r(2)])[0]![0]! & 0x80).toBe(0);
    clock.advance(10);
    expect(bus.transfer(0x48, [w(1), r(2)])[0]![0]! & 0x80).toBe(0x80);
    const [c] = bus.transfer(0x48, [w(0), r(2)]);
    expect(((c![0]! << 8) | c![1]!) << 16 >> 16).toBe(Math.round((1.0 / 4.096) * 32768));
    adc.inputs[1] = 9; // saturates
    bus.transfer(0x48, [w(1, (config >> 8) | 0x80, config & 0xff)]);
    clock.advance(10);
    const [s] = bus.transfer(0x48, [w(0), r(2)]);
    expect((s![0]! << 8) | s![1]!).toBe(0x7fff);
  });

  it('NACKs a pointer byte above 3; differential default reads negative codes', () => {
    const { bus } = setup();
    bus.attach(0x48, new Ads1115({ inputs: [0.5, 1.0] }));
    expect(() => bus.transfer(0x48, [w(4)])).toThrow(/data byte 0/);
    bus.transfer(0x48, [w(1, 0x04, 0x83)]); // continuous, AIN0-AIN1, ±2.048
    const [c] = bus.transfer(0x48, [w(0), r(2)]);
    expect((((c![0]! << 8) | c![1]!) << 16) >> 16).toBe(Math.round((-0.5 / 2.048) * 32768));
  });
});

describe('SimulatedBus', () => {
  it('slow device: the transfer takes the delay on the bus clock and succeeds', () => {
    const { bus, clock } = setup();
    bus.attach(0x76, new Bme280({ clock }));
    bus.inject({ kind: 'slow', delayMs: 250, address: 0x76 });
    const t0 = clock.now();
    expect([...bus.transfer(0x76, [w(0xd0), r(1)])[0]!]).toEqual([0x60]);
    expect(clock.now() - t0).toBe(250);
    expect(bus.log.at(-1)!.at).toBe(t0);
  });

  it('faults are counted and address-filtered; the log is bounded', () => {
    const clock = new VirtualClock();
    const bus = new SimulatedBus({ clock, logLimit: 3 });
    bus.attach(0x76, new Bme280({ clock }));
    bus.attach(0x50, new At24c({ clock }));
    bus.inject({ kind: 'nack-address', address: 0x50, count: 2 });
    bus.transfer(0x76, [w(0xd0), r(1)]);
    expect(() => bus.transfer(0x50, [r(1)])).toThrow(/address byte/);
    expect(() => bus.transfer(0x50, [r(1)])).toThrow(/address byte/);
    bus.transfer(0x50, [r(1)]);
    expect(bus.log).toHaveLength(3);
    expect(bus.log.map((e) => e.error)).toEqual(['nack-address', 'nack-address', undefined]);
  });

  it('refuses to attach two chips at one address or a chip at an 8-bit address', () => {
    const { bus } = setup();
    bus.attach(0x50, new At24c());
    expect(() => bus.attach(0x50, new At24c())).toThrow(/already/);
    expect(() => bus.attach(0x80, new At24c())).toThrow(RangeError);
    expect(bus.detach(0x50)).toBe(true);
    expect(bus.entries()).toEqual([]);
  });

  it('a closed bus refuses transfers', () => {
    const { bus } = setup();
    bus.close();
    expect(() => bus.transfer(0x50, [r(1)])).toThrow(/closed/);
  });
});

describe('RegisterDevice (the helper for embedders\' own chips)', () => {
  it('pointer byte, auto-increment on write and read, NACK from writeRegister', async () => {
    const { RegisterDevice } = await import('../../src/i2c/devices/device.js');
    class Ram extends RegisterDevice {
      readonly chip = 'ram';
      regs = new Uint8Array(256);
      protected readRegister(r: number) { return this.regs[r]!; }
      protected writeRegister(r: number, v: number) { if (r === 0xff) return false; this.regs[r] = v; return true; }
    }
    const { bus } = setup();
    const ram = bus.attach(0x20, new Ram());
    bus.transfer(0x20, [w(0x10, 1, 2, 3)]);
    expect([...ram.regs.subarray(0x10, 0x13)]).toEqual([1, 2, 3]);
    expect([...bus.transfer(0x20, [w(0x11), r(2)])[0]!]).toEqual([2, 3]);
    expect([...bus.transfer(0x20, [r(1)])[0]!]).toEqual([0]); // pointer continued to 0x13
    expect(() => bus.transfer(0x20, [w(0xfe, 9, 9)])).toThrow(/data byte 2/);
  });
});
