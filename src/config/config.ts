/**
 * The `config` section: the values wasi:config/store gives the guest.
 *
 * ```json
 * "config": { "device": "cam-7", "threshold": "0.75" }
 * ```
 * Values must be strings (wasi:config has no other type); a number or boolean is refused with a
 * hint rather than converted, so that `0.1 + 0.2`-style surprises never reach a guest.
 */
import { ConfigError, object } from '../core/validate.js';

export interface ConfigStoreConfig {
  /** Key → value, in the order the file gave them (get-all keeps it). */
  readonly values: ReadonlyMap<string, string>;
}

/** Limits that keep one section from costing the guest more than a config file should. */
export const CONFIG_LIMITS = { maxKeyBytes: 1024, maxValueBytes: 65536, maxKeys: 4096 } as const;

export function defaultConfigStore(): ConfigStoreConfig {
  return { values: new Map() };
}

const utf8 = new TextEncoder();

export function parseConfigStore(raw: unknown, at: string): ConfigStoreConfig {
  const o = object(raw, at);
  const entries = Object.entries(o);
  if (entries.length > CONFIG_LIMITS.maxKeys) throw new ConfigError(at, `at most ${CONFIG_LIMITS.maxKeys} keys`, `${entries.length} keys`);
  const values = new Map<string, string>();
  for (const [key, value] of entries) {
    const field = `${at}.${key}`;
    if (key.length === 0 || utf8.encode(key).length > CONFIG_LIMITS.maxKeyBytes) {
      throw new ConfigError(field, `a key of 1 to ${CONFIG_LIMITS.maxKeyBytes} bytes`, key);
    }
    if (typeof value !== 'string') {
      const hint = typeof value === 'number' || typeof value === 'boolean' ? ` (wasi:config values are strings: write "${String(value)}")` : '';
      throw new ConfigError(field, `a string${hint}`, value);
    }
    if (utf8.encode(value).length > CONFIG_LIMITS.maxValueBytes) {
      throw new ConfigError(field, `a string of at most ${CONFIG_LIMITS.maxValueBytes} bytes`, value);
    }
    values.set(key, value);
  }
  return { values };
}
