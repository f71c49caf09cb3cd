/**
 * The host configuration: one section per interface plus the WASI sandbox. A file may give any
 * subset of sections; a missing section takes the embedded all-simulated default, so a component
 * runs with no hardware and no file. Everything is validated; errors name the field.
 */
import { resolve } from 'node:path';
import type { WasiConfig } from '../core/wasi-config.js';
import { INTERFACES, type InterfaceConfigInputs, type InterfaceConfigs } from './interfaces.js';
import { ConfigError, array, boolean, object, onlyKeys, optional, string, stringRecord } from '../core/validate.js';
import { defaultLimits, parseLimits, type LimitsConfig, type LimitsConfigInput } from './limits.js';

export type { WasiConfig } from '../core/wasi-config.js';
export type { LimitsConfig, LimitsConfigInput } from './limits.js';

/** The parsed configuration: one section per registered interface, plus the WASI sandbox and the limits. */
export type EdgeConfig = InterfaceConfigs & { wasi: WasiConfig; limits: LimitsConfig };

/** The `wasi` section as a user writes it. */
export interface WasiConfigInput {
  /** Guest path (absolute) → host directory (relative to the config file). */
  preopens?: Record<string, string>;
  env?: Record<string, string>;
  args?: string[];
  network?: boolean;
}

/**
 * A configuration as a user writes it (a JSON file, or an object literal in TypeScript): every
 * section optional, each typed by its interface, so a misspelt key is a compile error.
 */
export type EdgeConfigInput = InterfaceConfigInputs & {
  wasi?: WasiConfigInput;
  /** Limits per instance: memory and table caps, a wall-clock limit (src/host/limits.ts; all off by default). */
  limits?: LimitsConfigInput;
  $schema?: string;
  description?: string;
};

const SECTION_NAMES = [...INTERFACES.map((d) => d.name), 'wasi', 'limits'] as const;

/**
 * Configs that came out of defaultConfig/parseConfig. createHost uses them as they are and parses
 * anything else: a structural guess would skip validation for an input that merely looks complete.
 */
const parsedConfigs = new WeakSet<object>();

export function isParsedConfig(c: unknown): c is EdgeConfig {
  return typeof c === 'object' && c !== null && parsedConfigs.has(c);
}

export function defaultConfig(): EdgeConfig {
  const config: Record<string, unknown> = { wasi: defaultWasi(), limits: defaultLimits() };
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
  if (o.limits !== undefined) config.limits = parseLimits(o.limits);
  parsedConfigs.add(config);
  return config as unknown as EdgeConfig;
}

/**
 * A parsed configuration that was copied to another thread (structured clone keeps its data but
 * not its membership of parsedConfigs): the worker that runs a time-limited guest takes it as
 * parsed. Only for a copy of what parseConfig or defaultConfig made, never for user input.
 */
export function adoptParsedCopy(copy: EdgeConfig): EdgeConfig {
  parsedConfigs.add(copy);
  return copy;
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
