/**
 * `wasi-edge check`: runs a user's component against scripted scenarios and says, per scenario,
 * what the guest did — exited cleanly, returned an error, trapped, or hung past the timeout.
 * Each scenario runs in its own worker thread (the platform's isolated run,
 * src/platform/node/worker-run.ts, with the scenario's timeout as its time limit), because a guest
 * runs synchronously and only a thread can be stopped from outside.
 */
import { basename } from 'node:path';
import { loadComponent } from '../index.js';
import type { LimitsConfig } from '../host/limits.js';
import type { RunResult } from '../host/run-result.js';
import { runInWorker } from '../platform/node/worker-run.js';
import { compiledModuleUrl } from '../platform/node/worker-url.js';
import type { Scenario } from './scenarios.js';
import type { ScenarioConfigInput } from './scenario-config.js';

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
  /** Memory and table caps for every scenario (over a scenario's own `limits`). */
  limits?: LimitsConfig;
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

/** What a run's result means as a scenario outcome. */
function outcomeOf(r: RunResult): { outcome: Outcome; detail: string; exitCode?: number } {
  if (r.limit?.limit === 'timeout') return { outcome: 'hung', detail: r.limit.message };
  // A memory or table cap met: what the guest did about it is the outcome; the detail says which cap.
  const limit = r.limit ? ` (${r.limit.message})` : '';
  if (r.limit && r.limit.guestCode === undefined) return { outcome: 'not-run', detail: r.limit.message };
  if (r.stuck) return { outcome: 'hung', detail: `waits for something that can never come (the host detected it: ${r.stuck})` };
  const code = r.limit?.guestCode ?? r.code;
  if (r.trap) return { outcome: 'trapped', detail: `trap: ${r.trap}${limit}`, exitCode: code };
  if (code === 0) return { outcome: 'exited', detail: 'exit status 0', exitCode: 0 };
  return { outcome: 'error', detail: `${r.error ? `wasi:cli/run returned err (${r.error})` : `exit status ${code}`}${limit}`, exitCode: code };
}

export async function runScenario(component: string, scenario: Scenario, options: CheckOptions = {}): Promise<ScenarioResult> {
  const started = performance.now();
  let stdout = '';
  let stderr = '';
  const decoder = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  const result = (outcome: Outcome, detail: string, exitCode?: number): ScenarioResult => ({
    scenario: scenario.name,
    description: scenario.description,
    outcome,
    detail,
    ...(exitCode !== undefined ? { exitCode } : {}),
    stdout,
    stderr,
    ms: Math.round(performance.now() - started),
  });
  const timeoutMs = options.timeoutMs ?? scenario.timeoutMs;
  const input: ScenarioConfigInput = {
    fixture: scenario.fixture,
    baseDir: scenario.baseDir,
    wasi: {
      args: [basename(component), ...(scenario.args ?? options.args ?? [])],
      env: { ...options.env, ...scenario.env },
      preopens: { ...options.preopens, ...scenario.preopens },
    },
    limits: { ...scenario.limits, ...options.limits, timeoutMs },
  };
  try {
    // Built in the worker: a scenario's live cameras hold functions, which cannot cross threads.
    const recipe = { module: compiledModuleUrl('conformance/scenario-config.js').href, name: 'scenarioConfig', input, timeoutMs };
    const r = await runInWorker(component, { recipe }, {
      // Start-up (loading a runtime such as onnxruntime into a fresh thread) does not count against
      // the guest: the time limit starts when the host exists.
      startupMs: STARTUP_MS,
      stdio: {
        stdout: (b) => (stdout += decoder.stdout.decode(b, { stream: true })),
        stderr: (b) => (stderr += decoder.stderr.decode(b, { stream: true })),
      },
    });
    const { outcome, detail, exitCode } = outcomeOf(r);
    return result(outcome, detail, exitCode);
  } catch (e) {
    const err = e as Error;
    // The host saw the guest block on something nothing can ever make ready: a hang, found early.
    if (err.name === 'DeadlockError') return result('hung', `waits for something that can never come (the host detected a deadlock: ${err.message})`);
    return result('not-run', `${err.name}: ${err.message}`);
  }
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
