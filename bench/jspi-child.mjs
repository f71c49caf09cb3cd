// Run by bench/jspi.bench.mjs under a runtime with JSPI (Node 24): the cost of one suspension of an
// async host import, against a sync import of the same component in the same process. Prints one
// JSON line. bench-echo's `echo` is made suspending here (the providers' own JSPI imports are not
// in a bench guest's world); the bindings are jco's JSPI output, with and without the host's
// rewrite (src/host/transpile-rewrite.ts), and, as the baseline, the runner's sync bindings.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, benchTempDir, median } from './lib.mjs';

const { rewriteBindings } = await import(pathToFileURL(join(ROOT, 'dist/host/transpile-rewrite.js')).href);
const { transpileComponent } = await import(pathToFileURL(join(ROOT, 'dist/host/transpile.js')).href);
const jco = await import('@bytecodealliance/jco');
const jcoVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/@bytecodealliance/jco/package.json'), 'utf8')).version;
const bytes = readFileSync(join(ROOT, 'fixtures/components/bench-echo.wasm'));

async function load(files, js) {
  const dir = benchTempDir('bench-jspi-');
  for (const [name, content] of Object.entries(files)) {
    if (name.endsWith('.d.ts')) continue;
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), name === 'component.js' && js !== undefined ? js : content);
  }
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  const mod = await import(pathToFileURL(join(dir, 'component.js')).href);
  return (imports) => mod.instantiate((p) => WebAssembly.compile(readFileSync(join(dir, p))), imports);
}

const jspiOut = await jco.transpile(bytes, {
  name: 'component', instantiation: 'async', typescript: false, base64Cutoff: 0,
  asyncMode: 'jspi', asyncImports: ['wasi-edge:bench/probe#echo'], asyncExports: ['bench-loop'],
});
const jspiFiles = Array.isArray(jspiOut.files) ? Object.fromEntries(jspiOut.files) : jspiOut.files;
const rewritten = rewriteBindings(new TextDecoder().decode(jspiFiles['component.js']), jcoVersion);
if (rewritten.counts.suspendingImports !== 1) throw new Error(`expected 1 suspending import, the rewrite made ${rewritten.counts.suspendingImports}`);
const sync = await transpileComponent(bytes, { jcoVersion });

const probe = (echo) => ({ 'wasi-edge:bench/probe': { echo }, 'wasi-edge:bench/probe@0.1.0': { echo } });
// A real suspension: the host answers after a microtask, as an awaited runtime call would.
const asyncEcho = async (x) => { await null; return x; };
const ours = (await (await load(jspiFiles, rewritten.js))(probe(asyncEcho))).benchLoop;
const plain = (await (await load(jspiFiles))(probe(asyncEcho))).benchLoop;
const direct = (await (await load(sync.files))(probe((x) => x))).benchLoop;

async function nsPerCall(f, n, reps = 7) {
  const out = [];
  for (let i = 0; i < reps + 2; i++) {
    const t0 = process.hrtime.bigint();
    await f(n);
    if (i >= 2) out.push(Number(process.hrtime.bigint() - t0) / n);
  }
  return median(out);
}
const expected = direct(1000);
for (const f of [ours, plain]) if ((await f(1000)) !== expected) throw new Error('bench-echo results differ between the bindings');
console.log(JSON.stringify({
  runtime: `Node ${process.versions.node}`,
  jco: jcoVersion,
  oursNs: await nsPerCall(ours, 100_000),
  plainNs: await nsPerCall(plain, 5_000, 5),
  syncNs: await nsPerCall(direct, 1_000_000),
}));
void readdirSync;
