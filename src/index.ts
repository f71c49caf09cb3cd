/**
 * wasi-edge-host: host providers for the edge-device WASI proposals, for jco-transpiled components.
 *
 *   import { runComponent } from 'wasi-edge-host';
 *   const { code } = await runComponent('app.wasm', { i2c: { ... } });
 *
 * or build the import object yourself with createHost(config) and instantiate a component you
 * transpiled with `jco transpile --instantiation async`.
 */
export { createHost, type EdgeHost, type HostOptions } from './host/create-host.js';
export { runComponent, loadComponent, instantiateComponent, MissingImportsError, type RunOptions, type RunResult } from './host/runner.js';
export { parseConfig, loadConfigFile, defaultConfig, isParsedConfig, type EdgeConfig, type EdgeConfigInput, type WasiConfig } from './host/config.js';
export { ConfigError } from './core/validate.js';
export { ComponentFileError, wasmKind } from './host/component-file.js';
export { GuestExit, type StdioOptions, type OutputSink } from './host/wasi.js';
export { WitError } from './core/wit-error.js';
export type { InterfaceDefinition, ProviderInstance, ProviderContext } from './core/provider.js';
export type { HostServices } from './core/services.js';
export { INTERFACES } from './host/interfaces.js';
