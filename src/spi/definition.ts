/** The spi interface as the host composes it: wasi:spi (unversioned). */
import type { InterfaceDefinition } from '../core/provider.js';
import { describeSlots } from '../core/slot-config.js';
import type { SpiConfigInput } from './config-input.js';
import { defaultSpiConfig, parseSpiConfig, type SpiConfig, type SpiDeviceConfig } from './config.js';
import { createSpiProvider } from './provider.js';

export type { SpiConfigInput } from './config-input.js';
export type { SpiConfig } from './config.js';

function describeDevice(name: string, d: SpiDeviceConfig): [string] {
  const what =
    d.kind === 'simulated' ? `simulated ${d.chip}`
    : d.kind === 'linux' ? `linux ${d.device}${d.maxMessageBytes ? ` (max ${d.maxMessageBytes} B/message)` : ''}`
    : 'custom (embedder-supplied)';
  return [`spi device "${name}": ${what}; max ${d.limits.maxTransferBytes} B per call`];
}

export const spiDefinition: InterfaceDefinition<'spi', SpiConfig, SpiConfigInput> = {
  name: 'spi',
  packages: { 'wasi:spi': '' },
  parseConfig: (raw, at) => parseSpiConfig(raw, at),
  defaultConfig: defaultSpiConfig,
  create: (config) => createSpiProvider(config),
  describe: (config) => describeSlots(config.devices, config.allow, 'no SPI devices configured', describeDevice),
};
