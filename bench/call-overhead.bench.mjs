// call_overhead_ratio: a trivial host import (echo: u32 -> u32) called from a WAT guest through
// the bindings the runner uses (the host's transpile step: the installed jco, the latest, plus
// the host's rewrite), against the same core module calling a plain JS import.
// call_overhead_ratio_latest_jco: the same through the project's transpile path with the latest
// jco (since the runner moved to the latest jco, the same bindings, transpiled and timed again).
// call_overhead_ratio_plain_jco: the same through jco's bindings as jco generates them.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, medianOf, nsPerOp, transpileWith } from './lib.mjs';

const N = 1_000_000;

export default async function run() {
  const file = join(ROOT, 'fixtures/components/bench-echo.wasm');
  const echo = (x) => x;
  const imports = { 'wasi-edge:bench/probe': { echo }, 'wasi-edge:bench/probe@0.1.0': { echo } };

  const runtime = await transpileWith('runtime', file);
  const viaRuntime = (await runtime.instantiate(imports)).benchLoop;

  // The raw baseline: the component's own core module (jco writes it out unchanged), with a JS import.
  const core = readdirSync(runtime.dir).find((f) => f.endsWith('.core.wasm'));
  const { instance } = await WebAssembly.instantiate(readFileSync(join(runtime.dir, core)), { probe: { echo } });
  const raw = instance.exports['bench-loop'];

  const rawNs = medianOf(() => nsPerOp((n) => raw(n), N));
  const runtimeNs = medianOf(() => nsPerOp((n) => viaRuntime(n), N));

  const latest = await transpileWith('runtime', file);
  const viaLatest = (await latest.instantiate(imports)).benchLoop;
  const latestNs = medianOf(() => nsPerOp((n) => viaLatest(n), N));

  const plain = await transpileWith('plain', file);
  const viaPlain = (await plain.instantiate(imports)).benchLoop;
  const M = 20_000; // jco's own bindings cost microseconds per call
  const plainNs = medianOf(() => nsPerOp((n) => viaPlain(n), M), 5, 1);

  for (const f of [viaRuntime, viaLatest, viaPlain]) if (f(1000) !== raw(1000)) throw new Error('bench-echo results differ');
  const jco = `jco ${runtime.jcoVersion}`;
  return {
    call_overhead_ratio: {
      value: runtimeNs / rawNs, goal: '<= 1.5',
      what: `host import call via the runner's bindings (${jco} + the host's rewrite: ${runtime.rewrite.directImports} direct import) ${runtimeNs.toFixed(1)} ns / raw wasm->JS import call ${rawNs.toFixed(1)} ns`,
    },
    call_overhead_ratio_latest_jco: {
      value: latestNs / rawNs, goal: '<= 2',
      what: `the same through the project's transpile path with the latest jco (${jco} + rewrite) ${latestNs.toFixed(1)} ns / raw ${rawNs.toFixed(1)} ns`,
    },
    call_overhead_ratio_plain_jco: {
      value: plainNs / rawNs, goal: 'report',
      what: `the same through ${jco}'s bindings as jco generates them (${(plainNs / 1000).toFixed(2)} µs/call) / raw ${rawNs.toFixed(1)} ns`,
    },
  };
}
