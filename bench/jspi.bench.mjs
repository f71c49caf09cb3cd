// jspi_suspend_us: µs per suspension of an async host import under JSPI (WebAssembly.Suspending),
// through the host's transpile step (jco 1.35's asyncMode jspi plus the host's rewrite), measured in
// a runtime that has JSPI: this Node when it has it, else Node 24 from test/runtimes (installed there
// by `npm run test:runtimes`, or here on first use). Baseline in the same process: a sync import of
// the same component through the runner's bindings; jco's own JSPI bindings for comparison.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

const hasJspi = typeof WebAssembly.Suspending === 'function' && typeof WebAssembly.promising === 'function';

function jspiRuntime() {
  if (hasJspi) return process.execPath;
  const node24 = join(ROOT, 'test/runtimes/node_modules/node24/bin/node');
  if (!existsSync(node24)) {
    process.stderr.write('bench: installing the runtimes of test/runtimes (npm ci --ignore-scripts) for Node 24…\n');
    const r = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', join(ROOT, 'test/runtimes')], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0 || !existsSync(node24)) throw new Error('no runtime with JSPI: Node 24 from test/runtimes could not be installed');
  }
  return node24;
}

export default async function run() {
  const r = spawnSync(jspiRuntime(), [join(ROOT, 'bench/jspi-child.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('{'));
  if (r.status !== 0 || !line) throw new Error(`bench/jspi-child.mjs failed (status ${r.status}): ${(r.stderr ?? '').slice(-800)}`);
  const m = JSON.parse(line);
  return {
    jspi_suspend_us: {
      value: m.oursNs / 1000, goal: 'report',
      what: `${m.runtime}, jco ${m.jco} asyncMode jspi + the host's rewrite: one suspending host import that awaits a microtask, ` +
        `${(m.oursNs / 1000).toFixed(2)} µs per call (${(m.oursNs / m.syncNs).toFixed(0)}x a sync import of the same component in the same process, ${m.syncNs.toFixed(1)} ns); ` +
        `jco's own JSPI bindings ${(m.plainNs / 1000).toFixed(1)} µs`,
    },
  };
}
