#!/usr/bin/env node
// Builds every guest in guests/ into fixtures/components/<name>.wasm, offline:
//   guests/c/<name>.c     clang-19 (wasm32-wasi, Debian wasi-libc) → jco embed (world edge-imports) → jco new + preview1 command adapter
//   guests/wat/<name>.wat component-model text → the wasm-tools bundled in jco
//   guests/js/<app>/main.js componentize-js → js-<app>.wasm (guests/js/build.mjs; --check compares input hashes)
// A C file may start with `// build: world=<world> kind=<command|reactor|none> spi=3fe70d6` to change
// the defaults; `spi=3fe70d6` embeds against wit/ with the previous wasi:spi revision (wit/spi-3fe70d6)
// in place of the current one, for guests that still call `open-device` and `configure`.
//   conformance/<iface>/<case>/guest.{c,wat} → fixtures/conformance/<iface>/<case>.wasm (the conformance
//     suite's own guests; C ones also see conformance/include/)
//   guests/rust/     guests/rust/build.mjs (cargo; its --check also works where Rust is not installed)
//   guests/go/       guests/go/build.mjs (go build + wasm-merge; its --check also works where Go is not installed)
//   guests/python/<app>.py → py-<app>.wasm (guests/python/build.mjs: CPython from Debian's sources; rebuilt
//     only when its recorded inputs changed, --check compares input hashes and needs no compiler)
//   src/vision/simd/tensor-kernel.c → tensor-kernel-wasm.ts (scripts/build-vision-simd.mjs: the host's SIMD
//     to-tensor kernel, not a guest, but a committed binary built by the same compiler; `--only vision-simd`)
// `--check` rebuilds in memory and fails if a committed binary differs (CI runs it).
// `--only a,b` builds just those guests.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { componentNew, embed, parseWat, root } from '../scripts/wasm-tools.mjs';
import { clangCommand } from './clang.mjs';
import { buildJsGuests } from './js/build.mjs';
import { buildPythonGuests } from './python/build.mjs';

const args = process.argv.slice(2);
const check = args.includes('--check');
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? new Set((args[onlyArg + 1] ?? '').split(',')) : undefined;
const outDir = join(root, 'fixtures/components');
const witDir = join(root, 'wit');

function buildOptions(source) {
  const header = /^\/\/ build:(.*)$/m.exec(source.split('\n').slice(0, 5).join('\n'));
  const opts = { world: 'edge-imports', kind: 'command', spi: undefined };
  for (const pair of (header?.[1] ?? '').trim().split(/\s+/).filter(Boolean)) {
    const [k, v] = pair.split('=');
    if (k === 'world' || k === 'kind') opts[k] = v;
    else if (k === 'spi' && v === '3fe70d6') opts.spi = v;
    else throw new Error(`unknown build option ${pair}`);
  }
  return opts;
}

/**
 * The WIT tree to embed against: wit/ itself, or for `spi=3fe70d6` a copy of it (made once per
 * build, in `work`) whose deps/spi is the previous revision. One package name cannot have two
 * revisions in one tree, and the copy keeps every other package as wit/ has it.
 */
function witFor(spi, work) {
  if (!spi) return witDir;
  const dir = join(work, `wit-spi-${spi}`);
  if (!existsSync(dir)) {
    cpSync(witDir, dir, { recursive: true, filter: (src) => !src.startsWith(join(witDir, `spi-${spi}`)) });
    rmSync(join(dir, 'deps/spi'), { recursive: true });
    cpSync(join(witDir, `spi-${spi}`), join(dir, 'deps/spi'), { recursive: true });
  }
  return dir;
}

// clang without wasm-opt, so that builds are the same whether binaryen is installed or not (clang.mjs).
const { clang, env: clangEnv, flags: clangFlags } = clangCommand();

async function buildC(file, work) {
  const source = readFileSync(file, 'utf8');
  const { world, kind, spi } = buildOptions(source);
  const core = join(work, basename(file, '.c') + '.core.wasm');
  execFileSync(clang, [
    ...clangFlags, '--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-Wall', '-Werror', '-Wno-unused-function',
    // Commands get our own _start (guests/c/include/start.c says why); reactors keep wasi-libc's
    // _initialize, which already runs the constructors once.
    ...(kind === 'reactor' ? ['-mexec-model=reactor'] : ['-nostartfiles']),
    '-I', join(root, 'guests/c/include'), '-I', join(root, 'conformance/include'),
    '-Wl,--strip-debug', '-o', core, file, join(root, 'guests/c/include/cabi.c'),
    ...(kind === 'reactor' ? [] : [join(root, 'guests/c/include/start.c')]),
  ], { stdio: ['ignore', 'inherit', 'inherit'], env: clangEnv });
  const embedded = await embed(readFileSync(core), witFor(spi, work), world);
  return componentNew(embedded, kind === 'none' ? null : kind);
}

