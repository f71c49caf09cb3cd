/**
 * Runs conformance cases against this host, in-process: the case's fixture becomes a config,
 * the component runs through runComponent with stdout and stderr captured, and the outcome is
 * compared with the case's expectations. Every mismatch is reported, not just the first.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfig, type EdgeConfig } from '../host/config.js';
import { runComponent, type RunOptions } from '../index.js';
import { configForFixture } from './fixture.js';
import type { ConformanceCase, Expectation, LineMatcher } from './manifest.js';

export interface CaseOutcome {
  /** 0, 1, … or 'trap'. */
  exit: number | 'trap';
  stdout: string;
  stderr: string;
  trap?: string;
}

export interface CaseResult {
  id: string;
  interface: string;
  pass: boolean;
  /** Why it failed (empty when it passed). */
  failures: string[];
  outcome?: CaseOutcome;
  ms: number;
}

/** Splits output into lines; a final newline does not make an empty last line. */
export function outputLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function lineMatches(line: string, m: LineMatcher): boolean {
  return typeof m === 'string' ? line === m : new RegExp(`^(?:${m.regex})$`).test(line);
}

function show(m: LineMatcher): string {
  return typeof m === 'string' ? JSON.stringify(m) : `/${m.regex}/`;
}

/** Compares an outcome with an expectation; `files` maps guest paths to host paths. */
export function compare(expect: Expectation, got: CaseOutcome, hostPath: (guest: string) => string | undefined): string[] {
  const failures: string[] = [];
  if (got.exit !== expect.exit) {
    failures.push(`exit ${got.exit}${got.trap ? ` (${got.trap})` : ''}, expected ${expect.exit}`);
  }
  const lines = outputLines(got.stdout);
  if (expect.stdout) {
    const n = Math.max(lines.length, expect.stdout.length);
    for (let i = 0; i < n; i++) {
      const line = lines[i];
      const m = expect.stdout[i];
      if (m === undefined) failures.push(`stdout line ${i + 1} ${JSON.stringify(line)} was not expected`);
      else if (line === undefined) failures.push(`stdout line ${i + 1} missing, expected ${show(m)}`);
      else if (!lineMatches(line, m)) failures.push(`stdout line ${i + 1} ${JSON.stringify(line)}, expected ${show(m)}`);
    }
  }
  if (expect.stdoutContains) {
    let from = 0;
    for (const m of expect.stdoutContains) {
      const at = lines.findIndex((l, i) => i >= from && lineMatches(l, m));
      if (at < 0) {
        failures.push(`stdout has no line ${show(m)}${from ? ` after line ${from}` : ''}`);
      } else from = at + 1;
    }
  }
  for (const [guest, e] of Object.entries(expect.files ?? {})) {
    const path = hostPath(guest);
    if (!path || !existsSync(path)) {
      failures.push(`file ${guest} was not written`);
      continue;
    }
    const bytes = readFileSync(path);
    if (e.size !== undefined && bytes.length !== e.size) failures.push(`file ${guest} has ${bytes.length} bytes, expected ${e.size}`);
    if (e.contents !== undefined && bytes.toString('utf8') !== e.contents) failures.push(`file ${guest} contents differ`);
    if (e.sha256 !== undefined) {
      const sum = createHash('sha256').update(bytes).digest('hex');
      if (sum !== e.sha256) failures.push(`file ${guest} sha256 ${sum}, expected ${e.sha256}`);
    }
  }
  if (failures.length && got.stderr.trim()) failures.push(`stderr: ${got.stderr.trim().split('\n').slice(0, 3).join(' / ')}`);
  return failures;
}

/** The host-side preopen directories of an invocation (fresh temporary ones for `{ empty: true }`). */
export function preopenDirs(preopens: ConformanceCase['invoke']['preopens'], baseDir: string) {
  const dirs: Record<string, string> = {};
  const temps: string[] = [];
  for (const [guest, spec] of Object.entries(preopens)) {
    if (typeof spec === 'string') dirs[guest] = resolve(baseDir, spec);
    else {
      const dir = mkdtempSync(join(tmpdir(), 'wasi-edge-conformance-'));
      temps.push(dir);
      dirs[guest] = dir;
    }
  }
  return { dirs, cleanup: () => temps.forEach((d) => rmSync(d, { recursive: true, force: true })) };
}

