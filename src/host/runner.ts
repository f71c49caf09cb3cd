/**
 * The one runner, for every platform: load the component (the platform transpiles or fetches it),
 * check its imports against the host, instantiate, call its entry point, map what happened to a
 * RunResult, release everything. The entry point is `wasi:cli/run` or, for components of the
 * upstream `wasi:sensor` `sensing` world, its `main`.
 */
import type { EdgeConfig, EdgeConfigInput } from './config.js';
import { createHostOn, type EdgeHost, type HostOptions } from './create-host.js';
import type { ComponentExports, LoadedComponent, LoadOptions, PlatformPort } from './platform-port.js';
import { GuestExit } from '../core/guest-exit.js';
import type { ImportObject } from '../core/wasi-config.js';
import { PACKAGE_VERSIONS } from './interfaces.js';
import { GuestFatalError } from '../core/guest-fatal.js';
import { trapName } from './trap-names.js';

export interface RunOptions extends HostOptions, LoadOptions {
  /** Called with the host once it exists (tests use it to script devices while the guest runs). */
  onHost?: (host: EdgeHost) => void;
}

export interface RunResult {
  /** 0 success; 1 the guest returned an error or exited non-zero (its own status if it chose one); 2 trap or stuck. */
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

/**
 * The component imports something this host does not provide: an interface, a version of one,
 * or a function of one. Found before the guest runs, each named in `missing`.
 */
export class MissingImportsError extends Error {
  constructor(readonly missing: string[]) {
    super(`the component needs what this host does not provide: ${missing.join('; ')} (see \`wasi-edge devices\` for what is provided)`);
    this.name = 'MissingImportsError';
  }
}

/** WASI packages come from preview2-shim, which implements the 0.2 line. */
const WASI_LINE = /^0\.2\.\d+$/;

/** Interfaces of the world whose version this host does not implement. */
export function versionProblems(worldImports: readonly string[]): string[] {
  const problems: string[] = [];
  for (const spec of worldImports) {
    const [name, version] = spec.split('@') as [string, string | undefined];
    const pkg = name.split('/')[0]!;
    const ours = PACKAGE_VERSIONS[pkg];
    if (ours !== undefined) {
      if ((version ?? '') !== ours) {
        problems.push(`${spec}: this host provides ${ours ? `${name}@${ours}` : `the unversioned ${name}`}`);
      }
    } else if (pkg.startsWith('wasi:') && version !== undefined && !WASI_LINE.test(version)) {
      problems.push(`${spec}: this host provides WASI 0.2.x`);
    }
  }
  return problems;
}

/**
 * The import object as the component sees it, recording every member it reads: jco's bindings
 * read each function and resource class of an interface once, when they are instantiated, so
 * after instantiation the record says exactly which ones the component needs.
 */
function recordingImports(imports: ImportObject, wanted: Map<string, Set<string>>): ImportObject {
  const out: ImportObject = {};
  for (const [name, entries] of Object.entries(imports)) {
    if (typeof entries !== 'object' || entries === null) {
      out[name] = entries;
      continue;
    }
    out[name] = new Proxy(entries, {
      get(target, member, receiver) {
        if (typeof member === 'string') {
          let set = wanted.get(name);
          if (!set) wanted.set(name, (set = new Set()));
          set.add(member);
        }
        return Reflect.get(target, member, receiver) as unknown;
      },
    });
  }
  return out;
}

/** The component has no entry point this runner knows. */
export class NoEntryPointError extends Error {
  constructor(source: string, exports: readonly (readonly [string, string])[]) {
    super(`${source} exports neither wasi:cli/run nor wasi:sensor/interface.main; exports: ${exports.map(([n]) => n).join(', ') || 'none'}`);
    this.name = 'NoEntryPointError';
  }
}

/** Instantiates a loaded component against `host`; throws MissingImportsError first if it cannot. */
export async function instantiateLoaded(component: LoadedComponent, host: EdgeHost): Promise<ComponentExports> {
  const missing = component.imports.filter((name) => !(name in host.imports)).map((name) => `interface ${name}`);
  missing.push(...versionProblems(component.worldImports));
  if (missing.length) throw new MissingImportsError(missing);
  const wanted = new Map<string, Set<string>>();
  const exports = await component.instantiate(recordingImports(host.imports, wanted));
  const absent: string[] = [];
  for (const [name, members] of wanted) {
    for (const member of members) {
      if (host.imports[name]![member] === undefined) absent.push(`${name}.${member}`);
    }
  }
  if (absent.length) throw new MissingImportsError(absent.map((f) => `function ${f}`));
  return exports;
}

export function entryPoint(exports: ComponentExports): (() => unknown) | undefined {
  for (const [name, value] of Object.entries(exports)) {
    if (name.startsWith('wasi:cli/run') && typeof value?.run === 'function') return () => value.run!();
  }
  for (const [name, value] of Object.entries(exports)) {
    if (name.startsWith('wasi:sensor/interface') && typeof value?.main === 'function') return () => value.main!();
  }
  return undefined;
}

/** The trap `e` is, named the same on every runtime (trap-names.ts); undefined when it is no trap. */
export function describeTrap(e: unknown): string | undefined {
  if (e instanceof WebAssembly.RuntimeError) return trapName(e.message);
  // V8 and JavaScriptCore: RangeError "Maximum call stack size exceeded" (JSC adds a period).
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 'stack overflow';
  return undefined;
}

/** What an entry point's outcome means for the caller; rethrows what is a host failure. */
export function resultOf(run: () => unknown): RunResult {
  try {
    run();
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
}

/** Runs a component to completion on `platform`; always disposes the host. */
export async function runOn(
  platform: PlatformPort,
  source: string | URL,
  config: EdgeConfig | EdgeConfigInput = {},
  options: RunOptions = {},
): Promise<RunResult> {
  const component = await platform.loadComponent(source, options);
  const host = createHostOn(platform, config, options);
  try {
    options.onHost?.(host);
    const exports = await instantiateLoaded(component, host);
    const entry = entryPoint(exports);
    if (!entry) throw new NoEntryPointError(component.source, component.exports);
    return resultOf(entry);
  } finally {
    host.dispose();
  }
}
