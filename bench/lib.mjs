// Shared helpers for benchmarks: medians of repeated measurements, and transpiling a component
// with a chosen jco into a temporary directory.
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The machine figures are measured on (bench/results.json's `machine`, and each figure's `measured` with the date). */
export function machine() {
  return { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version };
}

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

/**
 * Transpiles with the host's transpile step (dist/host/transpile.js, the one the runner uses: the
 * installed jco plus the host's rewrite of its bindings); 'plain' gives jco's bindings unchanged.
 */
export async function transpileWith(which, componentFile) {
  const { transpileComponent } = await import(pathToFileURL(join(ROOT, 'dist/host/transpile.js')).href);
  const { transpilerVersion } = await import(pathToFileURL(join(ROOT, 'dist/platform/node/component-cache.js')).href);
  const jcoVersion = transpilerVersion();
  const out = await transpileComponent(readFileSync(componentFile), { jcoVersion, rewrite: which !== 'plain' });
  const dir = benchTempDir(`bench-${which}-`);
  for (const [name, content] of Object.entries(out.files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  const mod = await import(pathToFileURL(join(dir, 'component.js')).href);
  const getCoreModule = (p) => WebAssembly.compile(readFileSync(join(dir, p)));
  return { dir, jcoVersion, rewrite: out.rewrite, instantiate: (imports) => mod.instantiate(getCoreModule, imports) };
}
