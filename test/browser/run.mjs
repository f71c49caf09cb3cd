#!/usr/bin/env node
// `npm run test:browser`: the committed guests in real Chromium (headless, Debian's package,
// playwright-core) against the same guests in Node, one line per check, then
// "browser: N passed, N failed". Needs dist/ (npm run build) and dist/web/ (npm run build:browser).
//
// Paths in the configurations are relative: Node resolves them against the repository root (the
// cwd), the browser against "/" of its in-memory file tree, where the same files are mounted at
// the same relative paths (served by demo/web/serve.mjs from the repository root).
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serve } from '../../demo/web/serve.mjs';
import { launchChromium } from './chromium.mjs';
import { imageToBlazefaceInput } from '../nn/blazeface-input.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
process.chdir(ROOT);
const { runComponent } = await import(pathToFileURL(join(ROOT, 'dist/index.js')).href);
const { patternRgb } = await import(pathToFileURL(join(ROOT, 'dist/sensor/devices/test-pattern.js')).href);

const WORK = 'out/browser-test';
rmSync(WORK, { recursive: true, force: true });
mkdirSync(join(WORK, 'data'), { recursive: true });
mkdirSync(join(WORK, 'node-out'), { recursive: true });

// ------------------------------------------------------------------ inputs

writeFileSync(join(WORK, 'data/astronaut.f32'), imageToBlazefaceInput('astronaut.png'));
writeFileSync(join(WORK, 'data/chelsea.f32'), imageToBlazefaceInput('chelsea.png'));

/** Every file under these repository-relative paths, as browser mounts: "/rel" → URL "/rel". */
function mounts(...paths) {
  const out = {};
  const walk = (p) => {
    if (statSync(p).isDirectory()) for (const f of readdirSync(p)) walk(join(p, f));
    else out['/' + relative(ROOT, join(ROOT, p))] = '/' + relative(ROOT, join(ROOT, p));
  };
  for (const p of paths) walk(p);
  return out;
}

// ------------------------------------------------------------------ runners

async function runNode(name, config) {
  const out = [];
  const err = [];
  // `conformance/<iface>/<case>` names a conformance guest; anything else an example guest.
  const file = name.startsWith('conformance/') ? join(ROOT, 'fixtures', `${name}.wasm`) : join(ROOT, 'fixtures/components', `${name}.wasm`);
  const r = await runComponent(file, config, {
    stdio: { stdout: (c) => out.push(c), stderr: (c) => err.push(c) },
  });
  return { ...r, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

let page;
async function runBrowser(name, config, files = {}, jspi = undefined) {
  return page.evaluate(
    async ([name, config, files, jspi]) => {
      const r = await window.wasiEdge.runComponent(`/dist/web/components/${name}/`, config, { files, ...(jspi ? { jspi } : {}) });
      // Written files come back as [path, Uint8Array]: send lengths and base64 over the bridge.
      const b64 = (u) => { let s = ''; for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000)); return btoa(s); };
      return { ...r, files: (r.files ?? []).map(([p, b]) => [p, b64(b)]) };
    },
    [name, config, files, jspi],
  );
}

// ------------------------------------------------------------------ comparisons

const FLOAT = /-?\d+\.\d+(?:e[-+]?\d+)?/gi;

/** Same text, and every decimal number within `tol` (absolute); returns a reason or ''. */
function compareWithin(a, b, tol) {
  const ta = a.replace(FLOAT, '#'), tb = b.replace(FLOAT, '#');
  if (ta !== tb) return `text differs:\n--- node\n${a}\n--- browser\n${b}`;
  const na = a.match(FLOAT) ?? [], nb = b.match(FLOAT) ?? [];
  for (let i = 0; i < na.length; i++) {
    if (Math.abs(Number(na[i]) - Number(nb[i])) > tol) return `number ${i}: node ${na[i]} vs browser ${nb[i]} (tolerance ${tol})`;
  }
  return '';
}

