/** wasi:config as one interface of the host: section `config` (key → string), empty by default. */
import type { InterfaceDefinition } from '../core/provider.js';
import type { ConfigStoreInput } from './config-input.js';
import { defaultConfigStore, parseConfigStore, type ConfigStoreConfig } from './config.js';
import { createConfigProvider } from './provider.js';

export type { ConfigStoreInput } from './config-input.js';
export type { ConfigStoreConfig } from './config.js';

export const configDefinition: InterfaceDefinition<'config', ConfigStoreConfig, ConfigStoreInput> = {
  name: 'config',
  packages: { 'wasi:config': '0.2.0-rc.1' },
  parseConfig: (raw, at) => parseConfigStore(raw, at),
  defaultConfig: defaultConfigStore,
  create: (config, ctx) => createConfigProvider(config, ctx),
  describe: (config) =>
    config.values.size ? [`wasi:config: ${config.values.size} key(s): ${[...config.values.keys()].join(', ')}`] : ['wasi:config: no keys'],
};
