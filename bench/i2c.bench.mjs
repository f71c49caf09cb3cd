// i2c_write_read_ratio: wasi:i2c `write-read` round trips through a C guest component (jco
// bindings, provider, simulated bus, BME280 chip-id read) / the same simulated chip called from JS
// (`bus.transfer` with the same two segments). The guest times its own loop with the monotonic
// clock, so instantiation is not in the figure. Component and JS runs alternate, and the figure
// is the median of the per-pair ratios, because this machine is shared and its load changes.
// i2c_write_call_ratio: a 1-byte `write` through the component / a raw wasm->JS import call
// (the call-overhead baseline: the bench-echo core module with a plain JS import).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, median, medianOf, nsPerOp, transpileWith } from './lib.mjs';
import { runComponent } from '../dist/index.js';
import { Bme280, SimulatedBus, createI2cProvider, parseI2cConfig } from '../dist/i2c/index.js';

const N = 100_000;
const REPS = 7;

async function guestNsPerCall(bus, mode) {
  let out = '';
  const result = await runComponent(
    join(ROOT, 'fixtures/components/i2c_bench.wasm'),
    { i2c: { buses: { bench: { kind: 'custom', bus } } }, wasi: { args: ['i2c_bench', 'bench', mode, String(N)] } },
    { stdio: { stdout: (c) => (out += Buffer.from(c).toString()), stderr: () => {} } },
  );
  const m = /ns_per_call=([\d.]+) errors=0/.exec(out);
  if (result.code !== 0 || !m) throw new Error(`i2c_bench ${mode} failed (code ${result.code}): ${out}`);
  return Number(m[1]);
}

export default async function run() {
  const bus = new SimulatedBus({ logLimit: 16 });
  bus.attach(0x76, new Bme280());
  const reg = Uint8Array.of(0xd0);
  const jsOnce = () => nsPerOp((n) => {
    for (let i = 0; i < n; i++) {
      const [r] = bus.transfer(0x76, [{ write: reg }, { read: 1 }]);
      if (r[0] !== 0x60) throw new Error('bad chip id');
    }
  }, N);

  // Where the difference goes: the provider called from JS as jco would call it.
  const provider = createI2cProvider(parseI2cConfig({ buses: { bench: { kind: 'custom', bus } } }, 'i2c'));
  const handle = provider.imports['wasi-edge:host/access'].openI2c('bench');
  const providerOnce = () => nsPerOp((n) => {
    for (let i = 0; i < n; i++) handle.writeRead(0x76, reg, 1n);
  }, N);

  await guestNsPerCall(bus, 'write-read'); // transpile + warm caches
  jsOnce();
  providerOnce();
  const ratios = [];
  const comp = [];
  const js = [];
  const prov = [];
  const writes = [];
  for (let i = 0; i < REPS; i++) {
    const c = await guestNsPerCall(bus, 'write-read');
    const j = jsOnce();
    prov.push(providerOnce());
    writes.push(await guestNsPerCall(bus, 'write'));
    comp.push(c);
    js.push(j);
    ratios.push(c / j);
  }
  provider.dispose();

  // The raw wasm->JS import call, measured as bench/call-overhead.bench.mjs does.
  const echoFile = join(ROOT, 'fixtures/components/bench-echo.wasm');
  const runtime = await transpileWith('runtime', echoFile);
  const core = readdirSync(runtime.dir).find((f) => f.endsWith('.core.wasm'));
  const { instance } = await WebAssembly.instantiate(readFileSync(join(runtime.dir, core)), { probe: { echo: (x) => x } });
  const raw = instance.exports['bench-loop'];
  const rawNs = medianOf(() => nsPerOp((n) => raw(n), 1_000_000));
  const wNs = median(writes);

  return {
    i2c_write_read_ratio: {
      value: median(ratios),
      goal: '<= 2',
      what: `write-read round trip via a C guest component (runner's bindings: jco ${runtime.jcoVersion} + the host's rewrite; median ${median(comp).toFixed(0)} ns) / the same simulated BME280 via bus.transfer from JS (${median(js).toFixed(0)} ns); the provider alone, called from JS: ${median(prov).toFixed(0)} ns`,
    },
    i2c_write_call_ratio: {
      value: wNs / rawNs,
      goal: 'report',
      what: `1-byte wasi:i2c write via a C guest component (jco ${runtime.jcoVersion} + rewrite; ${wNs.toFixed(0)} ns, provider and simulated bus included) / raw wasm->JS import call (${rawNs.toFixed(1)} ns)`,
    },
  };
}