/** Guest path → host path through the preopens (longest guest prefix wins). */
export function guestToHost(dirs: Record<string, string>, guest: string): string | undefined {
  const match = Object.keys(dirs)
    .filter((g) => guest === g || guest.startsWith(g.endsWith('/') ? g : g + '/'))
    .sort((a, b) => b.length - a.length)[0];
  return match === undefined ? undefined : join(dirs[match]!, guest.slice(match.length));
}

/** The full configuration of a case: its fixture plus the wasi section of its invocation. */
export function configForCase(c: Pick<ConformanceCase, 'fixture' | 'baseDir' | 'component'>, invoke: ConformanceCase['invoke'], dirs: Record<string, string>): EdgeConfig {
  // Parsed here, explicitly: createHost takes an object with every section and wasi.args for an
  // already-parsed config and would skip validation and defaults.
  return parseConfig(
    {
      ...configForFixture(c.fixture, c.baseDir),
      wasi: { args: [c.component.split(/[\\/]/).pop()!, ...invoke.args], env: invoke.env, preopens: dirs },
    },
    c.baseDir,
  );
}

export interface CaseOptions extends RunOptions {
  /** Changes this host's own settings for the case (which backend serves an interface); the fixture stays as it is. */
  hostConfig?: (config: EdgeConfig) => EdgeConfig;
}

export async function runCase(c: ConformanceCase, options: CaseOptions = {}): Promise<CaseResult> {
  const { hostConfig, ...runOptions } = options;
  const started = performance.now();
  const { dirs, cleanup } = preopenDirs(c.invoke.preopens, c.baseDir);
  try {
    const out: Uint8Array[] = [];
    const err: Uint8Array[] = [];
    let outcome: CaseOutcome;
    try {
      const config = configForCase(c, c.invoke, dirs);
      const r = await runComponent(c.component, hostConfig ? hostConfig(config) : config, {
        ...runOptions,
        stdio: { stdout: (b) => out.push(b), stderr: (b) => err.push(b) },
      });
      outcome = {
        exit: r.trap ? 'trap' : r.code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ...(r.trap ? { trap: r.trap } : {}),
      };
    } catch (e) {
      return { id: c.id, interface: c.interface, pass: false, failures: [`could not run: ${(e as Error).message}`], ms: performance.now() - started };
    }
    const failures = compare(c.expect, outcome, (g) => guestToHost(dirs, g));
    return { id: c.id, interface: c.interface, pass: failures.length === 0, failures, outcome, ms: performance.now() - started };
  } finally {
    cleanup();
  }
}

export interface SuiteReport {
  host: string;
  passed: number;
  failed: number;
  total: number;
  byInterface: Record<string, { passed: number; failed: number }>;
  cases: CaseResult[];
}

export async function runSuite(
  cases: ConformanceCase[],
  options: RunOptions & { onResult?: (r: CaseResult) => void } = {},
): Promise<SuiteReport> {
  const results: CaseResult[] = [];
  for (const c of cases) {
    const r = await runCase(c, options);
    results.push(r);
    options.onResult?.(r);
  }
  return suiteReport(results, 'wasi-edge-host');
}

/** Totals over results, by interface; `host` says which host ran them (this one, or a --host command). */
export function suiteReport(results: CaseResult[], host: string): SuiteReport {
  const byInterface: SuiteReport['byInterface'] = {};
  for (const r of results) {
    const b = (byInterface[r.interface] ??= { passed: 0, failed: 0 });
    if (r.pass) b.passed++;
    else b.failed++;
  }
  const passed = results.filter((r) => r.pass).length;
  return { host, passed, failed: results.length - passed, total: results.length, byInterface, cases: results };
}

/** The table `wasi-edge conformance` prints. */
export function formatRow(r: CaseResult, width: number): string[] {
  const lines = [`${r.pass ? 'pass' : 'FAIL'}  ${r.id.padEnd(width)}  ${Math.round(r.ms).toString().padStart(5)} ms`];
  for (const f of r.failures) lines.push(`      ${f}`);
  return lines;
}

export function formatTotals(report: SuiteReport): string[] {
  const lines = [''];
  for (const [iface, b] of Object.entries(report.byInterface)) {
    lines.push(`${iface.padEnd(8)} ${b.passed}/${b.passed + b.failed} passed`);
  }
  const pct = report.total ? ((100 * report.passed) / report.total).toFixed(1) : '0.0';
  lines.push(`total    ${report.passed}/${report.total} passed (${pct} %)${report.failed ? `, ${report.failed} failed` : ''}`);
  return lines;
}
