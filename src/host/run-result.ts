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
  /** Set when the run used JSPI bindings (RunOptions.jspi, src/core/jspi.ts): waits suspended the guest. */
  jspi?: true;
  /**
   * Set (with status 2) when the guest waited for something that can never happen — a hang the
   * host detected (GuestFatalError); the message says what it waited for.
   */
  stuck?: string;
  /** The error the guest's entry point returned, when it did. */
  error?: string;
  /** The limit that ended the run (`code` is its status), with a one-line message naming it. */
  limit?: LimitHit;
  /** What the run used (RunOptions.report; `wasi-edge run --report`). */
  report?: RunReport;
}

/** What a run used: the component's sizes, its memory and tables at the end, the host's memory. */
export interface RunReport {
  /** The component file's size in bytes. */
  componentBytes: number;
  /** Bytes of code (the code sections of its core modules). */
  codeBytes: number;
  /** The largest linear memory at the end of the run: memories never shrink, so its peak. */
  memoryBytes: number;
  /** The largest linear memory the guest had or asked for: a grow a cap refused counts with the size it asked for. */
  memoryNeededBytes: number;
  /** The largest table at the end of the run, in elements. */
  tableElements: number;
  /** This process's resident memory at its peak so far (absent where the platform cannot tell). */
  hostPeakRssBytes: number;
  /** What this process's resident memory grew by from before the host existed to the end of the run. */
  hostRssGrowthBytes: number;
}
