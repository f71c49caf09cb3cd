/**
 * Bosch BME280 temperature / pressure / humidity sensor (datasheet BST-BME280-DS002, rev 1.6).
 *
 * Behaves like the chip for a driver: chip id 0xD0 = 0x60, soft reset (0xE0 ← 0xB6), ctrl_hum
 * (0xF2, latched by the next ctrl_meas write), status (0xF3: bit 3 `measuring`), ctrl_meas (0xF4:
 * osrs_t, osrs_p, mode), config (0xF5), burst-readable data 0xF7..0xFE (press msb/lsb/xlsb,
 * temp msb/lsb/xlsb, hum msb/lsb) and calibration words 0x88..0xA1 and 0xE1..0xE7. Register
 * writes are (register, value) pairs, reads auto-increment (datasheet §6.2).
 *
 * The raw ADC values are the ones that the datasheet's compensation formulas (§8.1, floating
 * point) turn into the temperature/pressure/humidity set from outside: the inverse is found by
 * bisection, since each formula is monotonic in its ADC value. A driver that implements the
 * datasheet math therefore reads back what the test set (to the ADC's resolution).
 * Not modelled: the IIR filter, standby timing in normal mode (data is always fresh), SPI mode.
 */
import { realClock, type Clock } from '../clock.js';
import type { I2cDevice } from './device.js';

/** Calibration words (trimming parameters) of a real part; the datasheet names them dig_*. */
export interface Bme280Calibration {
  T1: number; T2: number; T3: number;
  P1: number; P2: number; P3: number; P4: number; P5: number; P6: number; P7: number; P8: number; P9: number;
  H1: number; H2: number; H3: number; H4: number; H5: number; H6: number;
}

export const BME280_DEFAULT_CALIBRATION: Bme280Calibration = {
  T1: 27504, T2: 26435, T3: -1000,
  P1: 36477, P2: -10685, P3: 3024, P4: 2855, P5: 140, P6: -7, P7: 15500, P8: -14600, P9: 6000,
  H1: 75, H2: 362, H3: 0, H4: 313, H5: 50, H6: 30,
};

export interface Bme280Environment {
  /** °C */
  temperature: number;
  /** Pa */
  pressure: number;
  /** %RH */
  humidity: number;
}

export interface Bme280Options extends Partial<Bme280Environment> {
  clock?: Clock;
  calibration?: Bme280Calibration;
  /** 0x60 (BME280); 0x58 makes it answer as a BMP280 (no humidity). */
  chipId?: number;
}

const OSRS = [0, 1, 2, 4, 8, 16, 16, 16];

/** Datasheet §8.1 floating-point compensation: raw ADC values → °C, Pa, %RH. */
export function bme280Compensate(c: Bme280Calibration, adcT: number, adcP: number, adcH: number): Bme280Environment & { tFine: number } {
  let var1 = (adcT / 16384 - c.T1 / 1024) * c.T2;
  let var2 = (adcT / 131072 - c.T1 / 8192) * (adcT / 131072 - c.T1 / 8192) * c.T3;
  const tFine = var1 + var2;
  const temperature = tFine / 5120;

  var1 = tFine / 2 - 64000;
  var2 = (var1 * var1 * c.P6) / 32768;
  var2 = var2 + var1 * c.P5 * 2;
  var2 = var2 / 4 + c.P4 * 65536;
  var1 = ((c.P3 * var1 * var1) / 524288 + c.P2 * var1) / 524288;
  var1 = (1 + var1 / 32768) * c.P1;
  let pressure = 0;
  if (var1 !== 0) {
    let p = 1048576 - adcP;
    p = ((p - var2 / 4096) * 6250) / var1;
    var1 = (c.P9 * p * p) / 2147483648;
    var2 = (p * c.P8) / 32768;
    pressure = p + (var1 + var2 + c.P7) / 16;
  }

  let h = tFine - 76800;
  h = (adcH - (c.H4 * 64 + (c.H5 / 16384) * h)) *
    ((c.H2 / 65536) * (1 + (c.H6 / 67108864) * h * (1 + (c.H3 / 67108864) * h)));
  h = h * (1 - (c.H1 * h) / 524288);
  const humidity = Math.min(100, Math.max(0, h));
  return { temperature, pressure, humidity, tFine };
}

