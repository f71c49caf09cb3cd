/**
 * A failure of a messaging operation, in the terms of wasi:messaging's `error` variant; the
 * provider turns it into the WIT value (src/messaging/provider.ts). Backends and the queue know
 * nothing of WIT and throw this.
 */
export type MessagingFailureCode = 'timeout' | 'connection' | 'permission-denied' | 'other';

export class MessagingFailure extends Error {
  constructor(
    readonly code: MessagingFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'MessagingFailure';
  }
}

export function fail(code: MessagingFailureCode, message: string): never {
  throw new MessagingFailure(code, message);
}
