#!/usr/bin/env node
// `npm run test:runtimes`: the CLI under every JavaScript runtime the package claims: the Node that
// runs this script, and Node 22, Node 24, Deno and Bun from npm (test/runtimes/runtimes.mjs; pinned
// in test/runtimes/package.json and installed there with npm ci on first use). For each runtime: the
// host conformance suite (`wasi-edge conformance`), traps (a guest's through the CLI, and every trap
// kind of trap-modules.mjs through describeTrap), and the face-detection demo (`npm start`'s command,
// in a sandbox of the checkout so that what it writes stays out of it), each on its own empty
// transpile cache so that the first transpile (jco running on that runtime) is part of it.
// Prints one line per runtime × check, then "runtimes: N passed, N failed".
// jspi: on runtimes with JSPI, guests that wait (a pool pollable's block, wasi:nn on ONNX Runtime
// Web, including a compute that nn.timeoutMs stops) give the same results with --jspi on as with
// off, and only `on` awaits (Atomics.waitAsync) where `off` blocks; where JSPI is missing, auto
// makes bindings without it and `on` refuses with JspiUnavailableError.
// Options: --runtime ID (repeatable: node20, node22, node24, deno, bun), --check conformance|traps|demo|jspi.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUNTIMES } from './runtimes.mjs';
import { makeSandbox } from '../docs/sandbox.mjs';
import * as onnx from '../nn/onnx-writer.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli/main.js');
const RUNTIMES_DIR = join(ROOT, 'test/runtimes');
const require = createRequire(join(RUNTIMES_DIR, 'package.json'));
const TIMEOUT_MS = 300_000;

const args = process.argv.slice(2);
const wanted = (flag) => args.flatMap((a, i) => (args[i - 1] === flag ? [a] : []));
const onlyRuntimes = wanted('--runtime');
const onlyChecks = wanted('--check');

/** Installs test/runtimes/package-lock.json unless that exact lockfile is what is installed. */
function installRuntimes() {
  const lock = readFileSync(join(RUNTIMES_DIR, 'package-lock.json'));
  const stamp = join(RUNTIMES_DIR, 'node_modules/.installed-from-lock');
  if (existsSync(stamp) && readFileSync(stamp).equals(lock)) return;
  console.log('installing the runtimes: npm ci --ignore-scripts in test/runtimes');
  const r = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', RUNTIMES_DIR], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status === 0) writeFileSync(stamp, lock);
}

/** Where a runtime's binary is, or why it is not there. */
function locate(rt) {
  if (rt.self) return { bin: process.execPath };
  const [pkg, path] = rt.binary;
  try {
    const bin = join(dirname(require.resolve(`${pkg}/package.json`)), path);
    if (existsSync(bin)) return { bin };
  } catch {
    // not installed (an optional dependency for another platform)
  }
  return { missing: `not installed: ${pkg}/${path} (test/runtimes/package.json; the binaries are for linux-x64)` };
}

function versionOf(rt, bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  const m = /(\d+\.\d+\.\d+)/.exec(r.stdout ?? '');
  return m ? m[1] : '?';
}

/** Runs the CLI under `rt`; resolves with { code, stdout, stderr, ms } (code null on timeout). */
const runCli = (rt, bin, cliArgs, env) => runScript(rt, bin, CLI, env, cliArgs);

/** Runs `script` under `rt` in `cwd`, as runCli. */
function runScript(rt, bin, script, env, scriptArgs = [], cwd = ROOT) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(bin, [...rt.args, script, ...scriptArgs], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal ? null : code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: Date.now() - t0 });
    });
  });
}

const tail = (text, n = 12) => text.trim().split('\n').slice(-n).join('\n');

