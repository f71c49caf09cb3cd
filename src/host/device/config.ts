/**
 * A device configuration (`wasi-edge serve device.json`, `createDevice(config)`): the hardware the
 * device owns once for all its apps (cameras, I2C buses, SPI devices, under `devices`), the
 * restart schedule, and the apps — each a component with its own configuration (any sections of a
 * host configuration: wasi, config, nn, limits, …) and the shared hardware it is granted.
 *
 * An app sees only what it is granted: its own configuration's devices and buses if it names any,
 * plus the shared cameras, buses and SPI devices it lists. Nothing of the embedded defaults
 * (test-pattern:0, i2c-sim0, …) appears in an app that did not ask for it.
 */
import { resolve } from 'node:path';
import { ConfigError, array, boolean, integer, isObject, number, object, onlyKeys, optional, string, type Json } from '../../core/validate.js';
import { parseConfig, type EdgeConfig } from '../config.js';
import { parseLimits } from '../limits.js';
import type { DeviceConfig as SensorDeviceConfig } from '../../sensor/config.js';
import type { I2cBusConfig } from '../../i2c/config.js';
import type { SpiDeviceConfig } from '../../spi/config.js';
import { DEFAULT_RESTART, type RestartSchedule } from './backoff.js';

export interface AppConfig {
  name: string;
  /** The component file (absolute). */
  component: string;
  /** Its own host configuration, parsed; shared devices are added in its worker. */
  config: EdgeConfig;
  /** Shared cameras it may open (names under devices.sensor). */
  cameras: string[];
  /** Shared I2C buses it may open, with the addresses it may use (undefined: the bus's own). */
  i2c: Record<string, { addresses?: number[] }>;
  /** Shared SPI devices it may open. */
  spi: string[];
  /** No frame for this long while running is a hang: the app is stopped and restarted. */
  watchdogMs?: number;
  /** Keep the next instance loaded beside the running one, for fast restarts. Default true. */
  standby: boolean;
  /**
   * Frames of each shared camera it may keep in the camera's ring at once (host-memory frames lent
   * to its guest without a copy); frames beyond are copied out. Each costs the ring one frame of memory.
   */
  frameHolds: number;
}

export interface DeviceConfig {
  cameras: Record<string, SensorDeviceConfig>;
  buses: Record<string, I2cBusConfig>;
  spi: Record<string, SpiDeviceConfig>;
  /** Frames each shared camera's ring holds before the oldest is overwritten. */
  ringFrames: number;
  restart: RestartSchedule;
  apps: AppConfig[];
}

const APP_KEYS = ['component', 'config', 'limits', 'cameras', 'i2c', 'spi', 'watchdogMs', 'standby', 'frameHolds', 'env', 'args'];
/** An app's default `frameHolds`: a host-memory pool of 8 buffers (the wasi:buffer-pool examples' size) lends all of them. */
export const DEFAULT_FRAME_HOLDS = 8;

function strings(v: unknown, at: string): string[] {
  return array(v, at).map((s, i) => string(s, `${at}[${i}]`));
}

function parseRestart(raw: unknown, at: string): RestartSchedule {
  const o = object(raw, at);
  onlyKeys(o, at, ['initialMs', 'factor', 'maxMs', 'resetAfterMs']);
  return {
    initialMs: optional(o, 'initialMs', at, (v, a) => number(v, a, 0, 3_600_000)) ?? DEFAULT_RESTART.initialMs,
    factor: optional(o, 'factor', at, (v, a) => number(v, a, 1, 100)) ?? DEFAULT_RESTART.factor,
    maxMs: optional(o, 'maxMs', at, (v, a) => number(v, a, 0, 86_400_000)) ?? DEFAULT_RESTART.maxMs,
    resetAfterMs: optional(o, 'resetAfterMs', at, (v, a) => number(v, a, 0, 86_400_000)) ?? DEFAULT_RESTART.resetAfterMs,
  };
}

/** What `devices` names, parsed by the interfaces' own parsers (so a camera is written as for one app). */
function parseShared(raw: unknown, baseDir: string): Pick<DeviceConfig, 'cameras' | 'buses' | 'spi'> {
  if (raw === undefined) return { cameras: {}, buses: {}, spi: {} };
  const o = object(raw, 'devices');
  onlyKeys(o, 'devices', ['sensor', 'i2c', 'spi']);
  const parsed = parseConfig({ sensor: o.sensor ?? { devices: {} }, i2c: o.i2c ?? { buses: {} }, spi: o.spi ?? { devices: {} } }, baseDir);
  for (const [name, c] of Object.entries(parsed.sensor.devices)) {
    if (c.kind === 'webcam') throw new ConfigError(`devices.sensor.devices.${name}.kind`, 'a camera this process can own (a webcam belongs to a page)', c.kind);
    // Its output tensors are entries of each frame that the shared ring does not carry: one app owns it, in its own config.
    if (c.kind === 'ai-camera') throw new ConfigError(`devices.sensor.devices.${name}.kind`, "a camera whose frames are pixels only (an ai-camera's tensors cannot be shared: give it to one app under apps.<name>.config.sensor)", c.kind);
    if (c.kind !== 'custom' && c.pixelFormat === 'mjpeg') {
      throw new ConfigError(`devices.sensor.devices.${name}.pixelFormat`, 'a raw format (shared frames have a fixed size; mjpeg frames do not)', c.pixelFormat);
    }
  }
  return { cameras: parsed.sensor.devices, buses: parsed.i2c.buses, spi: parsed.spi.devices };
}