function sameRun(node, browser, { tol } = {}) {
  if (node.code !== browser.code) return `exit code node ${node.code} vs browser ${browser.code} (browser stderr: ${browser.stderr}; stdout: ${browser.stdout})`;
  if (tol === undefined) {
    if (node.stdout !== browser.stdout) return `stdout differs:\n--- node\n${node.stdout}\n--- browser\n${browser.stdout}`;
  } else {
    const why = compareWithin(node.stdout, browser.stdout, tol);
    if (why) return why;
  }
  if (node.stderr !== browser.stderr) return `stderr differs: node ${JSON.stringify(node.stderr)} vs browser ${JSON.stringify(browser.stderr)}`;
  return '';
}

// ------------------------------------------------------------------ checks

const results = [];
// `node test/browser/run.mjs <text>` runs only the checks whose name contains <text>.
const only = process.argv[2];
async function check(name, fn) {
  if (only && !name.includes(only)) return;
  const t0 = Date.now();
  let reason = '';
  try {
    reason = (await fn()) ?? '';
  } catch (e) {
    reason = String(e?.stack ?? e);
  }
  const ms = Date.now() - t0;
  results.push(!reason);
  console.log(`${reason ? 'FAIL' : 'pass'} ${name} (${ms} ms)${reason ? '\n     ' + reason.replaceAll('\n', '\n     ') : ''}`);
}

function sameAsNode(name, config = {}, files = {}, options = {}) {
  return check(`${name}: same exit code and output in Chromium as in Node${options.tol !== undefined ? ` (numbers within ${options.tol})` : ''}`, async () => {
    const node = await runNode(name, config);
    const browser = await runBrowser(name, config, files);
    if (options.expectCode !== undefined && node.code !== options.expectCode) return `node exit code ${node.code}, expected ${options.expectCode}: ${node.stderr}`;
    const mask = options.mask ?? ((s) => s);
    const why = sameRun({ ...node, stdout: mask(node.stdout) }, { ...browser, stdout: mask(browser.stdout) }, options);
    if (why) return why;
    if (options.also) return options.also(node, browser);
    return '';
  });
}

const { url, close } = await serve({ port: 0 });
const context = await launchChromium();
page = await context.newPage();
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
await page.goto(`${url}/test/browser/page.html`);
await page.waitForFunction(() => window.ready === true, null, { timeout: 30_000 });

await check('package.json: every "browser" export condition names a built ESM file', async () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const targets = Object.entries(pkg.exports).filter(([, v]) => typeof v === 'object' && v.browser);
  if (targets.length < 2) return 'no browser conditions in package.json exports';
  for (const [key, v] of targets) {
    if (!existsSync(join(ROOT, v.browser))) return `${key}: ${v.browser} does not exist`;
    if (!/^(import|export)\b/m.test(readFileSync(join(ROOT, v.browser), 'utf8'))) return `${key}: ${v.browser} is not an ES module`;
  }
  return '';
});

await check('page is cross-origin isolated (COOP/COEP), so SharedArrayBuffer exists', async () =>
  (await page.evaluate(() => crossOriginIsolated && typeof SharedArrayBuffer === 'function')) ? '' : 'crossOriginIsolated is false');

// Probe and example guests: exact stdout. The I2C guests poll simulated chips whose write cycles
// and conversions run on the real clock, so how many polls a wait took depends on the machine's
// load (it varies between two Node runs too): those counts are masked, everything else is exact.
const pollCounts = (s) => s.replace(/\(status polls \d+\)/g, '(status polls #)').replace(/after \d+ busy polls?/g, 'after # busy polls').replace(/after \d+ retr(y|ies)/g, 'after # retries');
await sameAsNode('hello', {}, {}, { expectCode: 0 });

