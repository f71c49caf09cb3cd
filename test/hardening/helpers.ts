/**
 * Helpers for the hardening tests: a whole host built from a config section (as an embedder would),
 * its imports called as jco calls them, and the WIT error a call throws.
 */
import { createHost, type EdgeHost } from '../../src/index.js';
import type { EdgeConfigInput } from '../../src/host/config.js';
import { WitError } from '../../src/core/wit-error.js';

export type Api = Record<string, any>;

export function host(config: EdgeConfigInput = {}): EdgeHost & { api(name: string): Api } {
  const h = createHost(config, { stdio: { stdout: () => {}, stderr: () => {} } });
  return Object.assign(h, {
    api(name: string): Api {
      const entry = h.imports[name];
      if (!entry) throw new Error(`no import ${name}`);
      return entry as Api;
    },
  });
}

/** The payload of the WIT error `f` throws; fails when it returns or throws anything else. */
export function witError(f: () => unknown): any {
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  if (!(thrown instanceof WitError)) {
    throw new Error(`expected a WIT error, got ${thrown === undefined ? 'success' : String(thrown)}`);
  }
  return thrown.payload;
}

/** A WIT error payload as a short code: enums as they are, variants by tag, nn errors by code(). */
export function codeOf(payload: any): string {
  if (typeof payload === 'string') return payload;
  if (payload && typeof payload.code === 'function') return payload.code();
  if (payload && typeof payload.tag === 'string') return payload.tag;
  return String(payload);
}
