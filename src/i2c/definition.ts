/**
 * The i2c interface as the host composes it: wasi:i2c@0.2.0-draft (`i2c`, `delay`) plus
 * wasi-edge:host/access (how a guest obtains i2c and delay handles).
 */
import type { InterfaceDefinition } from '../core/provider.js';
import { describeSlots } from '../core/slot-config.js';
import type { I2cConfigInput } from './config-input.js';
import { hex } from './bus.js';
import { defaultI2cConfig, parseI2cConfig, type I2cBusConfig, type I2cConfig } from './config.js';
import { createI2cProvider } from './provider.js';

export type { I2cConfigInput } from './config-input.js';
export type { I2cConfig } from './config.js';

function describeBus(name: string, bus: I2cBusConfig): [string, ...string[]] {
  const where =
    bus.kind === 'simulated' ? `simulated${bus.smbusOnly ? ' (SMBus-only)' : ''}`
    : bus.kind === 'linux' ? `linux ${bus.device}`
    : 'custom (embedder-supplied)';
  const addresses = bus.addresses ? bus.addresses.map((a) => hex(a)).join(' ') : `any ${bus.tenBit ? '10' : '7'}-bit`;
  const devices = bus.kind === 'simulated' ? bus.devices.map((d) => `  ${hex(d.address)} ${d.chip}${d.chip === 'at24c' ? ` (${d.variant})` : ''}`) : [];
  return [`i2c bus "${name}": ${where}; addresses ${addresses}; max read ${bus.limits.maxRead} B`, ...devices];
}

export const i2cDefinition: InterfaceDefinition<'i2c', I2cConfig, I2cConfigInput> = {
  name: 'i2c',
  packages: { 'wasi:i2c': '0.2.0-draft', 'wasi-edge:host': '0.1.0' },
  parseConfig: (raw, at) => parseI2cConfig(raw, at),
  defaultConfig: defaultI2cConfig,
  create: (config) => createI2cProvider(config),
  describe: (config) => describeSlots(config.buses, config.allow, 'no I2C buses configured', describeBus),
};