// One option shape for output on both platforms: stdio: { stdout, stderr }, bytes chunk by chunk.
await check('stdio: { stdout, stderr } gets the guest\'s bytes in Chromium as in Node; the deprecated text callbacks still work', async () => {
  const node = await runNode('hello', {});
  const browser = await page.evaluate(async () => {
    const chunks = { stdout: [], stderr: [] };
    const text = { stdout: '', stderr: '' };
    const r = await window.wasiEdge.runComponent('/dist/web/components/hello/', {}, {
      stdio: { stdout: (b) => chunks.stdout.push(b instanceof Uint8Array ? [...b] : 'not bytes'), stderr: (b) => chunks.stderr.push([...b]) },
      stdout: (t) => (text.stdout += t),
      stderr: (t) => (text.stderr += t),
    });
    const decode = (list) => (list.includes('not bytes') ? 'not bytes' : new TextDecoder().decode(new Uint8Array(list.flat())));
    return { code: r.code, stdout: r.stdout, stderr: r.stderr, bytes: { stdout: decode(chunks.stdout), stderr: decode(chunks.stderr) }, text };
  });
  if (browser.code !== 0) return `exit ${browser.code}`;
  for (const stream of ['stdout', 'stderr']) {
    if (browser.bytes[stream] !== node[stream]) return `${stream} bytes: browser ${JSON.stringify(browser.bytes[stream])}, node ${JSON.stringify(node[stream])}`;
    if (browser.text[stream] !== browser[stream]) return `deprecated ${stream} text ${JSON.stringify(browser.text[stream])} vs result ${JSON.stringify(browser[stream])}`;
  }
  return node.stdout.includes('hello') ? '' : `unexpected stdout ${JSON.stringify(node.stdout)}`;
});
await sameAsNode('i2c_bme280', {}, {}, { expectCode: 0, mask: pollCounts });
await sameAsNode('i2c_eeprom', {}, {}, { expectCode: 0, mask: pollCounts });
// The EEPROM's write cycle runs on the wall clock: with the default 5 ms a stall between the write
// and the first read (GC, a busy CI machine) let it finish unseen on one side only. 20 ms keeps
// "read right after a write" a NACK on both, and still ends within the guest's 50 retries.
const slowEeprom = {
  i2c: {
    buses: {
      'i2c-sim0': {
        kind: 'simulated',
        devices: [{ chip: 'bme280', address: 0x76 }, { chip: 'at24c', address: 0x50, variant: 'at24c32', writeCycleMs: 20 }],
      },
    },
  },
};
await sameAsNode('i2c_nack', slowEeprom, {}, { expectCode: 0, mask: pollCounts });
await sameAsNode('spi_flash', {}, {}, { expectCode: 0 });
await sameAsNode('vision_basic', {}, {}, { expectCode: 0 });
await sameAsNode('fail', {}, {}, { expectCode: 1 });
await sameAsNode('trap', {}, {}, { expectCode: 2 });

// One runner on both platforms: what Node reports as status 2 with a reason, Chromium reports the same way.
const sameField = (field) => (node, browser) => (node[field] && node[field] === browser[field] ? '' : `${field}: node ${JSON.stringify(node[field])} vs browser ${JSON.stringify(browser[field])}`);
// A list outside guest memory traps (the byte-list rewrite runs on the browser's transpile path too).
await sameAsNode('oob_list', {}, {}, { expectCode: 2, also: sameField('trap') });
// A guest waiting on a pool no started device feeds is stuck: status 2 and the host's reason, not a rejected run.
await sameAsNode('conformance/sensor/sensor-script', { wasi: { args: ['s', 'open', 'test-pattern:0', 'pool', 'overwrite', '0', '4', 'p', 'wait'] } }, {}, { expectCode: 2, also: sameField('stuck') });

// Sensor: the upstream flow at 160x120 on the virtual clock; every frame it wrote is the test pattern.
await sameAsNode(
  'sensor_flow',
  { sensor: { clock: 'virtual' }, wasi: { preopens: { '/out': `${WORK}/node-out` }, args: ['sensor_flow', 'test-pattern:0', '160x120'] } },
  {},
  {
    expectCode: 0,
    also: (_node, browser) => {
      const ppms = browser.files.filter(([p]) => p.endsWith('.ppm')).sort(([a], [b]) => (a < b ? -1 : 1));
      if (ppms.length !== 60) return `browser wrote ${ppms.length} PPM files, expected 60`;
      for (let n = 0; n < 60; n++) {
        const bytes = Buffer.from(ppms[n][1], 'base64');
        const header = '';
        const text = bytes.subarray(0, 20).toString('latin1');
        const m = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(text);
        if (!m || m[1] !== '160' || m[2] !== '120') return `${ppms[n][0]}: not a 160x120 P6 file ${header}`;
        const pixels = bytes.subarray(m[0].length);
        if (!pixels.equals(Buffer.from(patternRgb(160, 120, n)))) return `${ppms[n][0]}: pixels differ from test-pattern frame ${n}`;
      }
      return '';
    },
  },
);

