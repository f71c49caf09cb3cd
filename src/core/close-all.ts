/**
 * Releases every item even when some fail, then reports all failures at once: a dispose that
 * stopped at the first error would leak everything after it.
 */
export function closeAll<T>(items: Iterable<T>, close: (item: T) => void, what: string): void {
  const errors: unknown[] = [];
  for (const item of items) {
    try {
      close(item);
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length) throw new AggregateError(errors, `some ${what} failed to close`);
}
