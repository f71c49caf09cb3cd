/**
 * The `spi` configuration section: named devices, their bus settings and limits. The settings
 * (`frequency`, `mode`, `lsbFirst`) are the host's to choose: the current wasi:spi gives a guest no
 * way to set them; a guest of the previous revision may still override them per handle with
 * `configure` (docs/spec-notes/spi.md#settings).
 *
 * ```json
 * "spi": {
 *   "devices": {
 *     "flash0": { "kind": "simulated", "chip": "spi-nor", "frequency": 10000000, "mode": 0 },
 *     "adc0":   { "kind": "simulated", "chip": "mcp3008", "vref": 3.3, "inputs": [1.65] },
 *     "spi0.0": { "kind": "linux", "device": "/dev/spidev0.0" }
 *   },
 *   "allow": ["flash0", "adc0"]
 * }
 * ```
 * Embedders (and tests) may pass `{ "kind": "custom", "device": <object implementing SpiBackend> }`.
 */
import { customBackend, parseSlotSection, type SlotSection } from '../core/slot-config.js';
import { ConfigError, array, boolean, integer, number, object, oneOf, onlyKeys, optional, string } from '../core/validate.js';
import { DEFAULT_SETTINGS, type SpiBackend, type SpiMode, type SpiSettings } from './device.js';

export interface SpiLimits {
  /** Most bytes moved in one direction by one call. */
  maxTransferBytes: number;
  /** Most operations in one `transaction`. */
  maxOperations: number;
}

export const DEFAULT_SPI_LIMITS: SpiLimits = { maxTransferBytes: 65536, maxOperations: 64 };

export type SpiChipSpec =
  | { chip: 'spi-nor'; size?: number; jedecId?: [number, number, number] }
  | { chip: 'mcp3008'; vref?: number; vdd?: number; inputs?: number[] };

/** `settings`: what every handle of the device starts with (default mode 0, 1 MHz, MSB first). */
export type SpiDeviceConfig = { limits: SpiLimits; settings: SpiSettings } & (
  | ({ kind: 'simulated' } & SpiChipSpec)
  | { kind: 'linux'; device: string; maxMessageBytes?: number }
  | { kind: 'custom'; device: SpiBackend }
);

/** `allow` names the devices a guest may open; `maxHandles` bounds its open `spi-device` handles. */
export type SpiConfig = SlotSection<'devices', SpiDeviceConfig>;

export function defaultSpiConfig(): SpiConfig {
  return {
    devices: {
      'spi-flash0': { kind: 'simulated', chip: 'spi-nor', limits: { ...DEFAULT_SPI_LIMITS }, settings: { ...DEFAULT_SETTINGS } },
      'spi-adc0': {
        kind: 'simulated', chip: 'mcp3008', vref: 3.3, inputs: [1.65, 0.5, 3.3, 0, 0, 0, 0, 0],
        limits: { ...DEFAULT_SPI_LIMITS }, settings: { ...DEFAULT_SETTINGS },
      },
    },
  };
}

function parseLimits(raw: unknown, at: string): SpiLimits {
  const o = object(raw, at);
  onlyKeys(o, at, ['maxTransferBytes', 'maxOperations']);
  return {
    maxTransferBytes: optional(o, 'maxTransferBytes', at, (v, a) => integer(v, a, 0, 1 << 26)) ?? DEFAULT_SPI_LIMITS.maxTransferBytes,
    maxOperations: optional(o, 'maxOperations', at, (v, a) => integer(v, a, 1, 4096)) ?? DEFAULT_SPI_LIMITS.maxOperations,
  };
}

/** Keys every device kind accepts besides its own. */
const COMMON_KEYS = ['kind', 'limits', 'frequency', 'mode', 'lsbFirst'];

function parseSettings(o: Record<string, unknown>, at: string): SpiSettings {
  return {
    frequency: optional(o, 'frequency', at, (v, a) => integer(v, a, 1, 0xffffffff)) ?? DEFAULT_SETTINGS.frequency,
    mode: (optional(o, 'mode', at, (v, a) => integer(v, a, 0, 3)) ?? DEFAULT_SETTINGS.mode) as SpiMode,
    lsbFirst: optional(o, 'lsbFirst', at, boolean) ?? DEFAULT_SETTINGS.lsbFirst,
  };
}

function parseDevice(raw: unknown, at: string): SpiDeviceConfig {
  const o = object(raw, at);
  const kind = oneOf(o.kind, `${at}.kind`, ['simulated', 'linux', 'custom'] as const);
  const limits = o.limits === undefined ? { ...DEFAULT_SPI_LIMITS } : parseLimits(o.limits, `${at}.limits`);
  const common = { limits, settings: parseSettings(o, at) };
  switch (kind) {
    case 'simulated': {
      const chip = oneOf(o.chip, `${at}.chip`, ['spi-nor', 'mcp3008'] as const);
      if (chip === 'spi-nor') {
        onlyKeys(o, at, [...COMMON_KEYS, 'chip', 'size', 'jedecId']);
        const size = optional(o, 'size', at, (v, a) => integer(v, a, 4096, 1 << 24));
        if (size !== undefined && (size & (size - 1)) !== 0) throw new ConfigError(`${at}.size`, 'a power of two', size);
        const id = optional(o, 'jedecId', at, array)?.map((v, i) => integer(v, `${at}.jedecId[${i}]`, 0, 255));
        if (id && id.length !== 3) throw new ConfigError(`${at}.jedecId`, 'three bytes', id);
        return { kind, chip, ...common, ...(size ? { size } : {}), ...(id ? { jedecId: id as [number, number, number] } : {}) };
      }
      onlyKeys(o, at, [...COMMON_KEYS, 'chip', 'vref', 'vdd', 'inputs']);
      const vref = optional(o, 'vref', at, (v, a) => number(v, a, 0.25, 5.5));
      const vdd = optional(o, 'vdd', at, (v, a) => number(v, a, 2.7, 5.5));
      const inputs = optional(o, 'inputs', at, array)?.map((v, i) => number(v, `${at}.inputs[${i}]`, -0.6, 6));
      if (inputs && inputs.length > 8) throw new ConfigError(`${at}.inputs`, 'at most 8 voltages', inputs);
      return { kind, chip, ...common, ...(vref !== undefined ? { vref } : {}), ...(vdd !== undefined ? { vdd } : {}), ...(inputs ? { inputs } : {}) };
    }
    case 'linux': {
      onlyKeys(o, at, [...COMMON_KEYS, 'device', 'maxMessageBytes']);
      const device = string(o.device, `${at}.device`);
      const max = optional(o, 'maxMessageBytes', at, (v, a) => integer(v, a, 1, 1 << 26));
      return { kind, device, ...common, ...(max ? { maxMessageBytes: max } : {}) };
    }
    case 'custom': {
      const device = customBackend<SpiBackend>(o, at, COMMON_KEYS, 'device', 'SpiBackend', { configure: 'function', transfer: 'function', close: 'function' });
      return { kind, device, ...common };
    }
  }
}

export function parseSpiConfig(raw: unknown, at: string): SpiConfig {
  return parseSlotSection(raw, at, 'devices', parseDevice, () => defaultSpiConfig().devices);
}
