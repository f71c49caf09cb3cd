// The command side of a JavaScript edge app: arguments and environment (wasi:cli/environment),
// a monotonic clock in microseconds, sleeping without spinning, and `command`, which makes
// `wasi:cli/run` out of a main function with C's exit conventions.
import { getArguments, getEnvironment } from 'wasi:cli/environment@0.2.12';
import { now, subscribeDuration } from 'wasi:clocks/monotonic-clock@0.2.12';
import { drop } from './errors.js';

/** argv as the host passes it (argv[0] is the program name). */
export function args() {
  return getArguments();
}

/** The environment as an object. */
export function env() {
  return /** @type {Record<string, string>} */ (Object.fromEntries(getEnvironment()));
}

/**
 * argv[index] when given and not empty, else the environment variable, else the fallback: the way
 * the C apps read their settings.
 * @param {number} index argv position, or -1 for the environment only
 * @param {string} name
 * @param {string} fallback
 */
export function setting(index, name, fallback) {
  const argv = args();
  if (index >= 0 && argv.length > index && argv[index]) return /** @type {string} */ (argv[index]);
  return env()[name] ?? fallback;
}

/** Monotonic time in microseconds. */
export function nowUs() {
  return Number(now() / 1000n);
}

/**
 * Sleeps (blocks on a clock pollable: the host thread waits, nothing spins).
 * @param {number} ms
 */
export function sleepMs(ms) {
  const p = subscribeDuration(BigInt(Math.round(ms * 1e6)));
  p.block();
  drop(p);
}

/**
 * `wasi:cli/run` for a main function. main returns an exit status; 0 is success. A non-zero status
 * or an exception ends the run with `err`, which the host reports as exit status 1; an exception's
 * message goes to stderr first, prefixed with the app's name. Nothing here traps.
 * @param {string} name
 * @param {() => number | void} main
 */
export function command(name, main) {
  return {
    run() {
      let status;
      try {
        status = main();
      } catch (e) {
        console.error(`${name}: ${e instanceof Error ? e.message : String(e)}`);
        throw e;
      }
      if (status) throw new Error(`${name} exited with status ${status}`);
    },
  };
}
