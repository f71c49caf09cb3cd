/**
 * What a run of a component comes to, on every platform and whether it ran in this thread or in
 * a worker (a time-limited guest): the runner's result type, apart so that the platform port can
 * name it without importing the runner.
 */
import type { LimitHit } from './limits.js';

export interface RunResult {
  /**
   * 0 success; 1 the guest returned an error or exited non-zero (its own status if it chose one);
   * 2 trap or stuck; a limit's own status when one ended the run (LIMIT_STATUS: 4 memory, 5 table, 6 time).
   */
  code: number;
  /** The trap message, when the guest trapped. */
  trap?: string;
  /**
   * Set (with status 2) when the guest waited for something that can never happen — a hang the
   * host detected (GuestFatalError); the message says what it waited for.
   */
  stuck?: string;
  /** The error the guest's entry point returned, when it did. */
  error?: string;
  /** The limit that ended the run (`code` is its status), with a one-line message naming it. */
  limit?: LimitHit;
}
