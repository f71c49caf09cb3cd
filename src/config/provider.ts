/**
 * wasi:config/store@0.2.0-rc.1 for jco-transpiled components: the only file of src/config that
 * knows WIT shapes. The store is a snapshot taken when the host is created — the file's values,
 * with those of the retained configuration message over and beside them when a messaging client
 * names a `configTopic` — so a guest reads the same value for a key for as long as it runs
 * (docs/spec-notes/config.md says why, and how a running app learns of a change).
 */
import type * as Store from '../generated/interfaces/wasi-config-store.js';
import type { ProviderContext, ProviderInstance } from '../core/provider.js';
import type { ConfigStoreConfig } from './config.js';
import { retainedValues } from './retained.js';

type StoreImports = { get: typeof Store.get; getAll: typeof Store.getAll };

export function createConfigProvider(config: ConfigStoreConfig, ctx: ProviderContext): ProviderInstance {
  // A Map, not an object: a guest asking for "__proto__" or "constructor" gets none.
  const values = new Map(config.values);
  const notices: string[] = [];
  const retainedKeys: string[] = [];
  if (ctx.services.retainedConfig) {
    const r = retainedValues(ctx.services.retainedConfig);
    if ('notice' in r) {
      notices.push(r.notice);
      globalThis.process?.emitWarning?.(r.notice, 'WasiEdgeConfig');
    } else if ('values' in r) {
      // A key the file has keeps its place in get-all's order; a new one comes after the file's.
      for (const [k, v] of r.values) values.set(k, v);
      retainedKeys.push(...r.values.keys());
    }
  }
  ctx.services.config = { notices, retainedKeys };
  const store: StoreImports = {
    get: (key) => values.get(key),
    getAll: () => [...values],
  };
  return { imports: { 'wasi:config/store': store }, dispose() {} };
}
