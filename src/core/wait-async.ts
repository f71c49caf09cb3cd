/**
 * `Atomics.waitAsync`, the non-blocking twin of `Atomics.wait`: a Promise that settles when the
 * cell no longer holds `value` (after a notify) or after `timeoutMs`. Used under JSPI, where a
 * waiting import suspends the guest instead of blocking the thread (src/core/jspi.ts). Every
 * runtime with JSPI has it (Node 16 on, Deno, Bun, Chromium); TypeScript's ES2023 lib does not
 * declare it yet.
 */
type WaitAsyncResult = { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
type WaitAsync = (cell: Int32Array, index: number, value: number, timeoutMs?: number) => WaitAsyncResult;

/** setTimeout's longest delay (a longer one fires at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Resolves when cell[index] is no longer `value` or `timeoutMs` has passed (at once if it already
 * differs). The time limit is our own timer, not waitAsync's: on Node, neither a pending waitAsync
 * nor V8's timer for its timeout keeps the event loop alive, and the worker that will notify the
 * cell is unref'd (it must not keep an embedder's process alive), so Node would exit in the middle
 * of the wait. A timer does keep it alive, for as long as the wait lasts.
 */
export async function waitAsync(cell: Int32Array, index: number, value: number, timeoutMs?: number): Promise<void> {
  const wait = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;
  if (!wait) throw new Error('Atomics.waitAsync is missing in this runtime (it has shipped with every runtime that has JSPI)');
  const r = wait(cell, index, value, timeoutMs);
  if (!r.async) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.min(timeoutMs ?? MAX_TIMER_MS, MAX_TIMER_MS));
  });
  try {
    await Promise.race([r.value, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
