/**
 * The conformance manifest format (conformance/README.md is the normative description): one JSON
 * file per group of cases under conformance/<interface>/. A file is one case, or a `cases` list
 * whose entries inherit the file's component, fixture and invocation. Everything a host needs is
 * in the file: which component to run, which simulated devices to provide (in host-neutral
 * terms, see fixture.ts), the arguments, and what must come out.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, isObject, type Json } from '../core/validate.js';

export const CONFORMANCE_INTERFACES = ['sensor', 'i2c', 'spi', 'nn', 'vision'] as const;
export type ConformanceInterface = (typeof CONFORMANCE_INTERFACES)[number];

/** A stdout line: exact text, or a regular expression the whole line must match. */
export type LineMatcher = string | { regex: string };

export interface FileExpectation {
  contents?: string;
  sha256?: string;
  size?: number;
}

export interface Expectation {
  /** 0 success, 1 failure (non-zero exit or `run` returned err), or "trap". Default 0. */
  exit: number | 'trap';
  /** Every line of stdout, in order (no more, no fewer). */
  stdout?: LineMatcher[];
  /** Lines that must appear in this order; other lines may come between them. */
  stdoutContains?: LineMatcher[];
  /** Files in a preopened directory after the run, by guest path. */
  files?: Record<string, FileExpectation>;
}

/** A preopen is a directory next to the manifest, or a fresh empty one. */
export type PreopenSpec = string | { empty: true };

export interface Invocation {
  /** argv after argv[0] (the host chooses argv[0]). */
  args: string[];
  env: Record<string, string>;
  /** Guest path → directory (relative to the manifest) or `{ "empty": true }`. */
  preopens: Record<string, PreopenSpec>;
}

export interface ConformanceCase {
  /** `<interface>/<file stem>[/<case name>]`. */
  id: string;
  interface: ConformanceInterface;
  description: string;
  /** Absolute path of the component. */
  component: string;
  /** The host-neutral fixture (fixture.ts), section per interface. */
  fixture: Json;
  invoke: Invocation;
  expect: Expectation;
  /** Spec-note anchors this case pins (docs/spec-notes/<iface>.md#…). */
  pins: string[];
  /**
   * Interfaces the component imports that are no upstream proposal (`wasi-edge:host/access@0.1.0`):
   * a host without them cannot run the case. Empty for a case whose guest imports upstream only.
   */
  extensions: string[];
  /** The manifest file and the directory relative paths are resolved against. */
  file: string;
  baseDir: string;
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

/** conformance/ of this package, found from this file (src/ or dist/). */
export const CONFORMANCE_ROOT = fileURLToPath(new URL('../../conformance/', import.meta.url));

const FILE_KEYS = ['$schema', 'description', 'interface', 'component', 'fixture', 'invoke', 'expect', 'pins', 'extensions', 'cases'];
const CASE_KEYS = ['name', 'description', 'component', 'fixture', 'invoke', 'expect', 'pins', 'extensions'];

function fail(file: string, at: string, what: string): never {
  throw new ManifestError(`${file}: ${at} ${what}`);
}

function checkKeys(o: Json, allowed: string[], file: string, at: string) {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(file, `${at}${k}`, `is not a manifest key (known: ${allowed.join(', ')})`);
}

function strings(v: unknown, file: string, at: string): string[] {
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) fail(file, at, 'should be a list of strings');
  return v as string[];
}

function lineMatchers(v: unknown, file: string, at: string): LineMatcher[] {
  if (!Array.isArray(v)) fail(file, at, 'should be a list of lines');
  return v.map((m, i) => {
    if (typeof m === 'string') return m;
    if (isObject(m) && typeof m.regex === 'string' && Object.keys(m).length === 1) {
      try {
        new RegExp(m.regex);
      } catch (e) {
        fail(file, `${at}[${i}].regex`, `is not a valid regular expression: ${(e as Error).message}`);
      }
      return { regex: m.regex };
    }
    return fail(file, `${at}[${i}]`, 'should be a string or { "regex": "…" }');
  });
}

function parseExpect(v: unknown, file: string, at: string): Expectation {
  if (!isObject(v)) fail(file, at, 'should be an object');
  checkKeys(v, ['exit', 'stdout', 'stdoutContains', 'files'], file, `${at}.`);
  const exit = v.exit ?? 0;
  if (exit !== 'trap' && !(typeof exit === 'number' && Number.isInteger(exit) && exit >= 0)) fail(file, `${at}.exit`, 'should be 0, 1 or "trap"');
  const out: Expectation = { exit: exit as number | 'trap' };
  if (v.stdout !== undefined) out.stdout = lineMatchers(v.stdout, file, `${at}.stdout`);
  if (v.stdoutContains !== undefined) out.stdoutContains = lineMatchers(v.stdoutContains, file, `${at}.stdoutContains`);
  if (v.files !== undefined) {
    if (!isObject(v.files)) fail(file, `${at}.files`, 'should be an object of guest path → expectation');
    out.files = {};
    for (const [path, e] of Object.entries(v.files)) {
      if (!isObject(e)) fail(file, `${at}.files.${path}`, 'should be an object');
      checkKeys(e, ['contents', 'sha256', 'size'], file, `${at}.files.${path}.`);
      out.files[path] = e as FileExpectation;
    }
  }
  return out;
}

