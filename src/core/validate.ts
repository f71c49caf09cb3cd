/**
 * Small helpers for validating configuration read from JSON. Every failure names the field
 * (a dotted path such as `i2c.buses[0].addresses`) and what was expected.
 */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly got: unknown,
  ) {
    super(`config: ${field} should be ${expected}, got ${describe(got)}`);
    this.name = 'ConfigError';
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function object(v: unknown, at: string): Json {
  if (!isObject(v)) throw new ConfigError(at, 'an object', v);
  return v;
}

/** Rejects keys that are not in `allowed`, suggesting the closest one (typos are the usual cause). */
export function onlyKeys(o: Json, at: string, allowed: readonly string[]): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) {
      const near = closest(key, allowed);
      const hint = near ? ` (did you mean "${near}"?)` : '';
      throw new ConfigError(`${at ? at + '.' : ''}${key}`, `one of the known keys: ${allowed.join(', ')}${hint}`, key);
    }
  }
}

export function string(v: unknown, at: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new ConfigError(at, 'a non-empty string', v);
  return v;
}

export function boolean(v: unknown, at: string): boolean {
  if (typeof v !== 'boolean') throw new ConfigError(at, 'true or false', v);
  return v;
}

export function integer(v: unknown, at: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ConfigError(at, `an integer from ${min} to ${max}`, v);
  }
  return v;
}

export function number(v: unknown, at: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new ConfigError(at, `a number from ${min} to ${max}`, v);
  }
  return v;
}

export function oneOf<T extends string>(v: unknown, at: string, options: readonly T[]): T {
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
    throw new ConfigError(at, `one of ${options.map((o) => JSON.stringify(o)).join(', ')}`, v);
  }
  return v as T;
}

export function array(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v)) throw new ConfigError(at, 'an array', v);
  return v;
}

export function stringRecord(v: unknown, at: string): Record<string, string> {
  const o = object(v, at);
  for (const [k, val] of Object.entries(o)) string(val, `${at}.${k}`);
  return o as Record<string, string>;
}

export function optional<T>(o: Json, key: string, at: string, read: (v: unknown, at: string) => T): T | undefined {
  const v = o[key];
  return v === undefined ? undefined : read(v, at ? `${at}.${key}` : key);
}

/**
 * An embedder's own backend object (a `custom` slot): `v` when it has every one of `members` with
 * that type (`typeof`; `object` excludes null), else a ConfigError that names `type` and the members.
 */
export function implementing<T>(v: unknown, at: string, type: string, members: Readonly<Record<string, 'function' | 'object'>>): T {
  const o = v as Record<string, unknown> | null;
  const ok = typeof o === 'object' && o !== null && Object.entries(members).every(([k, t]) => typeof o[k] === t && o[k] !== null);
  if (!ok) throw new ConfigError(at, `an object implementing ${type} (${Object.keys(members).join(', ')})`, v);
  return v as T;
}

function closest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const option of options) {
    const d = levenshtein(word.toLowerCase(), option.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = option;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
