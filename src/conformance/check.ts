/**
 * `wasi-edge check`: runs a user's component against scripted scenarios and says, per scenario,
 * what the guest did — exited cleanly, returned an error, trapped, or hung past the timeout.
 * Each scenario runs in its own worker thread (check-worker.ts), because a guest runs
 * synchronously and only a thread can be stopped from outside.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadComponent } from '../index.js';
import type { WorkerInput, WorkerMessage } from './check-worker.js';
import type { Scenario } from './scenarios.js';

export type Outcome = 'exited' | 'error' | 'trapped' | 'hung' | 'not-run' | 'skipped';

export interface ScenarioResult {
  scenario: string;
  description: string;
  outcome: Outcome;
  /** One line for people: the exit status, the error value, the trap message, the timeout. */
  detail: string;
  exitCode?: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CheckReport {
  component: string;
  scenarios: ScenarioResult[];
}

export interface CheckOptions {
  /** Guest arguments after argv[0] (a scenario's own `invoke.args` win). */
  args?: string[];
  env?: Record<string, string>;
  preopens?: Record<string, string>;
  /** Overrides every scenario's timeout. */
  timeoutMs?: number;
  /** Run every scenario given, even those about interfaces the component does not import. */
  all?: boolean;
  /** Called with each scenario's result as soon as it is known (the CLI streams them). */
  onResult?: (result: ScenarioResult) => void;
}

/** How long a worker may take to build the host before the guest starts. */
const STARTUP_MS = 120_000;

const OUTCOME_TEXT: Record<Outcome, string> = {
  exited: 'exited cleanly',
  error: 'returned an error',
  trapped: 'trapped',
  hung: 'hung past the timeout',
  'not-run': 'could not run',
  skipped: 'skipped',
};

/** Import prefixes that make a scenario about an interface relevant to a component. */
const IMPORT_PREFIXES: Record<string, string[]> = {
  sensor: ['wasi:sensor/', 'wasi:buffer-pool/'],
  i2c: ['wasi:i2c/', 'wasi-edge:host/access'],
  spi: ['wasi:spi/'],
  nn: ['wasi:nn/'],
  vision: ['wasi:vision/'],
};

/** The compiled worker: next to this file in dist/; from src/ (tests) the built copy in dist/. */
export function workerUrl(): URL {
  const here = new URL('./check-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL('../../dist/conformance/check-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error('check-worker.js not found: run `npm run build` first');
}

export function runScenario(component: string, scenario: Scenario, options: CheckOptions = {}): Promise<ScenarioResult> {
  const timeoutMs = options.timeoutMs ?? scenario.timeoutMs;
  const input: WorkerInput = {
    component,
    fixture: scenario.fixture,
    baseDir: scenario.baseDir,
    args: [basename(component), ...(scenario.args ?? options.args ?? [])],
    env: { ...options.env, ...scenario.env },
    preopens: { ...options.preopens, ...scenario.preopens },
  };
  const started = performance.now();
  return new Promise((resolvePromise) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const worker = new Worker(workerUrl(), { workerData: input, stdout: false, stderr: false });
    const finish = (outcome: Outcome, detail: string, exitCode?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Also ends anything the guest left running (a camera, a timer) with the thread.
      void worker.terminate();
      resolvePromise({
        scenario: scenario.name,
        description: scenario.description,
        outcome,
        detail,
        ...(exitCode !== undefined ? { exitCode } : {}),
        stdout,
        stderr,
        ms: Math.round(performance.now() - started),
      });
    };
    // Start-up (loading a runtime such as onnxruntime into a fresh thread) does not count against
    // the guest: the hang timer starts when the worker says the host exists.
    let timer = setTimeout(() => finish('not-run', `the host did not start within ${STARTUP_MS / 1000} s`), STARTUP_MS);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'started') {
        clearTimeout(timer);
        timer = setTimeout(() => finish('hung', `still running after ${timeoutMs / 1000} s; stopped`), timeoutMs);
      } else if (m.type === 'stdout') stdout += m.text;
      else if (m.type === 'stderr') stderr += m.text;
      else if (m.type === 'failed' && m.name === 'DeadlockError') {
        // The host saw the guest block on something nothing can ever make ready: a hang, found early.
        finish('hung', `waits for something that can never come (the host detected a deadlock: ${m.message})`);
      } else if (m.type === 'failed') finish('not-run', `${m.name}: ${m.message}`);
      else if (m.type !== 'done') return;
      else if (m.stuck) finish('hung', `waits for something that can never come (the host detected it: ${m.stuck})`);
      else if (m.trap) finish('trapped', `trap: ${m.trap}`, m.code);
      else if (m.code === 0) finish('exited', 'exit status 0', 0);
      else finish('error', m.error ? `wasi:cli/run returned err (${m.error})` : `exit status ${m.code}`, m.code);
    });
    worker.on('error', (e) => finish('not-run', `the worker failed: ${e.message}`));
    worker.on('exit', (code) => finish('not-run', `the worker ended (status ${code}) without a result`));
  });
}

export async function checkComponent(component: string, scenarios: Scenario[], options: CheckOptions = {}): Promise<CheckReport> {
  // Transpile once here (and fail early on a file that is not a component); workers reuse the cache.
  const loaded = await loadComponent(component);
  const imports = loaded.imports;
  const results: ScenarioResult[] = [];
  for (const s of scenarios) {
    const prefixes = IMPORT_PREFIXES[s.interface];
    if (!options.all && prefixes && !imports.some((i) => prefixes.some((p) => i.startsWith(p)))) {
      const skipped: ScenarioResult = { scenario: s.name, description: s.description, outcome: 'skipped', detail: `the component does not import ${s.interface}`, stdout: '', stderr: '', ms: 0 };
      results.push(skipped);
      options.onResult?.(skipped);
      continue;
    }
    const result = await runScenario(component, s, options);
    results.push(result);
    options.onResult?.(result);
  }
  return { component, scenarios: results };
}

/** The column width for these scenario names. */
export function checkWidth(names: readonly string[]): number {
  return Math.max(8, ...names.map((n) => n.length));
}

/** The lines of one scenario's result (the CLI prints them as each scenario ends). */
export function formatScenario(s: ScenarioResult, width: number, options: { verbose?: boolean } = {}): string[] {
  const lines = [`${s.scenario.padEnd(width)}  ${OUTCOME_TEXT[s.outcome].padEnd(21)}  ${s.detail}`];
  if (options.verbose && s.description) lines.push(`${' '.repeat(width)}  (${s.description})`);
  if (options.verbose && s.outcome !== 'skipped') {
    const tail = s.stdout.trimEnd().split('\n').filter(Boolean).slice(-3);
    for (const t of tail) lines.push(`${' '.repeat(width)}  | ${t}`);
  }
  return lines;
}

/** The closing line: how many scenarios ended which way. */
export function formatCheckTotals(report: CheckReport): string {
  const count = (o: Outcome) => report.scenarios.filter((s) => s.outcome === o).length;
  return `${count('exited')} exited cleanly, ${count('error')} returned an error, ${count('trapped')} trapped, ${count('hung')} hung` +
    `${count('not-run') ? `, ${count('not-run')} could not run` : ''}${count('skipped') ? `, ${count('skipped')} skipped` : ''}`;
}

export function formatCheck(report: CheckReport, options: { verbose?: boolean } = {}): string[] {
  const width = checkWidth(report.scenarios.map((s) => s.scenario));
  const lines = [`checking ${report.component}`, ''];
  for (const s of report.scenarios) lines.push(...formatScenario(s, width, options));
  lines.push('', formatCheckTotals(report));
  return lines;
}
