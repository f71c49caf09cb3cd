#!/usr/bin/env node
// Builds the Rust guests into fixtures/components/rust-<crate>.wasm, offline (docs/guests/rust.md):
//   cargo (Debian rustc-web + rust-web-src, std built with -Z build-std) → wasm32-wasip1 core module
//   → jco embed (world edge-imports) → jco new + preview1 command adapter, as guests/build.mjs does for C.
// Run by `npm run build:guests` (guests/build.mjs calls it) or on its own.
//
// `--check` (CI, `npm run check:guests`) fails when a committed binary is stale. CI has no Rust
// toolchain, so the check has two levels:
//   1. always: the committed binaries are the ones build.json records, and build.json was made from
//      the sources as they are now (a hash of guests/rust/, the WIT it binds, and the adapter's jco version);
//   2. with the same rustc as build.json names: a rebuild, compared byte for byte.
// `--only a,b` builds just those guests (names as in fixtures/components/, e.g. rust-facedetect).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { componentNew, embed, root } from '../../scripts/wasm-tools.mjs';

const here = join(root, 'guests/rust');
const manifestFile = join(here, 'build.json');
const outDir = join(root, 'fixtures/components');
/** Workspace member → component name. */
const GUESTS = { facedetect: 'rust-facedetect', 'i2c-spi': 'rust-i2c-spi', errors: 'rust-errors' };

const args = process.argv.slice(2);
const check = args.includes('--check');
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? new Set((args[onlyArg + 1] ?? '').split(',')) : undefined;
const wanted = Object.entries(GUESTS).filter(([, name]) => !only || only.has(name));

// Debian's toolchain by absolute path: rustup's rustc (~/.cargo/bin) would shadow it on PATH and has
// no wasm32 std offline. RUSTC_BOOTSTRAP: -Z build-std and panic = "immediate-abort" are unstable.
const RUSTC = process.env.RUSTC ?? '/usr/bin/rustc';
const CARGO = process.env.CARGO ?? '/usr/bin/cargo';
const cargoEnv = { ...process.env, PATH: '/usr/bin:/bin', RUSTC, RUSTC_BOOTSTRAP: '1' };

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function files(dir) {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'target' ? [] : files(p);
    return p === manifestFile ? [] : [p];
  });
}

/**
 * The WIT the guests are embedded against: the world's file and the packages the crate binds (not
 * all of wit/, so that adding an unrelated package does not make these binaries stale).
 */
const WIT_INPUTS = ['edge.wit', ...['sensor', 'buffer-pool', 'io-0.2.0', 'i2c', 'spi', 'nn', 'vision'].map((d) => `deps/${d}`)];

/** What a build depends on besides the toolchain: our sources, that WIT, and the adapter's jco. */
function inputsHash() {
  const h = createHash('sha256');
  const wit = WIT_INPUTS.flatMap((p) => (statSync(join(root, 'wit', p)).isDirectory() ? files(join(root, 'wit', p)) : [join(root, 'wit', p)]));
  for (const f of [...files(here), ...wit]) {
    h.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  }
  h.update(JSON.parse(readFileSync(join(root, 'node_modules/jco-latest/package.json'), 'utf8')).version);
  return h.digest('hex');
}

/** `rustc --version` of Debian's toolchain, or why it cannot build here. */
function toolchain() {
  const missing = [RUSTC, CARGO, '/usr/lib/rustlib/src/rust/library/vendor', '/usr/lib/wasm32-wasi/libc.a']
    .filter((p) => !existsSync(p));
  if (missing.length) return { missing };
  try {
    execFileSync('wasm-ld-19', ['--version'], { stdio: 'ignore', env: cargoEnv });
  } catch {
    return { missing: ['wasm-ld-19'] };
  }
  return { version: execFileSync(RUSTC, ['--version'], { encoding: 'utf8' }).trim() };
}

async function buildAll() {
  execFileSync(CARGO, ['build', '--offline', '--release', ...wanted.flatMap(([crate]) => ['-p', crate])], {
    cwd: here,
    env: cargoEnv,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const built = {};
  for (const [crate, name] of wanted) {
    const core = readFileSync(join(here, 'target/wasm32-wasip1/release', `${crate}.wasm`));
    built[name] = Buffer.from(await componentNew(await embed(core, join(root, 'wit'), 'edge-imports'), 'command'));
  }
  return built;
}

const manifest = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) : { components: {} };
const tools = toolchain();

if (check) {
  const stale = [];
  const inputs = inputsHash();
  if (manifest.inputs !== inputs) stale.push('guests/rust/build.json (the Rust sources, wit/ or jco changed since the last build)');
  for (const [, name] of wanted) {
    const target = join(outDir, `${name}.wasm`);
    const recorded = manifest.components[name]?.sha256;
    if (!existsSync(target) || sha256(readFileSync(target)) !== recorded) stale.push(`${name} (not the binary build.json records)`);
  }
  if (tools.missing) {
    console.log(`rust guests: no Rust toolchain here (${tools.missing.join(', ')} missing): checked the committed binaries against their recorded inputs only`);
  } else if (tools.version !== manifest.toolchain) {
    console.log(`rust guests: ${tools.version} is not the toolchain of the committed build (${manifest.toolchain}): checked against the recorded inputs only`);
  } else {
    const built = await buildAll();
    for (const [name, bytes] of Object.entries(built)) {
      const target = join(outDir, `${name}.wasm`);
      if (!existsSync(target) || Buffer.compare(readFileSync(target), bytes) !== 0) stale.push(`${name} (a rebuild differs)`);
    }
  }
  const inputsChanged = manifest.inputs !== inputs;
  for (const [, name] of wanted) console.log(`${inputsChanged || stale.some((s) => s.startsWith(name + ' ')) ? '✗ stale' : '✓'} ${name}`);
  if (stale.length) {
    console.error(`rust guests are stale: ${stale.join('; ')} — run npm run build:guests and commit fixtures/components/rust-*.wasm and guests/rust/build.json`);
    process.exitCode = 1;
  }
} else {
  if (tools.missing) {
    console.error(`rust guests: cannot build, missing ${tools.missing.join(', ')} (apt-get install rustc-web cargo-web rust-web-src lld-19 wasi-libc; docs/guests/rust.md)`);
    process.exit(1);
  }
  const started = Date.now();
  const built = await buildAll();
  for (const [name, bytes] of Object.entries(built)) {
    const target = join(outDir, `${name}.wasm`);
    // Write beside the target and rename, so an interrupted build never leaves half a binary.
    writeFileSync(target + '.tmp', bytes);
    renameSync(target + '.tmp', target);
    manifest.components[name] = { sha256: sha256(bytes), bytes: bytes.length };
    console.log(`built ${name}.wasm (${bytes.length} bytes)`);
  }
  manifest.toolchain = tools.version;
  // After a partial build the others may be stale: leave the recorded inputs as they were, so that
  // the check still says so.
  if (!only) manifest.inputs = inputsHash();
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`${wanted.length} rust guests built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
