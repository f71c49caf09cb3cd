/**
 * The one bus primitive every I2C backend implements (Linux, simulated, or an embedder's own).
 * It knows nothing of WIT: the provider maps `I2cFailure.code` to `wasi:i2c` error codes.
 *
 * Model: embedded-hal 1.0 `I2c::transaction` and the kernel's `I2C_RDWR`: all segments go out as
 * ONE bus transaction — START, address+segment, repeated START before each later segment, one
 * STOP at the end (also after a failure).
 */

import { CodedFailure } from '../core/coded-failure.js';

/** One step of a transfer: bytes to send, or a number of bytes to receive. */
export type Segment = { write: Uint8Array } | { read: number };

/** What a bus can express. Tests simulate pure-SMBus adapters by clearing `i2c`. */
export interface BusCapabilities {
  /** Arbitrary combined transfers (Linux `I2C_FUNC_I2C`). False on SMBus-only controllers. */
  i2c: boolean;
  /** 10-bit addresses (`I2C_FUNC_10BIT_ADDR`). */
  tenBit: boolean;
}

export interface TransferOptions {
  /** Send `address` as a 10-bit address (bus configured for 10-bit addressing). */
  tenBit?: boolean;
}

export interface Bus {
  readonly capabilities: BusCapabilities;
  /**
   * One bus transaction. Returns one array per `read` segment, in order (writes return nothing).
   * Throws `I2cFailure` for everything the bus or the device caused.
   */
  transfer(address: number, segments: readonly Segment[], options?: TransferOptions): Uint8Array[];
  /** Releases file descriptors etc. Idempotent. */
  close(): void;
}

/**
 * Normalised failure codes. `nack-unknown` is for controllers that cannot tell address from data
 * NACKs; `unsupported` is a transfer this bus cannot express faithfully (e.g. SMBus-only adapter).
 */
export type I2cFailureCode =
  | 'nack-address'
  | 'nack-data'
  | 'nack-unknown'
  | 'arbitration-loss'
  | 'bus'
  | 'overrun'
  | 'unsupported'
  | 'other';

export const I2C_FAILURE_CODES: readonly I2cFailureCode[] = [
  'nack-address',
  'nack-data',
  'nack-unknown',
  'arbitration-loss',
  'bus',
  'overrun',
  'unsupported',
  'other',
];

/** How a bus reports a failure: a normalised code and, from the Linux backend, the OS errno name. */
export class I2cFailure extends CodedFailure<I2cFailureCode> {
  override readonly name = 'I2cFailure';
}

export function isI2cFailure(e: unknown): e is I2cFailure {
  return e instanceof I2cFailure;
}

/** Total bytes a transfer moves (for limits). */
export function segmentBytes(segments: readonly Segment[]): number {
  let n = 0;
  for (const s of segments) n += 'write' in s ? s.write.length : s.read;
  return n;
}

/** `0x48` → `"0x48"`, for messages and logs. */
export function hex(n: number, width = 2): string {
  return '0x' + n.toString(16).padStart(width, '0');
}
