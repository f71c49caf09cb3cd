/**
 * The one runner, for every platform: load the component (the platform transpiles or fetches it),
 * check its imports against the host, instantiate, call its entry point, map what happened to a
 * RunResult, release everything. The entry point is `wasi:cli/run` or, for components of the
 * upstream `wasi:sensor` `sensing` world, its `main`.
 */
import { isParsedConfig, parseConfig, type EdgeConfig, type EdgeConfigInput } from './config.js';
import { createHostOn, type EdgeHost, type HostOptions } from './create-host.js';
import type { ComponentExports, LoadedComponent, LoadOptions, PlatformPort } from './platform-port.js';
import type { RunReport, RunResult } from './run-result.js';
import { coreCaps, LIMIT_STATUS, memoryLimitHit, startsAboveCapHit, tableLimitHit, type LimitsConfig } from './limits.js';
import { LimitProbe } from './limits-probe.js';
import { PAGE_BYTES, StartsAboveCapError, type CoreCaps } from './limits-wasm.js';
import { HOST_BUFFERS_IMPORT } from '../core/buffer-recycler.js';
import { GuestExit } from '../core/guest-exit.js';
import type { ImportObject } from '../core/wasi-config.js';
import { PACKAGE_VERSIONS } from './interfaces.js';
import { GuestFatalError } from '../core/guest-fatal.js';
import { trapName } from './trap-names.js';
import { useJspi, type JspiMode } from '../core/jspi.js';

export interface RunOptions extends Omit<HostOptions, 'jspi'>, Omit<LoadOptions, 'caps' | 'jspi'> {
  /**
   * JSPI (src/core/jspi.ts): 'auto' (the default) where the runtime has it, 'on' to insist
   * (JspiUnavailableError where it is missing), 'off' for the blocking bridge (Atomics.wait, workers).
   */
  jspi?: JspiMode;
  /**
   * Called with the host once it exists (tests use it to script devices while the guest runs).
   * Not with `limits.timeoutMs`: the host then lives in another thread.
   */
  onHost?: (host: EdgeHost) => void;
  /** Measure what the run used: sizes, peak memory and tables, the host's memory (RunResult.report). */
  report?: boolean;
  /**
   * Awaited once the guest is instantiated, before its entry point runs: a device's standby
   * instance (src/host/device/) waits here, so that a restart only has to call the entry point.
   */
  beforeEntry?: () => Promise<void> | void;
}

export type { RunResult } from './run-result.js';

/** A limit this platform or these options cannot enforce; the message says which and why. */
export class LimitsError extends Error {
  override name = 'LimitsError';
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

/**
 * Instantiates a loaded component against `host`; throws MissingImportsError first if it cannot.
 * With a probe, the core instances of capped modules are recorded in it.
 */
export async function instantiateLoaded(component: LoadedComponent, host: EdgeHost, probe?: LimitProbe): Promise<ComponentExports> {
  const missing = component.imports.filter((name) => !(name in host.imports)).map((name) => `interface ${name}`);
  missing.push(...versionProblems(component.worldImports));
  if (missing.length) throw new MissingImportsError(missing);
  const wanted = new Map<string, Set<string>>();
  // jco (1.13 on) itself throws at the first import function it does not find; the record of
  // what it read still names it, as the host's own error.
  let exports: ComponentExports | undefined;
  let failure: { error: unknown } | undefined;
  try {
    const imports = recordingImports(host.imports, wanted);
    // Not an interface: the rewritten bindings lift large byte lists into the host's buffers.
    if (host.services.buffers) imports[HOST_BUFFERS_IMPORT] = host.services.buffers as unknown as Record<string, unknown>;
    exports = await component.instantiate(imports, probe);
  } catch (error) {
    failure = { error };
  }
  const absent: string[] = [];
  for (const [name, members] of wanted) {
    for (const member of members) {
      if (host.imports[name]![member] === undefined) absent.push(`${name}.${member}`);
    }
  }
  if (absent.length) throw new MissingImportsError(absent.map((f) => `function ${f}`));
  if (failure) throw failure.error;
  return exports!;
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
    return outcomeOf(e);
  }
}

/** The same for an entry point that returns a Promise (a JSPI component's `WebAssembly.promising` export). */
export async function settledResultOf(run: () => unknown): Promise<RunResult> {
  try {
    await run();
    return { code: 0 };
  } catch (e) {
    return outcomeOf(e);
  }
}

