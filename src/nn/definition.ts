/**
 * PLACEHOLDER from the foundation: the nn interface is not implemented yet, so this host offers
 * none of its imports and a component that needs them is refused with the list of what is missing.
 * The nn issue replaces this file.
 */
import type { InterfaceDefinition } from '../host/provider.js';
import { object } from '../host/validate.js';

export type NnConfig = Record<string, unknown>;

export const nnDefinition: InterfaceDefinition<NnConfig> = {
  name: 'nn',
  parseConfig: (raw, at) => object(raw, at),
  defaultConfig: () => ({}),
  create: () => ({ imports: {}, dispose() {} }),
  describe: () => ['(not implemented yet)'],
};
