/** The spi interface as the host composes it: wasi:spi (unversioned). */
import type { InterfaceDefinition } from '../core/provider.js';
import type { SpiConfigInput } from './config-input.js';
import { defaultSpiConfig, parseSpiConfig, type SpiConfig } from './config.js';
import { createSpiProvider } from './provider.js';

export type { SpiConfigInput } from './config-input.js';
export type { SpiConfig } from './config.js';

function describeSpi(config: SpiConfig): string[] {
  const lines: string[] = [];
  for (const [name, d] of Object.entries(config.devices)) {
    const granted = config.allow === undefined || config.allow.includes(name);
    const what =
      d.kind === 'simulated' ? `simulated ${d.chip}`
      : d.kind === 'linux' ? `linux ${d.device}${d.maxMessageBytes ? ` (max ${d.maxMessageBytes} B/message)` : ''}`
      : 'custom (embedder-supplied)';
    lines.push(`spi device "${name}": ${what}; max ${d.limits.maxTransferBytes} B per call${granted ? '' : '; NOT granted'}`);
  }
  return lines.length ? lines : ['no SPI devices configured'];
}

export const spiDefinition: InterfaceDefinition<'spi', SpiConfig, SpiConfigInput> = {
  name: 'spi',
  packages: { 'wasi:spi': '' },
  parseConfig: (raw, at) => parseSpiConfig(raw, at),
  defaultConfig: defaultSpiConfig,
  create: (config) => createSpiProvider(config),
  describe: describeSpi,
};
