/**
 * The `i2c` configuration section: named buses, what a guest may touch on each, and limits.
 *
 * ```json
 * "i2c": {
 *   "buses": {
 *     "i2c-sim0": { "kind": "simulated", "devices": [{ "chip": "bme280", "address": 118 }] },
 *     "i2c-1":    { "kind": "linux", "device": "/dev/i2c-1", "addresses": [72, 80] }
 *   },
 *   "allow": ["i2c-sim0"]
 * }
 * ```
 * Embedders (and tests) may also pass `{ "kind": "custom", "bus": <object implementing Bus> }`.
 */
import { customBackend, parseSlotSection, type SlotSection } from '../core/slot-config.js';
import { ConfigError, array, boolean, integer, number, object, oneOf, onlyKeys, optional, string } from '../core/validate.js';
import type { Bus } from './bus.js';
import { AT24C_VARIANTS } from './devices/at24c.js';
import type { I2cFault } from './simulated.js';

export type I2cDeviceSpec =
  | { chip: 'bme280'; address: number; temperature?: number; pressure?: number; humidity?: number }
  | { chip: 'at24c'; address: number; variant: string; writeCycleMs?: number }
  | { chip: 'ads1115'; address: number; inputs?: number[] };

export interface I2cLimits {
  /** Largest single `read` (bytes). */
  maxRead: number;
  /** Largest total of bytes written + read in one call. */
  maxTransactionBytes: number;
  /** Most operations in one `transaction` (Linux allows 42 messages per I2C_RDWR). */
  maxOperations: number;
}

export const DEFAULT_LIMITS: I2cLimits = { maxRead: 4096, maxTransactionBytes: 65536, maxOperations: 42 };

interface BusCommon {
  /** Addresses the guest may use; undefined = all addresses of the bus's range. */
  addresses?: number[];
  /** Every address on this bus is a 10-bit address (0..0x3ff). */
  tenBit: boolean;
  limits: I2cLimits;
}

export type I2cBusConfig = BusCommon &
  (
    | { kind: 'simulated'; devices: I2cDeviceSpec[]; faults: I2cFault[]; smbusOnly: boolean }
    | { kind: 'linux'; device: string }
    | { kind: 'custom'; bus: Bus }
  );

/** `allow` names the buses a guest may open; `maxHandles` bounds its open `i2c` handles. */
export type I2cConfig = SlotSection<'buses', I2cBusConfig>;

export function defaultI2cConfig(): I2cConfig {
  return {
    buses: {
      'i2c-sim0': {
        kind: 'simulated',
        devices: [
          { chip: 'bme280', address: 0x76 },
          { chip: 'at24c', address: 0x50, variant: 'at24c32' },
          { chip: 'ads1115', address: 0x48, inputs: [1.25, 0.5, 3.3, 0] },
        ],
        faults: [],
        smbusOnly: false,
        tenBit: false,
        limits: { ...DEFAULT_LIMITS },
      },
    },
  };
}

const FAULT_KINDS = ['nack-address', 'nack-data', 'arbitration-loss', 'overrun', 'nack-unknown', 'stuck', 'slow'] as const;

function parseFault(raw: unknown, at: string): I2cFault {
  const o = object(raw, at);
  onlyKeys(o, at, ['kind', 'address', 'count', 'afterBytes', 'delayMs']);
  const kind = oneOf(o.kind, `${at}.kind`, FAULT_KINDS);
  const address = optional(o, 'address', at, (v, a) => integer(v, a, 0, 0x3ff));
  const count = optional(o, 'count', at, (v, a) => integer(v, a, 1, 1e9));
  const fault: Record<string, unknown> = { kind };
  if (address !== undefined) fault.address = address;
  if (count !== undefined) fault.count = count;
  if (kind === 'nack-data') fault.afterBytes = optional(o, 'afterBytes', at, (v, a) => integer(v, a, 0, 1 << 20)) ?? 0;
  if (kind === 'slow') fault.delayMs = number(o.delayMs, `${at}.delayMs`, 0, 60000);
  return fault as unknown as I2cFault;
}

