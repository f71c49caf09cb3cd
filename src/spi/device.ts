/**
 * The SPI backend interface (simulated chip, Linux spidev, or an embedder's own). It knows
 * nothing of WIT: the provider maps `SpiFailure.code` to the `wasi:spi` error variant.
 */
import { CodedFailure } from '../core/coded-failure.js';

export type SpiMode = 0 | 1 | 2 | 3;

export interface SpiSettings {
  /** SCLK in Hz. */
  frequency: number;
  /** CPOL/CPHA. */
  mode: SpiMode;
  lsbFirst: boolean;
}

export const DEFAULT_SETTINGS: Readonly<SpiSettings> = { frequency: 1_000_000, mode: 0, lsbFirst: false };

/** One step inside a chip-select assertion. */
export type SpiSegment =
  | { kind: 'read'; length: number }
  | { kind: 'write'; data: Uint8Array }
  | { kind: 'transfer'; data: Uint8Array }
  | { kind: 'delay'; ns: number };

export interface SpiBackend {
  /** Applies clock, mode and bit order. Throws SpiFailure when the controller refuses them. */
  configure(settings: SpiSettings): void;
  /**
   * Asserts chip select, runs every segment in order, releases chip select. Returns one array
   * per segment (empty for write and delay). On a failure chip select is released at once and
   * the later segments do not run.
   */
  transfer(segments: readonly SpiSegment[]): Uint8Array[];
  /** Idempotent. */
  close(): void;
}

export type SpiFailureCode = 'overrun' | 'mode-fault' | 'frame-format' | 'chip-select-fault' | 'unsupported' | 'other';

/** How an SPI backend reports a failure: a normalised code and, from the Linux backend, the OS errno name. */
export class SpiFailure extends CodedFailure<SpiFailureCode> {
  override readonly name = 'SpiFailure';
}

/** Bytes a segment list moves in each direction (spidev limits each to `bufsiz`). */
export function segmentTotals(segments: readonly SpiSegment[]): { tx: number; rx: number } {
  let tx = 0;
  let rx = 0;
  for (const s of segments) {
    if (s.kind === 'write') tx += s.data.length;
    else if (s.kind === 'read') rx += s.length;
    else if (s.kind === 'transfer') {
      tx += s.data.length;
      rx += s.data.length;
    }
  }
  return { tx, rx };
}
