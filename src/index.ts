/**
 * wasi-edge-host on Node: host providers for the edge-device WASI proposals, for jco-transpiled
 * components. (A browser gets src/platform/browser/page/index.ts through the `browser` condition.)
 *
 *   import { runComponent } from 'wasi-edge-host';
 *   const { code } = await runComponent('app.wasm', { i2c: { ... } });
 *
 * or build the import object yourself with createHost(config) and instantiate a component you
 * transpiled with `transpile(bytes)` (or `jco transpile --instantiation async`, slower per call).
 */
import type { EdgeConfig, EdgeConfigInput } from './host/config.js';
import { createHostOn, type EdgeHost, type HostOptions } from './host/create-host.js';
import { instantiateLoaded, runOn, type RunOptions, type RunResult } from './host/runner.js';
import type { ComponentExports, LoadedComponent, LoadOptions } from './host/platform-port.js';
import { nodePlatform } from './platform/node/index.js';
import { loadComponent as loadOnNode } from './platform/node/load-component.js';
import { transpileComponent, type TranspileOptions, type TranspileOutput } from './host/transpile.js';
import { transpilerVersion } from './platform/node/component-cache.js';
import { createDeviceOn, type CameraState, type Device, type DeviceOptions } from './host/device/create-device.js';
import type { DeviceConfig } from './host/device/config.js';
import { launchAppWorker } from './platform/node/device-worker.js';

// Two signatures each, not one taking `EdgeConfig | EdgeConfigInput`: against the union, a key
// that exists only in the parsed shape (`ffmpegPath`) would pass the compiler's excess-property
// check in a config literal; against the input type alone, it is the error it should be.

/** The whole import object for a component, WASI included, from a configuration. */
export function createHost(config?: EdgeConfigInput, options?: HostOptions): EdgeHost;
/** The same from a configuration that parseConfig or defaultConfig made. */
export function createHost(config: EdgeConfig, options?: HostOptions): EdgeHost;
export function createHost(config: EdgeConfig | EdgeConfigInput = {}, options: HostOptions = {}): EdgeHost {
  return createHostOn(nodePlatform, config, options);
}

/** Transpiles (cached), instantiates and runs a component file; always releases the host. */
export function runComponent(file: string, config?: EdgeConfigInput, options?: RunOptions): Promise<RunResult>;
/** The same with a configuration that parseConfig or defaultConfig made. */
export function runComponent(file: string, config: EdgeConfig, options?: RunOptions): Promise<RunResult>;
export function runComponent(file: string, config: EdgeConfig | EdgeConfigInput = {}, options: RunOptions = {}): Promise<RunResult> {
  return runOn(nodePlatform, file, config, options);
}

/** Loads a component file: checked, transpiled through the cache, ready to instantiate. */
export function loadComponent(file: string, options: LoadOptions = {}): Promise<LoadedComponent> {
  return loadOnNode(file, options);
}

/**
 * Transpiles a component the way the runner does (the latest jco plus the host's rewrite of its
 * bindings, docs/transpiler.md): the files to write out (`component.js` and its core modules),
 * for `instantiate(getCoreModule, createHost(config).imports)` from `component.js`.
 */
export function transpile(componentBytes: Uint8Array, options: TranspileOptions = {}): Promise<TranspileOutput> {
  return transpileComponent(componentBytes, { ...options, jcoVersion: transpilerVersion() });
}

/** Instantiates a loaded component against a host; throws MissingImportsError first if it cannot. */
export function instantiateComponent(component: LoadedComponent, host: EdgeHost): Promise<ComponentExports> {
  return instantiateLoaded(component, host);
}

/**
 * Starts a device: several apps, each in a worker of its own with its own grants and limits, over
 * cameras and buses the device owns once (docs/device.md). `config` is a device configuration
 * (parseDeviceConfig, loadDeviceConfigFile, or the object itself; its paths then resolve against
 * the working directory).
 */
export function createDevice(config: DeviceConfig | Record<string, unknown>, options: DeviceOptions = {}): Device {
  return createDeviceOn(nodePlatform, launchAppWorker, config, options);
}

export { nodePlatform };
export type { CameraState, Device, DeviceOptions, DeviceConfig };
export type { AppState, AppStatus, AppCounters, AppFailure } from './host/device/app-state.js';
export { parseDeviceConfig } from './host/device/config.js';
export { loadDeviceConfigFile } from './platform/node/device-config-file.js';
export { DEFAULT_RESTART, restartDelayMs, type RestartSchedule } from './host/device/backoff.js';
export { BindingsRewriteError, InvalidComponentError, type RewriteCounts, type TranspileOptions, type TranspileOutput } from './host/transpile.js';
export type { EdgeHost, HostOptions, RunOptions, RunResult, LoadedComponent, LoadOptions, ComponentExports };
export type { PlatformPort } from './host/platform-port.js';
export { MissingImportsError, NoEntryPointError } from './host/runner.js';
export { JspiUnavailableError, jspiAvailable, type JspiMode } from './core/jspi.js';
export { parseConfig, defaultConfig, isParsedConfig, type EdgeConfig, type EdgeConfigInput, type WasiConfig, type WasiConfigInput } from './host/config.js';
export { loadConfigFile } from './platform/node/config-file.js';
export { ConfigError } from './core/validate.js';
export { ComponentFileError, wasmKind } from './host/component-file.js';
export { GuestExit, type StdioOptions, type OutputSink } from './core/guest-exit.js';
export { WitError } from './core/wit-error.js';
export type { InterfaceDefinition, ProviderInstance, ProviderContext } from './core/provider.js';
export type { HostServices } from './core/services.js';
export { HOST_BUFFERS_IMPORT, type BufferRecycler, type RecyclerLimits } from './core/buffer-recycler.js';
export { INTERFACES, type InterfaceName } from './host/interfaces.js';
export { FfmpegCameraDevice, type FfmpegCameraOptions } from './platform/node/camera.js';
