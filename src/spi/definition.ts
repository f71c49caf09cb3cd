/**
 * PLACEHOLDER from the foundation: the spi interface is not implemented yet, so this host offers
 * none of its imports and a component that needs them is refused with the list of what is missing.
 * The spi issue replaces this file.
 */
import type { InterfaceDefinition } from '../host/provider.js';
import { object } from '../host/validate.js';

export type SpiConfig = Record<string, unknown>;

export const spiDefinition: InterfaceDefinition<SpiConfig> = {
  name: 'spi',
  parseConfig: (raw, at) => object(raw, at),
  defaultConfig: () => ({}),
  create: () => ({ imports: {}, dispose() {} }),
  describe: () => ['(not implemented yet)'],
};