// wasi:nn: onnxruntime-web in Chromium against onnxruntime-node in Node.
const models = mounts('fixtures/models');
await sameAsNode(
  'nn_blazeface',
  { wasi: { preopens: { '/models': 'fixtures/models', '/data': `${WORK}/data` }, args: ['nn_blazeface', '/models/blazeface-128.onnx', '/data/astronaut.f32'] } },
  { ...models, ...mounts(`${WORK}/data`) },
  { expectCode: 0, tol: 2e-3 },
);
// vision_frame reads frames 0 and 1 at once, then waits with a 3 s timeout, so it needs the real
// clock: which later frames it gets depends on timing. Their numbers and scores are masked; the
// first two frames' scores (the same test-pattern pixels in both hosts) are compared.
const laterFrames = (s) => {
  let n = 0;
  return s.replace(/^frame (\d+): /gm, (m, k) => (Number(k) > 1 ? 'frame #: ' : m)).replace(/^top face score: [\d.]+$/gm, (m) => (++n > 2 ? 'top face score: #' : m));
};
await sameAsNode('vision_frame', {}, models, { expectCode: 0, tol: 2e-3, mask: laterFrames });
// JSPI (docs/browser.md): Chromium has it, so the runs above used it (auto); the same guests with
// --jspi off (Atomics.wait in the component's worker) must print the same, and only `on` reports it.
for (const [name, config, files] of [
  ['nn_blazeface', { nn: { backend: 'onnxruntime-web' }, wasi: { preopens: { '/models': 'fixtures/models', '/data': `${WORK}/data` }, args: ['nn_blazeface', '/models/blazeface-128.onnx', '/data/astronaut.f32'] } }, { ...models, ...mounts(`${WORK}/data`) }],
  ['sensor_poll', {}, {}],
]) {
  await check(`${name} in Chromium: the same output with JSPI (the default here) and without`, async () => {
    const on = await runBrowser(name, config, files, 'on');
    const auto = await runBrowser(name, config, files);
    const off = await runBrowser(name, config, files, 'off');
    if (on.jspi !== true || auto.jspi !== true || off.jspi !== undefined) return `jspi reported: on ${on.jspi}, auto ${auto.jspi}, off ${off.jspi}`;
    if (on.code !== 0 || off.code !== 0) return `exit codes: on ${on.code}, off ${off.code}\n${on.stderr}${off.stderr}`;
    if (on.stdout !== off.stdout) return `--jspi on printed\n${on.stdout}\nbut off printed\n${off.stdout}`;
    return '';
  });
}
// Every wasi:nn error path on onnxruntime-web, in Node and in Chromium, including `timeout`: a
// model far too slow for nn.timeoutMs stops the ORT worker, and the next load starts a fresh one.
{
  const w = await import('../nn/onnx-writer.mjs');
  const dir = `${WORK}/models`;
  mkdirSync(dir, { recursive: true });
  const made = {
    'add.onnx': w.addModel(), 'bf16.onnx': w.identityModel(w.DT.BFLOAT16), 'reshape.onnx': w.reshapeModel(),
    'unknown-op.onnx': w.unknownOpModel(), 'tiny.onnx': w.dynamicBatchModel(), 'slow.onnx': w.slowModel(512, 2048),
  };
  for (const [f, bytes] of Object.entries(made)) writeFileSync(join(dir, f), bytes);
  const config = {
    nn: {
      backend: 'onnxruntime-web',
      timeoutMs: 3000,
      models: {
        add: `${dir}/add.onnx`, bf16: `${dir}/bf16.onnx`, reshape: `${dir}/reshape.onnx`, 'unknown-op': `${dir}/unknown-op.onnx`,
        secret: `${dir}/add.onnx`, big: 'fixtures/models/blazeface-128.onnx', slow: `${dir}/slow.onnx`,
      },
      allow: ['add', 'bf16', 'reshape', 'unknown-op', 'big', 'slow'],
      limits: { modelBytes: 100_000, tensorBytes: 8 << 20 },
    },
    wasi: { preopens: { '/models': dir } },
  };
  await sameAsNode('nn_errors', config, { ...mounts(dir), ...models }, {
    expectCode: 0,
    also: (_node, browser) => (/: timeout: /.test(browser.stdout) ? '' : `no timeout case in:\n${browser.stdout}`),
  });
}

