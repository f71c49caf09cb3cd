/**
 * The `i2c` section as a user writes it (a JSON file, or an object literal in TypeScript): every
 * key the parser (config.ts) accepts, optional where it has a default, so the compiler catches a
 * misspelt key, a wrong bus `kind` or chip, and an unknown EEPROM variant. Address ranges are the
 * parser's to check. Key by key: docs/i2c-spi.md, limits in docs/hardening.md.
 */
import type { Bus } from './bus.js';
import type { I2cFault } from './simulated.js';

/** The AT24C EEPROM sizes the simulated chip models (devices/at24c.ts, AT24C_VARIANTS). */
export type At24cVariant = 'at24c01' | 'at24c02' | 'at24c32' | 'at24c64' | 'at24c128' | 'at24c256' | 'at24c512';

interface ChipInputBase {
  /** The chip's address on the bus: 0 to 0x7f, or 0 to 0x3ff on a `tenBit` bus. Required. */
  address: number;
}

/** A Bosch BME280 temperature / pressure / humidity sensor. */
export interface Bme280Input extends ChipInputBase {
  chip: 'bme280';
  /** What it measures, °C (-40 to 85). Default 21.5. */
  temperature?: number;
  /** What it measures, Pa (30000 to 110000). Default 101325. */
  pressure?: number;
  /** What it measures, %RH (0 to 100). Default 45. */
  humidity?: number;
}

/** An AT24C-series EEPROM (page writes, a self-timed write cycle during which it NACKs). */
export interface At24cInput extends ChipInputBase {
  chip: 'at24c';
  /** Which size. Default `at24c32` (4 KiB, 32-byte pages). */
  variant?: At24cVariant;
  /** The self-timed write cycle, ms (0 to 1000). Default 5. */
  writeCycleMs?: number;
}

/** A TI ADS1115 16-bit ADC. */
export interface Ads1115Input extends ChipInputBase {
  chip: 'ads1115';
  /** The voltages on AIN0..AIN3, V (-0.3 to 5.5); missing ones are 0. Default all 0. */
  inputs?: readonly [ain0?: number, ain1?: number, ain2?: number, ain3?: number];
}

export type I2cChipInput = Bme280Input | At24cInput | Ads1115Input;

/** Per-bus bounds on what one guest call may move (docs/hardening.md). */
export interface I2cLimitsInput {
  /** Largest single `read`, bytes (0 to 65535). Default 4096. */
  maxRead?: number;
  /** Largest total of bytes written + read in one call (0 to 2^24). Default 65536. */
  maxTransactionBytes?: number;
  /** Most operations in one `transaction` (1 to 1024). Default 42 (Linux's I2C_RDWR maximum). */
  maxOperations?: number;
}

interface BusInputBase {
  /** The addresses a guest may use. Default: every address of the bus's range. */
  addresses?: readonly number[];
  /** Every address on this bus is a 10-bit address (0 to 0x3ff). Default `false`. */
  tenBit?: boolean;
  limits?: I2cLimitsInput;
}

/** A bus simulated in the host, with chip models and scripted faults. */
export interface SimulatedBusInput extends BusInputBase {
  kind: 'simulated';
  /** The chips on the bus, each at its own address. Default: none. */
  devices?: readonly I2cChipInput[];
  /** Faults injected from the start, in order (docs/spec-notes/i2c.md). Default: none. */
  faults?: readonly I2cFault[];
  /** Behave as an SMBus-only adapter: refuse what SMBus cannot express. Default `false`. */
  smbusOnly?: boolean;
}

/** A Linux I2C adapter through i2c-dev. */
export interface LinuxBusInput extends BusInputBase {
  kind: 'linux';
  /** The adapter's device file, e.g. `/dev/i2c-1`. Required. */
  device: string;
}

/** A bus the embedder makes itself (a configuration built in code only). */
export interface CustomBusInput extends BusInputBase {
  kind: 'custom';
  /** Any object implementing `Bus` (`transfer`, `close`, `capabilities`). Required. */
  bus: Bus;
}

export type I2cBusInput = SimulatedBusInput | LinuxBusInput | CustomBusInput;

export interface I2cConfigInput {
  /**
   * The buses by the name a guest opens. Given, they replace the default `i2c-sim0` (a BME280 at
   * 0x76, an AT24C32 at 0x50 and an ADS1115 at 0x48).
   */
  buses?: Record<string, I2cBusInput>;
  /** The bus names a guest may open. Default: every configured bus. */
  allow?: readonly string[];
  /** Most `i2c` handles a guest may hold open at once (1 to 65536). Default 64. */
  maxHandles?: number;
}
