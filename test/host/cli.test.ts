import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, UsageError } from '../../src/cli/args.js';
import { componentPath, ROOT } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';

const CLI = join(ROOT, 'dist/cli/main.js');
const cacheDir = tempDir('cli-cache');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WASI_EDGE_CACHE_DIR: cacheDir },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('argument parsing', () => {
  it('reads run, its options and the guest arguments after --', () => {
    const a = parseArgs(['run', 'app.wasm', '--config', 'e.json', '--dir', 'out::/o', '--env', 'A=b=c', '--', '-x', 'y']);
    expect(a).toMatchObject({ command: 'run', component: 'app.wasm', config: 'e.json', env: { A: 'b=c' }, guestArgs: ['-x', 'y'] });
    expect(a.dirs).toEqual([{ host: 'out', guest: '/o' }]);
  });
  it('rejects unknown options and commands with a usage error', () => {
    expect(() => parseArgs(['run', 'a.wasm', '--confg', 'x'])).toThrowError(UsageError);
    expect(() => parseArgs(['launch'])).toThrowError(/unknown command "launch"/);
    expect(() => parseArgs(['run'])).toThrowError(/usage: wasi-edge run/);
    expect(() => parseArgs(['run', 'a.wasm', '--dir', '::x'])).toThrowError(/HOST::GUEST/);
  });
});

describe('wasi-edge command', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error('dist/ is missing: npm test runs `npm run build` first');
  });

  it('--version prints the package version, --help the usage', () => {
    expect(cli('--version')).toMatchObject({ code: 0, stdout: '0.1.0\n' });
    const help = cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('wasi-edge run <component.wasm>');
  });

  it('a file that is not a component exits non-zero with one clear line', () => {
    const r = cli('run', join(ROOT, 'package.json'));
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^wasi-edge: .*package\.json is not a WebAssembly file/);
  });

  it('a trap names the trap and exits 2; an err from run exits 1', () => {
    const t = cli('run', componentPath('trap'));
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/the guest trapped: unreachable/);
    const f = cli('run', componentPath('fail'));
    expect(f.code).toBe(1);
    expect(f.stderr).toMatch(/returned an error/);
  });

  it('shows progress only the first time a component is transpiled', () => {
    const dir = tempDir('cli-progress');
    const env = { ...process.env, WASI_EDGE_CACHE_DIR: dir };
    const first = spawnSync(process.execPath, [CLI, 'run', componentPath('trap')], { encoding: 'utf8', env });
    const second = spawnSync(process.execPath, [CLI, 'run', componentPath('trap')], { encoding: 'utf8', env });
    expect(first.stderr).toMatch(/preparing .*for the first run/);
    expect(second.stderr).not.toMatch(/preparing/);
  });

  it('a config with a typo is refused with the field named, before anything runs', () => {
    const dir = tempDir('cli-cfg');
    writeFileSync(join(dir, 'edge.json'), JSON.stringify({ wasi: { netwrk: true } }));
    const r = cli('devices', '--config', join(dir, 'edge.json'));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/config: wasi\.netwrk .*did you mean "network"/);
  });

  it('devices lists every interface section and the sandbox', () => {
    const r = cli('devices', '--dir', `${tmpdir()}::/tmp`);
    expect(r.code).toBe(0);
    for (const section of ['sensor:', 'i2c:', 'spi:', 'nn:', 'vision:', 'wasi:']) expect(r.stdout).toContain(section);
    expect(r.stdout).toContain(`/tmp -> ${tmpdir()}`);
    expect(r.stdout).toContain('network: denied');
  });
});

describe('--nn-graph (wasmtime style)', () => {
  it('parses both spellings', () => {
    expect(parseArgs(['run', 'a.wasm', '-S', 'nn-graph=onnx::m', '--nn-graph', 'onnx::n']).nnGraphs).toEqual(['onnx::m', 'onnx::n']);
    expect(() => parseArgs(['run', 'a.wasm', '-S', 'nn=1'])).toThrowError(/-S supports nn-graph/);
  });

  it('adds a granted model that devices lists, named after its directory', () => {
    const dir = tempDir('nn-graph');
    const modelDir = join(dir, 'faces');
    spawnSync('mkdir', [modelDir]);
    writeFileSync(join(modelDir, 'model.onnx'), Buffer.from([8, 7]));
    const r = cli('devices', '-S', `nn-graph=onnx::${modelDir}`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`model "faces": ${join(modelDir, 'model.onnx')}`);
    const bad = cli('devices', '--nn-graph', `onnx::${join(dir, 'missing')}`);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/nn-graph should be an existing model file or directory/);
  });
});
