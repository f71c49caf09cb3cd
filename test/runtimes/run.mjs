#!/usr/bin/env node
// `npm run test:runtimes`: the CLI under every JavaScript runtime the package claims: the Node that
// runs this script, and Node 22, Node 24, Deno and Bun from npm (test/runtimes/runtimes.mjs; pinned
// in test/runtimes/package.json and installed there with npm ci on first use). For each runtime: the
// host conformance suite (`wasi-edge conformance`), traps (a guest's through the CLI, and every trap
// kind of trap-modules.mjs through describeTrap), and the face-detection demo (`npm start`'s command,
// in a sandbox of the checkout so that what it writes stays out of it), each on its own empty
// transpile cache so that the first transpile (jco running on that runtime) is part of it.
// Prints one line per runtime × check, then "runtimes: N passed, N failed".
// Options: --runtime ID (repeatable: node20, node22, node24, deno, bun), --check conformance|traps|demo.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUNTIMES } from './runtimes.mjs';
import { makeSandbox } from '../docs/sandbox.mjs';

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
const failed = (r) => (r.code === null ? `timed out after ${TIMEOUT_MS / 1000} s` : `exit ${r.code}`);

/** Each check returns { summary } when it passed, { reason } when not. */
const CHECKS = {
  async conformance(rt, bin, env) {
    const r = await runCli(rt, bin, ['conformance'], env);
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