function outcomeOf(e: unknown): RunResult {
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

/**
 * A run that ended non-zero after a grow was refused by a cap ended because of that cap: its
 * status is the limit's. A guest that coped (malloc failed, it did without) and exited 0 succeeded.
 */
function withRefusals(result: RunResult, probe: LimitProbe, limits: LimitsConfig): RunResult {
  if (result.code === 0) return result;
  const refused = probe.refusals();
  const hit =
    refused.memoryPages !== undefined ? memoryLimitHit(limits, refused.memoryPages, result)
    : refused.tableElements !== undefined ? tableLimitHit(limits, refused.tableElements, result)
    : undefined;
  return hit ? { ...result, code: LIMIT_STATUS[hit.limit], limit: hit } : result;
}

/** What the run used, measured before the host is released. */
function reportOf(platform: PlatformPort, component: LoadedComponent, probe: LimitProbe, rssBefore: number | undefined): RunReport {
  const sizes = component.sizes?.() ?? { componentBytes: 0, codeBytes: 0 };
  const memory = platform.memoryUsage?.();
  const usage = probe.usage();
  return {
    ...sizes,
    ...usage,
    memoryNeededBytes: Math.max(usage.memoryBytes, (probe.refusals().memoryPages ?? 0) * PAGE_BYTES),
    hostPeakRssBytes: memory?.peakRssBytes ?? 0,
    hostRssGrowthBytes: memory && rssBefore !== undefined ? Math.max(0, memory.rssBytes - rssBefore) : 0,
  };
}

const hasCaps = (caps: CoreCaps) => caps.maxMemoryPages !== undefined || caps.maxTableElements !== undefined;

const parsedOn = (platform: PlatformPort, config: EdgeConfig | EdgeConfigInput) =>
  isParsedConfig(config) ? config : parseConfig(config, platform.defaultBaseDir());

/** How runOn and runHere are called: runOn hands a run without a time limit to runHere as it is. */
export type RunComponent = (
  platform: PlatformPort,
  source: string | URL,
  config?: EdgeConfig | EdgeConfigInput,
  options?: RunOptions,
) => Promise<RunResult>;

/**
 * Runs a component to completion on `platform`; always disposes the host. With
 * `limits.timeoutMs` the run goes to the platform's isolated runner (a thread it can stop).
 */
export const runOn: RunComponent = async (platform, source, config = {}, options = {}) => {
  const parsed = parsedOn(platform, config);
  if (parsed.limits.timeoutMs === undefined) return runHere(platform, source, parsed, options);
  if (!platform.runIsolated) {
    throw new LimitsError(`limits.timeoutMs: the ${platform.name} platform cannot stop a running guest, so it cannot enforce a time limit`);
  }
  if (options.onHost || options.extraImports) {
    throw new LimitsError(`limits.timeoutMs runs the guest and its host in a worker thread, where ${options.onHost ? 'onHost' : 'extraImports'} cannot follow; run without a time limit to use it`);
  }
  const { stdio, cacheDir, onTranspileStart, report, jspi } = options;
  return platform.runIsolated(source, parsed, { stdio, cacheDir, onTranspileStart, report, ...(jspi ? { jspi } : {}) });
};

/**
 * Runs a component in this thread, with the memory and table caps of `limits` but without its
 * time limit: a synchronous wasm loop cannot be interrupted on its own thread (runOn isolates a
 * guest with a time limit; this is what the isolated thread itself runs). With JSPI (options.jspi)
 * the bindings are made for it and the entry point is awaited.
 */
export const runHere: RunComponent = async (platform, source, config = {}, options = {}) => {
  const parsed = parsedOn(platform, config);
  const caps = coreCaps(parsed.limits);
  const capped = hasCaps(caps);
  const { jspi: mode, ...loadOptions } = options;
  const component = await platform.loadComponent(source, { ...loadOptions, ...(capped ? { caps } : {}), jspi: useJspi(mode) });
  if (capped && !component.caps) {
    throw new LimitsError(`limits.maxMemoryBytes / maxTableElements: the ${platform.name} platform's loader does not apply them`);
  }
  const rssBefore = options.report ? platform.memoryUsage?.().rssBytes : undefined;
  // The bindings decide: a platform that loads prebuilt bindings may have only one kind.
  const host = createHostOn(platform, parsed, { ...loadOptions, jspi: component.jspi === true });
  const probe = capped || options.report ? new LimitProbe() : undefined;
  try {
    options.onHost?.(host);
    let exports: ComponentExports;
    try {
      exports = await instantiateLoaded(component, host, probe);
    } catch (e) {
      if (!(e instanceof StartsAboveCapError)) throw e;
      const limit = startsAboveCapHit(parsed.limits, e.kind, e.initial);
      return { code: LIMIT_STATUS[limit.limit], limit };
    }
    const entry = entryPoint(exports);
    if (!entry) throw new NoEntryPointError(component.source, component.exports);
    await options.beforeEntry?.();
    const result = component.jspi ? { ...(await settledResultOf(entry)), jspi: true as const } : resultOf(entry);
    const limited = capped ? withRefusals(result, probe!, parsed.limits) : result;
    return options.report ? { ...limited, report: reportOf(platform, component, probe!, rssBefore) } : limited;
  } finally {
    host.dispose();
  }
};
