/**
 * JSPI mode (src/core/jspi.ts) where this test runs: Node 20, which has no JSPI. The mode's own
 * behaviour on runtimes that have it (Node 24, Deno, Bun: the same results as the blocking bridge,
 * waits awaited instead of blocking) is the `jspi` check of `npm run test:runtimes`
 * (test/runtimes/run.mjs); the browser's is in test/browser/run.mjs. Here: what auto and on do
 * without JSPI, and the bindings the transpile step makes for it (which need no JSPI to inspect).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { jspiAvailable, JspiUnavailableError, useJspi } from '../../src/core/jspi.js';
import { transpileComponent } from '../../src/host/transpile.js';
import { BindingsRewriteError, rewriteBindings } from '../../src/host/transpile-rewrite.js';
import { JSPI_EXPORTS, JSPI_IMPORTS } from '../../src/host/jspi.js';
import { runComponent } from '../../src/index.js';
import { componentPath, ROOT } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';
import { spawnAsync } from '../helpers/spawn-async.js';

const major = Number(process.versions.node.split('.')[0]);
const quiet = { stdout: () => {}, stderr: () => {} };

describe.runIf(major < 24)(`without JSPI (Node ${process.versions.node})`, () => {
  it('this runtime has no WebAssembly.Suspending / promising', () => {
    expect(jspiAvailable()).toBe(false);
    expect(useJspi('auto')).toBe(false);
    expect(useJspi('off')).toBe(false);
  });

  it('auto runs a guest that blocks on a pollable through the blocking bridge: bindings made without JSPI', async () => {
    const cacheDir = tempDir('jspi-auto-cache');
    const out: string[] = [];
    const r = await runComponent(componentPath('sensor_poll'), {}, { jspi: 'auto', cacheDir, stdio: { stdout: (b) => out.push(Buffer.from(b).toString()), stderr: () => {} } });
    expect(r.code).toBe(0);
    expect(out.join('')).toMatch(/^block returned, ready: 1$/m);
    const entries = readdirSync(cacheDir).filter((d) => !d.startsWith('.'));
    expect(entries).toHaveLength(1);
    expect(entries[0]).not.toMatch(/-jspi$/);
  });

  it('on refuses before anything is transpiled or run, naming the runtime', async () => {
    const cacheDir = tempDir('jspi-on-cache');
    const run = runComponent(componentPath('sensor_poll'), {}, { jspi: 'on', cacheDir, stdio: quiet });
    await expect(run).rejects.toThrowError(JspiUnavailableError);
    await expect(run).rejects.toThrowError(new RegExp(`^JSPI was asked for .* but Node ${process.versions.node.replaceAll('.', '\\.')} has no WebAssembly\\.Suspending`));
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('the CLI: --jspi on fails with one line and the cannot-start status; a bad mode is a usage error', async () => {
    const cli = (...args: string[]) => spawnAsync(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], { env: { ...process.env, WASI_EDGE_CACHE_DIR: tempDir('jspi-cli-cache') } });
    const on = await cli('run', componentPath('hello'), '--jspi', 'on');
    expect(on.stderr.trim().split('\n')).toHaveLength(1);
    expect(on.stderr).toMatch(/^wasi-edge: JSPI was asked for .* has no WebAssembly\.Suspending/);
    expect(on.status).not.toBe(0);
    expect(on.stdout).toBe('');
    const bad = await cli('run', componentPath('hello'), '--jspi=maybe');
    expect(bad.status).toBe(64);
    expect(bad.stderr).toMatch(/--jspi takes on, off, auto, got "maybe"/);
    const off = await cli('run', componentPath('hello'), '--jspi', 'off');
    expect(off.status).toBe(0);
  });
});

describe('JSPI bindings: jco asyncMode jspi, then the rewrite', () => {
  let plainJs: string;
  beforeAll(async () => {
    const out = await transpileComponent(readFileSync(componentPath('nn_blazeface')), { jspi: true, rewrite: false });
    plainJs = new TextDecoder().decode(out.files['component.js']);
  }, 60_000);

  it('the providers name the imports that wait, in jco\'s spelling; the runner\'s entry points are the exports', () => {
    expect(JSPI_IMPORTS).toEqual(expect.arrayContaining([
      'wasi:io/poll#[method]pollable.block', 'wasi:io/poll#poll',
      'wasi:nn/graph#load', 'wasi:nn/graph#load-by-name', 'wasi:nn/inference#[method]graph-execution-context.compute',
    ]));
    expect(JSPI_EXPORTS).toEqual(['wasi:cli/run#run', 'wasi:sensor/interface#main']);
  });

  it('exactly the waiting imports become WebAssembly.Suspending, without jco\'s per-call task; the rest stay direct', async () => {
    const sync = await transpileComponent(readFileSync(componentPath('nn_blazeface')));
    const out = await transpileComponent(readFileSync(componentPath('nn_blazeface')), { jspi: true });
    const js = new TextDecoder().decode(out.files['component.js']);
    // nn_blazeface imports load, load-by-name and compute (it polls nothing).
    expect(out.rewrite?.suspendingImports).toBe(3);
    expect(out.rewrite?.directImports).toBe(sync.rewrite?.directImports);
    expect(out.rewrite?.asyncFeature).toBeUndefined();
    expect(js.match(/= new WebAssembly\.Suspending\(_trampoline\d+\);/g)).toHaveLength(3);
    // jco's own choice (`_trampolineN.manuallyAsync ? new WebAssembly.Suspending(_suspendingImport(…)) : …`) is gone.
    expect(plainJs).toMatch(/new WebAssembly\.Suspending\(_suspendingImport\(/);
    expect(js).not.toMatch(/new WebAssembly\.Suspending\(_suspendingImport\(/);
    expect(js).toMatch(/WebAssembly\.promising\(exports\d+\['wasi:cli\/run@0\.2\.\d+#run'\]\)/);
  });

  const alterations: [string, RegExp, string, RegExp][] = [
    ['no check after the awaited entry', /throw new Error\("failed to enter task"\);/g, 'throw new Error("no task");', /awaited task entry is not followed by `if \(!started\)/],
    ['a different awaited host-call wrapper', /fn: \(\) => _trackHostOperation\(\(\) => rsc0\.compute\(/g, 'fn: () => _trackHost(() => rsc0.compute(', /host call is not `_withGlobalCurrentTaskMetaAsync\(/],
    ['an async trampoline not marked manuallyAsync', /(_trampoline\d+)\.manuallyAsync = true;/g, '$1.fnName += "";', /is async but not marked manuallyAsync/],
  ];
  for (const [what, from, to, expected] of alterations) {
    it(`refuses, naming the jco version, JSPI bindings with ${what}`, () => {
      const altered = plainJs.replace(from, to);
      expect(altered).not.toBe(plainJs);
      expect(() => rewriteBindings(altered, '9.9.9')).toThrowError(BindingsRewriteError);
      expect(() => rewriteBindings(altered, '9.9.9')).toThrowError(expected);
    });
  }
});
