#!/usr/bin/env node
// `npm run test:consumer`: the package as an embedder meets it. Packs the tarball (which builds
// dist/ and the browser bundles), installs it with a plain `npm i` into a fresh project outside
// the checkout, compiles a TypeScript file that uses the documented API with `strict` and
// `skipLibCheck: false`, runs a component through the installed package in Node, transpiles one
// with the installed CLI and runs it through the installed browser bundle in Chromium.
// Prints one line per check, then "consumer: N passed, N failed".
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../demo/web/serve.mjs';
import { launchChromium } from '../browser/chromium.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'wasi-edge-consumer-'));
process.once('exit', () => rmSync(work, { recursive: true, force: true }));
const app = join(work, 'app');
mkdirSync(app);

const results = [];
async function check(name, fn) {
  const t0 = Date.now();
  let reason = '';
  try {
    reason = (await fn()) ?? '';
  } catch (e) {
    reason = String(e?.stderr?.toString() || e?.stack || e);
  }
  results.push(!reason);
  console.log(`${reason ? 'FAIL' : 'pass'} ${name} (${Date.now() - t0} ms)${reason ? '\n     ' + reason.trim().replaceAll('\n', '\n     ') : ''}`);
  return !reason;
}
const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });

let tarball;
await check('npm pack builds the package and every exports target exists in it', () => {
  const out = JSON.parse(npm(['pack', '--json', '--pack-destination', work], ROOT));
  tarball = join(work, out[0].filename);
  const files = new Set(out[0].files.map((f) => f.path));
  console.log(`     tarball: ${(out[0].size / 1e6).toFixed(2)} MB packed, ${(out[0].unpackedSize / 1e6).toFixed(2)} MB unpacked, ${files.size} files`);
  const missing = [];
  for (const [key, target] of Object.entries(pkg.exports)) {
    for (const file of typeof target === 'string' ? [target] : Object.values(target)) {
      if (!files.has(file.replace(/^\.\//, ''))) missing.push(`${key} → ${file}`);
    }
  }
  const maps = [...files].filter((f) => f.endsWith('.map'));
  if (missing.length) return `exports targets missing from the tarball: ${missing.join(', ')}`;
  if (maps.length) return `source maps in the tarball (they point at unshipped sources): ${maps.slice(0, 3).join(', ')}…`;
  return '';
});

await check('a plain npm i of the tarball into a fresh project', () => {
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  npm(['i', '--no-audit', '--no-fund', '--prefer-offline', tarball, `typescript@${pkg.devDependencies.typescript}`, `@types/node@${pkg.devDependencies['@types/node']}`], app);
  return existsSync(join(app, 'node_modules/wasi-edge-host/dist/index.js')) ? '' : 'node_modules/wasi-edge-host/dist/index.js is missing';
});

writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, noEmit: false, outDir: 'out', types: ['node'] },
  include: ['consumer.ts'],
}, null, 2));
writeFileSync(join(app, 'consumer.ts'), `// What an embedder writes: the documented API, typed.
import { createHost, runComponent, ConfigError, type EdgeConfigInput, type RunResult } from 'wasi-edge-host';
import { SimulatedBus, Bme280 } from 'wasi-edge-host/i2c';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const hello = require.resolve('wasi-edge-host/package.json').replace(/package\\.json$/, 'fixtures/components/hello.wasm');

const config: EdgeConfigInput = { wasi: { env: { GREETING: 'consumer' } } };
const host = createHost(config);
const names: string[] = Object.keys(host.imports);
host.dispose();

let configError = '';
try {
  createHost({ wasi: { network: 'yes' } } as unknown as EdgeConfigInput);
} catch (e) {
  if (e instanceof ConfigError) configError = e.message;
}
const bus: SimulatedBus = new SimulatedBus();
bus.attach(0x76, new Bme280());

let out = '';
const r: RunResult = await runComponent(hello, config, { stdio: { stdout: (b: Uint8Array) => { out += new TextDecoder().decode(b); } } });
console.log(JSON.stringify({ code: r.code, out, sensors: names.includes('wasi:sensor/sensor'), configError: configError.length > 0 }));
`);

await check('tsc (strict, skipLibCheck false) compiles a consumer file against the shipped types', () => {
  const r = spawnSync(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', app], { encoding: 'utf8' });
  return r.status === 0 ? '' : `tsc exit ${r.status}:\n${r.stdout}${r.stderr}`;
});

await check('the compiled consumer runs a component through the installed package in Node', () => {
  const r = spawnSync(process.execPath, [join(app, 'out/consumer.js')], { cwd: app, encoding: 'utf8', env: { ...process.env, WASI_EDGE_CACHE_DIR: join(work, 'cache') } });
  if (r.status !== 0) return `exit ${r.status}: ${r.stderr}`;
  const got = JSON.parse(r.stdout.trim().split('\n').pop());
  if (got.code !== 0) return `hello exited ${got.code}`;
  if (!got.out.includes('hello')) return `unexpected stdout ${JSON.stringify(got.out)}`;
  if (!got.sensors) return 'createHost did not provide wasi:sensor/sensor';
  if (!got.configError) return 'a bad config did not throw ConfigError';
  return '';
});

await check('the installed CLI transpiles a component for the browser', () => {
  const cli = join(app, 'node_modules/.bin/wasi-edge');
  execFileSync(cli, ['transpile', join(app, 'node_modules/wasi-edge-host/fixtures/components/hello.wasm'), '--out', join(app, 'hello-web')], { encoding: 'utf8' });
  const files = readdirSync(join(app, 'hello-web'));
  return files.includes('component.js') && files.includes('manifest.json') ? '' : `hello-web holds ${files.join(', ')}`;
});

writeFileSync(join(app, 'index.html'), `<!doctype html><meta charset="utf-8"><script type="module">
import { runComponent } from '/node_modules/wasi-edge-host/dist/web/wasi-edge-host.js';
window.result = runComponent('/hello-web/', {}).then((r) => ({ code: r.code, stdout: r.stdout }), (e) => ({ error: String(e) }));
</script>`);

await check('the installed browser bundle runs that component in Chromium', async () => {
  const { url, close } = await serve({ port: 0, root: app });
  const context = await launchChromium();
  try {
    const page = await context.newPage();
    await page.goto(`${url}/index.html`);
    const r = await page.evaluate(() => window.result);
    if (r.error) return r.error;
    if (r.code !== 0 || !r.stdout.includes('hello')) return `code ${r.code}, stdout ${JSON.stringify(r.stdout)}`;
    return '';
  } finally {
    await context.close();
    await close();
  }
});

const passed = results.filter(Boolean).length;
console.log(`consumer: ${passed} passed, ${results.length - passed} failed`);
process.exit(results.length === passed ? 0 : 1);
