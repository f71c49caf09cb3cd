/**
 * What the device says about each app (`Device.state(app)`, one JSON line per change from
 * `wasi-edge serve`). Plain data, so that it prints as it is.
 */
import type { RunResult } from '../run-result.js';

/**
 * starting: its worker is loading the component; running: its guest runs; restarting: it failed
 * and waits for its next start (nextRestartMs); stopped: it exited 0, or the device was stopped.
 */
export type AppStatus = 'starting' | 'running' | 'restarting' | 'stopped';

/** Why an instance ended other than by exiting 0. */
export type FailureKind = 'trap' | 'stuck' | 'limit' | 'error' | 'exit' | 'hang' | 'crash' | 'start';

export interface AppFailure {
  kind: FailureKind;
  message: string;
  /** The run's status (runner statuses: 1 error/exit, 2 trap or stuck, 4–6 a limit), when there is one. */
  code?: number;
  /** Which start of the app failed. */
  instance: number;
}

export interface AppCounters {
  /** Frames of shared cameras that reached the app's pools, over every instance. */
  frames: number;
  /** Frames of shared cameras the app was too slow for (overwritten in the ring before it read them). */
  lost: number;
  /**
   * Frames copied out of a shared camera's ring: every frame of a by-value pool, and the frames of a
   * host-memory pool beyond the app's `frameHolds` (within them, the guest is lent the ring's slot).
   */
  copies: number;
  /** Transactions it ran on the device's buses. */
  busTransactions: number;
  traps: number;
  limitHits: number;
  hangs: number;
  /** Every failure, whatever its kind. */
  failures: number;
  restarts: number;
  replacements: number;
}

export interface AppState {
  app: string;
  status: AppStatus;
  component: string;
  /** Which start this is (1, 2, …); a restart or a replacement is a new instance. */
  instance: number;
  counters: AppCounters;
  /** Failures in a row (the restart schedule's position). */
  failuresInARow: number;
  /** While restarting: the wait before the next start, ms. */
  nextRestartMs?: number;
  lastError?: AppFailure;
  /** Set once stopped because it exited 0 (it is not restarted). */
  exitCode?: number;
  /** From the failure that restarted the current instance to its first frame, ms. */
  lastRestartMs?: number;
  /** The next instance beside the running one: `loading`, `ready`, or `none` (off, or not made yet). */
  standby: 'none' | 'loading' | 'ready';
}

export function emptyCounters(): AppCounters {
  return { frames: 0, lost: 0, copies: 0, busTransactions: 0, traps: 0, limitHits: 0, hangs: 0, failures: 0, restarts: 0, replacements: 0 };
}

/** How a finished run failed, or undefined if it succeeded. */
export function failureOf(result: RunResult, instance: number): AppFailure | undefined {
  if (result.code === 0) return undefined;
  const code = result.code;
  if (result.limit) return { kind: 'limit', message: result.limit.message, code, instance };
  if (result.trap !== undefined) return { kind: 'trap', message: result.trap, code, instance };
  if (result.stuck !== undefined) return { kind: 'stuck', message: result.stuck, code, instance };
  if (result.error !== undefined) return { kind: 'error', message: result.error, code, instance };
  return { kind: 'exit', message: `the guest exited with status ${code}`, code, instance };
}
