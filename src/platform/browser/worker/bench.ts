/**
 * Measurements that must run where the component runs (bench/browser.bench.mjs drives them):
 * the per-call cost of a trivial host import through the runner's bindings (jco 1.35 + the host's rewrite) against the same core
 * module calling a plain JS import (call_overhead_ratio, as bench/call-overhead.bench.mjs does in
 * Node), timed with performance.now() in this worker.
 */
type BenchLoop = (n: number) => number;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function nsPerOp(body: (n: number) => unknown, n: number): number {
  const t0 = performance.now();
  body(n);
  return ((performance.now() - t0) * 1e6) / n;
}

export async function runBench(base: string, options: Record<string, unknown>): Promise<Record<string, number>> {
  const dir = new URL(base.endsWith('/') ? base : `${base}/`, location.href);
  const n = Number(options.iterations ?? 1_000_000);
  const echo = (x: number) => x;
  const imports = { 'wasi-edge:bench/probe': { echo }, 'wasi-edge:bench/probe@0.1.0': { echo } };
  const mod = (await import(/* @vite-ignore */ new URL('component.js', dir).href)) as {
    instantiate(get: (p: string) => Promise<WebAssembly.Module>, imports: unknown): Promise<{ benchLoop: BenchLoop }>;
  };
  const manifest = (await (await fetch(new URL('manifest.json', dir))).json()) as { coreModules: string[] };
  const viaJco = (await mod.instantiate((p) => WebAssembly.compileStreaming(fetch(new URL(p, dir))), imports)).benchLoop;
  const core = await WebAssembly.compileStreaming(fetch(new URL(manifest.coreModules[0]!, dir)));
  const instance = await WebAssembly.instantiate(core, { probe: { echo } });
  const raw = instance.exports['bench-loop'] as BenchLoop;
  if (viaJco(1000) !== raw(1000)) throw new Error('bench-echo results differ between the bindings and the raw module');
  // Paired measurements (raw, then bindings, back to back) and the median of their ratios: the
  // machine's load changes between repetitions, less within a pair.
  for (let i = 0; i < 3; i++) (nsPerOp(raw, n), nsPerOp(viaJco, n));
  const pairs: [number, number][] = [];
  for (let i = 0; i < 9; i++) pairs.push([nsPerOp(raw, n), nsPerOp(viaJco, n)]);
  return {
    rawNs: median(pairs.map((p) => p[0])),
    jcoNs: median(pairs.map((p) => p[1])),
    ratio: median(pairs.map(([r, j]) => j / r)),
  };
}
