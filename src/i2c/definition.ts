/**
 * PLACEHOLDER from the foundation: the i2c interface is not implemented yet, so this host offers
 * none of its imports and a component that needs them is refused with the list of what is missing.
 * The i2c issue replaces this file.
 */
import type { InterfaceDefinition } from '../host/provider.js';
import { object } from '../host/validate.js';

export type I2cConfig = Record<string, unknown>;

export const i2cDefinition: InterfaceDefinition<I2cConfig> = {
  name: 'i2c',
  parseConfig: (raw, at) => object(raw, at),
  defaultConfig: () => ({}),
  create: () => ({ imports: {}, dispose() {} }),
  describe: () => ['(not implemented yet)'],
};
