/**
 * One code path for a value that is there now or later. Under JSPI (src/core/jspi.ts) a provider
 * answers the imports that wait with a Promise; otherwise with the value itself. Logic written
 * with these helpers stays the same for both, and stays synchronous when nothing is a Promise
 * (a synchronous import must never return one: jco would lower it to 0).
 */
export type MaybePromise<T> = T | Promise<T>;

/** `f(v)` now, or when `v` settles. (Not named `then`: a module exporting `then` is a thenable to `import()`.) */
export function andThen<T, R>(v: MaybePromise<T>, f: (v: T) => MaybePromise<R>): MaybePromise<R> {
  return v instanceof Promise ? v.then(f) : f(v);
}

/** `f()`, with a synchronous throw and a rejection both handed to `onError` (which returns or rethrows). */
export function attempt<T>(f: () => MaybePromise<T>, onError: (e: unknown) => MaybePromise<T>): MaybePromise<T> {
  let v: MaybePromise<T>;
  try {
    v = f();
  } catch (e) {
    return onError(e);
  }
  return v instanceof Promise ? v.catch(onError) : v;
}

/** `f()`, then `cleanup()` once it has returned, thrown or settled. */
export function lastly<T>(f: () => MaybePromise<T>, cleanup: () => void): MaybePromise<T> {
  let v: MaybePromise<T>;
  try {
    v = f();
  } catch (e) {
    cleanup();
    throw e;
  }
  if (v instanceof Promise) return v.finally(cleanup);
  cleanup();
  return v;
}
