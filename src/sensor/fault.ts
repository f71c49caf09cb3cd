/**
 * How devices and pools report a failure without knowing WIT: a code from the shared
 * device-error / buffer-error vocabulary (the two enums have the same cases) and a message.
 * provider.ts turns it into the WIT error value.
 */
export type FaultCode =
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

export class SensorFault extends Error {
  constructor(
    readonly code: FaultCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'SensorFault';
  }
}

export function fault(code: FaultCode, message: string): never {
  throw new SensorFault(code, message);
}
