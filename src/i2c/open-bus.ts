/**
 * Builds the backend a bus configuration names. The provider calls this on the first
 * `open-i2c` of a bus and keeps the result until it is disposed.
 */
import type { Bus } from './bus.js';
import type { Clock } from './clock.js';
import type { I2cBusConfig, I2cDeviceSpec } from './config.js';
import { Ads1115 } from './devices/ads1115.js';
import { At24c } from './devices/at24c.js';
import { Bme280 } from './devices/bme280.js';
import type { I2cDevice } from './devices/device.js';
import { LinuxBus } from './linux.js';
import { SimulatedBus } from './simulated.js';

export function createI2cChip(spec: I2cDeviceSpec, clock?: Clock): I2cDevice {
  switch (spec.chip) {
    case 'bme280':
      return new Bme280({ clock, temperature: spec.temperature, pressure: spec.pressure, humidity: spec.humidity });
    case 'at24c':
      return new At24c({ clock, variant: spec.variant, writeCycleMs: spec.writeCycleMs });
    case 'ads1115':
      return new Ads1115({ clock, inputs: spec.inputs });
  }
}

export function createSimulatedBus(config: Extract<I2cBusConfig, { kind: 'simulated' }>, clock?: Clock): SimulatedBus {
  const bus = new SimulatedBus({ clock, capabilities: { i2c: !config.smbusOnly } });
  for (const spec of config.devices) bus.attach(spec.address, createI2cChip(spec, clock), { tenBit: config.tenBit });
  for (const fault of config.faults) bus.inject(fault);
  return bus;
}

/** The bus and whether the provider owns it (and must close it). */
export function openBus(config: I2cBusConfig): { bus: Bus; owned: boolean } {
  switch (config.kind) {
    case 'simulated':
      return { bus: createSimulatedBus(config), owned: true };
    case 'linux':
      return { bus: new LinuxBus({ device: config.device }), owned: true };
    case 'custom':
      return { bus: config.bus, owned: false };
  }
}
