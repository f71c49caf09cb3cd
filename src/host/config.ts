/**
 * The host configuration: one section per interface plus the WASI sandbox. A file may give any
 * subset of sections; a missing section takes the embedded all-simulated default, so a component
 * runs with no hardware and no file. Everything is validated; errors name the field.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SensorConfig } from '../sensor/definition.js';
import type { I2cConfig } from '../i2c/definition.js';
import type { SpiConfig } from '../spi/definition.js';
import type { NnConfig } from '../nn/definition.js';
import type { VisionConfig } from '../vision/definition.js';
import { INTERFACES } from './interfaces.js';
import { ConfigError, array, boolean, object, onlyKeys, optional, string, stringRecord } from '../core/validate.js';

export interface WasiConfig {
  /** Guest path → host directory. Nothing else of the host filesystem is visible. */
  preopens: Record<string, string>;
  env: Record<string, string>;
  /** argv as the guest sees it; argv[0] is the component's name. */
  args: string[];
  /** Sockets and outgoing HTTP; off unless granted. */
  network: boolean;
}

export interface EdgeConfig {
  sensor: SensorConfig;
  i2c: I2cConfig;
  spi: SpiConfig;
  nn: NnConfig;
  vision: VisionConfig;
  wasi: WasiConfig;
}

/** A config as a user writes it: every section optional. */
export type EdgeConfigInput = Partial<Record<keyof EdgeConfig, unknown>>;

const SECTION_NAMES = [...INTERFACES.map((d) => d.name), 'wasi'] as const;

/**
 * Configs that came out of defaultConfig/parseConfig. createHost uses them as they are and parses
 * anything else: a structural guess would skip validation for an input that merely looks complete.
 */
const parsedConfigs = new WeakSet<object>();

export function isParsedConfig(c: unknown): c is EdgeConfig {
  return typeof c === 'object' && c !== null && parsedConfigs.has(c);
}

export function defaultConfig(): EdgeConfig {
  const config: Record<string, unknown> = { wasi: defaultWasi() };
  for (const def of INTERFACES) config[def.name] = def.defaultConfig();
  parsedConfigs.add(config);
  return config as unknown as EdgeConfig;
}

function defaultWasi(): WasiConfig {
  return { preopens: {}, env: {}, args: ['component'], network: false };
}

/** Validates a config object; relative paths in it are resolved against `baseDir`. */
export function parseConfig(raw: unknown, baseDir: string = process.cwd()): EdgeConfig {
  const o = object(raw ?? {}, 'config');
  onlyKeys(o, '', [...SECTION_NAMES, '$schema', 'description']);
  const config = defaultConfig() as unknown as Record<string, unknown>;
  for (const def of INTERFACES) {
    if (o[def.name] !== undefined) config[def.name] = def.parseConfig(o[def.name], def.name, baseDir);
  }
  if (o.wasi !== undefined) config.wasi = parseWasi(o.wasi, baseDir);
  parsedConfigs.add(config);
  return config as unknown as EdgeConfig;
}

function parseWasi(raw: unknown, baseDir: string): WasiConfig {
  const o = object(raw, 'wasi');
  onlyKeys(o, 'wasi', ['preopens', 'env', 'args', 'network']);
  const preopens = optional(o, 'preopens', 'wasi', stringRecord) ?? {};
  const resolved: Record<string, string> = {};
  for (const [guest, host] of Object.entries(preopens)) {
    if (!guest.startsWith('/')) throw new ConfigError(`wasi.preopens.${guest}`, 'an absolute guest path (key)', guest);
    resolved[guest] = resolve(baseDir, host);
  }
  const args = optional(o, 'args', 'wasi', array)?.map((a, i) => string(a, `wasi.args[${i}]`));
  return {
    preopens: resolved,
    env: optional(o, 'env', 'wasi', stringRecord) ?? {},
    args: args ?? ['component'],
    network: optional(o, 'network', 'wasi', boolean) ?? false,
  };
}

/** Reads and validates a JSON config file; paths inside it are relative to the file. */
export function loadConfigFile(path: string): EdgeConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read config file ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseConfig(raw, dirname(resolve(path)));
}
