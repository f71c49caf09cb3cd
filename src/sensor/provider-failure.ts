/**
 * Sensor failures as the WIT error values of wasi:sensor (`device-error`) and wasi:buffer-pool
 * (`buffer-error`), for provider-sensor.ts and provider-pool.ts. The two enums have the same cases,
 * and SensorFailureCode spells them, so a code passes through unchanged.
 */
import type { BufferError } from '../generated/interfaces/wasi-buffer-pool-buffer-pool.js';
import type { DeviceError } from '../generated/interfaces/wasi-sensor-sensor.js';
import { backendFailure } from '../core/backend-failure.js';
import type { TypeEqual } from '../core/type-equal.js';
import { WitError } from '../core/wit-error.js';
import { SensorFailure, type SensorFailureCode } from './fault.js';

// If wit/ ever gives the two enums different cases, this no longer compiles.
const _sameCodes: TypeEqual<SensorFailureCode, DeviceError> & TypeEqual<SensorFailureCode, BufferError> = true;
void _sameCodes;

/** Throws what an import throws for `e`: a SensorFailure as its code; anything unexpected as hardware-error. */
export function throwSensorError(e: unknown): never {
  if (e instanceof SensorFailure) throw new WitError<DeviceError | BufferError>(e.code, e.message);
  throw backendFailure<DeviceError | BufferError>(e, 'sensor device failure', () => 'hardware-error');
}
