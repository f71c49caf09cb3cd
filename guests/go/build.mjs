#!/usr/bin/env node
// Builds the Go guests into fixtures/components/go-<app>.wasm, offline (docs/guests/go.md):
//   go build (Debian's golang-1.23-go from bookworm-backports, GOOS=wasip1 GOARCH=wasm) → a wasip1
//   core module → binaryen's wasm-merge adds edge/alloc.wat's cabi_realloc (Go 1.23 cannot export
//   one) → kept in guests/go/cores/<app>.wasm → jco embed (world edge-imports) → jco new + preview1
//   command adapter, as guests/build.mjs does for C.
// Run by `npm run build:guests` (guests/build.mjs calls it) or on its own.
//
// `--check` (CI, `npm run check:guests`) fails when a committed binary is stale. CI has no Go, which
// is why the merged core modules are committed too; the check has two levels:
//   1. always: build.json was written from the Go sources as they are now (their hash), each
//      committed core module is the one it records, and embedding it in the current wit/ with the
//      current jco gives the committed component byte for byte (so a WIT change that matters is
//      caught, and a comment or an unrelated package is not);
//   2. with the Go that build.json names: the core modules are rebuilt and compared byte for byte
//      (go build with -trimpath and an empty build id, and wasm-merge, give the same bytes each time).
// `--only a,b` builds just those guests (names as in fixtures/components/, e.g. go-facedetect).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { componentNew, embed, parseWat, root } from '../../scripts/wasm-tools.mjs';

const here = join(root, 'guests/go');
const manifestFile = join(here, 'build.json');
const coreDir = join(here, 'cores');
const outDir = join(root, 'fixtures/components');
/** Package folder → component name. */
const GUESTS = { facedetect: 'go-facedetect', 'i2c-spi': 'go-i2c-spi', errors: 'go-errors' };

const args = process.argv.slice(2);
const check = args.includes('--check');
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? new Set((args[onlyArg + 1] ?? '').split(',')) : undefined;
const wanted = Object.entries(GUESTS).filter(([, name]) => !only || only.has(name));

const GO = process.env.GO ?? '/usr/lib/go-1.23/bin/go';
const WASM_MERGE = join(root, 'node_modules/.bin/wasm-merge');
// GOPROXY=off and GOTOOLCHAIN=local: nothing is fetched (the guests use the standard library only).
const goEnv = { ...process.env, GOOS: 'wasip1', GOARCH: 'wasm', GOPROXY: 'off', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', CGO_ENABLED: '0' };

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const read = (file) => (existsSync(file) ? readFileSync(file) : undefined);

/** What a build reads: guests/go/ (this script with its flags included) without the build's own outputs. */
function sources(dir = here) {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    if (p === coreDir || p === manifestFile || f.endsWith('.md')) return [];
    return statSync(p).isDirectory() ? sources(p) : [p];
  });
}

function sourcesHash() {
  const h = createHash('sha256');
  for (const f of sources()) h.update(relative(here, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex');
}

/** `go version` of the toolchain, or what is missing to build here. */
function toolchain() {
  const missing = [GO, WASM_MERGE].filter((p) => !existsSync(p));
  if (missing.length) return { missing };
  return { version: execFileSync(GO, ['version'], { encoding: 'utf8', env: goEnv }).trim() };
}

/** go build + wasm-merge; returns app → merged core module bytes. */
async function goBuild() {
  const work = mkdtempSync(join(tmpdir(), 'wasi-edge-go-'));
  try {
    const alloc = join(work, 'alloc.wasm');
    writeFileSync(alloc, await parseWat(readFileSync(join(here, 'edge/alloc.wat'), 'utf8')));
    const out = {};
    for (const [app] of wanted) {
      const started = Date.now();
      const plain = join(work, `${app}.go.wasm`);
      const merged = join(work, `${app}.wasm`);
      // -s -w: no name section (52 KB of go-facedetect); -buildid= and -buildvcs=false (no git
      // revision stamped in): the same bytes from the same sources, wherever and whenever built
      execFileSync(GO, ['build', '-trimpath', '-buildvcs=false', '-ldflags=-s -w -buildid=', '-o', plain, `./${app}`], { cwd: here, env: goEnv, stdio: ['ignore', 'inherit', 'inherit'] });
      // "go" and "wasi-edge-alloc" are the names the two modules' imports use for each other; -all:
      // multi-memory and bulk memory, so that alloc.wat's memory import fuses with Go's memory.
      execFileSync(WASM_MERGE, [plain, 'go', alloc, 'wasi-edge-alloc', '-all', '-o', merged], { stdio: ['ignore', 'inherit', 'inherit'] });
      out[app] = readFileSync(merged);
      console.log(`go build ${app}: ${out[app].length} bytes (${Date.now() - started} ms)`);
    }
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
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
    console.log(`go guests: no Go toolchain here (${tools.missing.join(', ')} missing): the committed core modules are checked against their sources' hash, and re-embedded in wit/`);
  } else if (tools.version !== manifest.toolchain) {
    console.log(`go guests: ${tools.version} is not the toolchain of the committed build (${manifest.toolchain}): the committed core modules are checked against their sources' hash, and re-embedded in wit/`);
  }
  const rebuilt = !tools.missing && tools.version === manifest.toolchain ? await goBuild() : {};
  for (const [app, name] of wanted) {
    const core = read(join(coreDir, `${app}.wasm`));
    const component = read(join(outDir, `${name}.wasm`));
    if (sourcesChanged) stale.set(name, 'the Go sources changed since build.json was written');
    else if (!core || sha256(core) !== manifest.components[name]?.core) stale.set(name, `guests/go/cores/${app}.wasm is not the core module build.json records`);
    else if (rebuilt[app] && Buffer.compare(rebuilt[app], core) !== 0) stale.set(name, 'go build gives a different core module');
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
    console.error('go guests are stale — run npm run build:guests and commit fixtures/components/go-*.wasm, guests/go/cores/ and guests/go/build.json');
    process.exitCode = 1;
  }
} else {
  if (tools.missing) {
    console.error(`go guests: cannot build, missing ${tools.missing.join(', ')} (apt-get install -t bookworm-backports golang-1.23-go; npm install for wasm-merge; docs/guests/go.md)`);
    process.exit(1);
  }
  const started = Date.now();
  const cores = await goBuild();
  mkdirSync(coreDir, { recursive: true });
  for (const [app, name] of wanted) {
    const component = await componentOf(cores[app]);
    // Write beside the targets and rename, so an interrupted build never leaves half a binary.
    for (const [file, bytes] of [[join(coreDir, `${app}.wasm`), cores[app]], [join(outDir, `${name}.wasm`), component]]) {
      writeFileSync(file + '.tmp', bytes);
      renameSync(file + '.tmp', file);
    }
    manifest.components[name] = { core: sha256(cores[app]), bytes: component.length, coreBytes: cores[app].length };
    console.log(`built ${name}.wasm (${component.length} bytes; core module ${cores[app].length} bytes)`);
  }
  manifest.toolchain = tools.version;
  // After a partial build the others may be stale: leave the recorded sources as they were, so that
  // the check still says so.
  if (!only) manifest.sources = sourcesHash();
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`${wanted.length} go guests built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
