/**
 * wasi:config/store@0.2.0-rc.1 for jco-transpiled components: the only file of src/config that
 * knows WIT shapes. The store is a snapshot taken when the host is created, so a guest reads the
 * same value for a key for as long as it runs (docs/spec-notes/config.md says why, and how a
 * running app learns of a change).
 */
import type * as Store from '../generated/interfaces/wasi-config-store.js';
import type { ProviderInstance } from '../core/provider.js';
import type { ConfigStoreConfig } from './config.js';

type StoreImports = { get: typeof Store.get; getAll: typeof Store.getAll };

export function createConfigProvider(config: ConfigStoreConfig): ProviderInstance {
  // A Map, not an object: a guest asking for "__proto__" or "constructor" gets none.
  const values = new Map(config.values);
  const store: StoreImports = {
    get: (key) => values.get(key),
    getAll: () => [...values],
  };
  return { imports: { 'wasi:config/store': store }, dispose() {} };
}
