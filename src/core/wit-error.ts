/**
 * How a provider reports a guest-caused failure. jco lowers a thrown value with an own `payload`
 * property into the `err` case of the import's `result`, so the guest receives a WIT error value
 * instead of a trap. Anything else thrown from an import is a host bug and reaches the embedder.
 */
export class WitError<P> extends Error {
  readonly payload: P;

  constructor(payload: P, message?: string) {
    super(message ?? `WIT error: ${JSON.stringify(payload)}`);
    this.name = 'WitError';
    this.payload = payload;
  }
}

/** Throws `payload` as the import's `err` value. */
export function witError<P>(payload: P, message?: string): never {
  throw new WitError(payload, message);
}