const demoCamera = { sensor: { clock: 'virtual', devices: { 'camera:0': { kind: 'image-fixture', directory: 'fixtures/demo/camera', loop: false, fps: [10, 1] } } }, wasi: { preopens: { '/out': `${WORK}/node-out` } } };
await sameAsNode('facedetect', demoCamera, { ...models, ...mounts('fixtures/demo/camera') }, {
  expectCode: 0,
  tol: 2e-3,
  mask: (s) => s.replace(/"seconds":[\d.]+/, '"seconds":#'),
  also: (node) => (/"faces":\[\{"score":0\.9/.test(node.stdout) ? '' : 'no confident face on the astronaut frame'),
});

// The webcam (Chromium's fake camera) through getUserMedia → shared ring → wasi:sensor → BlazeFace.
await check('facedetect on the webcam (getUserMedia, fake device): 3 frames processed', async () => {
  const config = { sensor: { devices: { 'camera:0': { kind: 'webcam', width: 320, height: 240, fps: [15, 1] } } }, wasi: { preopens: { '/out': '/out' }, args: ['facedetect', '3'] } };
  const r = await runBrowser('facedetect', config, models);
  const frames = r.stdout.split('\n').filter((l) => l.startsWith('{"frame"'));
  if (r.code !== 0) return `exit ${r.code}: ${r.stderr}${r.stdout}`;
  if (frames.length !== 3) return `expected 3 frame lines, got:\n${r.stdout}`;
  return '';
});

await check('webcam that cannot be opened (unknown deviceId): the guest gets hardware-error, not a hang or a crash', async () => {
  const config = { sensor: { devices: { 'camera:0': { kind: 'webcam', device: 'no-such-camera', width: 320, height: 240 } } }, wasi: { preopens: { '/out': '/out' }, args: ['facedetect', '3'] } };
  const r = await runBrowser('facedetect', config, models);
  if (r.code === 0) return `exit 0, expected a failure:\n${r.stdout}`;
  if (!/hardware-error/.test(r.stdout + r.stderr)) return `no hardware-error in:\n${r.stdout}${r.stderr}`;
  return '';
});

// The demo page: boxes on the astronaut image, screenshot under out/.
await check('demo page: facedetect on the fixture images draws a box on the astronaut; screenshot out/browser-demo.png', async () => {
  const demo = await context.newPage();
  demo.on('pageerror', (e) => pageErrors.push(`demo: ${e.message}`));
  await demo.goto(`${url}/demo/web/?source=images&frames=1`);
  await demo.waitForFunction(() => window.demoState?.boxesDrawn > 0 || window.demoState?.error, null, { timeout: 120_000 });
  const state = await demo.evaluate(() => window.demoState);
  await demo.screenshot({ path: join(ROOT, 'out/browser-demo.png') });
  await demo.close();
  if (state.error) return `demo error: ${state.error}`;
  if (!/astronaut/.test(state.lastImage ?? '')) return `boxes drawn on ${state.lastImage}, expected the astronaut`;
  return '';
});

await check('no uncaught errors in the pages', async () => (pageErrors.length ? pageErrors.join('\n') : ''));

await context.close();
await close();
const passed = results.filter(Boolean).length;
console.log(`browser: ${passed} passed, ${results.length - passed} failed`);
process.exit(results.length - passed ? 1 : 0);
