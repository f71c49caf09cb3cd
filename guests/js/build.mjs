#!/usr/bin/env node
// Builds the JavaScript guests, guests/js/<app>/main.js → fixtures/components/js-<app>.wasm, with
// componentize-js (StarlingMonkey, a SpiderMonkey build for WASI 0.2) against wit/'s world edge-app,
// offline. guests/build.mjs calls this; it also runs on its own:
//   node guests/js/build.mjs [--check] [--only js-facedetect,...]
//
// componentize-js output is not byte-reproducible (two builds of the same source differ: wizer
// snapshots a live JS heap), so `--check` cannot rebuild and compare. Instead each build records,
// next to the binary, a hash of everything the build reads (fixtures/components/js-<app>.inputs.json:
// the app's and lib/'s sources, wit/, this script, componentize-js's version, the options) and the
// binary's own hash; `--check` recomputes both and calls the binary stale when either differs.
import { _setPreopens } from '@bytecodealliance/preview2-shim/filesystem';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const jsDir = join(root, 'guests/js');
const outDir = join(root, 'fixtures/components');

/**
 * The componentize options every guest is built with. http and fetch-event are off: by default the
 * engine imports wasi:http (for fetch), which an edge host need not provide and this one gates
 * behind the network setting.
 */
export const OPTIONS = { worldName: 'edge-app', disableFeatures: ['http', 'fetch-event'] };

/** Every guests/js/<app>/main.js, as { name: 'js-<app>', source, target, record }. */
export function jsGuests() {
  return readdirSync(jsDir)
    .filter((d) => existsSync(join(jsDir, d, 'main.js')))
    .sort()
    .map((d) => ({
      name: `js-${d}`,
      dir: join(jsDir, d),
      source: join(jsDir, d, 'main.js'),
      target: join(outDir, `js-${d}.wasm`),
      record: join(outDir, `js-${d}.inputs.json`),
    }));
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

function componentizeVersion() {
  return JSON.parse(readFileSync(join(root, 'node_modules/@bytecodealliance/componentize-js/package.json'), 'utf8')).version;
}

/** What a build of `guest` reads, each file by hash, and one hash over all of it. */
export function inputsOf(guest) {
  const files = [...filesUnder(guest.dir), ...filesUnder(join(jsDir, 'lib')), ...filesUnder(join(root, 'wit')), fileURLToPath(import.meta.url)];
  const hashes = Object.fromEntries(files.map((f) => [relative(root, f), sha256(readFileSync(f))]).sort(([a], [b]) => (a < b ? -1 : 1)));
  const described = { componentizeJs: componentizeVersion(), options: OPTIONS, files: hashes };
  return { ...described, inputs: sha256(JSON.stringify(described)) };
}

/** Why the committed binary is stale, or undefined when it is not. */
export function staleness(guest) {
  if (!existsSync(guest.target)) return 'no binary';
  if (!existsSync(guest.record)) return `no ${relative(root, guest.record)}`;
  const record = JSON.parse(readFileSync(guest.record, 'utf8'));
  if (record.output !== sha256(readFileSync(guest.target))) return 'the binary is not the one its record describes';
  const now = inputsOf(guest);
  if (record.inputs === now.inputs) return undefined;
  const changed = Object.keys({ ...record.files, ...now.files }).filter((f) => record.files?.[f] !== now.files[f]);
  if (record.componentizeJs !== now.componentizeJs) changed.push(`componentize-js ${record.componentizeJs} → ${now.componentizeJs}`);
  return `inputs changed: ${changed.join(', ') || 'options'}`;
}

async function componentizeGuest(guest) {
  // componentize-js reads the WIT through preview2-shim, which (0.26.1) has no default preopen.
  _setPreopens({ '/': '/' });
  const { componentize } = await import(
    pathToFileURL(join(root, 'node_modules/@bytecodealliance/componentize-js/src/componentize.js')).href
  );
  // The engine maps the current directory to its root and resolves the app's relative imports
  // (../lib/…) there: build from the checkout's root.
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const { component } = await componentize({ sourcePath: guest.source, witPath: join(root, 'wit'), ...OPTIONS });
    return component;
  } finally {
    process.chdir(cwd);
  }
}

/**
 * Builds (or with `check`, checks) the JavaScript guests. Returns the names of stale ones.
 * @param {{ check?: boolean, only?: Set<string> }} options
 */
export async function buildJsGuests({ check = false, only } = {}) {
  const guests = jsGuests().filter((g) => !only || only.has(g.name));
  const stale = [];
  let failed = 0;
  for (const guest of guests) {
    if (check) {
      const why = staleness(guest);
      if (why) stale.push(guest.name);
      console.log(why ? `✗ stale ${guest.name} (${why})` : `✓ ${guest.name} (inputs unchanged)`);
      continue;
    }
    const started = Date.now();
    let bytes;
    try {
      bytes = await componentizeGuest(guest);
    } catch (e) {
      console.error(`✗ ${guest.name}: ${e.message ?? e}`);
      failed++;
      continue;
    }
    mkdirSync(outDir, { recursive: true });
    // Beside the target, then renamed: an interrupted build never leaves half a binary.
    writeFileSync(guest.target + '.tmp', bytes);
    renameSync(guest.target + '.tmp', guest.target);
    writeFileSync(guest.record, JSON.stringify({ ...inputsOf(guest), output: sha256(bytes) }, null, 2) + '\n');
    console.log(`built ${guest.name}.wasm (${bytes.length} bytes, ${Date.now() - started} ms)`);
  }
  return { stale, failed, total: guests.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const onlyArg = args.indexOf('--only');
  const only = onlyArg >= 0 ? new Set((args[onlyArg + 1] ?? '').split(',')) : undefined;
  const { stale, failed } = await buildJsGuests({ check: args.includes('--check'), only });
  if (stale.length) console.error(`stale JavaScript guests: ${stale.join(', ')} — run npm run build:guests and commit fixtures/components/`);
  if (stale.length || failed) process.exitCode = 1;
}
