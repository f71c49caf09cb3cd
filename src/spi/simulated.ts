/**
 * A simulated SPI device: one chip behind a chip select, with the controller settings applied
 * the way the wires would (bit order reversed on both lines when they disagree; a mode or clock
 * the chip does not support makes it see no valid clocks, so MISO floats high and reads 0xFF),
 * scripted faults, and a log of every chip-select assertion.
 */
import { appendBounded } from '../core/bounded-log.js';
import { realClock, type Clock } from './clock.js';
import { DEFAULT_SETTINGS, SpiFailure, type SpiBackend, type SpiSegment, type SpiSettings } from './device.js';
import type { SpiChip } from './devices/chip.js';

export type SpiFaultKind = 'overrun' | 'mode-fault' | 'frame-format' | 'chip-select-fault';

/** A controller-reported fault on the next `count` (default 1) transfers, after `afterBytes` bytes. */
export interface SpiFault {
  kind: SpiFaultKind;
  afterBytes?: number;
  count?: number;
}

export interface SpiLogSegment {
  kind: SpiSegment['kind'];
  tx?: Uint8Array;
  rx?: Uint8Array;
  ns?: number;
}

export interface SpiLogEntry {
  at: number;
  settings: SpiSettings;
  segments: SpiLogSegment[];
  error?: SpiFaultKind;
  /** Clock time when chip select was released. */
  releasedAt: number;
}

const REVERSE = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let r = 0;
  for (let b = 0; b < 8; b++) if (i & (1 << b)) r |= 0x80 >> b;
  REVERSE[i] = r;
}

export interface SimulatedSpiOptions {
  clock?: Clock;
  logLimit?: number;
}

export class SimulatedSpiDevice implements SpiBackend {
  readonly chip: SpiChip;
  readonly clock: Clock;
  readonly log: SpiLogEntry[] = [];
  settings: SpiSettings = { ...DEFAULT_SETTINGS };
  private faults: Array<{ fault: SpiFault; remaining: number }> = [];
  private readonly logLimit: number;
  private closed = false;

  constructor(chip: SpiChip, options: SimulatedSpiOptions = {}) {
    this.chip = chip;
    this.clock = options.clock ?? realClock;
    this.logLimit = options.logLimit ?? 1000;
  }

  configure(settings: SpiSettings): void {
    if (this.closed) throw new SpiFailure('other', 'the device is closed');
    this.settings = { ...settings };
  }

  inject(fault: SpiFault): void {
    this.faults.push({ fault, remaining: fault.count ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  clearLog(): void {
    this.log.length = 0;
  }

  /** Whether the chip can follow the current settings. */
  get understood(): boolean {
    const s = this.settings;
    return (this.chip.modes as readonly number[]).includes(s.mode) && s.frequency <= this.chip.maxFrequency;
  }

  transfer(segments: readonly SpiSegment[]): Uint8Array[] {
    if (this.closed) throw new SpiFailure('other', 'the device is closed');
    const active = this.faults[0];
    let fault: SpiFault | undefined;
    if (active) {
      fault = active.fault;
      if (--active.remaining <= 0) this.faults.shift();
    }
    const entry: SpiLogEntry = { at: this.clock.now(), settings: { ...this.settings }, segments: [], releasedAt: 0 };
    const understood = this.understood;
    const lsb = this.settings.lsbFirst;
    let bytes = 0;
    const exchange = (mosi: number): number => {
      if (fault && bytes === (fault.afterBytes ?? 0)) {
        throw new SpiFailure(fault.kind, `${fault.kind} after ${bytes} bytes`);
      }
      bytes++;
      if (!understood) return 0xff;
      const out = this.chip.exchange(lsb ? REVERSE[mosi]! : mosi) & 0xff;
      return lsb ? REVERSE[out]! : out;
    };
    const results: Uint8Array[] = [];
    this.chip.select();
    try {
      for (const s of segments) {
        if (s.kind === 'delay') {
          this.clock.sleep(s.ns / 1e6);
          entry.segments.push({ kind: 'delay', ns: s.ns });
          results.push(new Uint8Array(0));
          continue;
        }
        const tx = s.kind === 'read' ? new Uint8Array(s.length) : s.data;
        const rx = new Uint8Array(tx.length);
        const logged: SpiLogSegment = { kind: s.kind, tx: tx.slice(0, 0), rx: rx.slice(0, 0) };
        entry.segments.push(logged);
        // The log gets the bytes exchanged, including the one a fault interrupted. Sliced once per
        // segment: slicing per byte made a 64 KiB transfer quadratic (seconds; docs/hardening.md).
        let done = 0;
        try {
          for (; done < tx.length; done++) rx[done] = exchange(tx[done]!);
        } finally {
          const n = Math.min(done + 1, tx.length);
          logged.tx = tx.slice(0, n);
          logged.rx = rx.slice(0, n);
        }
        if (s.kind === 'write') delete logged.rx;
        if (s.kind === 'read') delete logged.tx;
        results.push(s.kind === 'write' ? new Uint8Array(0) : rx);
      }
      if (fault && bytes <= (fault.afterBytes ?? 0)) {
        // The fault was scripted at or past the end of this message: the controller reports it at the end.
        throw new SpiFailure(fault.kind, `${fault.kind} at the end of the message`);
      }
    } catch (e) {
      if (e instanceof SpiFailure && e.code !== 'unsupported' && e.code !== 'other') entry.error = e.code;
      throw e;
    } finally {
      this.chip.deselect(); // released at once, also on error
      entry.releasedAt = this.clock.now();
      appendBounded(this.log, entry, this.logLimit);
    }
    return results;
  }

  close(): void {
    this.closed = true;
  }
}
