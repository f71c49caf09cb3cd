// WIT error values as JavaScript exceptions with a `code`.
//
// componentize-js already turns an `err` result of an imported function into a thrown
// ComponentError whose `payload` is the WIT error value, in whichever shape its type has: an enum
// case is a string ('not-found'), a variant case an object ({tag: 'no-acknowledge', val: 'address'}),
// and wasi:nn's error is a resource with code() and data(). EdgeError gives them all one shape, so
// that an app can write `if (e.code === 'no-acknowledge')` whatever the interface.

/** The symbol componentize-js puts resource drops under (StarlingMonkey may lack Symbol.dispose). */
export const dispose = Symbol.dispose ?? Symbol.for('dispose');

export class EdgeError extends Error {
  /**
   * @param {string} op what was called, for messages ("write-read", "load-by-name blazeface")
   * @param {string} code the WIT error case ("no-acknowledge", "not-found", "hardware-error")
   * @param {string | undefined} [detail] the case's payload, when it has one ("address", a message)
   */
  constructor(op, code, detail) {
    super(detail === undefined ? `${op}: ${code}` : `${op}: ${code}: ${detail}`);
    this.name = 'EdgeError';
    this.op = op;
    this.code = code;
    this.detail = detail;
  }
}

/**
 * The `code` and `detail` of a WIT error value as componentize-js hands it over.
 * @param {unknown} payload
 * @returns {{ code: string, detail?: string }}
 */
export function describePayload(payload) {
  if (typeof payload === 'string') return { code: payload };
  if (payload && typeof payload === 'object') {
    const p = /** @type {Record<string | symbol, unknown>} */ (payload);
    if (typeof p.code === 'function' && typeof p.data === 'function') {
      // wasi:nn's error resource: read it, then give the handle back.
      const code = String(p.code.call(payload));
      const detail = String(p.data.call(payload));
      if (typeof p[dispose] === 'function') p[dispose].call(payload);
      return { code, detail };
    }
    if (typeof p.tag === 'string') return p.val === undefined ? { code: p.tag } : { code: p.tag, detail: String(p.val) };
  }
  return { code: 'unknown', detail: String(payload) };
}

/**
 * `e` as an EdgeError when it carries a WIT error value; anything else (a bug in the app, a
 * TypeError) is returned unchanged.
 * @param {string} op
 * @param {unknown} e
 */
export function toEdgeError(op, e) {
  if (e instanceof EdgeError) return e;
  if (e && typeof e === 'object' && 'payload' in e) {
    const { code, detail } = describePayload(/** @type {{ payload: unknown }} */ (e).payload);
    return new EdgeError(op, code, detail);
  }
  return e;
}

/**
 * Runs one host call; a WIT error comes out as an EdgeError named after `op`.
 * @template T
 * @param {string} op
 * @param {() => T} fn
 * @returns {T}
 */
export function call(op, fn) {
  try {
    return fn();
  } catch (e) {
    throw toEdgeError(op, e);
  }
}

/**
 * Drops a resource handle now instead of when the garbage collector gets to it (a camera frame goes
 * back to its pool only when its image is dropped).
 * @param {unknown} resource
 */
export function drop(resource) {
  const r = /** @type {Record<symbol, unknown> | null | undefined} */ (resource);
  if (r && typeof r[dispose] === 'function') /** @type {() => void} */ (r[dispose]).call(r);
}
