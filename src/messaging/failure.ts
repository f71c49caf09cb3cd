/**
 * A failure of a messaging operation, in the terms of wasi:messaging's `error` variant; the
 * provider turns it into the WIT value (src/messaging/provider.ts). Backends and the queue know
 * nothing of WIT and throw this.
 */
import { CodedFailure, failWith, type Fail } from '../core/coded-failure.js';

export type MessagingFailureCode = 'timeout' | 'connection' | 'permission-denied' | 'other';

export class MessagingFailure extends CodedFailure<MessagingFailureCode> {
  override readonly name = 'MessagingFailure';
}

export const fail: Fail<MessagingFailureCode> = failWith(MessagingFailure);
