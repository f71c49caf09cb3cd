/**
 * The process-level runner: runs conformance cases against any host, as a separate process per
 * case, through a command template (`wasi-edge conformance --host 'other-host run {component}
 * --config {fixture}'`). For each case it writes the case file (case-file.ts), fills the template,
 * runs the command without a shell, and compares its exit status and stdout with the case's
 * expectations exactly as the in-process runner does (suite.ts). The contract a host meets is
 * conformance/README.md, "Running the suite against another host".
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseFileFor, writeCaseFile } from './case-file.js';
import type { ConformanceCase } from './manifest.js';
import { compare, guestToHost, preopenDirs, type CaseOutcome, type CaseResult } from './suite.js';

export class TemplateError extends Error {
  override name = 'TemplateError';
}

export interface HostCommand {
  /** The template, split into words (splitTemplate). */
  words: string[];
  /** Exit statuses that mean "the guest trapped"; undefined: every status but 0 and 1, and death by a signal. */
  trapStatuses?: readonly number[];
  /** A case still running after this long is killed and fails. Default 120 s. */
  timeoutMs?: number;
}

const PLACEHOLDERS = ['{component}', '{fixture}', '{args}'];

/**
 * Splits a command template into words as a POSIX shell would, without running one: blanks
 * separate words, '…' quotes literally, "…" quotes with \" and \\ escapes, \ escapes one
 * character. Placeholders: {component} and {fixture} (anywhere in a word), {args} (a word of its
 * own: it becomes one word per argument).
 */
export function splitTemplate(template: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (ch === "'") {
      const end = template.indexOf("'", i + 1);
      if (end < 0) throw new TemplateError('--host: a quote (\') is not closed');
      word += template.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < template.length && template[j] !== '"'; j++) {
        if (template[j] === '\\' && (template[j + 1] === '"' || template[j + 1] === '\\')) j++;
        word += template[j];
      }
      if (j >= template.length) throw new TemplateError('--host: a quote (") is not closed');
      i = j;
      inWord = true;
    } else if (ch === '\\' && i + 1 < template.length) {
      word += template[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  if (words.length === 0) throw new TemplateError('--host: the command template is empty');
  for (const w of words) {
    for (const m of w.match(/\{[a-z-]+\}/g) ?? []) {
      if (!PLACEHOLDERS.includes(m)) throw new TemplateError(`--host: unknown placeholder ${m} (known: ${PLACEHOLDERS.join(', ')})`);
    }
    if (w.includes('{args}') && w !== '{args}') throw new TemplateError('--host: {args} must be a word of its own');
  }
  if (!words.some((w) => w.includes('{component}'))) throw new TemplateError('--host: the template must contain {component}');
  return words;
}

/** The command line for one case. */
export function fillTemplate(words: readonly string[], values: { component: string; fixture: string; args: readonly string[] }): string[] {
  return words.flatMap((w) => (w === '{args}' ? [...values.args] : [w.replaceAll('{component}', values.component).replaceAll('{fixture}', values.fixture)]));
}

interface Finished {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  spawnError?: Error;
}

function runCommand(argv: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Finished> {
  return new Promise((resolvePromise) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env, detached: process.platform !== 'win32' });
    const timer = setTimeout(() => {
      timedOut = true;
      // The whole process group: a host may start children of its own.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const done = (f: Omit<Finished, 'stdout' | 'stderr' | 'timedOut'>) => {
      clearTimeout(timer);
      resolvePromise({ ...f, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
    };
    child.on('error', (e) => done({ status: null, signal: null, spawnError: e }));
    child.on('close', (status, signal) => done({ status, signal }));
  });
}

/** What an exit status means (README: 0 and 1 as `run` ends, a trap status, or the host failed). */
export function outcomeOf(status: number | null, signal: NodeJS.Signals | null, trapStatuses: readonly number[] | undefined): CaseOutcome['exit'] | undefined {
  if (status === 0 || status === 1) return status;
  if (trapStatuses === undefined) return 'trap';
  if (signal === null && status !== null && trapStatuses.includes(status)) return 'trap';
  return undefined;
}

/** Runs one case as a process of the host under test. */
export async function runCaseWithHost(c: ConformanceCase, host: HostCommand): Promise<CaseResult> {
  const started = performance.now();
  const { dirs, cleanup } = preopenDirs(c.invoke.preopens, c.baseDir);
  const work = mkdtempSync(join(tmpdir(), 'wasi-edge-case-'));
  const result = (pass: boolean, failures: string[], outcome?: CaseOutcome): CaseResult => ({
    id: c.id, interface: c.interface, pass, failures, ...(outcome ? { outcome } : {}), ms: performance.now() - started,
  });
  try {
    const fixture = join(work, 'case.json');
    writeCaseFile(fixture, caseFileFor(c, dirs));
    const argv = fillTemplate(host.words, { component: c.component, fixture, args: c.invoke.args });
    const f = await runCommand(argv, process.env, host.timeoutMs ?? 120_000);
    const tail = () => (f.stderr.trim() ? `: ${f.stderr.trim().split('\n').slice(-3).join(' / ')}` : '');
    if (f.spawnError) return result(false, [`could not start the host command ${JSON.stringify(argv[0])}: ${f.spawnError.message}`]);
    if (f.timedOut) return result(false, [`the host command was still running after ${host.timeoutMs ?? 120_000} ms and was killed${tail()}`]);
    const exit = outcomeOf(f.status, f.signal, host.trapStatuses);
    if (exit === undefined) return result(false, [`could not run: the host command exited with ${f.signal ?? `status ${f.status}`}${tail()}`]);
    const outcome: CaseOutcome = { exit, stdout: f.stdout, stderr: f.stderr };
    const failures = compare(c.expect, outcome, (g) => guestToHost(dirs, g));
    return result(failures.length === 0, failures, outcome);
  } finally {
    rmSync(work, { recursive: true, force: true });
    cleanup();
  }
}

/** Runs cases `jobs` at a time; results in the cases' order, each reported as it ends. */
export async function runCasesWithHost(
  cases: readonly ConformanceCase[],
  host: HostCommand,
  options: { jobs?: number; onResult?: (r: CaseResult) => void } = {},
): Promise<CaseResult[]> {
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      results[i] = await runCaseWithHost(cases[i]!, host);
      options.onResult?.(results[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs ?? 1, cases.length)) }, worker));
  return results;
}
