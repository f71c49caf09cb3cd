#!/usr/bin/env node
// Runs every bench/*.bench.mjs (each measures its figures against a baseline in the same process),
// prints a table and writes bench/results.json in the shape ../shared/BENCH.md fixes.
// `node bench/run.mjs call-overhead nn` runs only the named benchmarks, and keeps the other
// figures of bench/results.json as they were (a partial run must not lose the rest). The top-level
// `machine` and `date` are the latest run's; each figure carries its own in `measured`, so that a
// figure kept from an earlier run is not credited to this run's machine and day.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, machine as thisMachine } from './lib.mjs';

const only = process.argv.slice(2);
const files = readdirSync(join(ROOT, 'bench'))
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.includes(f.replace('.bench.mjs', '')))
  .sort();

const figures = {};
const failures = [];
for (const f of files) {
  process.stderr.write(`bench: ${f} …\n`);
  try {
    const mod = await import(pathToFileURL(join(ROOT, 'bench', f)).href);
    Object.assign(figures, await mod.default());
  } catch (e) {
    failures.push(`${f}: ${e?.message ?? e}`);
    process.stderr.write(`bench: ${f} failed: ${e?.stack ?? e}\n`);
  }
}

function meets(value, goal) {
  const m = /^(<=|>=)\s*([\d.]+)$/.exec(goal ?? '');
  if (!m) return '';
  const ok = m[1] === '<=' ? value <= Number(m[2]) : value >= Number(m[2]);
  return ok ? 'yes' : 'NO';
}

const rows = Object.entries(figures).map(([name, f]) => [name, f.value.toPrecision(4), f.goal ?? '', meets(f.value, f.goal), f.what]);
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), ['figure', 'value', 'goal', 'met'][i].length));
const line = (r) => r.slice(0, 4).map((c, i) => c.padEnd(widths[i])).join('  ') + '  ' + (r[4] ?? '');
console.log(line(['figure', 'value', 'goal', 'met', 'what']));
for (const r of rows) console.log(line(r));

const resultsFile = join(ROOT, 'bench/results.json');
const previous = only.length && existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')).figures ?? {} : {};
const kept = Object.keys(previous).filter((name) => !(name in figures));
const machine = thisMachine();
const date = new Date().toISOString();
const measured = Object.fromEntries(Object.entries(figures).map(([name, f]) => [name, { ...f, measured: { date, ...machine } }]));
const results = { machine, date, figures: { ...previous, ...measured } };
writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
console.log(
  `wrote bench/results.json (${Object.keys(figures).length} figures measured${kept.length ? `, ${kept.length} kept from the previous run` : ''}` +
    `${failures.length ? `, ${failures.length} benchmark(s) failed` : ''})`,
);
if (failures.length) process.exitCode = 1;
