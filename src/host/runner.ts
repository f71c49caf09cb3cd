/**
 * runComponent(file, config): transpile (cached), instantiate against a host built from the
 * config, call the component's entry point, release everything. The entry point is
 * `wasi:cli/run` or, for components of the upstream `wasi:sensor` `sensing` world, its `main`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertComponent, ComponentFileError } from './component-file.js';
import type { EdgeConfig, EdgeConfigInput } from './config.js';
import { createHost, type EdgeHost, type HostOptions } from './create-host.js';
import { transpileCached, type TranspileOptions, type TranspiledComponent } from './transpile-cache.js';
import { GuestExit } from './wasi.js';
import { GuestFatalError } from '../core/guest-fatal.js';

export interface RunOptions extends HostOptions, TranspileOptions {
  /** Called with the host once it exists (tests use it to script devices while the guest runs). */
  onHost?: (host: EdgeHost) => void;
}

export interface RunResult {
  /** 0 success; 1 the guest returned an error or exited non-zero (its own status if it chose one); 2 trap. */
  code: number;
  /** The trap message, when the guest trapped. */
  trap?: string;
  /**
   * Set (with status 2) when the guest waited for something that can never happen — a hang the
   * host detected (GuestFatalError); the message says what it waited for.
   */
  stuck?: string;
  /** The error the guest's entry point returned, when it did. */
  error?: string;
}

export class MissingImportsError extends Error {
  constructor(readonly missing: string[]) {
    super(
      `the component imports interfaces this host does not provide: ${missing.join(', ')} ` +
        `(see \`wasi-edge devices\` for what is provided)`,
    );
    this.name = 'MissingImportsError';
  }
}

type Instantiate = (
  getCoreModule: (path: string) => Promise<WebAssembly.Module>,
  imports: Record<string, unknown>,
) => Promise<Record<string, Record<string, (...args: unknown[]) => unknown>>>;

const compiled = new Map<string, Promise<WebAssembly.Module>>();

function coreModuleLoader(dir: string) {
  return (path: string) => {
    const key = join(dir, path);
    let module = compiled.get(key);
    if (!module) {
      module = WebAssembly.compile(readFileSync(key));
      compiled.set(key, module);
    }
    return module;
  };
}

/** Loads a component from disk and transpiles it (or takes it from the cache). */
export async function loadComponent(file: string, options: TranspileOptions = {}): Promise<TranspiledComponent> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new ComponentFileError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  assertComponent(bytes, file);
  return transpileCached(bytes, options);
}

/** Instantiates a transpiled component against `host`; throws MissingImportsError first if it cannot. */
export async function instantiateComponent(component: TranspiledComponent, host: EdgeHost) {
  const missing = component.imports.filter((name) => !(name in host.imports));
  if (missing.length) throw new MissingImportsError(missing);
  const module = (await import(pathToFileURL(join(component.dir, 'component.js')).href)) as { instantiate: Instantiate };
  return module.instantiate(coreModuleLoader(component.dir), host.imports);
}

function entryPoint(exports: Record<string, Record<string, (...args: unknown[]) => unknown>>) {
  for (const [name, value] of Object.entries(exports)) {
    if (name.startsWith('wasi:cli/run') && typeof value?.run === 'function') return () => value.run!();
  }
  for (const [name, value] of Object.entries(exports)) {
    if (name.startsWith('wasi:sensor/interface') && typeof value?.main === 'function') return () => value.main!();
  }
  return undefined;
}

export function describeTrap(e: unknown): string | undefined {
  if (e instanceof WebAssembly.RuntimeError) return e.message;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return `stack overflow (${e.message})`;
  return undefined;
}

export async function runComponent(
  file: string,
  config: EdgeConfig | EdgeConfigInput = {},
  options: RunOptions = {},
): Promise<RunResult> {
  const component = await loadComponent(file, options);
  const host = createHost(config, options);
  try {
    options.onHost?.(host);
    const exports = await instantiateComponent(component, host);
    const entry = entryPoint(exports);
    if (!entry) {
      throw new ComponentFileError(
        `${file} exports neither wasi:cli/run nor wasi:sensor/interface.main; exports: ${component.exports.map(([n]) => n).join(', ') || 'none'}`,
      );
    }
    try {
      entry();
      return { code: 0 };
    } catch (e) {
      if (e instanceof GuestExit) return { code: e.code };
      if (e instanceof GuestFatalError) return { code: 2, stuck: e.message };
      const trap = describeTrap(e);
      if (trap) return { code: 2, trap };
      // jco throws a ComponentError carrying the guest's err payload for `result` exports.
      if (e instanceof Error && (e.constructor?.name === 'ComponentError' || 'payload' in e)) {
        const payload = (e as { payload?: unknown }).payload;
        return { code: 1, error: payload === undefined ? 'its entry point returned err' : JSON.stringify(payload) };
      }
      throw e;
    }
  } finally {
    host.dispose();
  }
}