function parseInvoke(v: unknown, file: string, at: string): Partial<Invocation> {
  if (v === undefined) return {};
  if (!isObject(v)) fail(file, at, 'should be an object');
  checkKeys(v, ['args', 'env', 'preopens'], file, `${at}.`);
  const out: Partial<Invocation> = {};
  if (v.args !== undefined) out.args = strings(v.args, file, `${at}.args`);
  if (v.env !== undefined) {
    if (!isObject(v.env) || Object.values(v.env).some((s) => typeof s !== 'string')) fail(file, `${at}.env`, 'should map names to strings');
    out.env = v.env as Record<string, string>;
  }
  if (v.preopens !== undefined) {
    if (!isObject(v.preopens)) fail(file, `${at}.preopens`, 'should be an object');
    for (const [g, h] of Object.entries(v.preopens)) {
      if (!g.startsWith('/')) fail(file, `${at}.preopens.${g}`, 'should be an absolute guest path');
      if (typeof h !== 'string' && !(isObject(h) && h.empty === true)) fail(file, `${at}.preopens.${g}`, 'should be a directory or { "empty": true }');
    }
    out.preopens = v.preopens as Record<string, PreopenSpec>;
  }
  return out;
}

function mergeInvoke(base: Partial<Invocation>, over: Partial<Invocation>): Invocation {
  return {
    args: over.args ?? base.args ?? [],
    env: { ...base.env, ...over.env },
    preopens: { ...base.preopens, ...over.preopens },
  };
}

/** Reads one manifest file into its cases. */
export function readManifest(file: string, root: string = CONFORMANCE_ROOT): ConformanceCase[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ManifestError(`${file}: ${(e as Error).message}`);
  }
  if (!isObject(raw)) fail(file, 'the file', 'should hold a JSON object');
  checkKeys(raw, FILE_KEYS, file, '');
  const iface = raw.interface as ConformanceInterface;
  if (!CONFORMANCE_INTERFACES.includes(iface)) fail(file, 'interface', `should be one of ${CONFORMANCE_INTERFACES.join(', ')}`);
  const baseDir = dirname(resolve(file));
  const stem = basename(file, '.json');
  const group = relative(root, baseDir).split(/[\\/]/).filter(Boolean).join('/') || iface;
  const fileFixture = (raw.fixture ?? {}) as Json;
  if (!isObject(fileFixture)) fail(file, 'fixture', 'should be an object');
  const fileInvoke = parseInvoke(raw.invoke, file, 'invoke');
  const filePins = raw.pins === undefined ? [] : strings(raw.pins, file, 'pins');
  const fileExtensions = raw.extensions === undefined ? [] : strings(raw.extensions, file, 'extensions');
  const entries: Json[] = raw.cases === undefined ? [{}] : Array.isArray(raw.cases) ? (raw.cases as Json[]) : fail(file, 'cases', 'should be a list');
  const names = new Set<string>();
  return entries.map((c, i) => {
    const at = raw.cases === undefined ? '' : `cases[${i}].`;
    if (!isObject(c)) fail(file, `cases[${i}]`, 'should be an object');
    checkKeys(c, CASE_KEYS, file, at);
    if (raw.cases !== undefined) {
      if (typeof c.name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(c.name)) fail(file, `${at}name`, 'should be a lower-case name ([a-z0-9._-])');
      if (names.has(c.name)) fail(file, `${at}name`, `"${c.name}" is used twice`);
      names.add(c.name);
    }
    const component = (c.component ?? raw.component) as unknown;
    if (typeof component !== 'string') fail(file, `${at}component`, 'should name the component (.wasm), relative to the manifest');
    const fixture = c.fixture === undefined ? fileFixture : isObject(c.fixture) ? { ...fileFixture, ...c.fixture } : fail(file, `${at}fixture`, 'should be an object');
    const expectRaw = c.expect ?? raw.expect;
    if (expectRaw === undefined) fail(file, `${at}expect`, 'is missing');
    const description = (c.description ?? raw.description ?? '') as string;
    return {
      id: raw.cases === undefined ? `${group}/${stem}` : `${group}/${stem}/${c.name as string}`,
      interface: iface,
      description,
      component: resolve(baseDir, component),
      fixture,
      invoke: mergeInvoke(fileInvoke, parseInvoke(c.invoke, file, `${at}invoke`)),
      expect: parseExpect(expectRaw, file, `${at}expect`),
      pins: [...filePins, ...(c.pins === undefined ? [] : strings(c.pins, file, `${at}pins`))],
      extensions: [...fileExtensions, ...(c.extensions === undefined ? [] : strings(c.extensions, file, `${at}extensions`))],
      file,
      baseDir,
    } satisfies ConformanceCase;
  });
}

function manifestFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...manifestFiles(path));
    else if (name.endsWith('.json') && !name.startsWith('_')) out.push(path);
  }
  return out;
}

/** Every case under `root` (default: this package's conformance/), optionally of one interface. */
export function loadSuite(options: { root?: string; interface?: string } = {}): ConformanceCase[] {
  const root = options.root ?? CONFORMANCE_ROOT;
  if (options.interface !== undefined && !CONFORMANCE_INTERFACES.includes(options.interface as ConformanceInterface)) {
    throw new ConfigError('--interface', `one of ${CONFORMANCE_INTERFACES.join(', ')}`, options.interface);
  }
  const cases: ConformanceCase[] = [];
  for (const iface of CONFORMANCE_INTERFACES) {
    if (options.interface && options.interface !== iface) continue;
    let dir: string;
    try {
      dir = join(root, iface);
      if (!statSync(dir).isDirectory()) continue;
    } catch {
      continue;
    }
    for (const file of manifestFiles(dir)) {
      for (const c of readManifest(file, root)) {
        if (c.interface !== iface) throw new ManifestError(`${file}: interface "${c.interface}" but the file is under ${iface}/`);
        cases.push(c);
      }
    }
  }
  return cases;
}
