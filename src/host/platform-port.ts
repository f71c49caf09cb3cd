/**
 * The platform port: everything the host needs that differs between Node and a browser. One
 * object per platform implements it (src/platform/node/index.ts, src/platform/browser/index.ts,
 * the same file names on both sides); createHost and the runner take it as an argument, so nothing
 * is swapped by a bundler. Its interface-specific part (cameras for sensor, the blocking bridge
 * for nn) is derived from the registry: a platform that lacks what an interface needs does not
 * compile.
 */
import type { StdioOptions } from '../core/guest-exit.js';
import type { ImportObject, WasiConfig } from '../core/wasi-config.js';
import type { InterfacePlatformNeeds } from './interfaces.js';
import type { CoreCaps } from './limits-wasm.js';
import type { LimitProbe } from './limits-probe.js';
import type { EdgeConfig } from './config.js';
import type { RunResult } from './run-result.js';
import type { JspiMode } from '../core/jspi.js';

/** A component's exports as jco's `instantiate` returns them: interface name → functions. */
export type ComponentExports = Record<string, Record<string, (...args: unknown[]) => unknown>>;

/** A component ready to instantiate: transpiled (by the same transpile step on every path) and loaded. */
export interface LoadedComponent {
  /** What the user gave (a path, a URL), for messages. */
  readonly source: string;
  /** Interfaces the component imports, unversioned, as jco reports them. */
  readonly imports: readonly string[];
  /** Exports: [name, 'function' | 'instance']. */
  readonly exports: readonly (readonly [string, string])[];
  /** The world's imports with their versions (`wasi:i2c/i2c@0.2.0-draft`). */
  readonly worldImports: readonly string[];
  /** Its bindings are JSPI bindings (LoadOptions.jspi): the host must answer for JSPI, the entry point is awaited. */
  readonly jspi?: boolean;
  /** The memory and table caps its core modules were compiled with (LoadOptions.caps), if this platform applies them. */
  readonly caps?: CoreCaps;
  /** Instantiates; with a probe, each core instance is recorded in it (refused grows, memory and table sizes). */
  instantiate(imports: ImportObject, probe?: LimitProbe): Promise<ComponentExports>;
  /** The component file's size and the bytes of code of its core modules (for `--report`). */
  sizes?(): { componentBytes: number; codeBytes: number };
}

export interface LoadOptions {
  /** Where transpiled components are cached (Node; default in docs/transpiler.md). */
  cacheDir?: string;
  /** Called before a transpile that is not cached (it can take seconds for a large component). */
  onTranspileStart?: (bytes: number) => void;
  /** Memory and table caps (src/host/limits-wasm.ts) to compile the core modules with. */
  caps?: CoreCaps;
  /** Bindings for JSPI (TranspileOptions.jspi); the runner decides (RunOptions.jspi). */
  jspi?: boolean;
}

/** What a run in isolation can be given: everything of a run that can cross to another thread. */
export interface IsolatedRunOptions extends Omit<LoadOptions, 'caps' | 'jspi'> {
  /** JSPI or the blocking bridge, decided in the isolated thread (src/core/jspi.ts). */
  jspi?: JspiMode;
  stdio?: StdioOptions;
  /** Called when the host exists in the isolated thread (the time limit counts from then). */
  onStarted?: () => void;
  /** Measure what the run used (RunResult.report). */
  report?: boolean;
}

export type PlatformPort = InterfacePlatformNeeds & {
  readonly name: 'node' | 'browser';
  /** WASI 0.2 from preview2-shim, sandboxed to `config`, with `exit` ending only the guest. */
  createWasiImports(config: WasiConfig, stdio: StdioOptions): ImportObject;
  /** Loads a component: a file path on Node, the URL of an ahead-of-time transpiled folder in a browser. */
  loadComponent(source: string | URL, options: LoadOptions): Promise<LoadedComponent>;
  /** Base directory against which a config's relative paths resolve by default. */
  defaultBaseDir(): string;
  /**
   * Runs a component where it can be stopped from outside, even in the middle of wasm code: the
   * host (providers, devices) and the guest in a thread of their own, ended when
   * `config.limits.timeoutMs` is up (Node: a worker thread). Absent where the platform cannot.
   */
  runIsolated?(source: string | URL, config: EdgeConfig, options: IsolatedRunOptions): Promise<RunResult>;
  /** This process's resident memory now and at its peak, where the platform can tell (`--report`). */
  memoryUsage?(): { rssBytes: number; peakRssBytes: number };
};
