#!/usr/bin/env node
// `npm run build`: dist/ from src/ — the WIT types generated from wit/ (scripts/gen-types.mjs),
// tsc, and the generated types copied beside the output (scripts/ship-types.mjs says why).
//
// It skips the work when dist/ is current: a stamp records a digest of every input (src/, wit/,
// the tsconfigs, package.json and the exact jco and TypeScript versions), so `npm start` right
// after `npm ci` does not compile for half a minute in silence. `--force` always builds.
// After a rebuild, outputs whose source no longer exists are removed (dist/web/, the browser
// build's own output, and dist/generated/ excepted), so files of sources that were moved or
// deleted never linger in a package. Nothing is removed before tsc: a dist/ in use stays whole.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const stampFile = join(dist, '.build-stamp');
const force = process.argv.includes('--force');
const quiet = process.argv.includes('--quiet');
const say = (s) => quiet || console.error(`build: ${s}`);

function files(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (p !== join(root, 'src/generated')) walk(p);
      } else out.push(p);
    }
  };
  walk(dir);
  return out;
}

function version(pkg) {
  return JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

function digest() {
  const h = createHash('sha256');
  const inputs = [...files(join(root, 'src')), ...files(join(root, 'wit')), ...['tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/gen-types.mjs', 'scripts/ship-types.mjs'].map((f) => join(root, f))];
  for (const f of inputs) h.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  h.update(`jco ${version('@bytecodealliance/jco')} typescript ${version('typescript')}`);
  return h.digest('hex');
}

const want = digest();
if (!force && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === want) {
  say('dist/ is up to date');
  process.exit(0);
}
const t0 = Date.now();
say('compiling src/ into dist/ (types from wit/, then tsc)…');
const run = (script, args = []) => execFileSync(process.execPath, [join(root, script), ...args], { stdio: 'inherit', cwd: root });
run('scripts/gen-types.mjs');
run('node_modules/typescript/bin/tsc', ['-p', 'tsconfig.build.json']);
run('scripts/ship-types.mjs');
let stale = 0;
for (const f of files(dist)) {
  const rel = relative(dist, f);
  if (rel.startsWith('web/') || rel.startsWith('generated/') || rel === '.build-stamp') continue;
  const source = join(root, 'src', rel.replace(/(\.d\.ts|\.js\.map|\.d\.ts\.map|\.js)$/, '.ts'));
  if (!existsSync(source)) {
    rmSync(f);
    stale++;
  }
}
if (stale) say(`removed ${stale} output file(s) of sources that no longer exist`);
writeFileSync(stampFile, want);
say(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
