#!/usr/bin/env node
/**
 * The `wasi-edge` command. Every failure is one line on stderr that says what is wrong and what
 * to do; stack traces are for host bugs only (set WASI_EDGE_DEBUG=1 to see them anyway).
 */
import { createRequire } from 'node:module';
import { defaultConfig, type EdgeConfig } from '../host/config.js';
import { formatSize, type LimitsConfig } from '../host/limits.js';
import { board, boardLimits, fitsBoard } from '../host/limits-boards.js';
import type { RunReport } from '../host/run-result.js';
import { loadConfigFile } from '../platform/node/config-file.js';
import { INTERFACES } from '../host/interfaces.js';
import { parseGraphFlag } from '../nn/config.js';
import { runComponent } from '../index.js';
import { HELP, parseArgs, UsageError, type CliArgs } from './args.js';
import { basename, resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { loadSuite } from '../conformance/manifest.js';
import { configForCase, formatRow, formatTotals, runSuite, suiteReport } from '../conformance/suite.js';
import { readCaseFile } from '../conformance/case-file.js';
import { runCasesWithHost, splitTemplate } from '../conformance/process-runner.js';
import { checkComponent, checkWidth, formatCheckTotals, formatScenario } from '../conformance/check.js';
import { resolveScenarios } from '../conformance/scenarios.js';
import { writeBrowserComponent } from '../platform/node/browser-component.js';
import { CACHE_KEEP, cacheContents, cleanCache, defaultCacheDir } from '../platform/node/component-cache.js';
import { serve } from './serve.js';

const EXIT_CANNOT_START = 3;

function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}

/** The command line's limits: a board profile's caps, under the explicit flags. */
function limitsOf(args: CliArgs): LimitsConfig {
  return { ...(args.board ? boardLimits(board(args.board)) : {}), ...args.limits };
}

/** The lines of --report, for stderr. */
function reportLines(r: RunReport, boardName: string | undefined): string[] {
  const lines = [
    `wasi-edge report: component ${formatSize(r.componentBytes)}, code ${formatSize(r.codeBytes)}`,
    `wasi-edge report: linear memory ${formatSize(r.memoryBytes)} at its peak${r.memoryNeededBytes > r.memoryBytes ? ` (it asked for ${formatSize(r.memoryNeededBytes)})` : ''}, tables ${r.tableElements} elements`,
    `wasi-edge report: this host ${formatSize(r.hostPeakRssBytes)} resident at its peak, ${formatSize(r.hostRssGrowthBytes)} more while this instance ran`,
  ];
  if (boardName) {
    const b = board(boardName);
    const { fits, reasons } = fitsBoard(b, r);
    lines.push(`wasi-edge report: board ${b.name} (${b.description}): ${fits ? 'fits' : `does not fit: ${reasons.join('; ')}`}`);
  }
  return lines;
}

/** `run --fixture CASE.json`: this host's config for a conformance case file (conformance/README.md). */
function configForCaseFile(args: CliArgs): EdgeConfig {
  if (args.config) throw new UsageError('--fixture and --config exclude each other: the case file is the configuration');
  if (args.guestArgs.length) throw new UsageError("--fixture: the guest's arguments come from the case file, not after --");
  const file = readCaseFile(args.fixture!);
  return configForCase({ fixture: file.fixture, baseDir: file.baseDir, component: args.component! }, file.invoke, file.invoke.preopens);
}

function configFor(args: CliArgs): EdgeConfig {
  const config = args.fixture ? configForCaseFile(args) : args.config ? loadConfigFile(args.config) : defaultConfig();
  for (const d of args.dirs) config.wasi.preopens[d.guest] = resolve(d.host);
  Object.assign(config.wasi.env, args.env);
  if (args.component && !args.fixture) config.wasi.args = [basename(args.component), ...args.guestArgs];
  config.limits = { ...config.limits, ...limitsOf(args) };
  for (const spec of args.nnGraphs) {
    const { name, model } = parseGraphFlag(spec);
    config.nn.models[name] = model;
    // Naming a model on the command line grants it.
    if (config.nn.allow !== '*' && !config.nn.allow.includes(name)) config.nn.allow.push(name);
  }
  return config;
}

function devices(config: EdgeConfig): void {
  for (const def of INTERFACES) {
    const lines = def.describe((config as unknown as Record<string, unknown>)[def.name] as never);
    console.log(`${def.name}:`);
    for (const line of lines) console.log(`  ${line}`);
  }
  const pre = Object.entries(config.wasi.preopens);
  console.log('wasi:');
  console.log(`  preopens: ${pre.length ? pre.map(([g, h]) => `${g} -> ${h}`).join(', ') : 'none'}`);
  console.log(`  network: ${config.wasi.network ? 'granted' : 'denied'}`);
}

