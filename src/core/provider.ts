/**
 * The contract between `src/host/` (composition) and each interface's `provider.ts`.
 * A provider turns its section of the configuration into import-object entries and releases
 * everything it holds on `dispose()`. Providers know WIT shapes; the host knows none.
 */
import type { HostServices } from './services.js';

export interface ProviderInstance {
  /**
   * Import-object entries keyed by the *unversioned* interface name (`wasi:i2c/i2c`); the host
   * adds the versioned keys. A provider may replace a WASI interface (e.g. `wasi:io/poll`) when it
   * must, and says why in a comment.
   */
  imports: Record<string, Record<string, unknown>>;
  /** Releases every host resource (devices, buffers, sessions, fds). Idempotent. */
  dispose(): void;
}

/**
 * What a provider is given. `P` is the part of the platform port this interface needs (cameras for
 * sensor, the blocking bridge for nn); the host's port type is the intersection of every
 * definition's `P`, so a platform that lacks something an interface needs does not compile.
 */
export interface ProviderContext<P = unknown> {
  /** Services other providers registered before this one (see services.ts). */
  services: HostServices;
  /** The WASI imports the host already has (from preview2-shim), for providers that extend them. */
  wasi: Record<string, Record<string, unknown>>;
  platform: P;
  /**
   * The component was transpiled for JSPI (src/core/jspi.ts): the imports this interface names in
   * `suspendingImports` may return a Promise, which suspends the guest until it settles, instead
   * of blocking the thread. Absent or false: every import returns synchronously.
   */
  jspi?: boolean;
}

/**
 * What each interface folder exports from `definition.ts`: its WIT packages and versions, how to
 * read its configuration section, its all-simulated default, how to build its provider, and what a
 * guest would see. The host's registry (src/host/interfaces.ts) lists the definitions; the config
 * types, the section names and the package versions are all derived from that list.
 *
 * - `N`: the configuration section name (`i2c`, `sensor`, …);
 * - `C`: the parsed configuration section;
 * - `I`: the section as a user writes it in a TypeScript config (checked by the compiler);
 * - `P`: what the provider needs of the platform port.
 */
export interface InterfaceDefinition<N extends string = string, C = any, I = unknown, P = unknown> {
  readonly name: N;
  /**
   * The WIT packages this interface provides, each with the version guests import it at ('' for
   * an unversioned package). The host installs each import under both the unversioned and the
   * versioned key (jco reads one, its `.d.ts` names the other).
   */
  readonly packages: Readonly<Record<string, string>>;
  /** Validates a section read from JSON; `baseDir` resolves relative paths. Throws ConfigError. */
  parseConfig(raw: unknown, at: string, baseDir: string): C;
  /** The embedded default: simulated devices only, usable with no hardware and no file. */
  defaultConfig(): C;
  create(config: C, ctx: ProviderContext<P>): ProviderInstance;
  /**
   * Imports this provider can answer with a Promise under JSPI, in jco's `asyncImports` spelling
   * (`wasi:io/poll#[method]pollable.block`). The transpile step makes exactly these suspending.
   */
  readonly suspendingImports?: readonly string[];
  /** Human-readable lines for `wasi-edge devices`: what a guest configured this way can open. */
  describe(config: C): string[];
  /** Type-level only (never set): the section's input type, `I`. */
  readonly inputType?: I;
  /** Type-level only (never set): what the provider needs of the platform port, `P`. */
  readonly platformNeeds?: P;
}