/** Smallest/largest `x` in [lo, hi] whose f(x) is nearest `target`, f monotonic (either way). */
function invert(f: (x: number) => number, target: number, lo: number, hi: number): number {
  const increasing = f(hi) >= f(lo);
  let a = lo;
  let b = hi;
  while (b - a > 1) {
    const m = (a + b) >>> 1;
    if ((f(m) < target) === increasing) a = m;
    else b = m;
  }
  return Math.abs(f(a) - target) <= Math.abs(f(b) - target) ? a : b;
}

export class Bme280 implements I2cDevice {
  readonly chip: string;
  /** Values the chip measures; set them while a guest runs (a temperature that changes). */
  environment: Bme280Environment;
  readonly calibration: Bme280Calibration;
  private readonly clock: Clock;
  private readonly chipId: number;
  private regs = new Uint8Array(256);
  private pointer = 0;
  /** Writes alternate register, value, register, value… (datasheet §6.2.1). */
  private expectRegister = true;
  private measuringUntil = 0;
  private forcedPending = false;
  /** Output registers 0xF7..0xFE as last measured. */
  private data = new Uint8Array([0x80, 0, 0, 0x80, 0, 0, 0x80, 0]);
  /** Shadow copy taken at START so a burst read is consistent (datasheet §4: data shadowing). */
  private shadow = new Uint8Array(8);
  /** ctrl_hum as it takes effect: only after a ctrl_meas write (datasheet §5.4.3). */
  private osrsH = 0;

  constructor(options: Bme280Options = {}) {
    this.clock = options.clock ?? realClock;
    this.calibration = options.calibration ?? BME280_DEFAULT_CALIBRATION;
    this.chipId = options.chipId ?? 0x60;
    this.chip = this.chipId === 0x58 ? 'bmp280' : 'bme280';
    this.environment = {
      temperature: options.temperature ?? 21.5,
      pressure: options.pressure ?? 101325,
      humidity: options.humidity ?? 45,
    };
    this.reset();
  }

  private reset(): void {
    const r = new Uint8Array(256);
    const c = this.calibration;
    const put16 = (at: number, v: number) => {
      r[at] = v & 0xff;
      r[at + 1] = (v >> 8) & 0xff;
    };
    put16(0x88, c.T1); put16(0x8a, c.T2); put16(0x8c, c.T3);
    put16(0x8e, c.P1); put16(0x90, c.P2); put16(0x92, c.P3); put16(0x94, c.P4); put16(0x96, c.P5);
    put16(0x98, c.P6); put16(0x9a, c.P7); put16(0x9c, c.P8); put16(0x9e, c.P9);
    r[0xa1] = c.H1 & 0xff;
    put16(0xe1, c.H2);
    r[0xe3] = c.H3 & 0xff;
    r[0xe4] = (c.H4 >> 4) & 0xff;
    r[0xe5] = ((c.H5 & 0x0f) << 4) | (c.H4 & 0x0f);
    r[0xe6] = (c.H5 >> 4) & 0xff;
    r[0xe7] = c.H6 & 0xff;
    r[0xd0] = this.chipId;
    this.regs = r;
    this.osrsH = 0;
    this.forcedPending = false;
    this.measuringUntil = 0;
    this.data = new Uint8Array([0x80, 0, 0, 0x80, 0, 0, 0x80, 0]);
  }

  private rawCache: { key: string; value: { adcT: number; adcP: number; adcH: number } } | undefined;

  /** Raw ADC values for the current environment (exported for tests and benches). */
  rawValues(): { adcT: number; adcP: number; adcH: number } {
    const c = this.calibration;
    const env = this.environment;
    const key = `${env.temperature}|${env.pressure}|${env.humidity}`;
    if (this.rawCache?.key === key) return this.rawCache.value;
    const adcT = invert((x) => bme280Compensate(c, x, 0, 0).temperature, env.temperature, 0, 0xfffff);
    const adcP = invert((x) => bme280Compensate(c, adcT, x, 0).pressure, env.pressure, 0, 0xfffff);
    const adcH = invert((x) => bme280Compensate(c, adcT, 0, x).humidity, env.humidity, 0, 0xffff);
    this.rawCache = { key, value: { adcT, adcP, adcH } };
    return this.rawCache.value;
  }

