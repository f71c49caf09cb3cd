/**
 * createHost(config): the whole import object for a jco-transpiled component (instantiation
 * mode), WASI included, and a dispose() that releases every host resource. Composition only.
 */
import type { EdgeConfig, EdgeConfigInput } from './config.js';
import { isParsedConfig, parseConfig } from './config.js';
import { INTERFACES, importKeys } from './interfaces.js';
import type { InterfaceDefinition, ProviderInstance } from '../core/provider.js';
import type { HostServices } from '../core/services.js';
import { BufferRecycler } from '../core/buffer-recycler.js';
import { closeAll } from '../core/close-all.js';
import type { StdioOptions } from '../core/guest-exit.js';
import type { PlatformPort } from './platform-port.js';
import { createInferenceService } from './inference.js';

export interface HostOptions {
  stdio?: StdioOptions;
  /**
   * More import-object entries, keyed by interface name (give versioned keys yourself): interfaces
   * of your own next to ours. They may not replace an interface this host provides.
   */
  extraImports?: Record<string, Record<string, unknown>>;
  /**
   * The component was transpiled with `transpile(bytes, { jspi: true })`: the imports that wait
   * (src/host/jspi.ts lists them) answer with a Promise and the guest suspends until it settles,
   * instead of blocking the thread in Atomics.wait. Only for such bindings (a Promise returned to
   * bindings made without JSPI is lowered to 0). Default false.
   */
  jspi?: boolean;
}

export interface EdgeHost {
  /** Keyed by both unversioned and versioned interface names. */
  readonly imports: Record<string, Record<string, unknown>>;
  readonly config: EdgeConfig;
  readonly services: HostServices;
  /** Stops devices, frees pools, closes sessions and file descriptors. Idempotent. */
  dispose(): void;
}

/** The host on a given platform (the package's entry points bind Node's or the browser's). */
export function createHostOn(platform: PlatformPort, config: EdgeConfig | EdgeConfigInput = {}, options: HostOptions = {}): EdgeHost {
  const parsed = isParsedConfig(config) ? config : parseConfig(config, platform.defaultBaseDir());
  const wasi = platform.createWasiImports(parsed.wasi, options.stdio ?? {});
  const services: HostServices = {
    buffers: new BufferRecycler(),
    counters: { pixelBytesLowered: 0, encodedBytesLowered: 0 },
    inference: createInferenceService(parsed.nn, platform),
  };
  const providers: ProviderInstance[] = [];
  const imports: Record<string, Record<string, unknown>> = { ...wasi };
  const owner = new Map<string, string>();
  try {
    for (const def of INTERFACES as readonly InterfaceDefinition[]) {
      const provider = def.create((parsed as unknown as Record<string, unknown>)[def.name], { services, wasi, platform, jspi: options.jspi === true });
      providers.push(provider);
      for (const [name, entries] of Object.entries(provider.imports)) {
        const previous = owner.get(name);
        if (previous) throw new Error(`host bug: ${def.name} and ${previous} both provide ${name}`);
        owner.set(name, def.name);
        for (const key of importKeys(name)) imports[key] = entries;
      }
    }
    for (const [name, entries] of Object.entries(options.extraImports ?? {})) {
      if (owner.has(name.split('@')[0]!)) throw new Error(`extraImports: ${name} is provided by this host's ${owner.get(name.split('@')[0]!)} provider`);
      imports[name] = entries;
    }
  } catch (e) {
    for (const p of providers.reverse()) p.dispose();
    throw e;
  }
  let disposed = false;
  return {
    imports,
    config: parsed,
    services,
    dispose() {
      if (disposed) return;
      disposed = true;
      closeAll([...providers].reverse(), (p) => p.dispose(), 'host providers');
    },
  };
}
