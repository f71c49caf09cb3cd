/**
 * The `process` global for the browser build (esbuild `inject`). `hrtime.bigint()` is the time
 * since the page's epoch in ns from `performance.timeOrigin + performance.now()`, so readings
 * taken in the page and in its workers are comparable (the webcam stamps frames in the page).
 */
function hrtimeNs(): bigint {
  const ms = performance.timeOrigin + performance.now();
  return BigInt(Math.round(ms * 1e3)) * 1000n;
}
const hrtime = Object.assign(
  (prev?: [number, number]): [number, number] => {
    const ns = hrtimeNs() - (prev ? BigInt(prev[0]) * 1_000_000_000n + BigInt(prev[1]) : 0n);
    return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
  },
  { bigint: hrtimeNs },
);

export const process = {
  env: {} as Record<string, string | undefined>,
  argv: [] as string[],
  platform: 'browser',
  versions: {} as Record<string, string>,
  cwd: (): string => '/',
  hrtime,
  kill: (): never => {
    throw new Error('process.kill is not available in the browser build');
  },
  emitWarning: (): void => {},
  nextTick: (fn: (...a: unknown[]) => void, ...args: unknown[]): void => void queueMicrotask(() => fn(...args)),
};
