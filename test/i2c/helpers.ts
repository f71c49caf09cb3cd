import { WitError } from '../../src/core/wit-error.js';
import { parseI2cConfig } from '../../src/i2c/config.js';
import { createI2cProvider, type I2cHandle, type I2cProvider } from '../../src/i2c/provider.js';
import { SimulatedBus } from '../../src/i2c/simulated.js';
import { VirtualClock } from '../../src/i2c/clock.js';
import { Bme280 } from '../../src/i2c/devices/bme280.js';
import { At24c } from '../../src/i2c/devices/at24c.js';
import { Ads1115 } from '../../src/i2c/devices/ads1115.js';

export interface Rig {
  clock: VirtualClock;
  bus: SimulatedBus;
  bme: Bme280;
  eeprom: At24c;
  adc: Ads1115;
  provider: I2cProvider;
  access: { listI2cBuses(): string[]; openI2c(name: string): I2cHandle; getDelay(): { delayNs(ns: number): void } };
  i2c: I2cHandle;
}

/** A provider over one custom simulated bus "b" with the three chips on a virtual clock. */
export function rig(busExtra: Record<string, unknown> = {}, top: Record<string, unknown> = {}): Rig {
  const clock = new VirtualClock();
  const bus = new SimulatedBus({ clock });
  const bme = bus.attach(0x76, new Bme280({ clock }));
  const eeprom = bus.attach(0x50, new At24c({ clock, variant: 'at24c32' }));
  const adc = bus.attach(0x48, new Ads1115({ clock, inputs: [1, 0.5, 2, 0] }));
  const config = parseI2cConfig({ buses: { b: { kind: 'custom', bus, ...busExtra } }, ...top }, 'i2c');
  const provider = createI2cProvider(config);
  const access = provider.imports['wasi-edge:host/access'] as unknown as Rig['access'];
  const i2c = access.openI2c('b');
  return { clock, bus, bme, eeprom, adc, provider, access, i2c };
}

/** The WIT error payload a call throws (fails the test if it returns or throws anything else). */
export function witErr(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    if (e instanceof WitError) return e.payload;
    throw new Error(`expected a WitError, got ${String(e)}`);
  }
  throw new Error('expected a WitError, but the call returned');
}