/** The jspi check's guests: [name, component, config]. Models for nn_errors are written to `models`. */
function jspiCases(models) {
  const files = { 'add.onnx': onnx.addModel(), 'bf16.onnx': onnx.identityModel(onnx.DT.BFLOAT16), 'reshape.onnx': onnx.reshapeModel(), 'unknown-op.onnx': onnx.unknownOpModel(), 'slow.onnx': onnx.slowModel(512, 2048) };
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(models, name), bytes);
  const m = (f) => join(models, f);
  const web = { backend: 'onnxruntime-web' };
  return [
    // Its waits mix a pool with clocks (the shim's poll), and its frames are there when it blocks:
    // the same output is the check (the async wait itself: test/sensor/jspi-wait.test.ts).
    ['sensor_poll (pool pollables and clocks)', 'sensor_poll', {}, { awaits: false }],
    ['nn_bench (BlazeFace, onnxruntime-web)', 'nn_bench', { nn: web, wasi: { args: ['nn_bench', 'blazeface', 'input:0', '3', '3', '1', '128', '128', '3'] } }],
    ['nn_errors (every error code, a timeout included, onnxruntime-web)', 'nn_errors', {
      nn: {
        ...web, timeoutMs: 3000,
        models: { add: m('add.onnx'), bf16: m('bf16.onnx'), reshape: m('reshape.onnx'), 'unknown-op': m('unknown-op.onnx'), secret: m('add.onnx'), big: join(ROOT, 'fixtures/models/blazeface-128.onnx'), slow: m('slow.onnx') },
        allow: ['add', 'bf16', 'reshape', 'unknown-op', 'big', 'slow'],
        limits: { modelBytes: 100_000, tensorBytes: 8 << 20 },
      },
      wasi: { preopens: { '/models': models } },
    }],
  ].map(([what, component, config, opts = { awaits: true }]) => [what, component, config, opts]);
}

