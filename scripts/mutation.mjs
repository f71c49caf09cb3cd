#!/usr/bin/env node
// The conformance suite's mutation score: injects each fault of scripts/mutants.mjs into a copy of
// this host (dist/, so run `npm run build` first), runs the conformance cases of the mutated
// interface against it (`wasi-edge conformance`, in process), and counts the mutant killed when a
// case fails (or the run crashes or hangs). The unmutated copy must pass every case first.
// Mutants marked `equivalent` (no guest can tell them from the host) run but are not scored; one
// of them that is killed after all is reported, and fails the run.
// Writes `conformance_mutation_kill_ratio` into bench/results.json (docs/conformance.md lists the
// survivors and why) unless --no-write.
//   node scripts/mutation.mjs [--only id,id] [--jobs N] [--no-write] [--json FILE]
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { MUTANTS } from './mutants.mjs';
import { machine } from '../bench/lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const only = opt('only')?.split(',');
const jobs = Number(opt('jobs') ?? 2);
const write = !argv.includes('--no-write');
const jsonOut = opt('json');
const TIMEOUT_MS = 180_000;

/** A copy of the host that one mutant at a time may change: dist/ copied, the rest linked. */
function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'wasi-edge-mutation-'));
  cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
  for (const name of ['node_modules', 'conformance', 'fixtures']) symlinkSync(join(root, name), join(dir, name));
  cpSync(join(root, 'package.json'), join(dir, 'package.json'));
  return dir;
}

function run(dir, iface, env) {
  return new Promise((resolve) => {
    const out = join(dir, 'report.json');
    rmSync(out, { force: true });
    const args = [join(dir, 'dist/cli/main.js'), 'conformance', '--json', out, ...(iface === 'all' ? [] : ['--interface', iface])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env }, detached: true });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, TIMEOUT_MS);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const report = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : undefined;
      const failed = report ? report.cases.filter((c) => !c.pass).map((c) => c.id) : [];
      resolve({ status, signal, failed, total: report?.total ?? 0, stderr: stderr.trim().split('\n').slice(-2).join(' / ') });
    });
  });
}

async function runMutant(dir, m) {
  const file = join(dir, 'dist', m.file);
  const original = readFileSync(file, 'utf8');
  const hits = original.split(m.find).length - 1;
  if (hits !== 1) return { ...m, status: 'invalid', reason: `the text to replace occurs ${hits} times in dist/${m.file}` };
  writeFileSync(file, original.replace(m.find, m.replace));
  const cache = m.fresh ? mkdtempSync(join(tmpdir(), 'wasi-edge-mutation-cache-')) : undefined;
  try {
    const r = await run(dir, m.iface, cache ? { WASI_EDGE_CACHE_DIR: cache } : {});
    const killed = r.status !== 0 || r.failed.length > 0;
    const how = r.failed.length ? `${r.failed.length} case(s) failed: ${r.failed.slice(0, 3).join(', ')}${r.failed.length > 3 ? ', …' : ''}`
      : r.status !== 0 ? `the suite did not finish (${r.signal ?? `status ${r.status}`}${r.stderr ? `: ${r.stderr}` : ''})` : 'every case passed';
    return { ...m, status: killed ? 'killed' : 'survived', how, killedBy: r.failed };
  } finally {
    writeFileSync(file, original);
    if (cache) rmSync(cache, { recursive: true, force: true });
  }
}

const mutants = MUTANTS.filter((m) => !only || only.includes(m.id));
const dirs = Array.from({ length: Math.max(1, Math.min(jobs, mutants.length)) }, sandbox);
try {
  const base = await run(dirs[0], 'all', {});
  if (base.status !== 0 || base.failed.length || base.total === 0) {
    console.error(`mutation: the unmutated host does not pass the suite (${base.failed.join(', ') || base.stderr || `status ${base.status}`}); nothing to measure`);
    process.exit(1);
  }
  console.log(`baseline: ${base.total} cases pass; ${mutants.length} mutants, ${dirs.length} at a time`);
  const results = new Array(mutants.length);
  let next = 0;
  await Promise.all(dirs.map(async (dir) => {
    while (next < mutants.length) {
      const i = next++;
      results[i] = await runMutant(dir, mutants[i]);
      const r = results[i];
      console.log(`${r.status.padEnd(8)} ${r.id.padEnd(40)} ${r.status === 'invalid' ? r.reason : r.how}`);
    }
  }));
  const valid = results.filter((r) => r.status !== 'invalid' && !r.equivalent);
  const killed = valid.filter((r) => r.status === 'killed');
  const notEquivalent = results.filter((r) => r.equivalent && r.status === 'killed');
  const ratio = valid.length ? killed.length / valid.length : 0;
  console.log('');
  console.log(`killed ${killed.length} of ${valid.length} mutants (${(100 * ratio).toFixed(1)} %)${results.some((r) => r.status === 'invalid') ? `; ${results.filter((r) => r.status === 'invalid').length} no longer apply` : ''}`);
  for (const r of valid.filter((v) => v.status === 'survived')) console.log(`survivor: ${r.id} — ${r.what}`);
  const equivalents = results.filter((r) => r.equivalent);
  console.log(`${equivalents.length} equivalent mutant(s) left out of the score${equivalents.length ? `: ${equivalents.map((r) => r.id).join(', ')}` : ''}`);
  for (const r of notEquivalent) console.log(`NOT EQUIVALENT: ${r.id} was killed (${r.how}): drop its \`equivalent\` mark`);
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ ratio, killed: killed.length, mutants: valid.length, results }, null, 2) + '\n');
  if (write && !only) {
    const file = join(root, 'bench/results.json');
    const doc = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { machine: {}, figures: {} };
    doc.figures ??= {};
    doc.figures.conformance_mutation_kill_ratio = {
      value: ratio,
      mutants: valid.length,
      killed: killed.length,
      equivalent_left_out: equivalents.length,
      goal: '>= 0.9',
      what: `host mutants (scripts/mutants.mjs: wrong error codes, skipped validations, off-by-ones, dropped/duplicated frames, a wrong tensor type, a missing trap) the conformance suite detects / mutants injected (${valid.length}, in all five interfaces), ${equivalents.length} equivalent ones left out; survivors in docs/conformance.md; ${os.cpus().length} cores, ${process.version}`,
      // the same provenance bench/run.mjs gives each figure it writes
      measured: { date: new Date().toISOString(), ...machine() },
    };
    writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
    console.log(`wrote conformance_mutation_kill_ratio to ${file}`);
  }
  if (results.some((r) => r.status === 'invalid') || notEquivalent.length) process.exitCode = 1;
} finally {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
