/**
 * The case file: what the process-level runner hands another host for one case
 * (conformance/README.md, "Running the suite against another host"). It is self-contained: the
 * component and every path of the fixture are absolute, the preopens are host directories that
 * exist, so the host under test needs nothing but this file and the component.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError, isObject, type Json } from '../core/validate.js';
import type { ConformanceCase } from './manifest.js';

export const CASE_FILE_FORMAT = 'wasi-edge-conformance-case/1';

export interface CaseFile {
  format: typeof CASE_FILE_FORMAT;
  id: string;
  interface: string;
  component: string;
  fixture: Json;
  invoke: { args: string[]; env: Record<string, string>; preopens: Record<string, string> };
}

/**
 * The fixture with its two kinds of path made absolute: `sensor.devices[].directory` and
 * `nn.models[].file` (the only values of the vocabulary that name files).
 */
export function absoluteFixture(fixture: Json, baseDir: string): Json {
  const out = structuredClone(fixture);
  const abs = (p: unknown) => (typeof p === 'string' && !isAbsolute(p) ? resolve(baseDir, p) : p);
  const entries = (section: unknown, key: string) => (isObject(section) && Array.isArray(section[key]) ? (section[key] as unknown[]) : []);
  for (const d of entries(out.sensor, 'devices')) if (isObject(d) && d.directory !== undefined) d.directory = abs(d.directory);
  for (const m of entries(out.nn, 'models')) if (isObject(m) && m.file !== undefined) m.file = abs(m.file);
  return out;
}

export function caseFileFor(c: ConformanceCase, preopens: Record<string, string>): CaseFile {
  return {
    format: CASE_FILE_FORMAT,
    id: c.id,
    interface: c.interface,
    component: c.component,
    fixture: absoluteFixture(c.fixture, c.baseDir),
    invoke: { args: c.invoke.args, env: c.invoke.env, preopens },
  };
}

export function writeCaseFile(path: string, file: CaseFile): void {
  writeFileSync(path, JSON.stringify(file, null, 2) + '\n');
}

/** Reads a case file; what this host needs of it to run the case as a `run --fixture`. */
export function readCaseFile(path: string): { fixture: Json; baseDir: string; invoke: CaseFile['invoke']; component: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError('--fixture', `a conformance case file (${(e as Error).message})`, path);
  }
  if (!isObject(raw) || raw.format !== CASE_FILE_FORMAT) throw new ConfigError('--fixture', `a case file with "format": "${CASE_FILE_FORMAT}"`, path);
  const invoke = (isObject(raw.invoke) ? raw.invoke : {}) as Json;
  return {
    fixture: (isObject(raw.fixture) ? raw.fixture : {}) as Json,
    baseDir: dirname(resolve(path)),
    component: String(raw.component ?? ''),
    invoke: {
      args: Array.isArray(invoke.args) ? invoke.args.map(String) : [],
      env: (isObject(invoke.env) ? invoke.env : {}) as Record<string, string>,
      preopens: (isObject(invoke.preopens) ? invoke.preopens : {}) as Record<string, string>,
    },
  };
}
