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

export interface ProviderContext {
  /** Services other providers registered before this one (see services.ts). */
  services: HostServices;
  /** The WASI imports the host already has (from preview2-shim), for providers that extend them. */
  wasi: Record<string, Record<string, unknown>>;
}

/**
 * What each interface folder exports from `definition.ts`: how to read its configuration
 * section, its all-simulated default, how to build its provider, and what a guest would see.
 */
export interface InterfaceDefinition<C> {
  /** The configuration section name (`i2c`, `sensor`, …). */
  readonly name: 'sensor' | 'i2c' | 'spi' | 'nn' | 'vision';
  /** Validates a section read from JSON; `baseDir` resolves relative paths. Throws ConfigError. */
  parseConfig(raw: unknown, at: string, baseDir: string): C;
  /** The embedded default: simulated devices only, usable with no hardware and no file. */
  defaultConfig(): C;
  create(config: C, ctx: ProviderContext): ProviderInstance;
  /** Human-readable lines for `wasi-edge devices`: what a guest configured this way can open. */
  describe(config: C): string[];
}
