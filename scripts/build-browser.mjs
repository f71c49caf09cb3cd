#!/usr/bin/env node
// `npm run build:browser`: the browser build, into dist/web/.
//  1. esbuild bundles (ESM, no bundler needed by users): wasi-edge-host.js (page API),
//     worker.js (the component's worker: the shared host bound to the browser platform port,
//     src/platform/browser/), host.js (createHost for your own worker), ort-worker.js
//     (onnxruntime-web, wasm backend) + ort/ (its wasm). Nothing of ours is swapped: only Node's
//     built-in modules, which shared code still names (node:fs for model files, node:path), get
//     small browser stand-ins (src/platform/browser/shims/).
//  2. The host's transpile step (dist/platform/node/browser-component.js → dist/host/transpile.js: the latest jco plus the host's syntax-tree rewrite of its bindings, the
//     same as Node's runner) transpiles every fixtures/components/*.wasm ahead of time into
//     dist/web/components/<name>/ (component.js, core modules, manifest.json). Needs `npm run build`.
// esbuild is the version vitest brought in (pinned by package-lock); nothing is downloaded.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const OUT = join(ROOT, 'dist/web');
const B = join(SRC, 'platform/browser');

const BUILTINS = {
  'node:fs': 'shims/fs.ts',
  'node:path': 'shims/path.ts',
  'node:url': 'shims/url.ts',
  'node:module': 'shims/module.ts',
  'node:os': 'shims/os.ts',
  'node:worker_threads': 'shims/unavailable.ts',
  'node:crypto': 'shims/unavailable.ts',
  'node:child_process': 'shims/unavailable.ts',
};

const browserSwap = {
  name: 'wasi-edge-browser',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => {
      const target = BUILTINS[args.path];
      if (!target) return { errors: [{ text: `${args.path} has no browser replacement (imported by ${args.importer})` }] };
      return { path: join(B, target) };
    });
    // preview2-shim's io-worker exists only in its Node build: a module that fails to load, which
    // the sensor provider's `await import(...).catch()` turns into "no io worker".
    b.onResolve({ filter: /^@bytecodealliance\/preview2-shim\/io-worker$/ }, () => ({ path: 'io-worker', namespace: 'unavailable' }));
    b.onLoad({ filter: /.*/, namespace: 'unavailable' }, () => ({
      contents: "throw new Error('preview2-shim io-worker is Node-only');",
      loader: 'js',
    }));
    // Relative .js imports of TS sources → the .ts file.
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (!args.importer.startsWith(SRC)) return undefined;
      const p = resolve(dirname(args.importer), args.path);
      if (p.endsWith('.js') && existsSync(p.slice(0, -3) + '.ts')) return { path: p.slice(0, -3) + '.ts' };
      return undefined;
    });
  },
};

const common = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  mainFields: ['browser', 'module', 'main'],
  conditions: ['browser', 'import', 'default'],
  inject: [join(B, 'shims/process.ts')],
  define: { global: 'globalThis' },
  plugins: [browserSwap],
  logLevel: 'warning',
  sourcemap: true,
  resolveExtensions: ['.ts', '.js', '.mjs'],
};

/**
 * `components`: transpile the committed guests too (the browser suite and the demo page use them);
 * `sourcemap`: maps for debugging here. The package (`--package`, from prepack) ships neither: its
 * users transpile their own components (`wasi-edge transpile`), and maps would point at sources
 * the package does not ship.
 */
export async function buildBrowser({ components = true, sourcemap = true } = {}) {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  // The package's subpath exports (./sensor, ./i2c, …) get browser variants too (the `browser`
  // export condition), built from the same index.ts with the same swaps.
  const subpaths = Object.fromEntries(
    ['sensor', 'i2c', 'spi', 'nn', 'vision'].filter((n) => existsSync(join(SRC, n, 'index.ts'))).map((n) => [n, join(SRC, n, 'index.ts')]),
  );
  await build({
    ...common,
    sourcemap,
    entryPoints: {
      'wasi-edge-host': join(B, 'page/index.ts'),
      worker: join(B, 'worker/main.ts'),
      host: join(B, 'host-api.ts'),
      'ort-worker': join(B, 'nn/ort-worker.ts'),
      ...subpaths,
    },
    outdir: OUT,
    supported: { 'top-level-await': true },
  });
  const ortDist = join(ROOT, 'node_modules/onnxruntime-web/dist');
  mkdirSync(join(OUT, 'ort'), { recursive: true });
  for (const f of ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs']) copyFileSync(join(ortDist, f), join(OUT, 'ort', f));
  if (components) await transpileComponents();
}

export async function transpileComponents() {
  const { writeBrowserComponent } = await import(pathToFileURL(join(ROOT, 'dist/platform/node/browser-component.js')).href);
  // The example guests by name, and the conformance suite's guests as conformance/<iface>/<case>
  // (the browser suite runs some of them against Node's results).
  const sources = [];
  const dir = join(ROOT, 'fixtures/components');
  // The JavaScript and Python guests (js-*, py-*: a whole JS engine or CPython each, 4-15 MB) are
  // left out: transpiling one takes 15-40 s and the browser suite compares the C builds of the same apps.
  const whole = (f) => f.startsWith('js-') || f.startsWith('py-');
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.wasm') && !whole(f)).sort()) sources.push([f.slice(0, -5), join(dir, f)]);
  const conf = join(ROOT, 'fixtures/conformance');
  for (const iface of existsSync(conf) ? readdirSync(conf).sort() : []) {
    for (const f of readdirSync(join(conf, iface)).filter((f) => f.endsWith('.wasm')).sort()) sources.push([`conformance/${iface}/${f.slice(0, -5)}`, join(conf, iface, f)]);
  }
  const names = [];
  for (const [name, file] of sources) {
    await writeBrowserComponent(file, join(OUT, 'components', name));
    names.push(name);
  }
  writeFileSync(join(OUT, 'components/index.json'), JSON.stringify(names));
  return names;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = Date.now();
  const pkg = process.argv.includes('--package');
  await buildBrowser({ components: !pkg, sourcemap: !pkg });
  console.error(`build:browser: dist/web/ in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
