/** How a simulated SPI chip sees the wires: chip select and one full-duplex byte per 8 clocks. */
import type { SpiMode } from '../device.js';

export interface SpiChip {
  readonly chip: string;
  /** Modes the chip samples correctly in (datasheet). */
  readonly modes: readonly SpiMode[];
  /** Highest SCLK the chip supports (Hz). */
  readonly maxFrequency: number;
  /** CS asserted (falling edge). */
  select(): void;
  /** One byte, MSB first as the chip sees it: `mosi` in, the returned byte out on MISO. */
  exchange(mosi: number): number;
  /** CS released: the chip ends the command (flash: starts a program/erase it was given). */
  deselect(): void;
  describe?(): string;
}
