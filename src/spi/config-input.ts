/**
 * The `spi` section as a user writes it (a JSON file, or an object literal in TypeScript): every
 * key the parser (config.ts) accepts, optional where it has a default, so the compiler catches a
 * misspelt key, a wrong device `kind` or chip. Ranges are the parser's to check. Key by key:
 * docs/i2c-spi.md, limits in docs/hardening.md.
 */
import type { SpiBackend } from './device.js';

/** Per-device bounds on what one guest call may move (docs/hardening.md). */
export interface SpiLimitsInput {
  /** Most bytes moved in one direction by one call (0 to 2^26). Default 65536. */
  maxTransferBytes?: number;
  /** Most operations in one `transaction` (1 to 4096). Default 64. */
  maxOperations?: number;
}

interface DeviceInputBase {
  limits?: SpiLimitsInput;
  /**
   * SCLK, Hz (1 to 2^32-1), what every handle starts with: the current wasi:spi leaves the bus
   * settings to the host; a guest of the previous revision may override them per handle with
   * `configure`. Default 1000000.
   */
  frequency?: number;
  /** SPI mode, CPOL/CPHA (0 to 3). Default 0. */
  mode?: 0 | 1 | 2 | 3;
  /** Least-significant bit first. Default false (MSB first). */
  lsbFirst?: boolean;
}

/** A simulated SPI NOR flash (W25Q-style: JEDEC ID, read, page program, erase). */
export interface SpiNorInput extends DeviceInputBase {
  kind: 'simulated';
  chip: 'spi-nor';
  /** Bytes, a power of two from 4096 to 2^24. Default 2 MiB (W25Q16). */
  size?: number;
  /** Manufacturer, memory type, capacity bytes (0 to 255). Default Winbond W25Q16JV: `[239, 64, 21]`. */
  jedecId?: readonly [manufacturer: number, memoryType: number, capacity: number];
}

/** A simulated Microchip MCP3008 8-channel 10-bit ADC. */
export interface Mcp3008Input extends DeviceInputBase {
  kind: 'simulated';
  chip: 'mcp3008';
  /** Reference voltage, V (0.25 to 5.5). Default 3.3. */
  vref?: number;
  /** Supply voltage, V (2.7 to 5.5); at 4.5 V and above the chip allows a faster clock. Default 3.3. */
  vdd?: number;
  /** The voltages on CH0..CH7, V (-0.6 to 6); missing ones are 0. Default all 0. */
  inputs?: readonly [ch0?: number, ch1?: number, ch2?: number, ch3?: number, ch4?: number, ch5?: number, ch6?: number, ch7?: number];
}

/** A Linux spidev device. */
export interface LinuxSpiInput extends DeviceInputBase {
  kind: 'linux';
  /** The device file, e.g. `/dev/spidev0.0`. Required. */
  device: string;
  /**
   * Largest message, bytes (1 to 2^26); a larger one is refused, not split (that would release
   * chip select). Default: spidev's `bufsiz` (/sys/module/spidev/parameters/bufsiz), else 4096.
   */
  maxMessageBytes?: number;
}

/** A device the embedder makes itself (a configuration built in code only). */
export interface CustomSpiInput extends DeviceInputBase {
  kind: 'custom';
  /** Any object implementing `SpiBackend` (`configure`, `transfer`, `close`). Required. */
  device: SpiBackend;
}

export type SpiDeviceInput = SpiNorInput | Mcp3008Input | LinuxSpiInput | CustomSpiInput;

export interface SpiConfigInput {
  /**
   * The devices by the name a guest opens. Given, they replace the defaults `spi-flash0`
   * (W25Q16-like NOR flash) and `spi-adc0` (an MCP3008).
   */
  devices?: Record<string, SpiDeviceInput>;
  /** The device names a guest may open. Default: every configured device. */
  allow?: readonly string[];
  /** Most `spi-device` handles a guest may hold open at once (1 to 65536). Default 64. */
  maxHandles?: number;
}
