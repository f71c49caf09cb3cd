/**
 * Runs a component transpiled ahead of time (src/browser/build.mjs: jco 1.12, instantiation
 * mode) against a host built from a configuration, inside the current worker. The same steps as
 * src/host/runner.ts (which reads files and transpiles; here both happened at build time).
 */
import { createHost, type EdgeHost, type HostOptions } from '../../host/create-host.js';
import { isParsedConfig, parseConfig, type EdgeConfig, type EdgeConfigInput } from '../../host/config.js';
import { GuestExit } from '../host/wasi.js';
import { browserConfigInput } from '../config.js';

export interface BrowserRunResult {
  code: number;
  trap?: string;
  error?: string;
  /** Files under the preopened directories when the guest finished (it may have written some): [guest path, bytes]. */
  files?: [string, Uint8Array][];
}

type Exports = Record<string, Record<string, (...args: unknown[]) => unknown>>;
type Instantiate = (getCoreModule: (path: string) => Promise<WebAssembly.Module>, imports: Record<string, unknown>) => Promise<Exports>;

export class MissingImportsError extends Error {
  constructor(readonly missing: string[]) {
    super(`the component imports interfaces this host does not provide: ${missing.join(', ')}`);
    this.name = 'MissingImportsError';
  }
}

/** The transpiled component: `<base>/component.js`, its core modules, `manifest.json`. */
export async function instantiateTranspiled(base: string | URL, host: EdgeHost): Promise<Exports> {
  const dir = new URL(String(base).endsWith('/') ? String(base) : `${base}/`, location.href);
  const manifest = (await (await fetch(new URL('manifest.json', dir))).json()) as { imports: string[] };
  const missing = manifest.imports.filter((name) => !(name in host.imports));
  if (missing.length) throw new MissingImportsError(missing);
  const module = (await import(/* @vite-ignore */ new URL('component.js', dir).href)) as { instantiate: Instantiate };
  return module.instantiate((path) => WebAssembly.compileStreaming(fetch(new URL(path, dir))), host.imports);
}

function entryPoint(exports: Exports): (() => unknown) | undefined {
  for (const [name, value] of Object.entries(exports)) {
    if (name.startsWith('wasi:cli/run') && typeof value?.run === 'function') return () => value.run!();
  }
  for (const [name, value] of Object.entries(exports)) {
    if (name.startsWith('wasi:sensor/interface') && typeof value?.main === 'function') return () => value.main!();
  }
  return undefined;
}

function describeTrap(e: unknown): string | undefined {
  if (e instanceof WebAssembly.RuntimeError) return e.message;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return `stack overflow (${e.message})`;
  return undefined;
}

/** createHost for the browser: relative paths resolve against "/" of the in-memory tree. */
export function createBrowserHost(config: EdgeConfig | EdgeConfigInput = {}, options: HostOptions = {}): EdgeHost {
  return createHost(isParsedConfig(config) ? config : parseConfig(browserConfigInput(config), '/'), options);
}

/** Instantiates and runs `wasi:cli/run` (or the sensing world's `main`); always disposes the host. */
export async function runTranspiled(base: string | URL, config: EdgeConfig | EdgeConfigInput, options: HostOptions & { onHost?: (h: EdgeHost) => void } = {}): Promise<BrowserRunResult> {
  const host = createBrowserHost(config, options);
  try {
    options.onHost?.(host);
    const exports = await instantiateTranspiled(base, host);
    const entry = entryPoint(exports);
    if (!entry) throw new Error(`${String(base)} exports neither wasi:cli/run nor wasi:sensor/interface.main`);
    try {
      entry();
      return { code: 0 };
    } catch (e) {
      if (e instanceof GuestExit) return { code: e.code };
      const trap = describeTrap(e);
      if (trap) return { code: 2, trap };
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
