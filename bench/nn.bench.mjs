// nn_compute_ratio_blazeface: wasi:nn `compute` on BlazeFace through a C guest (jco bindings, this
// host's provider) / the same model run directly on onnxruntime-node's native session, same process.
// nn_tiny_added_us: microseconds the component path adds per `compute` on a tiny model (y = relu(x), [1,3]).
//
// Both sides do the same work per iteration: build the input tensor from bytes, run, read the first
// output's data. Only the guest's compute loop is timed (it prints markers around it, which reach the
// host synchronously), so instantiation and model loading are excluded; the direct side uses the same
// sync native API, session options and thread count (1). Time is this process's CPU time
// (process.cpuUsage; ORT with 1 thread computes on the calling thread), because on a shared machine
// wall time mostly measures the other tenants; wall-clock figures are given in `what` for reference.
// Each guest run is bracketed by two direct runs; medians of the paired ratios/differences are reported.
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, median } from './lib.mjs';
import { runComponent } from '../dist/host/runner.js';
import { dynamicBatchModel } from '../test/nn/onnx-writer.mjs';

const require = createRequire(import.meta.url);
const BLAZEFACE = join(ROOT, 'fixtures/models/blazeface-128.onnx');

function directSession(bytes) {
  const { binding, initOrt } = require('onnxruntime-node/dist/binding');
  const { Tensor } = createRequire(require.resolve('onnxruntime-node/dist/binding'))('onnxruntime-common');
  initOrt();
  const s = new binding.InferenceSession();
  s.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ['cpu'], logSeverityLevel: 3,
  });
  const fetches = Object.fromEntries(s.outputMetadata.map((m) => [m.name, null]));
  const first = s.outputMetadata[0].name;
  return { s, Tensor, fetches, first };
}

const cpuNs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};

/** ns (CPU, wall) per run of the direct path: input tensor from bytes, run, first output's bytes copied out. */
function directNs({ s, Tensor, fetches, first }, inputName, dims, iterations) {
  const count = dims.reduce((a, b) => a * b, 1);
  const x = new Float32Array(count).map((_, i) => (i % 255) / 127.5 - 1);
  const bytes = new Uint8Array(x.buffer);
  let checksum = 0;
  const runOnce = () => {
    const input = new Float32Array(bytes.slice().buffer); // the guest's bytes are copied into the host too
    const out = s.run({ [inputName]: new Tensor('float32', input, dims) }, fetches, { logSeverityLevel: 4 });
    const d = out[first].data;
    checksum += new Float32Array(new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice().buffer)[0];
  };
  runOnce();
  const c0 = cpuNs();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) runOnce();
  return { cpu: (cpuNs() - c0) / iterations, wall: Number(process.hrtime.bigint() - t0) / iterations };
}

async function guestNs(config, model, inputName, dims, iterations) {
  const out = [];
  let cpuStart = 0;
  let cpuEnd = 0;
  const stdout = (c) => {
    const text = Buffer.from(c).toString('utf8');
    if (text.includes('loop-start')) cpuStart = cpuNs();
    if (text.includes('loop-end')) cpuEnd = cpuNs();
    out.push(c);
  };
  const result = await runComponent(join(ROOT, 'fixtures/components/nn_bench.wasm'), {
    ...config,
    wasi: { args: ['nn_bench', model, inputName, String(iterations), ...dims.map(String)] },
  }, { stdio: { stdout, stderr: (c) => out.push(c) } });
  const text = Buffer.concat(out).toString('utf8');
  const m = /ns_per_compute ([\d.]+)/.exec(text);
  if (result.code !== 0 || !m || !cpuStart || !cpuEnd) throw new Error(`nn_bench guest failed (code ${result.code}): ${text}`);
  return { cpu: (cpuEnd - cpuStart) / iterations, wall: Number(m[1]) };
}

/**
 * Paired measurements: each repetition times the direct path just before and just after one guest run
 * and compares the guest with their mean, so that load changes on a shared machine (which move both)
 * cancel out; the medians of the per-repetition ratio and difference are reported.
 */
async function compare(config, modelName, bytes, inputName, dims, iterations, reps) {
  const direct = directSession(bytes);
  const ratios = [];
  const added = [];
  const guests = [];
  const directs = [];
  const wallRatios = [];
  // Warm up both paths well: the transpile cache, and V8's tier-up of the guest's hot loop (which
  // otherwise compiles on background threads during the first measured runs and counts as CPU time).
  for (let i = 0; i < 3; i++) {
    await guestNs(config, modelName, inputName, dims, iterations);
    directNs(direct, inputName, dims, iterations);
  }
  for (let r = 0; r < reps; r++) {
    const before = directNs(direct, inputName, dims, iterations);
    const g = await guestNs(config, modelName, inputName, dims, iterations);
    const after = directNs(direct, inputName, dims, iterations);
    const d = (before.cpu + after.cpu) / 2;
    ratios.push(g.cpu / d);
    added.push(g.cpu - d);
    guests.push(g.cpu);
    directs.push(d);
    wallRatios.push(g.wall / ((before.wall + after.wall) / 2));
  }
  direct.s.dispose();
  return {
    ratio: median(ratios), added: median(added), guest: median(guests), direct: median(directs), wallRatio: median(wallRatios),
  };
}

export default async function run() {
  const blaze = await compare({}, 'blazeface', new Uint8Array(readFileSync(BLAZEFACE)), 'input:0', [1, 128, 128, 3], 50, 15);

  const dir = mkdtempSync(join(tmpdir(), 'nn-bench-'));
  const tinyPath = join(dir, 'tiny.onnx');
  const tinyBytes = dynamicBatchModel();
  writeFileSync(tinyPath, tinyBytes);
  const tiny = await compare({ nn: { models: { tiny: tinyPath } } }, 'tiny', tinyBytes, 'x', [1, 3], 2000, 15);

  return {
    nn_compute_ratio_blazeface: {
      value: blaze.ratio, goal: '<= 1.05',
      what: `BlazeFace compute via a C guest (${(blaze.guest / 1e6).toFixed(3)} ms CPU) / direct onnxruntime-node native run (${(blaze.direct / 1e6).toFixed(3)} ms CPU), 1 thread, incl. input bytes in and first output out; wall-clock ratio ${blaze.wallRatio.toFixed(3)}`,
    },
    nn_tiny_added_us: {
      value: tiny.added / 1000, goal: 'report',
      what: `CPU µs added per compute on a [1,3] relu model through a C guest: ${(tiny.guest / 1000).toFixed(2)} µs vs direct ${(tiny.direct / 1000).toFixed(2)} µs (wall-clock ratio ${tiny.wallRatio.toFixed(2)})`,
    },
  };
}
