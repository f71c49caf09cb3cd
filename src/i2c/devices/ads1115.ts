/**
 * TI ADS1115 16-bit ADC (datasheet SBAS444): four 16-bit registers selected by a pointer byte
 * (0 conversion, 1 config, 2 lo_thresh, 3 hi_thresh), written and read MSB first.
 *
 * - Config reset value 0x8583: single-shot mode, AIN0−AIN1, ±2.048 V, 128 SPS.
 * - Writing OS=1 in single-shot mode starts a conversion; OS reads 0 while it runs (1/SPS)
 *   and 1 when done; the conversion register then holds the result.
 * - Continuous mode (MODE=0): the conversion register follows the inputs.
 * - MUX: 000..011 differential (AIN0−AIN1, AIN0−AIN3, AIN1−AIN3, AIN2−AIN3), 100..111 AINx−GND.
 * - Result = round(V / FSR × 32768), saturated to [−32768, 32767] (two's complement).
 * Not modelled: the comparator/ALERT pin (thresholds are plain registers), input noise.
 */
import { realClock, type Clock } from '../clock.js';
import type { I2cDevice } from './device.js';

const FSR = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256];
const SPS = [8, 16, 32, 64, 128, 250, 475, 860];
const MUX: ReadonlyArray<readonly [number, number | null]> = [
  [0, 1], [0, 3], [1, 3], [2, 3], [0, null], [1, null], [2, null], [3, null],
];

export interface Ads1115Options {
  clock?: Clock;
  /** Input voltages AIN0..AIN3 (V). */
  inputs?: number[];
}

export class Ads1115 implements I2cDevice {
  readonly chip = 'ads1115';
  /** Input voltages AIN0..AIN3, settable while a guest runs. */
  inputs: number[];
  private readonly clock: Clock;
  private regs = [0, 0x8583, 0x8000, 0x7fff];
  private pointer = 0;
  private written = 0;
  private readToggle = 0;
  private convertingUntil = -Infinity;
  private writeBuffer = 0;

  constructor(options: Ads1115Options = {}) {
    this.clock = options.clock ?? realClock;
    this.inputs = [...(options.inputs ?? [0, 0, 0, 0])];
    while (this.inputs.length < 4) this.inputs.push(0);
  }

  /** The conversion result for the current config and inputs. */
  convert(config = this.regs[1]!): number {
    const [p, n] = MUX[(config >> 12) & 7]!;
    const v = (this.inputs[p] ?? 0) - (n === null ? 0 : (this.inputs[n] ?? 0));
    const code = Math.round((v / FSR[(config >> 9) & 7]!) * 32768);
    return Math.max(-32768, Math.min(32767, code)) & 0xffff;
  }

  private singleShot(): boolean {
    return (this.regs[1]! & 0x0100) !== 0;
  }

  private settle(): void {
    if (!this.singleShot()) this.regs[0] = this.convert();
    else if (this.convertingUntil !== -Infinity && this.clock.now() >= this.convertingUntil) {
      this.regs[0] = this.convert();
      this.convertingUntil = -Infinity;
    }
  }

  start(_read: boolean): boolean {
    this.written = 0;
    this.readToggle = 0;
    this.settle();
    return true;
  }

  write(byte: number): boolean {
    const n = this.written++;
    if (n === 0) {
      if (byte > 3) return false; // pointer bits 7:2 must be zero
      this.pointer = byte;
      return true;
    }
    if (n % 2 === 1) {
      this.writeBuffer = byte;
      return true;
    }
    this.writeRegister(this.pointer, (this.writeBuffer << 8) | byte);
    return true;
  }

  private writeRegister(reg: number, value: number): void {
    if (reg === 0) return; // conversion register is read-only
    if (reg === 1) {
      const os = (value & 0x8000) !== 0;
      this.regs[1] = value & 0x7fff;
      if ((value & 0x0100) !== 0 && os) {
        this.convertingUntil = this.clock.now() + 1000 / SPS[(value >> 5) & 7]!;
      }
      return;
    }
    this.regs[reg] = value;
  }

  read(): number {
    this.settle();
    let value = this.regs[this.pointer]!;
    if (this.pointer === 1) {
      const converting = this.convertingUntil !== -Infinity && this.clock.now() < this.convertingUntil;
      value = (value & 0x7fff) | (converting ? 0 : 0x8000);
    }
    const byte = this.readToggle++ % 2 === 0 ? value >> 8 : value & 0xff;
    return byte;
  }

  stop(): void {}

  describe(): string {
    return `ads1115: AIN0..3 = ${this.inputs.map((v) => v.toFixed(3)).join(', ')} V`;
  }
}
