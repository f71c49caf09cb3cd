/**
 * The shared words between a V4L2 device and its watcher worker (koffi-kernel.ts starts it,
 * watcher.ts runs it): one Int32Array over a SharedArrayBuffer, both sides naming its slots here.
 */
export const CTL = {
  /** Set to 1 by the device: the watcher leaves at its next look. */
  stop: 0,
  /** Bumped by the reader after each dequeue; the watcher waits on it between reminders. */
  acks: 1,
  /** Set to 1 by the watcher as it leaves: only then may the device close the fd. */
  exited: 2,
  /** The start handshake: one of START's values. */
  start: 3,
} as const;

/** The words in all. */
export const CTL_WORDS = 4;

/** ctl[CTL.start]: the worker claims PENDING → STARTED before it loads koffi; a stop first makes it CANCELLED. */
export const START = { pending: 0, started: 1, cancelled: 2 } as const;
