// Shared helpers for benchmarks: medians of repeated measurements, and transpiling a component
// with a chosen jco into a temporary directory.
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs fn() `reps` times after `warmup` runs; returns the median of what fn returns (e.g. ns/op). */
export function medianOf(fn, reps = 7, warmup = 2) {
  for (let i = 0; i < warmup; i++) fn();
  const out = [];
  for (let i = 0; i < reps; i++) out.push(fn());
  return median(out);
}

/** Times `body(iterations)` and returns nanoseconds per iteration. */
export function nsPerOp(body, iterations) {
  const t0 = process.hrtime.bigint();
  body(iterations);
  return Number(process.hrtime.bigint() - t0) / iterations;
}

/** A scratch directory under the system's temp folder, removed when the bench process exits. */
export function benchTempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** jco: 'runtime' (the pinned transpiler the runner uses) or 'latest' (the jco-latest alias). */
export async function transpileWith(which, componentFile) {
  const entry = which === 'latest'
    ? join(ROOT, 'node_modules/jco-latest/dist/api.js')
    : join(ROOT, 'node_modules/@bytecodealliance/jco/src/api.js');
  const jco = await import(pathToFileURL(entry).href);
  const out = await jco.transpile(readFileSync(componentFile), {
    name: 'component', instantiation: 'async', typescript: false, base64Cutoff: 0,
  });
  const dir = benchTempDir(`bench-${which}-`);
  const files = Array.isArray(out.files) ? out.files : Object.entries(out.files);
  for (const [name, content] of files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  const mod = await import(pathToFileURL(join(dir, 'component.js')).href);
  const getCoreModule = (p) => WebAssembly.compile(readFileSync(join(dir, p)));
  return { dir, instantiate: (imports) => mod.instantiate(getCoreModule, imports) };
}
