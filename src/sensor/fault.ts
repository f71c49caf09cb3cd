/**
 * How devices and pools report a failure without knowing WIT: a code from the shared
 * device-error / buffer-error vocabulary (the two enums have the same cases) and a message.
 * The provider*.ts files turn it into the WIT error value.
 */
export type SensorFailureCode =
  | 'not-found'
  | 'invalid-argument'
  | 'resource-exhausted'
  | 'permission-denied'
  | 'busy'
  | 'timeout'
  | 'cancelled'
  | 'aborted'
  | 'already-exists'
  | 'invalid-operation'
  | 'out-of-range'
  | 'data-loss'
  | 'hardware-error'
  | 'not-supported'
  | 'unknown';

export class SensorFailure extends Error {
  constructor(
    readonly code: SensorFailureCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'SensorFailure';
  }
}

/** Throws a SensorFailure (the throw helper devices and pixels.ts use). */
export function fault(code: SensorFailureCode, message: string): never {
  throw new SensorFailure(code, message);
}
