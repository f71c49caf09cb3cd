/**
 * Limits per instance (the `limits` section of the configuration; `-W max-memory-size=`,
 * `-W max-table-elements=`, `-W timeout=`, `--max-memory`, `--timeout` on the command line, as
 * wasmtime spells them): what each one is, how it is parsed, and the exit status and one-line
 * message of a run that hits it. How the caps are applied: limits-wasm.ts (memory and table,
 * in the core modules' binaries) and the platform's isolated runner (time, a worker thread the
 * host can terminate: src/platform/node/worker-run.ts).
 */
import { integer, number, object, onlyKeys, optional } from '../core/validate.js';
import { MAX_PAGES, PAGE_BYTES, type CoreCaps } from './limits-wasm.js';

/** The `limits` section as a user writes it. Every limit is off unless given. */
export interface LimitsConfigInput {
  /**
   * Largest size of each linear memory of the guest, in bytes (rounded down to 64 KiB pages;
   * at least one page). Beyond it `memory.grow` fails: the guest's malloc returns NULL.
   * Default: none (wasm32's 4 GiB).
   */
  maxMemoryBytes?: number;
  /** Largest number of elements of each table of the guest; `table.grow` fails beyond it. Default: none. */
  maxTableElements?: number;
  /**
   * Wall-clock time the guest may run, in milliseconds, from when its host exists to its end
   * (instantiation included, transpiling not). Beyond it the guest is stopped, even in the middle
   * of wasm code: a guest with a time limit runs in a worker thread. Default: none.
   */
  timeoutMs?: number;
}

/** The parsed section: the same keys, absent when the limit is off. */
export type LimitsConfig = LimitsConfigInput;

/** The limits, by the name wasmtime's `-W` gives each. */
export type LimitName = 'max-memory-size' | 'max-table-elements' | 'timeout';

/**
 * Exit status of a run that hit each limit, next to 0/1 (the guest's own), 2 (trap or stuck),
 * 3 (could not start) and 64 (usage).
 */
export const LIMIT_STATUS: Readonly<Record<LimitName, number>> = {
  'max-memory-size': 4,
  'max-table-elements': 5,
  timeout: 6,
};

/** What a run that hit a limit reports (RunResult.limit). */
export interface LimitHit {
  limit: LimitName;
  /** One line naming the limit, its value and what the guest did. */
  message: string;
  /**
   * The status the run would have had without this limit (the guest's exit status after malloc
   * failed, 2 for a trap); absent when the guest never ran (it could not start under the cap,
   * or was stopped).
   */
  guestCode?: number;
}

export const LIMIT_KEYS = ['maxMemoryBytes', 'maxTableElements', 'timeoutMs'] as const;

export function defaultLimits(): LimitsConfig {
  return {};
}

export function parseLimits(raw: unknown, at = 'limits'): LimitsConfig {
  const o = object(raw, at);
  onlyKeys(o, at, [...LIMIT_KEYS]);
  const out: LimitsConfig = {};
  const memory = optional(o, 'maxMemoryBytes', at, (v, a) => integer(v, a, PAGE_BYTES, MAX_PAGES * PAGE_BYTES));
  if (memory !== undefined) out.maxMemoryBytes = memory;
  const table = optional(o, 'maxTableElements', at, (v, a) => integer(v, a, 0, 2 ** 32 - 1));
  if (table !== undefined) out.maxTableElements = table;
  const timeout = optional(o, 'timeoutMs', at, (v, a) => number(v, a, 1, 2 ** 31 - 1));
  if (timeout !== undefined) out.timeoutMs = timeout;
  return out;
}

/** The caps for the core modules (memory in whole pages). */
export function coreCaps(limits: LimitsConfig): CoreCaps {
  const caps: CoreCaps = {};
  if (limits.maxMemoryBytes !== undefined) caps.maxMemoryPages = Math.floor(limits.maxMemoryBytes / PAGE_BYTES);
  if (limits.maxTableElements !== undefined) caps.maxTableElements = limits.maxTableElements;
  return caps;
}

// ---- human forms: 64MiB, 2s ----

const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 1024, kib: 1024, kb: 1000,
  m: 2 ** 20, mib: 2 ** 20, mb: 1e6,
  g: 2 ** 30, gib: 2 ** 30, gb: 1e9,
};

/** `67108864`, `64MiB`, `64M` (binary), `64MB` (decimal) → bytes; undefined if it is none of these. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return undefined;
  return Math.floor(Number(m[1]) * unit);
}

const DURATION_UNITS: Record<string, number> = { '': 1000, ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** `2s`, `500ms`, `1.5m`, `1h`; a bare number is seconds, as in wasmtime's `-W timeout=` → milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? DURATION_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return undefined;
  return Number(m[1]) * unit;
}

export function formatSize(bytes: number): string {
  if (bytes >= 2 ** 30 && bytes % 2 ** 30 === 0) return `${bytes / 2 ** 30} GiB`;
  if (bytes >= 2 ** 20) return `${+(bytes / 2 ** 20).toFixed(2)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(2)} KiB`;
  return `${bytes} B`;
}

export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(3)} s` : `${+ms.toFixed(3)} ms`;
}

// ---- messages ----

export function timeLimitHit(limits: LimitsConfig): LimitHit {
  const t = formatDuration(limits.timeoutMs!);
  return { limit: 'timeout', message: `time limit: the guest was still running after ${t} (timeout=${t.replace(' ', '')}, limits.timeoutMs); stopped` };
}

/** How a run that met a cap ended, for the limit's message: "then trapped: unreachable". */
export interface GuestEnding {
  code: number;
  trap?: string;
  error?: string;
  stuck?: string;
}

function ending(e: GuestEnding): string {
  if (e.trap) return `the guest then trapped: ${e.trap}`;
  if (e.stuck) return `the guest then got stuck: ${e.stuck}`;
  if (e.error) return `the guest then returned an error: ${e.error}`;
  return `the guest then exited with status ${e.code}`;
}

export function memoryLimitHit(limits: LimitsConfig, askedPages: number, end: GuestEnding): LimitHit {
  const cap = formatSize(Math.floor(limits.maxMemoryBytes! / PAGE_BYTES) * PAGE_BYTES);
  return {
    limit: 'max-memory-size',
    message: `memory limit: memory.grow to ${formatSize(askedPages * PAGE_BYTES)} failed at max-memory-size=${cap.replace(' ', '')} (limits.maxMemoryBytes); ${ending(end)}`,
    guestCode: end.code,
  };
}

export function tableLimitHit(limits: LimitsConfig, asked: number, end: GuestEnding): LimitHit {
  return {
    limit: 'max-table-elements',
    message: `table limit: table.grow to ${asked} elements failed at max-table-elements=${limits.maxTableElements} (limits.maxTableElements); ${ending(end)}`,
    guestCode: end.code,
  };
}

/** A memory or table that starts above its cap: the component cannot start under this limit. */
export function startsAboveCapHit(limits: LimitsConfig, kind: 'memory' | 'table', initial: number): LimitHit {
  if (kind === 'memory') {
    const cap = formatSize(Math.floor(limits.maxMemoryBytes! / PAGE_BYTES) * PAGE_BYTES);
    return { limit: 'max-memory-size', message: `memory limit: the component's linear memory starts at ${formatSize(initial * PAGE_BYTES)}, above max-memory-size=${cap.replace(' ', '')} (limits.maxMemoryBytes); not started` };
  }
  return { limit: 'max-table-elements', message: `table limit: the component's table starts with ${initial} elements, above max-table-elements=${limits.maxTableElements} (limits.maxTableElements); not started` };
}
