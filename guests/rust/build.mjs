#!/usr/bin/env node
// Builds the Rust guests into fixtures/components/rust-<crate>.wasm, offline (docs/guests/rust.md):
//   cargo (Debian rustc-web + rust-web-src, std built with -Z build-std) → wasm32-wasip1 core module,
//   kept in guests/rust/cores/<crate>.wasm → jco embed (world edge-imports) → jco new + preview1
//   command adapter, as guests/build.mjs does for C.
// Run by `npm run build:guests` (guests/build.mjs calls it) or on its own.
//
// `--check` (CI, `npm run check:guests`) fails when a committed binary is stale. CI has no Rust
// toolchain, which is why the core modules are committed too; the check has two levels:
//   1. always: build.json was written from the Rust sources as they are now (their hash), each
//      committed core module is the one it records, and embedding it in the current wit/ with the
//      current jco gives the committed component byte for byte (so a WIT change that matters is
//      caught, and a comment or an unrelated package is not);
//   2. with the rustc that build.json names: cargo rebuilds the core modules, compared byte for byte.
// `--only a,b` builds just those guests (names as in fixtures/components/, e.g. rust-facedetect).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { componentNew, embed, root } from '../../scripts/wasm-tools.mjs';

const here = join(root, 'guests/rust');
const manifestFile = join(here, 'build.json');
const coreDir = join(here, 'cores');
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
const read = (file) => (existsSync(file) ? readFileSync(file) : undefined);

/** The files cargo builds from: guests/rust/ without the build's own outputs. */
function sources(dir = here) {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    if (p === join(here, 'target') || p === coreDir || p === manifestFile) return [];
    return statSync(p).isDirectory() ? sources(p) : [p];
  });
}

function sourcesHash() {
  const h = createHash('sha256');
  for (const f of sources()) h.update(relative(here, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex');
}

/** `rustc --version` of Debian's toolchain, or what is missing to build here. */
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

/** cargo build; returns crate → core module bytes. */
function cargoBuild() {
  execFileSync(CARGO, ['build', '--offline', '--release', ...wanted.flatMap(([crate]) => ['-p', crate])], {
    cwd: here,
    env: cargoEnv,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return Object.fromEntries(wanted.map(([crate]) => [crate, readFileSync(join(here, 'target/wasm32-wasip1/release', `${crate}.wasm`))]));
}

async function componentOf(core) {
  return Buffer.from(await componentNew(await embed(core, join(root, 'wit'), 'edge-imports'), 'command'));
}

const manifest = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) : { components: {} };
const tools = toolchain();

if (check) {
  const stale = new Map(); // name → why
  const sourcesChanged = manifest.sources !== sourcesHash();
  if (tools.missing) {
    console.log(`rust guests: no Rust toolchain here (${tools.missing.join(', ')} missing): the committed core modules are checked against their sources' hash, and re-embedded in wit/`);
  } else if (tools.version !== manifest.toolchain) {
    console.log(`rust guests: ${tools.version} is not the toolchain of the committed build (${manifest.toolchain}): the committed core modules are checked against their sources' hash, and re-embedded in wit/`);
  }
  const rebuilt = !tools.missing && tools.version === manifest.toolchain ? cargoBuild() : {};
  for (const [crate, name] of wanted) {
    const core = read(join(coreDir, `${crate}.wasm`));
    const component = read(join(outDir, `${name}.wasm`));
    if (sourcesChanged) stale.set(name, 'the Rust sources changed since build.json was written');
    else if (!core || sha256(core) !== manifest.components[name]?.core) stale.set(name, `guests/rust/cores/${crate}.wasm is not the core module build.json records`);
    else if (rebuilt[crate] && Buffer.compare(rebuilt[crate], core) !== 0) stale.set(name, 'cargo builds a different core module');
    else {
      const why = await componentOf(core).then(
        (again) => (component && Buffer.compare(again, component) === 0 ? undefined : 'the core module embedded in the current wit/ gives another component'),
        (e) => `the core module no longer fits wit/ (${String(e.message ?? e).split('\n').filter(Boolean).slice(-1)[0]?.trim()})`,
      );
      if (why) stale.set(name, why);
    }
    console.log(`${stale.has(name) ? '✗ stale' : '✓'} ${name}${stale.has(name) ? `: ${stale.get(name)}` : ''}`);
  }
  if (stale.size) {
    console.error('rust guests are stale — run npm run build:guests and commit fixtures/components/rust-*.wasm, guests/rust/cores/ and guests/rust/build.json');
    process.exitCode = 1;
  }
} else {
  if (tools.missing) {
    console.error(`rust guests: cannot build, missing ${tools.missing.join(', ')} (apt-get install rustc-web cargo-web rust-web-src lld-19 wasi-libc; docs/guests/rust.md)`);
    process.exit(1);
  }
  const started = Date.now();
  const cores = cargoBuild();
  mkdirSync(coreDir, { recursive: true });
  for (const [crate, name] of wanted) {
    const component = await componentOf(cores[crate]);
    // Write beside the targets and rename, so an interrupted build never leaves half a binary.
    for (const [file, bytes] of [[join(coreDir, `${crate}.wasm`), cores[crate]], [join(outDir, `${name}.wasm`), component]]) {
      writeFileSync(file + '.tmp', bytes);
      renameSync(file + '.tmp', file);
    }
    manifest.components[name] = { core: sha256(cores[crate]), bytes: component.length, coreBytes: cores[crate].length };
    console.log(`built ${name}.wasm (${component.length} bytes; core module ${cores[crate].length} bytes)`);
  }
  manifest.toolchain = tools.version;
  // After a partial build the others may be stale: leave the recorded sources as they were, so that
  // the check still says so.
  if (!only) manifest.sources = sourcesHash();
  delete manifest.inputs;
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`${wanted.length} rust guests built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
