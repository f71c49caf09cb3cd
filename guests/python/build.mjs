#!/usr/bin/env node
// Builds the Python apps, guests/python/<app>.py → fixtures/components/py-<app>.wasm: one component
// per app, holding CPython 3.11 (from Debian's python3.11 source package, built once by
// build-runtime.sh), the `edge` C module (guests/python/edge/, over guests/c/include's canonical-ABI
// headers), the app and the standard-library modules it imports, frozen (freeze.py). No file
// system is needed to start: runtime/main.c says how it runs.
//
//   node guests/python/build.mjs [--check] [--only py-facedetect,...] [--force]
//
// Building CPython takes 10-20 minutes, so an app is rebuilt only when its inputs changed: each
// build records, next to the binary, a hash of every file it reads (the app, guests/python/**, the C
// headers, wit/, the Debian source version) and the binary's own hash
// (fixtures/components/py-<app>.inputs.json). `--check` recomputes both and calls a binary stale when
// either differs; it needs no compiler, so CI checks the committed binaries without building
// CPython. `--force` rebuilds regardless. guests/build.mjs calls this.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clangCommand } from '../clang.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pyDir = join(root, 'guests/python');
const outDir = join(root, 'fixtures/components');
const includeDir = join(root, 'guests/c/include');
const debianVersion = () => readFileSync(join(pyDir, 'debian-version'), 'utf8').trim();
const cacheDir = () => join(process.env.PYTHON_WASI_CACHE ?? join(root, '.cache/python-wasi'), debianVersion());
// The build scripts and tools, which are not apps.
const NOT_APPS = new Set(['freeze.py']);

/**
 * Every guests/python/<app>.py, as { name: 'py-<app>', source, target, record, kind: 'app' }, and
 * the MicroPython groundwork guests/python/micropython/<name>.c (kind 'asyncify': C through
 * binaryen's asyncify, no CPython) as <name>.wasm.
 */
export function pythonApps() {
  const entry = (name, source, kind) => ({ name, source, kind, target: join(outDir, `${name}.wasm`), record: join(outDir, `${name}.inputs.json`) });
  const apps = readdirSync(pyDir).filter((f) => f.endsWith('.py') && !NOT_APPS.has(f)).sort()
    .map((f) => entry(`py-${basename(f, '.py')}`, join(pyDir, f), 'app'));
  const mpDir = join(pyDir, 'micropython');
  const probes = readdirSync(mpDir).filter((f) => f.endsWith('.c')).sort().map((f) => entry(basename(f, '.c'), join(mpDir, f), 'asyncify'));
  return [...apps, ...probes];
}

