/**
 * PLACEHOLDER from the foundation: the sensor interface is not implemented yet, so this host offers
 * none of its imports and a component that needs them is refused with the list of what is missing.
 * The sensor issue replaces this file.
 */
import type { InterfaceDefinition } from '../host/provider.js';
import { object } from '../host/validate.js';

export type SensorConfig = Record<string, unknown>;

export const sensorDefinition: InterfaceDefinition<SensorConfig> = {
  name: 'sensor',
  parseConfig: (raw, at) => object(raw, at),
  defaultConfig: () => ({}),
  create: () => ({ imports: {}, dispose() {} }),
  describe: () => ['(not implemented yet)'],
};