async function buildWat(file) {
  return parseWat(readFileSync(file, 'utf8'));
}

/** conformance/<iface>/<case>/guest.{c,wat}: named `<iface>/<case>`, built into fixtures/conformance/. */
function conformanceGuests() {
  const base = join(root, 'conformance');
  if (!existsSync(base)) return [];
  const out = [];
  for (const iface of readdirSync(base).sort()) {
    const dir = join(base, iface);
    if (iface === 'include' || !statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir).sort()) {
      for (const ext of ['c', 'wat']) {
        const file = join(dir, name, `guest.${ext}`);
        if (existsSync(file)) out.push({ file, name: `${iface}/${name}`, target: join(root, 'fixtures/conformance', iface, `${name}.wasm`) });
      }
    }
  }
  return out;
}

const sources = [
  ...readdirSync(join(root, 'guests/c')).filter((f) => f.endsWith('.c')).map((f) => join(root, 'guests/c', f)),
  ...readdirSync(join(root, 'guests/wat')).filter((f) => f.endsWith('.wat')).map((f) => join(root, 'guests/wat', f)),
]
  .map((file) => {
    const name = basename(file).replace(/\.(c|wat)$/, '');
    return { file, name, target: join(outDir, `${name}.wasm`) };
  })
  .concat(conformanceGuests())
  .filter((g) => !only || only.has(g.name));

mkdirSync(outDir, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'wasi-edge-guests-'));
const stale = [];
let built = 0;
try {
  for (const { file, name, target } of sources) {
    const started = Date.now();
    let bytes;
    try {
      bytes = file.endsWith('.c') ? await buildC(file, work) : await buildWat(file);
    } catch (e) {
      console.error(`✗ ${name}: ${e.message ?? e}`);
      process.exitCode = 1;
      continue;
    }
    if (check) {
      const same = existsSync(target) && Buffer.compare(readFileSync(target), Buffer.from(bytes)) === 0;
      if (!same) stale.push(name);
      console.log(`${same ? '✓' : '✗ stale'} ${name}`);
    } else {
      // Write beside the target and rename, so an interrupted build never leaves half a binary.
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target + '.tmp', bytes);
      renameSync(target + '.tmp', target);
      console.log(`built ${name}.wasm (${bytes.length} bytes, ${Date.now() - started} ms)`);
    }
    built++;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
// guests/js/<app>/main.js → fixtures/components/js-<app>.wasm (componentize-js; guests/js/build.mjs)
const js = await buildJsGuests({ check, only });
stale.push(...js.stale);
if (js.failed) process.exitCode = 1;
// guests/python/<app>.py → fixtures/components/py-<app>.wasm (CPython + the edge module; guests/python/build.mjs)
const py = await buildPythonGuests({ check, only });
stale.push(...py.stale);
if (py.failed) process.exitCode = 1;
if (check && stale.length) {
  console.error(`committed guest binaries are stale: ${stale.join(', ')} — run npm run build:guests and commit fixtures/components/ and fixtures/conformance/`);
  process.exitCode = 1;
}
console.log(`${built} of ${sources.length} guests ${check ? 'checked' : 'built'}`);
// The host's SIMD kernel (clang-19 like the C guests), in a child: it has its own --check.
if (!only || only.has('vision-simd')) {
  try {
    execFileSync(process.execPath, [join(root, 'scripts/build-vision-simd.mjs'), ...(check ? ['--check'] : [])], { stdio: 'inherit' });
  } catch {
    process.exitCode = 1;
  }
}
// guests/rust/ and guests/go/ build in a child each (their own toolchains; both check without one)
for (const lang of ['rust', 'go']) {
  if (only && ![...only].some((n) => n.startsWith(`${lang}-`))) continue;
  try {
    execFileSync(process.execPath, [join(root, `guests/${lang}/build.mjs`), ...args], { stdio: 'inherit' });
  } catch {
    process.exitCode = 1;
  }
}
