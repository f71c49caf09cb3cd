// The browser build measured in Chromium (headless, Debian's package, playwright-core), beside the
// same figures measured in Node in this process:
//  - call_overhead_ratio_browser: the bench-echo guest's trivial host import through the host's
//    bindings (the latest jco + the host's rewrite, built by scripts/build-browser.mjs) / the same core module calling a plain JS import, timed inside the component's
//    Web Worker (src/platform/browser/worker/bench.ts); the Node figure (bench/call-overhead.bench.mjs's
//    method) is measured here too and quoted in `what`.
//  - frame_throughput_fps_browser / _node and their ratio: frames/s of the face-detection app
//    (facedetect.wasm: camera frame → wasi:vision → BlazeFace on wasi:nn → post-processing → PNG)
//    on the fixture images with the virtual sensor clock (no waiting for frames: throughput, not
//    the camera's rate), from the guest's own summary line; onnxruntime-web (wasm, 1 thread) in
//    Chromium against onnxruntime-node (1 thread) in Node. In Chromium both ways: without JSPI
//    (frame_throughput_fps_browser: the component's worker blocks in Atomics.wait) and with it
//    (frame_throughput_fps_jspi_browser: the guest suspends; runs alternate), and their ratio.
// Figures that cannot be measured (no Chromium) are left out.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, benchTempDir, medianOf, nsPerOp, transpileWith, median } from './lib.mjs';

const FRAMES = 12;
const REPS = 3;

/**
 * From the app's output (FACEDETECT_TIMING=1): end-to-end frames/s (its summary line), and per
 * frame after the first (warm-up), the medians of the pipeline time without the PNG output
 * (total - encode - write: camera → vision → nn → post-processing) and of the inference alone.
 */