  private mode(): number {
    return this.regs[0xf4]! & 0x03;
  }

  /** Takes a measurement with the configured oversampling into the data registers. */
  private measure(): void {
    const ctrl = this.regs[0xf4]!;
    const osrsT = OSRS[(ctrl >> 5) & 7]!;
    const osrsP = OSRS[(ctrl >> 2) & 7]!;
    const raw = this.rawValues();
    // Resolution is 16 bits at ×1 oversampling, one more bit per doubling, up to 20 (§3.4.3).
    const word20 = (v: number, osrs: number) => {
      if (osrs === 0) return 0x80000;
      const bits = Math.min(20, 15 + Math.log2(osrs) + 1);
      return v & ~((1 << (20 - bits)) - 1);
    };
    const p = word20(raw.adcP, osrsP);
    const t = word20(raw.adcT, osrsT);
    const h = this.chipId === 0x58 || this.osrsH === 0 ? 0x8000 : raw.adcH;
    this.data = new Uint8Array([p >> 12, (p >> 4) & 0xff, (p & 0xf) << 4, t >> 12, (t >> 4) & 0xff, (t & 0xf) << 4, h >> 8, h & 0xff]);
  }

  /** Typical measurement time, datasheet §9.1 (ms). */
  private measurementMs(): number {
    const ctrl = this.regs[0xf4]!;
    const t = OSRS[(ctrl >> 5) & 7]!;
    const p = OSRS[(ctrl >> 2) & 7]!;
    const h = this.osrsH;
    return 1 + 2 * t + (p ? 2 * p + 0.5 : 0) + (h ? 2 * h + 0.5 : 0);
  }

  private settle(): void {
    if (this.forcedPending && this.clock.now() >= this.measuringUntil) {
      this.measure();
      this.forcedPending = false;
      this.regs[0xf4] = this.regs[0xf4]! & ~0x03; // back to sleep mode after a forced measurement
    }
    if (this.mode() === 0x03) this.measure();
  }

  start(_read: boolean): boolean {
    this.expectRegister = true;
    this.settle();
    this.shadow = this.data.slice();
    return true;
  }

  write(byte: number): boolean {
    if (this.expectRegister) {
      this.pointer = byte;
      this.expectRegister = false;
      return true;
    }
    this.expectRegister = true;
    this.writeRegister(this.pointer, byte);
    return true;
  }

  private writeRegister(reg: number, value: number): void {
    switch (reg) {
      case 0xe0:
        if (value === 0xb6) this.reset();
        return;
      case 0xf2:
        this.regs[0xf2] = value & 0x07;
        return;
      case 0xf4: {
        this.regs[0xf4] = value;
        this.osrsH = OSRS[this.regs[0xf2]! & 7]!;
        const mode = value & 0x03;
        if (mode === 0x01 || mode === 0x02) {
          this.forcedPending = true;
          this.measuringUntil = this.clock.now() + this.measurementMs();
        }
        return;
      }
      case 0xf5:
        this.regs[0xf5] = value & 0xfd;
        return;
      default:
        return; // read-only or reserved: the chip ACKs and ignores
    }
  }

  read(): number {
    const reg = this.pointer;
    this.pointer = (this.pointer + 1) & 0xff;
    if (reg >= 0xf7 && reg <= 0xfe) return this.shadow[reg - 0xf7]!;
    if (reg === 0xf3) {
      const measuring = this.forcedPending && this.clock.now() < this.measuringUntil;
      return measuring ? 0x08 : 0x00;
    }
    return this.regs[reg]!;
  }

  stop(): void {}

  describe(): string {
    const e = this.environment;
    return `${this.chip}: ${e.temperature.toFixed(2)} °C, ${e.pressure.toFixed(0)} Pa, ${e.humidity.toFixed(1)} %RH`;
  }
}
