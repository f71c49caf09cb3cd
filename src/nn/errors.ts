/**
 * How the nn layers below the provider report a guest-visible failure: a code (spelled as the
 * wasi:nn `error-code` cases, so the provider passes it through unchanged) and a message for
 * people. The provider turns an NnFailure into a WIT `error` resource; anything else thrown
 * below it becomes runtime-error (src/core/backend-failure.ts).
 */
import { CodedFailure, failWith, type Fail } from '../core/coded-failure.js';

export type NnFailureCode =
  | 'invalid-argument'
  | 'invalid-encoding'
  | 'timeout'
  | 'runtime-error'
  | 'unsupported-operation'
  | 'too-large'
  | 'not-found'
  | 'security'
  | 'unknown';

export class NnFailure extends CodedFailure<NnFailureCode> {
  override readonly name = 'NnFailure';
}

export const fail: Fail<NnFailureCode> = failWith(NnFailure);
