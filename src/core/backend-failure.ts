/**
 * The one policy for a backend that throws something its provider did not expect: neither a WIT
 * error value nor the interface's own failure class (a TypeError in an embedder's bus, a native
 * module's argument check, a bug deep in a device). It was still the guest's call that failed, so
 * the guest gets the interface's generic error code (hardware-error, other, runtime-error,
 * not-supported: each provider names its own) with the thrown message. Never an exception out of
 * the import: jco would pass it on and the embedder's whole run would fail for one bad call.
 *
 * It may be a host bug, so with WASI_EDGE_DEBUG set (as for the CLI's stack traces) the throw,
 * stack included, is printed to stderr; otherwise the host stays quiet and the guest decides.
 *
 * Two kinds of throw pass through unchanged: a WitError (already the guest's answer) and a
 * GuestFatalError (a deliberate end of the guest, reported like a trap).
 */
import { GuestFatalError } from './guest-fatal.js';
import { WitError } from './wit-error.js';

/** What a provider throws for `e`: `e` itself if it is a WitError or GuestFatalError, else `generic(message)` as the WIT error. */
export function backendFailure<P>(e: unknown, where: string, generic: (message: string) => P): Error {
  if (e instanceof WitError || e instanceof GuestFatalError) return e;
  const message = unexpectedFailureMessage(e, where);
  return new WitError<P>(generic(message), message);
}

/**
 * `where: <the thrown message>`, printed with the throw when debugging. For a layer below a
 * provider that reports the failure in its interface's own failure class (nn's graph layer, the
 * sensor pool), so that every unexpected throw is described and printed the same way.
 */
export function unexpectedFailureMessage(e: unknown, where: string): string {
  const thrown = (e as Error | null | undefined)?.message;
  const message = `${where}: ${typeof thrown === 'string' ? thrown : String(e)}`;
  if (debugging()) console.error(`wasi-edge: unexpected backend failure (${message}); the guest gets its interface's generic error code`, e);
  return message;
}

/** Read at each failure, so a test (or an embedder) can switch it on at run time. Browsers have no `process`. */
function debugging(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return !!env?.WASI_EDGE_DEBUG;
}
