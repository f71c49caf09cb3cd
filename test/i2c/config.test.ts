import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/validate.js';
import { parseConfig } from '../../src/host/config.js';
import { i2cDefinition } from '../../src/i2c/definition.js';
import { spiDefinition } from '../../src/spi/definition.js';
import { SimulatedBus } from '../../src/i2c/simulated.js';

const i2c = (raw: unknown) => i2cDefinition.parseConfig(raw, 'i2c', '/');
const spi = (raw: unknown) => spiDefinition.parseConfig(raw, 'spi', '/');

describe('i2c config', () => {
  it('errors name the field', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ buses: { a: { kind: 'usb' } } }, /i2c\.buses\.a\.kind/],
      [{ buses: { a: { kind: 'simulated', devices: [{ chip: 'bme280', address: 0x80 }] } } }, /i2c\.buses\.a\.devices\[0\]\.address/],
      [{ buses: { a: { kind: 'simulated', devices: [{ chip: 'at24c', address: 0x50 }, { chip: 'bme280', address: 0x50 }] } } }, /devices\[1\]\.address/],
      [{ buses: { a: { kind: 'simulated', devices: [{ chip: 'at24c', address: 0x50, variant: 'at24c99' }] } } }, /variant/],
      [{ buses: { a: { kind: 'linux' } } }, /i2c\.buses\.a\.device/],
      [{ buses: { a: { kind: 'simulated', addresses: [0x80] } } }, /addresses\[0\]/],
      [{ buses: { a: { kind: 'simulated', limits: { maxRead: 70000 } } } }, /limits\.maxRead/],
      [{ buses: { a: { kind: 'simulated', faults: [{ kind: 'slow' }] } } }, /faults\[0\]\.delayMs/],
      [{ buses: { a: { kind: 'custom', bus: {} } } }, /i2c\.buses\.a\.bus/],
      [{ buses: { a: { kind: 'simulated', tenbit: true } } }, /did you mean "tenBit"/],
      [{ allow: [1] }, /i2c\.allow\[0\]/],
    ];
    for (const [raw, re] of cases) {
      expect(() => i2c(raw)).toThrow(ConfigError);
      expect(() => i2c(raw)).toThrow(re);
    }
  });

  it('parses every bus kind; 10-bit buses accept 10-bit device addresses; defaults fill in', () => {
    const bus = new SimulatedBus();
    const c = i2c({
      buses: {
        sim: { kind: 'simulated', tenBit: true, smbusOnly: true, devices: [{ chip: 'ads1115', address: 0x2a0, inputs: [1] }], faults: [{ kind: 'nack-data', afterBytes: 2 }] },
        hw: { kind: 'linux', device: '/dev/i2c-1', addresses: [0x48] },
        mine: { kind: 'custom', bus },
      },
      allow: ['sim'],
    });
    expect(c.buses.sim).toMatchObject({ tenBit: true, smbusOnly: true, limits: { maxRead: 4096, maxOperations: 42 } });
    expect(c.buses.hw).toMatchObject({ kind: 'linux', device: '/dev/i2c-1', addresses: [0x48] });
    expect(c.buses.mine).toMatchObject({ kind: 'custom', bus });
    expect(i2cDefinition.describe(c).join('\n')).toMatch(/"hw": linux \/dev\/i2c-1; addresses 0x48.*NOT granted/);
    expect(i2c({}).buses['i2c-sim0']).toBeDefined();
  });

  it('the whole-host parser takes i2c and spi sections', () => {
    const c = parseConfig({ i2c: { buses: { x: { kind: 'simulated' } } }, spi: { devices: { f: { kind: 'simulated', chip: 'spi-nor' } } } });
    expect(Object.keys(c.i2c.buses)).toEqual(['x']);
    expect(Object.keys(c.spi.devices)).toEqual(['f']);
    expect(i2cDefinition.describe(i2cDefinition.defaultConfig()).join('\n')).toMatch(/0x76 bme280[\s\S]*0x50 at24c \(at24c32\)[\s\S]*0x48 ads1115/);
  });
});

describe('spi config', () => {
  it('errors name the field', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ devices: { f: { kind: 'simulated', chip: 'eeprom' } } }, /spi\.devices\.f\.chip/],
      [{ devices: { f: { kind: 'simulated', chip: 'spi-nor', size: 5000 } } }, /spi\.devices\.f\.size/],
      [{ devices: { f: { kind: 'simulated', chip: 'spi-nor', jedecId: [1, 2] } } }, /jedecId/],
      [{ devices: { f: { kind: 'simulated', chip: 'mcp3008', inputs: new Array(9).fill(0) } } }, /inputs/],
      [{ devices: { f: { kind: 'linux' } } }, /spi\.devices\.f\.device/],
      [{ devices: { f: { kind: 'custom', device: 3 } } }, /spi\.devices\.f\.device/],
      [{ devices: { f: { kind: 'simulated', chip: 'spi-nor', limits: { maxOperations: 0 } } } }, /limits\.maxOperations/],
    ];
    for (const [raw, re] of cases) expect(() => spi(raw)).toThrow(re);
  });

  it('describes devices', () => {
    const c = spi({ devices: { a: { kind: 'linux', device: '/dev/spidev0.0', maxMessageBytes: 8192 } }, allow: [] });
    expect(spiDefinition.describe(c)).toEqual(['spi device "a": linux /dev/spidev0.0 (max 8192 B/message); max 65536 B per call; NOT granted']);
    expect(spiDefinition.describe(spiDefinition.defaultConfig()).join('\n')).toMatch(/spi-flash0.*spi-nor[\s\S]*spi-adc0.*mcp3008/);
  });
});
