// nn_compute_ratio_blazeface: wasi:nn `compute` on BlazeFace through a C guest (jco bindings, this
// host's provider) / the same model run directly on onnxruntime-node's native session, same process.
// nn_tiny_added_us: microseconds the component path adds per `compute` on a tiny model (y = relu(x), [1,3]).
//
// Both sides do the same work per iteration: build the input tensor from bytes, run, read the first
// output's data. The direct side uses the same sync native API, session options and thread count (1).
// Guest and direct segments alternate inside one guest run (see interleaved()); only computes are
// timed, not instantiation or model loading. Time is this process's CPU time (process.cpuUsage; ORT
// with 1 thread computes on the calling thread), because on a shared machine wall time mostly measures
// the other tenants; wall-clock ratios are given in `what`. Medians of the per-pair figures.
//
// Steady state: the first `skip` pairs of the measured guest run are not counted. In them the guest's
// ORT session is new (the direct side's was warmed by the warm-up run, and a session is slower for its
// first runs) and the host's functions are still being compiled: each runs once per compute, so V8
// takes hundreds to thousands of computes to move it to its optimising tier, on helper threads whose
// CPU this process's clock counts (the direct side is a few lines of JavaScript, compiled at once). A
// camera app does a thousand computes in half a minute and then runs for days. The ratio over the
// first pairs is reported in `what` too.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, benchTempDir, median } from './lib.mjs';
import { runComponent } from '../dist/index.js';
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
  // No uncounted run first: the guest's segment counts its first compute after the switch (its
  // session's weights and code cold after the direct segment), so the direct one counts its own too.
  const c0 = cpuNs();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) runOnce();
  return { cpu: (cpuNs() - c0) / iterations, wall: Number(process.hrtime.bigint() - t0) / iterations };
}

/**
 * One guest run of `segments` × `segment` computes. At every "mark" the guest prints (synchronously,
 * from inside the guest), the host closes the guest segment's clocks, runs `segment` direct computes
 * right there, and reopens the clocks: guest and direct segments alternate at a fine grain in the same
 * process, so load changes on a shared machine hit both alike. Returns per-pair measurements.
 */
async function interleaved(config, direct, model, inputName, dims, segment, segments) {
  const out = [];
  const pairs = [];
  let cpu0 = 0;
  let wall0 = 0n;
  const stdout = (c) => {
    out.push(c);
    if (!Buffer.from(c).toString('utf8').includes('mark')) return;
    const cpu1 = cpuNs();
    const wall1 = process.hrtime.bigint();
    if (wall0 !== 0n) {
      const d = directNs(direct, inputName, dims, segment);
      pairs.push({ guestCpu: (cpu1 - cpu0) / segment, guestWall: Number(wall1 - wall0) / segment, directCpu: d.cpu, directWall: d.wall });
    }
    cpu0 = cpuNs();
    wall0 = process.hrtime.bigint();
  };
  const iterations = segment * segments;
  const result = await runComponent(join(ROOT, 'fixtures/components/nn_bench.wasm'), {
    ...config,
    wasi: { args: ['nn_bench', model, inputName, String(iterations), String(segment), ...dims.map(String)] },
  }, { stdio: { stdout, stderr: (c) => out.push(c) } });
  const text = Buffer.concat(out).toString('utf8');
  if (result.code !== 0 || pairs.length !== segments) throw new Error(`nn_bench guest failed (code ${result.code}, ${pairs.length} segments): ${text}`);
  return pairs;
}

async function compare(config, modelName, bytes, inputName, dims, segment, segments, skip) {
  const direct = directSession(bytes);
  // Warm up: the transpile cache, V8's tier-up of the guest's hot loop and of the direct path.
  await interleaved(config, direct, modelName, inputName, dims, segment, 3);
  const all = await interleaved(config, direct, modelName, inputName, dims, segment, skip + segments);
  direct.s.dispose();
  const pairs = all.slice(skip);
  const first = all.slice(0, segments);
  return {
    ratio: median(pairs.map((p) => p.guestCpu / p.directCpu)),
    added: median(pairs.map((p) => p.guestCpu - p.directCpu)),
    wallRatio: median(pairs.map((p) => p.guestWall / p.directWall)),
    guest: median(pairs.map((p) => p.guestCpu)),
    direct: median(pairs.map((p) => p.directCpu)),
    coldRatio: median(first.map((p) => p.guestCpu / p.directCpu)),
    coldAdded: median(first.map((p) => p.guestCpu - p.directCpu)),
    skipped: skip * segment,
    counted: segments * segment,
  };
}

export default async function run() {
  const blaze = await compare({}, 'blazeface', new Uint8Array(readFileSync(BLAZEFACE)), 'input:0', [1, 128, 128, 3], 10, 61, 300);

  const dir = benchTempDir('nn-bench-');
  const tinyPath = join(dir, 'tiny.onnx');
  const tinyBytes = dynamicBatchModel();
  writeFileSync(tinyPath, tinyBytes);
  const tiny = await compare({ nn: { models: { tiny: tinyPath } } }, 'tiny', tinyBytes, 'x', [1, 3], 500, 41, 10);

  return {
    nn_compute_ratio_blazeface: {
      value: blaze.ratio, goal: '<= 1.05',
      what: `BlazeFace compute via a C guest (${(blaze.guest / 1e6).toFixed(3)} ms CPU) / direct onnxruntime-node native run (${(blaze.direct / 1e6).toFixed(3)} ms CPU), 1 thread, incl. input bytes in and first output out; wall-clock ratio ${blaze.wallRatio.toFixed(3)}; ${blaze.counted} computes each, counted after the first ${blaze.skipped} of the guest run (over its first ${blaze.counted} the ratio is ${blaze.coldRatio.toFixed(3)}: a new ORT session, the host's functions not yet optimised by V8)`,
    },
    nn_tiny_added_us: {
      value: tiny.added / 1000, goal: 'report',
      what: `CPU µs added per compute on a [1,3] relu model through a C guest: ${(tiny.guest / 1000).toFixed(2)} µs vs direct ${(tiny.direct / 1000).toFixed(2)} µs (wall-clock ratio ${tiny.wallRatio.toFixed(2)}); counted after the first ${tiny.skipped} computes (${(tiny.coldAdded / 1000).toFixed(2)} µs over the first ${tiny.counted})`,
    },
  };
}