function parseDevice(raw: unknown, at: string, tenBit: boolean): I2cDeviceSpec {
  const o = object(raw, at);
  const chip = oneOf(o.chip, `${at}.chip`, ['bme280', 'at24c', 'ads1115'] as const);
  const address = integer(o.address, `${at}.address`, 0, tenBit ? 0x3ff : 0x7f);
  switch (chip) {
    case 'bme280': {
      onlyKeys(o, at, ['chip', 'address', 'temperature', 'pressure', 'humidity']);
      const spec: I2cDeviceSpec = { chip, address };
      const t = optional(o, 'temperature', at, (v, a) => number(v, a, -40, 85));
      const p = optional(o, 'pressure', at, (v, a) => number(v, a, 30000, 110000));
      const h = optional(o, 'humidity', at, (v, a) => number(v, a, 0, 100));
      if (t !== undefined) spec.temperature = t;
      if (p !== undefined) spec.pressure = p;
      if (h !== undefined) spec.humidity = h;
      return spec;
    }
    case 'at24c': {
      onlyKeys(o, at, ['chip', 'address', 'variant', 'writeCycleMs']);
      const variant = oneOf(o.variant ?? 'at24c32', `${at}.variant`, Object.keys(AT24C_VARIANTS));
      const spec: I2cDeviceSpec = { chip, address, variant };
      const w = optional(o, 'writeCycleMs', at, (v, a) => number(v, a, 0, 1000));
      if (w !== undefined) spec.writeCycleMs = w;
      return spec;
    }
    case 'ads1115': {
      onlyKeys(o, at, ['chip', 'address', 'inputs']);
      const inputs = optional(o, 'inputs', at, array)?.map((v, i) => number(v, `${at}.inputs[${i}]`, -0.3, 5.5));
      if (inputs && inputs.length > 4) throw new ConfigError(`${at}.inputs`, 'at most 4 voltages (AIN0..AIN3)', inputs);
      return inputs ? { chip, address, inputs } : { chip, address };
    }
  }
}

function parseLimits(raw: unknown, at: string): I2cLimits {
  const o = object(raw, at);
  onlyKeys(o, at, ['maxRead', 'maxTransactionBytes', 'maxOperations']);
  return {
    maxRead: optional(o, 'maxRead', at, (v, a) => integer(v, a, 0, 0xffff)) ?? DEFAULT_LIMITS.maxRead,
    maxTransactionBytes:
      optional(o, 'maxTransactionBytes', at, (v, a) => integer(v, a, 0, 1 << 24)) ?? DEFAULT_LIMITS.maxTransactionBytes,
    maxOperations: optional(o, 'maxOperations', at, (v, a) => integer(v, a, 1, 1024)) ?? DEFAULT_LIMITS.maxOperations,
  };
}

function parseBus(raw: unknown, at: string): I2cBusConfig {
  const o = object(raw, at);
  const kind = oneOf(o.kind, `${at}.kind`, ['simulated', 'linux', 'custom'] as const);
  const commonKeys = ['kind', 'addresses', 'tenBit', 'limits'];
  const tenBit = optional(o, 'tenBit', at, boolean) ?? false;
  const addresses = optional(o, 'addresses', at, array)?.map((v, i) =>
    integer(v, `${at}.addresses[${i}]`, 0, tenBit ? 0x3ff : 0x7f),
  );
  const limits = o.limits === undefined ? { ...DEFAULT_LIMITS } : parseLimits(o.limits, `${at}.limits`);
  const common: BusCommon = { tenBit, limits, ...(addresses ? { addresses } : {}) };
  switch (kind) {
    case 'simulated': {
      onlyKeys(o, at, [...commonKeys, 'devices', 'faults', 'smbusOnly']);
      const devices = (optional(o, 'devices', at, array) ?? []).map((d, i) => parseDevice(d, `${at}.devices[${i}]`, tenBit));
      const seen = new Set<number>();
      devices.forEach((d, i) => {
        if (seen.has(d.address)) throw new ConfigError(`${at}.devices[${i}].address`, 'an address no other device uses', d.address);
        seen.add(d.address);
      });
      const faults = (optional(o, 'faults', at, array) ?? []).map((f, i) => parseFault(f, `${at}.faults[${i}]`));
      const smbusOnly = optional(o, 'smbusOnly', at, boolean) ?? false;
      return { kind, devices, faults, smbusOnly, ...common };
    }
    case 'linux': {
      onlyKeys(o, at, [...commonKeys, 'device']);
      return { kind, device: string(o.device, `${at}.device`), ...common };
    }
    case 'custom': {
      const bus = customBackend<Bus>(o, at, commonKeys, 'bus', 'Bus', { transfer: 'function', close: 'function', capabilities: 'object' });
      return { kind, bus, ...common };
    }
  }
}

export function parseI2cConfig(raw: unknown, at: string): I2cConfig {
  return parseSlotSection(raw, at, 'buses', parseBus, () => defaultI2cConfig().buses);
}