/** An app's own configuration, with the embedded default devices removed where it named none. */
function parseAppConfig(o: Json, at: string, baseDir: string): EdgeConfig {
  const raw = o.config === undefined ? {} : object(o.config, `${at}.config`);
  const config = parseConfig(raw, baseDir);
  const section = (name: string): Json | undefined => (isObject(raw[name]) ? (raw[name] as Json) : undefined);
  if (section('sensor')?.devices === undefined) config.sensor.devices = {};
  if (section('i2c')?.buses === undefined) config.i2c.buses = {};
  if (section('spi')?.devices === undefined) config.spi.devices = {};
  if (o.limits !== undefined) config.limits = { ...config.limits, ...parseLimits(o.limits, `${at}.limits`) };
  if (o.env !== undefined) {
    const env = object(o.env, `${at}.env`);
    for (const [k, v] of Object.entries(env)) config.wasi.env[k] = string(v, `${at}.env.${k}`);
  }
  return config;
}

function parseApp(name: string, raw: unknown, shared: Pick<DeviceConfig, 'cameras' | 'buses' | 'spi'>, baseDir: string): AppConfig {
  const at = `apps.${name}`;
  const o = object(raw, at);
  onlyKeys(o, at, APP_KEYS);
  const component = resolve(baseDir, string(o.component, `${at}.component`));
  const config = parseAppConfig(o, at, baseDir);
  const args = optional(o, 'args', at, strings);
  config.wasi.args = [name, ...(args ?? [])];
  const cameras = optional(o, 'cameras', at, strings) ?? [];
  cameras.forEach((c, i) => {
    if (!shared.cameras[c]) throw new ConfigError(`${at}.cameras[${i}]`, `a camera under devices.sensor.devices (${Object.keys(shared.cameras).join(', ') || 'none'})`, c);
    if (config.sensor.devices[c]) throw new ConfigError(`${at}.cameras[${i}]`, 'a name its own sensor.devices does not also use', c);
  });
  const i2c: AppConfig['i2c'] = {};
  const i2cRaw = o.i2c === undefined ? {} : object(o.i2c, `${at}.i2c`);
  for (const [bus, grant] of Object.entries(i2cRaw)) {
    const b = shared.buses[bus];
    if (!b) throw new ConfigError(`${at}.i2c.${bus}`, `a bus under devices.i2c.buses (${Object.keys(shared.buses).join(', ') || 'none'})`, bus);
    const g = object(grant, `${at}.i2c.${bus}`);
    onlyKeys(g, `${at}.i2c.${bus}`, ['addresses']);
    const addresses = optional(g, 'addresses', `${at}.i2c.${bus}`, array)?.map((v, i) => integer(v, `${at}.i2c.${bus}.addresses[${i}]`, 0, b.tenBit ? 0x3ff : 0x7f));
    const outside = addresses?.find((a) => b.addresses && !b.addresses.includes(a));
    if (outside !== undefined) throw new ConfigError(`${at}.i2c.${bus}.addresses`, `addresses the bus itself allows (${b.addresses!.join(', ')})`, outside);
    i2c[bus] = addresses ? { addresses } : {};
  }
  const spi = optional(o, 'spi', at, strings) ?? [];
  spi.forEach((d, i) => {
    if (!shared.spi[d]) throw new ConfigError(`${at}.spi[${i}]`, `an SPI device under devices.spi.devices (${Object.keys(shared.spi).join(', ') || 'none'})`, d);
  });
  const watchdogMs = optional(o, 'watchdogMs', at, (v, a) => number(v, a, 10, 86_400_000));
  const standby = optional(o, 'standby', at, boolean) ?? true;
  const frameHolds = optional(o, 'frameHolds', at, (v, a) => integer(v, a, 0, 1024)) ?? DEFAULT_FRAME_HOLDS;
  return { name, component, config, cameras, i2c, spi, standby, frameHolds, ...(watchdogMs !== undefined ? { watchdogMs } : {}) };
}

/** Configurations parseDeviceConfig made (createDevice parses anything else; no structural guess). */
const parsedDevices = new WeakSet<object>();

export function isParsedDeviceConfig(c: unknown): c is DeviceConfig {
  return typeof c === 'object' && c !== null && parsedDevices.has(c);
}

/** Validates a device configuration; relative paths resolve against `baseDir` (the file's folder). */
export function parseDeviceConfig(raw: unknown, baseDir: string = process.cwd()): DeviceConfig {
  const o = object(raw, 'device');
  onlyKeys(o, '', ['$schema', 'description', 'devices', 'ringFrames', 'restart', 'apps']);
  const shared = parseShared(o.devices, baseDir);
  const apps = object(o.apps, 'apps');
  const names = Object.keys(apps);
  if (names.length === 0) throw new ConfigError('apps', 'at least one app', apps);
  const parsed: DeviceConfig = {
    ...shared,
    ringFrames: optional(o, 'ringFrames', '', (v, a) => integer(v, a, 2, 1024)) ?? 8,
    restart: o.restart === undefined ? { ...DEFAULT_RESTART } : parseRestart(o.restart, 'restart'),
    apps: names.map((n) => parseApp(n, apps[n], shared, baseDir)),
  };
  parsedDevices.add(parsed);
  return parsed;
}