function measure(stdout) {
  const m = /"summary":\{.*"frames":(\d+).*"seconds":([\d.]+)/.exec(stdout);
  if (!m) throw new Error(`no summary line in:\n${stdout}`);
  const frames = stdout.split('\n').filter((l) => l.startsWith('{"frame"')).slice(1).map((l) => JSON.parse(l).us);
  return {
    fps: Number(m[1]) / Number(m[2]),
    pipelineUs: median(frames.map((u) => u.total - u.encode - u.write)),
    inferUs: median(frames.map((u) => u.infer)),
  };
}
const summarize = (runs) => ({
  fps: median(runs.map((r) => r.fps)),
  pipelineUs: median(runs.map((r) => r.pipelineUs)),
  inferUs: median(runs.map((r) => r.inferUs)),
});

const camera = (dir) => ({
  sensor: { clock: 'virtual', devices: { 'camera:0': { kind: 'image-fixture', directory: dir, loop: true, fps: [30, 1] } } },
  wasi: { preopens: { '/out': '/out' }, env: { FACEDETECT_TIMING: '1' }, args: ['facedetect', String(FRAMES)] },
});

export default async function run() {
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) {
    process.stderr.write(`bench: browser: no Chromium at ${chromiumPath}; browser figures left out\n`);
    return {};
  }
  process.chdir(ROOT);
  if (!existsSync(join(ROOT, 'dist/web/worker.js'))) {
    const { buildBrowser } = await import('../scripts/build-browser.mjs');
    await buildBrowser();
  }
  const { serve } = await import('../demo/web/serve.mjs');
  const { launchChromium } = await import('../test/browser/chromium.mjs');

  // ---- Node side (this process)
  const file = join(ROOT, 'fixtures/components/bench-echo.wasm');
  const echo = (x) => x;
  const runtime = await transpileWith('runtime', file);
  const viaJco = (await runtime.instantiate({ 'wasi-edge:bench/probe': { echo }, 'wasi-edge:bench/probe@0.1.0': { echo } })).benchLoop;
  const core = readdirSync(runtime.dir).find((f) => f.endsWith('.core.wasm'));
  const { instance } = await WebAssembly.instantiate(readFileSync(join(runtime.dir, core)), { probe: { echo } });
  const raw = instance.exports['bench-loop'];
  const nodeRatio = medianOf(() => nsPerOp(viaJco, 1e6)) / medianOf(() => nsPerOp(raw, 1e6));

  const { runComponent } = await import(pathToFileURL(join(ROOT, 'dist/index.js')).href);
  const nodeFps = [];
  for (let i = 0; i < REPS; i++) {
    const out = [];
    const config = camera('fixtures/demo/camera');
    config.wasi.preopens['/out'] = benchTempDir('bench-browser-');
    const r = await runComponent(join(ROOT, 'fixtures/components/facedetect.wasm'), config, { stdio: { stdout: (c) => out.push(c), stderr: () => {} } });
    if (r.code !== 0) throw new Error(`facedetect in Node exited ${r.code}`);
    nodeFps.push(measure(Buffer.concat(out).toString()));
  }

  // ---- Chromium side
  const { url, close } = await serve({ port: 0 });
  const context = await launchChromium();
  try {
    const page = await context.newPage();
    await page.goto(`${url}/test/browser/page.html`);
    await page.waitForFunction(() => window.ready === true);
    const call = await page.evaluate(() => window.wasiEdge.benchCallOverhead('/dist/web/components/bench-echo/', 1_000_000));
    const files = { '/fixtures/models/blazeface-128.onnx': '/fixtures/models/blazeface-128.onnx' };
    for (const f of readdirSync(join(ROOT, 'fixtures/demo/camera'))) files[`/fixtures/demo/camera/${f}`] = `/fixtures/demo/camera/${f}`;
    // Without JSPI (Atomics.wait in the component's worker) and with it, alternating per repetition
    // so that load changes on a shared machine hit both alike.
    const browserFps = [];
    const jspiFps = [];
    for (let i = 0; i < REPS; i++) {
      for (const jspi of ['off', 'on']) {
        const r = await page.evaluate(
          ([config, files, jspi]) => window.wasiEdge.runComponent('/dist/web/components/facedetect/', config, { files, jspi }),
          [camera('/fixtures/demo/camera'), files, jspi],
        );
        if (r.code !== 0) throw new Error(`facedetect in Chromium (--jspi ${jspi}) exited ${r.code}: ${r.stderr}${r.stdout}`);
        if ((r.jspi === true) !== (jspi === 'on')) throw new Error(`facedetect in Chromium: --jspi ${jspi} ran with jspi ${r.jspi}`);
        (jspi === 'on' ? jspiFps : browserFps).push(measure(r.stdout));
      }
    }
    const version = context.browser()?.version() ?? 'chromium';
    const n = summarize(nodeFps);
    const b = summarize(browserFps);
    const j = summarize(jspiFps);
    return {
      call_overhead_ratio_browser: {
        value: call.ratio,
        goal: '<= 10',
        what: `Chromium ${version}, in the component's worker: host import via the host's bindings (jco ${runtime.jcoVersion} + rewrite; ${call.jcoNs.toFixed(1)} ns) / raw wasm->JS import (${call.rawNs.toFixed(1)} ns); Node in the same run: ${nodeRatio.toFixed(2)}`,
      },
      frame_throughput_fps_browser: {
        value: 1e6 / b.pipelineUs,
        goal: 'report',
        what: `Chromium ${version}, jco ${runtime.jcoVersion} + rewrite, without JSPI (--jspi off: the component's worker blocks in Atomics.wait on the onnxruntime-web worker): facedetect pipeline frames/s (camera frame → wasi:vision → BlazeFace on onnxruntime-web wasm, 1 thread → post-processing; PNG output excluded; virtual clock, median over ${FRAMES - 1} frames × ${REPS} runs); end to end with PNG output ${b.fps.toFixed(2)} fps`,
      },
      frame_throughput_fps_jspi_browser: {
        value: 1e6 / j.pipelineUs,
        goal: 'report',
        what: `the same with JSPI (--jspi on, Chromium ${version}, jco ${runtime.jcoVersion} asyncMode jspi + rewrite: load and compute suspend the guest and await the onnxruntime-web worker), runs alternating with the ones without; end to end with PNG output ${j.fps.toFixed(2)} fps; BlazeFace per frame ${(j.inferUs / 1000).toFixed(1)} ms against ${(b.inferUs / 1000).toFixed(1)} ms without`,
      },
      frame_throughput_jspi_vs_blocking_browser: {
        value: b.pipelineUs / j.pipelineUs,
        goal: 'report',
        what: `facedetect pipeline frames/s in Chromium with JSPI / without (same page, alternating runs; jco ${runtime.jcoVersion})`,
      },
      frame_throughput_fps_node: {
        value: 1e6 / n.pipelineUs,
        goal: 'report',
        what: `the same in Node, same run (onnxruntime-node, 1 thread); end to end with PNG output ${n.fps.toFixed(2)} fps`,
      },
      frame_throughput_browser_vs_node: {
        value: n.pipelineUs / b.pipelineUs,
        goal: 'report',
        what: 'facedetect pipeline frames/s in Chromium / in Node',
      },
      nn_infer_ms_browser: {
        value: b.inferUs / 1000,
        goal: 'report',
        what: `BlazeFace inference per frame as the app sees it in Chromium without JSPI (wasi:nn compute → onnxruntime-web worker and back through shared memory, Atomics.wait); with JSPI ${(j.inferUs / 1000).toFixed(1)} ms; Node/onnxruntime-node: ${(n.inferUs / 1000).toFixed(1)} ms`,
      },
    };
  } finally {
    await context.close();
    await close();
  }
}
