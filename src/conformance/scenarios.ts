/**
 * Scenarios for `wasi-edge check`: a host-neutral fixture (the same vocabulary as conformance
 * manifests), an optional invocation, and a timeout. The built-in ones live in
 * conformance/scenarios/*.json (readable examples for users who write their own; the format is in
 * docs/conformance.md).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError, isObject, type Json } from '../core/validate.js';
import { parseLimits, type LimitsConfig } from '../host/limits.js';
import { CONFORMANCE_ROOT } from './manifest.js';

export interface Scenario {
  name: string;
  description: string;
  /** The interface the scenario is about (it runs by default only for guests importing it); "any" for all. */
  interface: string;
  fixture: Json;
  args?: string[];
  env: Record<string, string>;
  /** Guest path → host directory (absolute once read). */
  preopens: Record<string, string>;
  /** How long the guest may run before it counts as hung (its time limit: `timeoutSeconds` or `limits.timeoutMs`). */
  timeoutMs: number;
  /** Memory and table caps the guest runs under (the configuration's `limits`, without the time limit). */
  limits?: LimitsConfig;
  /** Relative paths in the fixture are resolved against this. */
  baseDir: string;
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

export const SCENARIO_DIR = join(CONFORMANCE_ROOT, 'scenarios');
export const DEFAULT_TIMEOUT_MS = 10_000;

const KEYS = ['$schema', 'name', 'description', 'interface', 'fixture', 'invoke', 'timeoutSeconds', 'limits'];

function parseScenario(raw: unknown, file: string, at: string, fallbackName: string): Scenario {
  const bad = (what: string): never => {
    throw new ScenarioError(`${file}: ${at}${what}`);
  };
  if (!isObject(raw)) bad('should be an object');
  const o = raw as Json;
  for (const k of Object.keys(o)) if (!KEYS.includes(k)) bad(`${k} is not a scenario key (known: ${KEYS.join(', ')})`);
  const name = o.name ?? fallbackName;
  if (typeof name !== 'string' || !name) bad('name should be a non-empty string');
  if (o.fixture !== undefined && !isObject(o.fixture)) bad('fixture should be an object');
  const invoke = (o.invoke ?? {}) as Json;
  if (!isObject(invoke)) bad('invoke should be an object');
  for (const k of Object.keys(invoke)) if (!['args', 'env', 'preopens'].includes(k)) bad(`invoke.${k} is not known (args, env, preopens)`);
  if (invoke.args !== undefined && (!Array.isArray(invoke.args) || invoke.args.some((a) => typeof a !== 'string'))) bad('invoke.args should be a list of strings');
  const baseDir = dirname(resolve(file));
  const preopens: Record<string, string> = {};
  for (const [g, h] of Object.entries((invoke.preopens ?? {}) as Json)) {
    if (typeof h !== 'string' || !g.startsWith('/')) bad(`invoke.preopens.${g} should map an absolute guest path to a directory`);
    preopens[g] = resolve(baseDir, h as string);
  }
  let limits: LimitsConfig = {};
  try {
    limits = parseLimits(o.limits ?? {});
  } catch (e) {
    if (e instanceof ConfigError) bad(e.message.replace(/^config: /, ''));
    throw e;
  }
  if (limits.timeoutMs !== undefined && o.timeoutSeconds !== undefined) bad('give the time limit once: timeoutSeconds or limits.timeoutMs');
  const { timeoutMs, ...caps } = limits;
  const timeout = timeoutMs !== undefined ? timeoutMs / 1000 : (o.timeoutSeconds ?? DEFAULT_TIMEOUT_MS / 1000);
  if (typeof timeout !== 'number' || !(timeout > 0)) bad('timeoutSeconds should be a positive number');
  return {
    name: name as string,
    description: typeof o.description === 'string' ? o.description : '',
    interface: typeof o.interface === 'string' ? o.interface : 'any',
    fixture: (o.fixture ?? {}) as Json,
    ...(invoke.args ? { args: invoke.args as string[] } : {}),
    env: (invoke.env ?? {}) as Record<string, string>,
    preopens,
    timeoutMs: (timeout as number) * 1000,
    limits: caps,
    baseDir,
  };
}

/** Reads a scenario file: one scenario, or `{ "scenarios": [ … ] }`. */
export function readScenarioFile(file: string): Scenario[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ScenarioError(`cannot read scenario file ${file}: ${(e as Error).message}`);
  }
  const stem = basename(file, '.json');
  if (isObject(raw) && Array.isArray(raw.scenarios)) {
    return raw.scenarios.map((s, i) => parseScenario(s, file, `scenarios[${i}].`, `${stem}-${i + 1}`));
  }
  return [parseScenario(raw, file, '', stem)];
}

export function builtinScenarioNames(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .sort();
}

export function builtinScenarios(): Scenario[] {
  return builtinScenarioNames().flatMap((n) => readScenarioFile(join(SCENARIO_DIR, `${n}.json`)));
}

/** `--scenario` values: a file path, or the name of a built-in scenario. None: every built-in. */
export function resolveScenarios(specs: string[]): Scenario[] {
  if (specs.length === 0) return builtinScenarios();
  return specs.flatMap((spec) => {
    if (existsSync(spec)) return readScenarioFile(spec);
    const builtin = join(SCENARIO_DIR, `${spec}.json`);
    if (existsSync(builtin)) return readScenarioFile(builtin);
    throw new ScenarioError(`no scenario file "${spec}" and no built-in scenario of that name (built-in: ${builtinScenarioNames().join(', ')})`);
  });
}
