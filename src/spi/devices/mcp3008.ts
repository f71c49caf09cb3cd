/**
 * Microchip MCP3008: 8-channel 10-bit SAR ADC (datasheet DS21295), simulated bit by bit.
 * After CS falls the chip waits for a start bit (the first 1 on DIN), takes 4 configuration
 * bits (SGL/DIFF, D2, D1, D0), samples for one clock (DOUT high-Z, read as 0 here), sends a
 * null bit, then B9..B0 MSB first, then B1..B9 LSB first while clocks continue, then zeros.
 * So the usual 3-byte frame [0x01, 0x80 | ch << 4, 0x00] returns the code in the low 2 bits of
 * byte 1 and all of byte 2. Modes 0 and 3; 3.6 MHz at VDD = 5 V, 1.35 MHz at 2.7 V.
 * Code = floor(1024 × Vin / Vref), clamped to 0..1023; differential pairs CH0/CH1, CH2/CH3, …
 */
import type { SpiChip } from './chip.js';

export interface Mcp3008Options {
  /** Reference voltage (V). */
  vref?: number;
  /** VDD (V); sets the maximum clock. */
  vdd?: number;
  /** Channel voltages CH0..CH7 (V). */
  inputs?: number[];
}

export class Mcp3008 implements SpiChip {
  readonly chip = 'mcp3008';
  readonly modes = [0, 3] as const;
  readonly maxFrequency: number;
  readonly vref: number;
  /** Channel voltages, settable while a guest runs. */
  inputs: number[];
  /** Conversions done (for tests). */
  conversions = 0;
  private state: 'start' | 'config' | 'out' = 'start';
  private configBits = 0;
  private configCount = 0;
  private clocksAfterConfig = 0;
  private code = 0;

  constructor(options: Mcp3008Options = {}) {
    this.vref = options.vref ?? 3.3;
    this.maxFrequency = (options.vdd ?? 3.3) >= 4.5 ? 3_600_000 : 1_350_000;
    this.inputs = [...(options.inputs ?? [])];
    while (this.inputs.length < 8) this.inputs.push(0);
  }

  /** The code a conversion of `config` (SGL/DIFF D2 D1 D0) gives now. */
  convert(config: number): number {
    const single = (config & 0b1000) !== 0;
    const ch = config & 0b111;
    const v = single ? this.inputs[ch]! : this.inputs[ch]! - this.inputs[ch ^ 1]!;
    return Math.max(0, Math.min(1023, Math.floor((1024 * v) / this.vref)));
  }

  select(): void {
    this.state = 'start';
    this.configBits = 0;
    this.configCount = 0;
    this.clocksAfterConfig = 0;
  }

  private clock(din: number): number {
    switch (this.state) {
      case 'start':
        if (din) this.state = 'config';
        return 0;
      case 'config':
        this.configBits = (this.configBits << 1) | din;
        if (++this.configCount === 4) {
          this.state = 'out';
          this.code = this.convert(this.configBits);
          this.conversions++;
        }
        return 0;
      case 'out': {
        const k = ++this.clocksAfterConfig; // 1: sample (high-Z), 2: null bit, 3..12: B9..B0, 13..21: B1..B9
        if (k <= 2) return 0;
        if (k <= 12) return (this.code >> (12 - k)) & 1;
        if (k <= 21) return (this.code >> (k - 12)) & 1;
        return 0;
      }
    }
  }

  exchange(mosi: number): number {
    let miso = 0;
    for (let bit = 7; bit >= 0; bit--) miso = (miso << 1) | this.clock((mosi >> bit) & 1);
    return miso;
  }

  deselect(): void {
    this.state = 'start';
  }

  describe(): string {
    return `mcp3008 ADC: Vref ${this.vref} V, CH0..7 = ${this.inputs.map((v) => v.toFixed(2)).join(', ')} V`;
  }
}
