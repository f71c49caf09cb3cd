/**
 * A 25-series SPI NOR flash (command set of the Winbond W25Q16JV datasheet, shared by most
 * 25-series parts). Modes 0 and 3, up to 133 MHz (50 MHz for plain READ, which is what the
 * `maxFrequency` models: READ above it returns garbage on real parts).
 *
 * Commands: 0x9F JEDEC ID (EF 40 15), 0x90 manufacturer/device ID, 0xAB release power-down /
 * device ID, 0x03 READ and 0x0B FAST READ (24-bit address, wraps at the end of the array),
 * 0x05 read status register 1 (bit 0 BUSY, bit 1 WEL), 0x06 write enable, 0x04 write disable,
 * 0x02 page program (256-byte pages, address wraps inside the page; programming only clears
 * bits), 0x20 sector erase (4 KB), 0xD8 block erase (64 KB), 0xC7/0x60 chip erase.
 * Program and erase need WEL, start when CS rises, keep BUSY set for their typical time and
 * clear WEL when done; while BUSY only 0x05 is answered.
 */
import { realClock, type Clock } from '../clock.js';
import type { SpiChip } from './chip.js';

export interface SpiNorOptions {
  clock?: Clock;
  /** Bytes (default 2 MiB, W25Q16). */
  size?: number;
  /** Manufacturer, memory type, capacity (default Winbond W25Q16JV: EF 40 15). */
  jedecId?: readonly [number, number, number];
  contents?: Uint8Array;
}

const PAGE = 256;
/** Typical times, W25Q16JV §9.6 (ms). */
const T_PP = 0.4;
const T_SE = 45;
const T_BE = 150;
const T_CE = 5000;

export class SpiNorFlash implements SpiChip {
  readonly chip = 'spi-nor';
  readonly modes = [0, 3] as const;
  readonly maxFrequency = 50_000_000;
  readonly memory: Uint8Array;
  readonly jedecId: readonly [number, number, number];
  /** Completed program and erase operations (for tests). */
  operations = 0;
  private readonly clock: Clock;
  private busyUntil = -Infinity;
  private wel = false;
  private command = -1;
  private index = 0;
  private address = 0;
  private pendingProgram = new Map<number, number>();

  constructor(options: SpiNorOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.memory = new Uint8Array(options.size ?? 2 * 1024 * 1024).fill(0xff);
    if (options.contents) this.memory.set(options.contents.subarray(0, this.memory.length));
    this.jedecId = options.jedecId ?? [0xef, 0x40, 0x15];
  }

  get busy(): boolean {
    return this.clock.now() < this.busyUntil;
  }

  private status(): number {
    const busy = this.busy;
    if (!busy && this.busyUntil !== -Infinity) {
      this.busyUntil = -Infinity;
      this.wel = false; // WEL clears when a program/erase completes
    }
    return (busy ? 0x01 : 0) | (this.wel ? 0x02 : 0);
  }

  select(): void {
    this.status(); // settles a finished program/erase (clears WEL) before the next command
    this.command = -1;
    this.index = 0;
    this.address = 0;
    this.pendingProgram.clear();
  }

  exchange(mosi: number): number {
    if (this.command < 0) {
      this.command = mosi;
      this.index = 0;
      if (this.busy && mosi !== 0x05) this.command = 0x100; // ignored while busy
      else if (mosi === 0x06) this.wel = true;
      else if (mosi === 0x04) this.wel = false;
      return 0xff;
    }
    const i = this.index++;
    switch (this.command) {
      case 0x9f:
        return this.jedecId[i] ?? 0xff;
      case 0x05:
        return this.status();
      case 0x90: // 3 address bytes then EF 14 EF 14 …
        return i < 3 ? 0xff : i % 2 === 1 ? this.jedecId[0] : this.jedecId[2] - 1;
      case 0xab: // 3 dummy bytes then the device ID, repeated
        return i < 3 ? 0xff : this.jedecId[2] - 1;
      case 0x03:
      case 0x0b: {
        if (i < 3) {
          this.address = ((this.address << 8) | mosi) % this.memory.length;
          return 0xff;
        }
        if (this.command === 0x0b && i === 3) return 0xff; // dummy byte
        const value = this.memory[this.address]!;
        this.address = (this.address + 1) % this.memory.length;
        return value;
      }
      case 0x02:
        if (i < 3) {
          this.address = ((this.address << 8) | mosi) % this.memory.length;
          return 0xff;
        }
        this.pendingProgram.set(this.address, mosi);
        this.address = this.address - (this.address % PAGE) + ((this.address + 1) % PAGE);
        return 0xff;
      case 0x20:
      case 0xd8:
        if (i < 3) this.address = ((this.address << 8) | mosi) % this.memory.length;
        return 0xff;
      default:
        return 0xff;
    }
  }

  deselect(): void {
    const c = this.command;
    if (!this.wel || this.busy) return;
    if (c === 0x02 && this.index > 3 && this.pendingProgram.size > 0) {
      for (const [at, v] of this.pendingProgram) this.memory[at]! &= v; // NOR: programming clears bits
      this.finish(T_PP);
    } else if ((c === 0x20 || c === 0xd8) && this.index >= 3) {
      const span = c === 0x20 ? 4096 : 65536;
      const start = this.address - (this.address % span);
      this.memory.fill(0xff, start, start + span);
      this.finish(c === 0x20 ? T_SE : T_BE);
    } else if ((c === 0xc7 || c === 0x60) && this.index === 0) {
      this.memory.fill(0xff);
      this.finish(T_CE);
    }
    this.pendingProgram.clear();
  }

  private finish(ms: number): void {
    this.operations++;
    this.busyUntil = this.clock.now() + ms;
  }

  describe(): string {
    const id = this.jedecId.map((b) => b.toString(16).padStart(2, '0')).join(' ');
    return `spi-nor flash: JEDEC ${id}, ${this.memory.length} bytes`;
  }
}