async function conformance(args: CliArgs): Promise<number> {
  const cases = loadSuite({ interface: args.interface });
  if (cases.length === 0) throw new UsageError(`no conformance cases${args.interface ? ` for ${args.interface}` : ''}`);
  const width = Math.max(...cases.map((c) => c.id.length));
  const onResult = (r: Parameters<typeof formatRow>[0]) => {
    for (const line of formatRow(r, width)) console.log(line);
  };
  const report = args.host
    ? suiteReport(
        await runCasesWithHost(cases, { words: splitTemplate(args.host), ...(args.trapStatuses ? { trapStatuses: args.trapStatuses } : {}) }, { jobs: args.jobs ?? 1, onResult }),
        args.host,
      )
    : await runSuite(cases, { onResult, ...(args.jspi ? { jspi: args.jspi } : {}) });
  for (const line of formatTotals(report)) console.log(line);
  if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2) + '\n');
  return report.failed ? 1 : 0;
}

async function check(args: CliArgs): Promise<number> {
  const scenarios = resolveScenarios(args.scenarios);
  const width = checkWidth(scenarios.map((s) => s.name));
  console.log(`checking ${args.component} in ${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'}`);
  console.log('');
  const report = await checkComponent(resolve(args.component!), scenarios, {
    // Each scenario runs for up to its timeout: print each as it ends, not all at the end.
    onResult: (r) => {
      for (const line of formatScenario(r, width, { verbose: !args.quiet })) console.log(line);
    },
    args: args.guestArgs,
    env: args.env,
    preopens: Object.fromEntries(args.dirs.map((d) => [d.guest, resolve(d.host)])),
    ...(args.limits.timeoutMs !== undefined ? { timeoutMs: args.limits.timeoutMs } : {}),
    limits: limitsOf(args),
    all: args.scenarios.length > 0,
  });
  console.log('');
  console.log(formatCheckTotals(report));
  if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2) + '\n');
  const ran = report.scenarios.filter((s) => s.outcome !== 'skipped');
  if (ran.length > 0 && ran.every((s) => s.outcome === 'not-run')) {
    console.error('wasi-edge: the guest could not start in any scenario (see the reasons above)');
    return EXIT_CANNOT_START;
  }
  return report.scenarios.some((s) => s.outcome === 'trapped' || s.outcome === 'hung') ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  switch (args.command) {
    case 'help':
      console.log(HELP);
      return 0;
    case 'version':
      console.log(version());
      return 0;
    case 'devices':
      devices(configFor(args));
      return 0;
    case 'conformance':
      return conformance(args);
    case 'check':
      return check(args);
    case 'serve':
      return serve(args);
    case 'cache': {
      const root = defaultCacheDir();
      const { entries, bytes } = cacheContents(root);
      console.log(`${root}: ${entries.length} cached component${entries.length === 1 ? '' : 's'}, ${(bytes / 2 ** 20).toFixed(1)} MiB (the ${CACHE_KEEP} most recently used are kept)`);
      return 0;
    }
    case 'cache-clean': {
      const root = defaultCacheDir();
      console.log(`${root}: removed ${cleanCache(root)} cached component(s)`);
      return 0;
    }
    case 'transpile': {
      const m = await writeBrowserComponent(args.component!, resolve(args.out!));
      if (!args.quiet) console.log(`wasi-edge: ${args.out} holds the component (${m.coreModules.length} core modules; imports ${m.imports.length} interfaces)`);
      return 0;
    }
    case 'run': {
      const config = configFor(args);
      const result = await runComponent(args.component!, config, {
        ...(args.report ? { report: true } : {}),
        ...(args.jspi ? { jspi: args.jspi } : {}),
        onTranspileStart: (bytes) => {
          if (!args.quiet) {
            process.stderr.write(`wasi-edge: preparing ${args.component} (${Math.round(bytes / 1024)} KiB) for the first run; later runs use the cache…\n`);
          }
        },
      });
      if (result.limit) process.stderr.write(`wasi-edge: ${result.limit.message}\n`);
      else if (result.trap) process.stderr.write(`wasi-edge: the guest trapped: ${result.trap}\n`);
      else if (result.stuck) process.stderr.write(`wasi-edge: the guest can never make progress, stopped: ${result.stuck}\n`);
      else if (result.error) process.stderr.write(`wasi-edge: the guest returned an error: ${result.error}\n`);
      if (result.report) for (const line of reportLines(result.report, args.board)) process.stderr.write(`${line}\n`);
      return result.code;
    }
  }
}

// Output to a closed pipe (`wasi-edge devices | head`) ends the command quietly, as it does for
// any Unix tool, instead of an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const err = e as Error;
    const known = [
      'UsageError', 'ConfigError', 'ConfigFileError', 'ComponentFileError', 'MissingImportsError', 'NoEntryPointError',
      'CacheDirError', 'ManifestError', 'ScenarioError', 'TemplateError', 'LimitsError', 'CapTransformError', 'BoardError', 'JspiUnavailableError',
    ].includes(err?.name);
    if (!known || process.env.WASI_EDGE_DEBUG) console.error(err);
    else console.error(`wasi-edge: ${err.message}`);
    process.exitCode = err instanceof UsageError ? 64 : EXIT_CANNOT_START;
  },
);
