/**
 * How the nn layers below the provider report a guest-visible failure: a code (spelled as the
 * wasi:nn `error-code` cases, so the provider passes it through unchanged) and a message for
 * people. The provider turns an NnFailure into a WIT `error` resource; anything else thrown
 * below it is a host bug.
 */
export type NnErrorCode =
  | 'invalid-argument'
  | 'invalid-encoding'
  | 'timeout'
  | 'runtime-error'
  | 'unsupported-operation'
  | 'too-large'
  | 'not-found'
  | 'security'
  | 'unknown';

export class NnFailure extends Error {
  constructor(
    readonly code: NnErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'NnFailure';
  }
}

export function fail(code: NnErrorCode, message: string): never {
  throw new NnFailure(code, message);
}
