/**
 * When a failed app is started again (docs/device.md, "Restart"). The first failure after a
 * stable run restarts at once, because one trap in hours should cost one frame, not seconds; each
 * further failure in a row waits `initialMs` × `factor`^(n−2), never more than `maxMs`. An
 * instance that ran `resetAfterMs` before it failed counts as stable: its failure is a first one
 * again. With the defaults: 0, 100 ms, 200 ms, 400 ms, … 30 s, 30 s, …
 */
export interface RestartSchedule {
  initialMs: number;
  factor: number;
  maxMs: number;
  resetAfterMs: number;
}

export const DEFAULT_RESTART: Readonly<RestartSchedule> = { initialMs: 100, factor: 2, maxMs: 30_000, resetAfterMs: 10_000 };

/** The wait before restarting after the `failures`-th failure in a row (1 = the first). */
export function restartDelayMs(schedule: RestartSchedule, failures: number): number {
  if (failures <= 1) return 0;
  return Math.min(schedule.maxMs, schedule.initialMs * schedule.factor ** (failures - 2));
}

/** Failures in a row after one more failure of an instance that ran `ranMs`. */
export function failuresInARow(schedule: RestartSchedule, before: number, ranMs: number): number {
  return ranMs >= schedule.resetAfterMs ? 1 : before + 1;
}