function filesUnder(dir) {
  const out = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** What a build of `app` reads, each file by hash, and one hash over all of it. */
export function inputsOf(app) {
  const shared = [...['build.mjs', 'build-runtime.sh', 'debian-version', 'freeze.py'].map((f) => join(pyDir, f)), join(root, 'guests/clang.mjs')];
  // (a MicroPython groundwork program reads fewer of these; recording more only rebuilds it more often)
  const files = [app.source, ...shared, ...filesUnder(join(pyDir, 'edge')), ...filesUnder(join(pyDir, 'runtime')),
    ...filesUnder(includeDir), ...filesUnder(join(root, 'wit'))];
  const hashes = Object.fromEntries(files.map((f) => [relative(root, f), sha256(readFileSync(f))]).sort(([a], [b]) => (a < b ? -1 : 1)));
  const described = { debianPython: debianVersion(), files: hashes };
  return { ...described, inputs: sha256(JSON.stringify(described)) };
}

/** Why the committed binary is stale, or undefined when it is not. */
export function staleness(app) {
  if (!existsSync(app.target)) return 'no binary';
  if (!existsSync(app.record)) return `no ${relative(root, app.record)}`;
  const record = JSON.parse(readFileSync(app.record, 'utf8'));
  if (record.output !== sha256(readFileSync(app.target))) return 'the binary is not the one its record describes';
  const now = inputsOf(app);
  if (record.inputs === now.inputs) return undefined;
  const changed = Object.keys({ ...record.files, ...now.files }).filter((f) => record.files?.[f] !== now.files[f]);
  if (record.debianPython !== now.debianPython) changed.push(`python3.11 ${record.debianPython} → ${now.debianPython}`);
  return `inputs changed: ${changed.join(', ')}`;
}

// clang runs `wasm-opt` after linking whenever one is on PATH (npm run puts binaryen's there, and
// Debian's binaryen one in /usr/bin): guests/clang.mjs runs it with neither, as the C guests' build does.
const { clang, env: clangEnv, flags: clangFlags } = clangCommand();

/** The core module of one app: freeze it, compile the edge module and main, link with libpython. */
function linkCore(app, work) {
  const cache = cacheDir();
  const frozen = join(work, `${app.name}.frozen.c`);
  execFileSync('python3.11', [join(pyDir, 'freeze.py'), app.source, join(cache, 'src/Lib'), frozen], { stdio: ['ignore', 'inherit', 'inherit'] });
  const core = join(work, `${app.name}.core.wasm`);
  const libs = readFileSync(join(cache, 'build/link-libs.txt'), 'utf8').split(/\s+/).filter((l) => l.startsWith('-l'));
  const edgeSources = readdirSync(join(pyDir, 'edge')).filter((f) => f.endsWith('.c')).sort().map((f) => join(pyDir, 'edge', f));
  execFileSync(clang, [
    ...clangFlags, '--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-Wall', '-Werror', '-Wno-unused-function',
    '-I', join(cache, 'src/Include'), '-I', join(cache, 'build'), '-I', includeDir,
    // guests/c/include/start.c is the _start (it says why wasi-libc's is not used).
    '-nostartfiles', '-Wl,--strip-debug',
    // CPython's own WASI link settings: a 512 KiB stack below the data, so an overflow traps
    // rather than overwriting the heap.
    '-z', 'stack-size=524288', '-Wl,--stack-first',
    '-o', core, join(pyDir, 'runtime/main.c'), ...edgeSources, frozen,
    join(includeDir, 'cabi.c'), join(includeDir, 'start.c'), join(cache, 'build/libpython3.11.a'), ...libs, '-lm',
  ], { stdio: ['ignore', 'inherit', 'inherit'], env: clangEnv });
  return readFileSync(core);
}

/**
 * A C program whose setjmp/longjmp run on binaryen's asyncify: clang, then `wasm-opt --asyncify`
 * with the driver (main) left uninstrumented, and no optimisation after it (binaryen then sees that
 * the asyncify calls write no memory and forwards stored values across an unwind).
 */
function asyncifyCore(app, work) {
  const linked = join(work, `${app.name}.linked.wasm`);
  const core = join(work, `${app.name}.core.wasm`);
  execFileSync(clang, [
    ...clangFlags, '--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-Wall', '-Werror', '-nostartfiles',
    '-o', linked, app.source, join(includeDir, 'cabi.c'), join(includeDir, 'start.c'),
  ], { stdio: ['ignore', 'inherit', 'inherit'], env: clangEnv });
  execFileSync(join(root, 'node_modules/.bin/wasm-opt'), [
    linked, '--asyncify', '--pass-arg=asyncify-removelist@__original_main,_start', '--strip-debug', '-o', core,
  ], { stdio: ['ignore', 'inherit', 'inherit'] });
  return readFileSync(core);
}

async function buildApp(app, work) {
  const { componentNew, embed } = await import('../../scripts/wasm-tools.mjs');
  const core = app.kind === 'asyncify' ? asyncifyCore(app, work) : linkCore(app, work);
  const embedded = await embed(core, join(root, 'wit'), 'edge-imports');
  return componentNew(embedded, 'command');
}

/**
 * Builds (or with `check`, checks) the Python apps; without `force`, only the stale ones.
 * @param {{ check?: boolean, only?: Set<string>, force?: boolean }} options
 */
export async function buildPythonGuests({ check = false, only, force = false } = {}) {
  const apps = pythonApps().filter((a) => !only || only.has(a.name));
  const stale = [];
  let failed = 0;
  const todo = [];
  for (const app of apps) {
    const why = staleness(app);
    if (check) {
      if (why) stale.push(app.name);
      console.log(why ? `✗ stale ${app.name} (${why})` : `✓ ${app.name} (inputs unchanged)`);
    } else if (why || force) {
      todo.push(app);
    } else {
      console.log(`${app.name}: inputs unchanged, not rebuilt`);
    }
  }
  if (!todo.length) return { stale, failed };
  try {
    if (!todo.some((a) => a.kind === 'app')) throw 'no CPython needed';
    execFileSync('sh', [join(pyDir, 'build-runtime.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (e) {
    if (e !== 'no CPython needed') {
      console.error('✗ the CPython runtime did not build (above): Python apps not rebuilt');
      return { stale, failed: todo.length };
    }
  }
  const work = mkdtempSync(join(tmpdir(), 'wasi-edge-python-'));
  try {
    for (const app of todo) {
      const started = Date.now();
      let bytes;
      try {
        bytes = Buffer.from(await buildApp(app, work));
      } catch (e) {
        console.error(`✗ ${app.name}: ${e.message ?? e}`);
        failed++;
        continue;
      }
      writeFileSync(app.target + '.tmp', bytes);
      renameSync(app.target + '.tmp', app.target);
      writeFileSync(app.record, JSON.stringify({ ...inputsOf(app), output: sha256(bytes) }, null, 2) + '\n');
      console.log(`built ${app.name}.wasm (${bytes.length} bytes, ${Date.now() - started} ms)`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { stale, failed };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const onlyArg = args.indexOf('--only');
  const only = onlyArg >= 0 ? new Set((args[onlyArg + 1] ?? '').split(',')) : undefined;
  const { stale, failed } = await buildPythonGuests({ check: args.includes('--check'), only, force: args.includes('--force') });
  if (stale.length) console.error(`stale Python apps: ${stale.join(', ')} — run node guests/python/build.mjs and commit fixtures/components/`);
  if (failed || stale.length) process.exitCode = 1;
}