/** One jspi-probe.mjs run under `rt`, on a cache of its own; its JSON line. */
async function probeJspi(rt, bin, env, component, mode, config) {
  const cache = mkdtempSync(join(tmpdir(), 'wasi-edge-jspi-cache-'));
  try {
    const r = await runScript(rt, bin, join(RUNTIMES_DIR, 'jspi-probe.mjs'), env, [join(ROOT, 'fixtures/components', `${component}.wasm`), mode, JSON.stringify(config), cache]);
    const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
    if (!line) throw new Error(`jspi-probe ${component} --jspi ${mode}: ${failed(r)}\n${tail(r.stdout + r.stderr)}`);
    return { ...JSON.parse(line), ms: r.ms };
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

/**
 * The output compared between the modes: nn_errors prints `case: code: message`, and a timeout's
 * message names times, so cases and codes; nn_bench prints its own timing (ns_per_compute), so
 * that line without it; other lines as they are.
 */
const casesAndCodes = (text) => text.split('\n').map((l) => /^([\w-]+: [\w-]+)(: |$)/.exec(l)?.[1] ?? l.replace(/^ns_per_compute \S+ /, ''));

const failed = (r) => (r.code === null ? `timed out after ${TIMEOUT_MS / 1000} s` : `exit ${r.code}`);

/** Each check returns { summary } when it passed, { reason } when not. */
const CHECKS = {
  async conformance(rt, bin, env) {
    // On the blocking bridge: the suite checks the host's semantics, and some sensor cases time
    // frames at 25 fps on the real clock; under JSPI the thread idles while the guest is suspended
    // and V8 may run a full garbage collection then (up to 90 ms measured on Node 24 under load),
    // which made those cases miss frames now and then. JSPI has its own check (`jspi`).
    const r = await runCli(rt, bin, ['conformance', '--jspi', 'off'], env);
    const total = /^total\s+(\d+)\/(\d+) passed/m.exec(r.stdout);
    if (r.code !== 0 || !total || total[1] !== total[2]) {
      const failures = r.stdout.split('\n').filter((l) => /^\s*FAIL\b/.test(l)).slice(0, 8).join('\n');
      return { ms: r.ms, reason: `${failed(r)}${total ? `, ${total[1]}/${total[2]} passed` : ''}\n${failures || tail(r.stdout + r.stderr)}` };
    }
    return { ms: r.ms, summary: `${total[1]}/${total[2]} cases passed` };
  },
  async traps(rt, bin, env) {
    // A guest's trap through the CLI, then every trap kind of trap-modules.mjs through describeTrap.
    const cli = await runCli(rt, bin, ['run', 'fixtures/components/trap.wasm'], env);
    const problems = [];
    if (cli.code !== 2 || !/^wasi-edge: the guest trapped: unreachable$/m.test(cli.stderr)) {
      problems.push(`trap.wasm: ${failed(cli)}, expected exit 2 and "the guest trapped: unreachable"\n${tail(cli.stderr)}`);
    }
    const probe = await runScript(rt, bin, join(RUNTIMES_DIR, 'trap-probe.mjs'), env);
    let rows = [];
    try {
      rows = JSON.parse(probe.stdout);
    } catch {
      problems.push(`trap-probe.mjs: ${failed(probe)}\n${tail(probe.stdout + probe.stderr)}`);
    }
    for (const [kind, thrown, named, expected] of rows) {
      if (named !== expected) problems.push(`${kind}: ${thrown} is named ${JSON.stringify(named)}, expected "${expected}"`);
    }
    const ms = cli.ms + probe.ms;
    if (problems.length) return { ms, reason: problems.join('\n') };
    return { ms, summary: `the guest's trap and ${rows.length} trap kinds named as on Node 20` };
  },
  async jspi(rt, bin, env) {
    const models = mkdtempSync(join(tmpdir(), 'wasi-edge-jspi-models-'));
    const problems = [];
    let ms = 0;
    try {
      const has = rt.jspi === true;
      if (!has) {
        // No JSPI here: auto makes bindings without it and runs; on refuses, naming why.
        const auto = await probeJspi(rt, bin, env, 'sensor_poll', 'auto', {});
        const on = await probeJspi(rt, bin, env, 'sensor_poll', 'on', {});
        ms = auto.ms + on.ms;
        if (auto.error || auto.result.code !== 0 || auto.jspiBindings || auto.entries !== 1) problems.push(`--jspi auto: ${JSON.stringify(auto)}, expected exit 0 with bindings without JSPI`);
        if (on.error?.name !== 'JspiUnavailableError' || !/has no WebAssembly\.Suspending/.test(on.error.message)) problems.push(`--jspi on: ${JSON.stringify(on)}, expected JspiUnavailableError`);
        if (problems.length) return { ms, reason: problems.join('\n') };
        return { ms, summary: 'no JSPI here: auto uses the worker bridge, --jspi on refuses (JspiUnavailableError)' };
      }
      for (const [what, component, config, { awaits }] of jspiCases(models)) {
        const off = await probeJspi(rt, bin, env, component, 'off', config);
        const on = await probeJspi(rt, bin, env, component, 'on', config);
        ms += off.ms + on.ms;
        const bad = (r) => r.error || r.result.code !== 0;
        if (bad(off) || bad(on)) {
          problems.push(`${what}: off ${JSON.stringify(off.error ?? off.result)}, on ${JSON.stringify(on.error ?? on.result)}\n${tail(on.output ?? '')}`);
          continue;
        }
        const same = casesAndCodes(on.output).join('\n') === casesAndCodes(off.output).join('\n');
        if (!same) problems.push(`${what}: --jspi on printed\n${tail(on.output)}\nbut off printed\n${tail(off.output)}`);
        if (!on.jspiBindings || off.jspiBindings) problems.push(`${what}: bindings made for JSPI with on: ${on.jspiBindings}, with off: ${off.jspiBindings}`);
        if (off.waitAsync !== 0) problems.push(`${what}: ${off.waitAsync} Atomics.waitAsync calls with --jspi off`);
        if (awaits && !(on.waitAsync > 0 && on.wait < off.wait)) problems.push(`${what}: with on, ${on.waitAsync} Atomics.waitAsync and ${on.wait} Atomics.wait calls (off: ${off.wait} Atomics.wait): expected awaits in place of blocking waits`);
      }
    } finally {
      rmSync(models, { recursive: true, force: true });
    }
    if (problems.length) return { ms, reason: problems.join('\n') };
    return { ms, summary: 'pollable block, nn load/compute and an nn timeout: same results under JSPI as through the blocking bridge' };
  },
  async demo(rt, bin, env) {
    // In a sandbox of the checkout (test/docs/sandbox.mjs): what the demo's config writes relative to
    // itself (the PNGs in out/, the MQTT client's queue in out/mqtt-queue) lands in the sandbox's out/.
    const { dir } = makeSandbox(ROOT);
    try {
      const r = await runScript(rt, bin, CLI, env, ['run', 'fixtures/components/facedetect.wasm', '--config', 'fixtures/demo/edge.json'], dir);
      const out = join(dir, 'out');
      const frames = r.stdout.split('\n').filter((l) => l.startsWith('{"frame"')).map((l) => JSON.parse(l));
      const summary = r.stdout.split('\n').find((l) => l.startsWith('{"summary"'));
      const pngs = readdirSync(out).filter((f) => /^frame-\d+\.png$/.test(f) && readFileSync(join(out, f)).subarray(1, 4).toString() === 'PNG');
      const problems = [];
      if (r.code !== 0) problems.push(failed(r));
      if (frames.length !== 3) problems.push(`${frames.length} frame lines, expected 3`);
      // The astronaut (frame 0) has one face, found with a score of 0.92 on Node 20.
      const face = frames[0]?.faces?.[0];
      if (!(face?.score >= 0.9)) problems.push(`no face with score >= 0.9 in frame 0 (${JSON.stringify(frames[0]?.faces)})`);
      if (!summary) problems.push('no summary line');
      if (pngs.length !== 3) problems.push(`${pngs.length} PNG files written, expected 3`);
      if (problems.length) return { ms: r.ms, reason: `${problems.join('; ')}\n${tail(r.stdout + r.stderr)}` };
      return { ms: r.ms, summary: `3 frames, face ${face.score.toFixed(3)} at ${face.box.x},${face.box.y} ${face.box.w}x${face.box.h}, 3 PNGs` };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

if (!existsSync(CLI)) {
  console.log(`FAIL ${CLI} is missing: run npm run build first`);
  console.log('runtimes: 0 passed, 1 failed');
  process.exit(1);
}
installRuntimes();

let passed = 0;
let failures = 0;
for (const rt of RUNTIMES) {
  if (onlyRuntimes.length && !onlyRuntimes.includes(rt.id)) continue;
  const where = locate(rt);
  const label = where.bin ? `${rt.name} ${versionOf(rt, where.bin)}` : rt.name;
  for (const [check, fn] of Object.entries(CHECKS)) {
    if (onlyChecks.length && !onlyChecks.includes(check)) continue;
    let result;
    if (where.missing) result = { reason: where.missing };
    else {
      const cache = mkdtempSync(join(tmpdir(), `wasi-edge-runtime-cache-${rt.id}-`));
      try {
        result = await fn(rt, where.bin, { WASI_EDGE_CACHE_DIR: cache, ...rt.env });
      } catch (e) {
        result = { reason: String(e?.stack ?? e) };
      } finally {
        rmSync(cache, { recursive: true, force: true });
      }
    }
    const time = result.ms === undefined ? '' : ` (${(result.ms / 1000).toFixed(1)} s)`;
    if (result.reason) {
      failures++;
      console.log(`FAIL ${label.padEnd(12)} ${check.padEnd(12)}${time}\n     ${result.reason.trim().replaceAll('\n', '\n     ')}`);
    } else {
      passed++;
      console.log(`pass ${label.padEnd(12)} ${check.padEnd(12)} ${result.summary}${time}`);
    }
  }
}
console.log(`runtimes: ${passed} passed, ${failures} failed`);
process.exit(failures || passed === 0 ? 1 : 0);
