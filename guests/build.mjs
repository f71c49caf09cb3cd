#!/usr/bin/env node
// Builds every guest in guests/ into fixtures/components/<name>.wasm, offline:
//   guests/c/<name>.c     clang-19 (wasm32-wasi, Debian wasi-libc) → jco embed (world edge-imports) → jco new + preview1 command adapter
//   guests/wat/<name>.wat component-model text → the wasm-tools bundled in jco
// A C file may start with `// build: world=<world> kind=<command|reactor|none>` to change the defaults.
// `--check` rebuilds in memory and fails if a committed binary differs (CI runs it).
// `--only a,b` builds just those guests.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { componentNew, embed, parseWat, root } from '../scripts/wasm-tools.mjs';

const args = process.argv.slice(2);
const check = args.includes('--check');
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? new Set((args[onlyArg + 1] ?? '').split(',')) : undefined;
const outDir = join(root, 'fixtures/components');
const witDir = join(root, 'wit');
const clang = process.env.CLANG ?? 'clang-19';

function buildOptions(source) {
  const header = /^\/\/ build:(.*)$/m.exec(source.split('\n').slice(0, 5).join('\n'));
  const opts = { world: 'edge-imports', kind: 'command' };
  for (const pair of (header?.[1] ?? '').trim().split(/\s+/).filter(Boolean)) {
    const [k, v] = pair.split('=');
    if (k === 'world' || k === 'kind') opts[k] = v;
    else throw new Error(`unknown build option ${pair}`);
  }
  return opts;
}

// clang runs `wasm-opt` after linking whenever one is on PATH, and `npm run` puts binaryen's (a jco
// dependency) there: keep node_modules/.bin off clang's PATH so that builds are the same either way.
const clangEnv = {
  ...process.env,
  PATH: (process.env.PATH ?? '').split(':').filter((p) => !p.includes('node_modules')).join(':'),
};

async function buildC(file, work) {
  const source = readFileSync(file, 'utf8');
  const { world, kind } = buildOptions(source);
  const core = join(work, basename(file, '.c') + '.core.wasm');
  execFileSync(clang, [
    '--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-Wall', '-Werror', '-Wno-unused-function',
    ...(kind === 'reactor' ? ['-mexec-model=reactor'] : []),
    '-I', join(root, 'guests/c/include'),
    '-Wl,--strip-debug', '-o', core, file, join(root, 'guests/c/include/cabi.c'),
  ], { stdio: ['ignore', 'inherit', 'inherit'], env: clangEnv });
  const embedded = await embed(readFileSync(core), witDir, world);
  return componentNew(embedded, kind === 'none' ? null : kind);
}

async function buildWat(file) {
  return parseWat(readFileSync(file, 'utf8'));
}

const sources = [
  ...readdirSync(join(root, 'guests/c')).filter((f) => f.endsWith('.c')).map((f) => join(root, 'guests/c', f)),
  ...readdirSync(join(root, 'guests/wat')).filter((f) => f.endsWith('.wat')).map((f) => join(root, 'guests/wat', f)),
].filter((f) => !only || only.has(basename(f).replace(/\.(c|wat)$/, '')));

mkdirSync(outDir, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'wasi-edge-guests-'));
const stale = [];
let built = 0;
try {
  for (const file of sources) {
    const name = basename(file).replace(/\.(c|wat)$/, '');
    const started = Date.now();
    let bytes;
    try {
      bytes = file.endsWith('.c') ? await buildC(file, work) : await buildWat(file);
    } catch (e) {
      console.error(`✗ ${name}: ${e.message ?? e}`);
      process.exitCode = 1;
      continue;
    }
    const target = join(outDir, `${name}.wasm`);
    if (check) {
      const same = existsSync(target) && Buffer.compare(readFileSync(target), Buffer.from(bytes)) === 0;
      if (!same) stale.push(name);
      console.log(`${same ? '✓' : '✗ stale'} ${name}`);
    } else {
      // Write beside the target and rename, so an interrupted build never leaves half a binary.
      writeFileSync(target + '.tmp', bytes);
      renameSync(target + '.tmp', target);
      console.log(`built ${name}.wasm (${bytes.length} bytes, ${Date.now() - started} ms)`);
    }
    built++;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (check && stale.length) {
  console.error(`committed guest binaries are stale: ${stale.join(', ')} — run npm run build:guests and commit fixtures/components/`);
  process.exitCode = 1;
}
console.log(`${built} of ${sources.length} guests ${check ? 'checked' : 'built'}`);
