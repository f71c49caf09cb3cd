/**
 * Microchip/Atmel AT24Cxx serial EEPROM (AT24C02 … AT24C512 datasheets).
 *
 * - Word address: 1 byte up to 2 Kbit (AT24C02/04/08/16 use one byte; the larger "block" bits of
 *   the 04/08/16 live in the device address and are not modelled), 2 bytes from AT24C32 up.
 * - Byte/page write: bytes after the word address fill the page buffer; the address counter
 *   wraps inside the page ("roll over"), so extra bytes overwrite the start of the page. The
 *   page is programmed at STOP, which starts the self-timed write cycle (tWR, 5 ms typ.).
 * - During the write cycle the chip does not acknowledge its address (ACK polling).
 * - Current-address read, random read (dummy write of the word address then repeated START),
 *   sequential read with roll-over at the end of memory.
 * - A STOP after only the word address (the dummy write of a random read) programs nothing.
 * - Write protect: `writeProtect = true` makes the chip NACK data bytes (WP pin high).
 */
import { realClock, type Clock } from '../clock.js';
import type { I2cDevice } from './device.js';

export interface At24cGeometry {
  /** Total bytes. */
  size: number;
  /** Page size for page writes. */
  pageSize: number;
  /** Word-address bytes (1 or 2). */
  addressBytes: 1 | 2;
}

export const AT24C_VARIANTS: Readonly<Record<string, At24cGeometry>> = {
  at24c01: { size: 128, pageSize: 8, addressBytes: 1 },
  at24c02: { size: 256, pageSize: 8, addressBytes: 1 },
  at24c32: { size: 4096, pageSize: 32, addressBytes: 2 },
  at24c64: { size: 8192, pageSize: 32, addressBytes: 2 },
  at24c128: { size: 16384, pageSize: 64, addressBytes: 2 },
  at24c256: { size: 32768, pageSize: 64, addressBytes: 2 },
  at24c512: { size: 65536, pageSize: 128, addressBytes: 2 },
};

export interface At24cOptions {
  variant?: keyof typeof AT24C_VARIANTS | string;
  clock?: Clock;
  /** Self-timed write cycle, ms (datasheets: 5 max, some parts 10). */
  writeCycleMs?: number;
  /** Initial contents (shorter is padded with 0xFF, the erased state). */
  contents?: Uint8Array;
}

export class At24c implements I2cDevice {
  readonly chip: string;
  readonly geometry: At24cGeometry;
  /** The memory array; tests may read or preset it. */
  readonly memory: Uint8Array;
  writeProtect = false;
  /** How many write cycles have run (a wear / behaviour counter for tests). */
  writeCycles = 0;
  private readonly clock: Clock;
  private readonly writeCycleMs: number;
  private busyUntil = -Infinity;
  private counter = 0;
  private phase: 'idle' | 'address' | 'data' | 'read' = 'idle';
  private addressBytesSeen = 0;
  private pending = new Map<number, number>();

  constructor(options: At24cOptions = {}) {
    const variant = (options.variant ?? 'at24c32').toLowerCase();
    const geometry = AT24C_VARIANTS[variant];
    if (!geometry) throw new Error(`unknown AT24C variant "${variant}" (known: ${Object.keys(AT24C_VARIANTS).join(', ')})`);
    this.chip = variant;
    this.geometry = geometry;
    this.clock = options.clock ?? realClock;
    this.writeCycleMs = options.writeCycleMs ?? 5;
    this.memory = new Uint8Array(geometry.size).fill(0xff);
    if (options.contents) this.memory.set(options.contents.subarray(0, geometry.size));
  }

  /** True while the self-timed write cycle runs. */
  get busy(): boolean {
    return this.clock.now() < this.busyUntil;
  }

  start(read: boolean): boolean {
    if (this.busy) return false; // no ACK during the write cycle
    // A repeated START ends a write without programming anything (only STOP starts tWR).
    this.pending.clear();
    if (read) {
      this.phase = 'read';
    } else {
      this.phase = 'address';
      this.addressBytesSeen = 0;
    }
    return true;
  }

  write(byte: number): boolean {
    if (this.phase === 'address') {
      const { addressBytes, size } = this.geometry;
      if (this.addressBytesSeen === 0) this.counter = 0;
      this.counter = ((this.counter << 8) | byte) & (size - 1);
      if (++this.addressBytesSeen === addressBytes) this.phase = 'data';
      return true;
    }
    if (this.phase !== 'data') return false;
    if (this.writeProtect) return false;
    this.pending.set(this.counter, byte);
    const { pageSize } = this.geometry;
    const page = this.counter - (this.counter % pageSize);
    this.counter = page + ((this.counter + 1) % pageSize);
    return true;
  }

  read(): number {
    const value = this.memory[this.counter]!;
    this.counter = (this.counter + 1) % this.geometry.size;
    return value;
  }

  stop(): void {
    if (this.phase === 'data' && this.pending.size > 0) {
      for (const [at, value] of this.pending) this.memory[at] = value;
      this.writeCycles++;
      this.busyUntil = this.clock.now() + this.writeCycleMs;
    }
    this.pending.clear();
    this.phase = 'idle';
  }

  describe(): string {
    const g = this.geometry;
    return `${this.chip}: ${g.size} bytes, ${g.pageSize}-byte pages, ${g.addressBytes}-byte word address, tWR ${this.writeCycleMs} ms`;
  }
}
