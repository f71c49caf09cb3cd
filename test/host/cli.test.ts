import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HELP, parseArgs, UsageError } from '../../src/cli/args.js';
import { CACHE_KEEP } from '../../src/platform/node/component-cache.js';
import { componentPath, ROOT } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';
import { spawnAsync } from '../helpers/spawn-async.js';

const CLI = join(ROOT, 'dist/cli/main.js');
const cacheDir = tempDir('cli-cache');

async function cli(...args: string[]) {
  const r = await spawnAsync(process.execPath, [CLI, ...args], {
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

  it('--version prints the package version, --help the usage', async () => {
    expect(await cli('--version')).toMatchObject({ code: 0, stdout: '0.1.0\n' });
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('wasi-edge run <component.wasm>');
  });

  it('a file that is not a component exits non-zero with one clear line', async () => {
    const r = await cli('run', join(ROOT, 'package.json'));
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^wasi-edge: .*package\.json is not a WebAssembly file/);
  });

  it('a trap names the trap and exits 2; an err from run exits 1', async () => {
    const t = await cli('run', componentPath('trap'));
    expect(t.code).toBe(2);
    // jco 1.12 passed V8's text through (`unreachable`), 1.35 may name it `wasm `unreachable` instruction executed`.
    expect(t.stderr).toMatch(/the guest trapped: .*unreachable/);
    const f = await cli('run', componentPath('fail'));
    expect(f.code).toBe(1);
    expect(f.stderr).toMatch(/returned an error/);
  });

  it('shows progress only the first time a component is transpiled', async () => {
    const dir = tempDir('cli-progress');
    const env = { ...process.env, WASI_EDGE_CACHE_DIR: dir };
    const first = await spawnAsync(process.execPath, [CLI, 'run', componentPath('trap')], { env });
    const second = await spawnAsync(process.execPath, [CLI, 'run', componentPath('trap')], { env });
    expect(first.stderr).toMatch(/preparing .*for the first run/);
    expect(second.stderr).not.toMatch(/preparing/);
  });

  it('a config with a typo is refused with the field named, before anything runs', async () => {
    const dir = tempDir('cli-cfg');
    writeFileSync(join(dir, 'edge.json'), JSON.stringify({ wasi: { netwrk: true } }));
    const r = await cli('devices', '--config', join(dir, 'edge.json'));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/config: wasi\.netwrk .*did you mean "network"/);
  });

  it('devices lists every interface section and the sandbox', async () => {
    const r = await cli('devices', '--dir', `${tmpdir()}::/tmp`);
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

  it('adds a granted model that devices lists, named after its directory', async () => {
    const dir = tempDir('nn-graph');
    const modelDir = join(dir, 'faces');
    mkdirSync(modelDir);
    writeFileSync(join(modelDir, 'model.onnx'), Buffer.from([8, 7]));
    const r = await cli('devices', '-S', `nn-graph=onnx::${modelDir}`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`model "faces": ${join(modelDir, 'model.onnx')}`);
    const bad = await cli('devices', '--nn-graph', `onnx::${join(dir, 'missing')}`);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/nn-graph should be an existing model file or directory/);
  });
});

describe('bad input gets one line and the right exit status', () => {
  /** One line on stderr (no stack trace) matching `pattern`, and `code`. */
  function oneLine(r: Awaited<ReturnType<typeof cli>>, code: number, pattern: RegExp) {
    const lines = r.stderr.split('\n').filter((l) => l && !l.includes('for the first run'));
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.code).toBe(code);
  }
  const dir = tempDir('cli-bad');
  beforeAll(() => {
    writeFileSync(join(dir, 'empty.wasm'), '');
    writeFileSync(join(dir, 'bad.json'), '{ "i2c": ');
    writeFileSync(join(dir, 'wrong-type.json'), '{ "wasi": { "network": "yes" } }');
    writeFileSync(join(dir, 'file.txt'), 'x');
  });

  it('a directory, an empty file, a truncated component', async () => {
    oneLine(await cli('run', dir), 3, /is a directory; pass a component \.wasm$/);
    oneLine(await cli('run', join(dir, 'empty.wasm')), 3, /empty\.wasm is empty; pass a component \.wasm$/);
    const whole = readFileSync(componentPath('hello'));
    writeFileSync(join(dir, 'truncated.wasm'), whole.subarray(0, whole.length >> 1));
    oneLine(await cli('run', join(dir, 'truncated.wasm')), 3, /truncated\.wasm is not a valid component \(.+\); rebuild it/);
  });

  it('a config that is missing, not JSON, or has a field of the wrong type', async () => {
    oneLine(await cli('run', componentPath('hello'), '--config', join(dir, 'none.json')), 3, /cannot read config file .*none\.json: no such file$/);
    oneLine(await cli('run', componentPath('hello'), '--config', join(dir, 'bad.json')), 3, /config file .*bad\.json is not valid JSON/);
    oneLine(await cli('devices', '--config', join(dir, 'wrong-type.json')), 3, /config: wasi\.network should be true or false, got "yes"/);
  });

  it('a --dir whose host side is missing or a file', async () => {
    oneLine(await cli('run', componentPath('hello'), '--dir', `${join(dir, 'nowhere')}::/data`), 3, /wasi\.preopens\.\/data should be an existing host directory/);
    oneLine(await cli('run', componentPath('hello'), '--dir', `${join(dir, 'file.txt')}::/data`), 3, /wasi\.preopens\.\/data should be a host directory \(not a file\)/);
  });

  it('an unusable cache directory', async () => {
    const r = await spawnAsync(process.execPath, [CLI, 'run', componentPath('hello')], {
      env: { ...process.env, WASI_EDGE_CACHE_DIR: join(dir, 'file.txt', 'cache') },
    });
    oneLine({ code: r.status, stdout: r.stdout, stderr: r.stderr }, 3, /cannot use the transpile cache at .*\(ENOTDIR\): set WASI_EDGE_CACHE_DIR/);
  });

  it('an interface version or a function the host does not have, before the guest runs', async () => {
    oneLine(await cli('run', componentPath('import-version')), 3, /wasi-edge:host\/access@0\.9\.0: this host provides wasi-edge:host\/access@0\.1\.0/);
    oneLine(await cli('run', componentPath('import-function')), 3, /function wasi-edge:host\/access\.frobnicate/);
  });

  it('an unknown command is a usage error (64); no arguments print the help', async () => {
    oneLine(await cli('frobnicate'), 64, /unknown command "frobnicate"/);
    const r = await cli();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wasi-edge — run WebAssembly components/);
    expect(r.stdout).toMatch(/64 for a command\nline that is not understood/);
  });

  it('output into a closed pipe ends quietly', async () => {
    const r = await spawnAsync('sh', ['-c', `"${process.execPath}" "${CLI}" devices | head -1`], { env: { ...process.env, WASI_EDGE_CACHE_DIR: cacheDir } });
    expect(r.stdout).toBe('sensor:\n');
    expect(r.stderr).toBe('');
  });

  it('cache says where it is; cache clean empties it and only it', async () => {
    const own = tempDir('cli-cache-clean');
    writeFileSync(join(own, 'keep.txt'), 'not ours');
    const env = { ...process.env, WASI_EDGE_CACHE_DIR: own };
    const run = (...a: string[]) => spawnAsync(process.execPath, [CLI, ...a], { env });
    expect((await run('run', componentPath('hello'))).status).toBe(0);
    expect((await run('cache')).stdout).toMatch(new RegExp(`^${own}: 1 cached component, [\\d.]+ MiB \\(the ${CACHE_KEEP} most recently used are kept\\)`));
    expect(HELP).toContain(`(the ${CACHE_KEEP} most recently used components are kept)`);
    expect((await run('cache', 'clean')).stdout).toBe(`${own}: removed 1 cached component(s)\n`);
    expect((await run('cache')).stdout).toMatch(/: 0 cached components/);
    expect(existsSync(join(own, 'keep.txt'))).toBe(true);
  });
});

describe('limits on the command line (wasmtime spelling)', () => {
  it('-W max-memory-size=, -W max-table-elements=, -W timeout= and the long forms', () => {
    expect(parseArgs(['run', 'a.wasm', '-W', 'max-memory-size=64MiB', '-W', 'timeout=2s', '-Wmax-table-elements=100']).limits).toEqual({
      maxMemoryBytes: 64 * 2 ** 20, timeoutMs: 2000, maxTableElements: 100,
    });
    expect(parseArgs(['run', 'a.wasm', '--max-memory', '1G', '--timeout', '500ms']).limits).toEqual({ maxMemoryBytes: 2 ** 30, timeoutMs: 500 });
    // As in wasmtime: bytes without a unit, seconds without a unit; MB is decimal.
    expect(parseArgs(['run', 'a.wasm', '-W', 'max-memory-size=67108864', '-W', 'timeout=3']).limits).toEqual({ maxMemoryBytes: 67108864, timeoutMs: 3000 });
    expect(parseArgs(['run', 'a.wasm', '--max-memory=8MB', '--timeout=1.5m']).limits).toEqual({ maxMemoryBytes: 8e6, timeoutMs: 90_000 });
    expect(parseArgs(['check', 'a.wasm', '--timeout', '4']).limits).toEqual({ timeoutMs: 4000 });
  });
  it.each([
    [['-W', 'fuel=100'], /-W supports max-memory-size=BYTES, max-table-elements=N and timeout=DURATION, got "fuel=100"/],
    [['--max-memory', 'lots'], /--max-memory takes a size in bytes or with a unit/],
    [['--max-memory', '1000'], /--max-memory \(-W max-memory-size\) should be a whole number of bytes from 64KiB \(one page\) to 4GiB/],
    [['-W', 'timeout=0s'], /-W timeout takes a duration/],
    [['-W', 'max-table-elements=many'], /-W max-table-elements takes a number of elements/],
  ])('%j is a usage error', (flags, message) => {
    expect(() => parseArgs(['run', 'a.wasm', ...flags])).toThrowError(UsageError);
    expect(() => parseArgs(['run', 'a.wasm', ...flags])).toThrowError(message);
  });

  it('each limit hit is its own status with one line naming the limit; --help lists them', async () => {
    const time = await cli('run', '-q', componentPath('endless'), '-W', 'timeout=1s');
    expect(time.code).toBe(6);
    expect(time.stderr).toBe('wasi-edge: time limit: the guest was still running after 1 s (timeout=1s, limits.timeoutMs); stopped\n');
    const memory = await cli('run', '-q', componentPath('memory_bomb'), '--max-memory', '64MiB');
    expect(memory.code).toBe(4);
    expect(memory.stdout).toBe('memory_bomb: malloc of 64 MiB failed after 0 MiB\n');
    expect(memory.stderr).toMatch(/^wasi-edge: memory limit: memory\.grow to [\d.]+ MiB failed at max-memory-size=64MiB \(limits\.maxMemoryBytes\); the guest then exited with status 1\n$/);
    const table = await cli('run', '-q', componentPath('table_grow'), '-W', 'max-table-elements=2000');
    expect(table.code).toBe(5);
    expect(table.stderr).toMatch(/^wasi-edge: table limit: table\.grow to 2001 elements failed at max-table-elements=2000/);
    const help = (await cli('--help')).stdout;
    expect(help).toContain('4 when it ended\nafter memory.grow failed at max-memory-size');
    expect(help).toMatch(/5 the same for\s+max-table-elements, 6 when it was stopped at the timeout/);
  }, 60_000);

  it('the command line overrides the config file\'s limits', async () => {
    const dir = tempDir('cli-limits');
    writeFileSync(join(dir, 'edge.json'), JSON.stringify({ limits: { maxMemoryBytes: 2 ** 30, timeoutMs: 600_000 } }));
    const r = await cli('run', componentPath('memory_bomb'), '--config', join(dir, 'edge.json'), '-W', 'max-memory-size=128MiB');
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('failed after 64 MiB');
  }, 60_000);
});

describe('board profiles (--board, --report)', () => {
  it('parses; an unknown board is a usage error that lists the boards', () => {
    expect(parseArgs(['run', 'a.wasm', '--board', 'stm32f4', '--report'])).toMatchObject({ board: 'stm32f4', report: true });
    expect(() => parseArgs(['run', 'a.wasm', '--board', 'esp8266'])).toThrowError(/unknown board "esp8266" \(boards: esp32-wrover, stm32f4, imxrt1170, rpi-zero-2w\)/);
  });

  it('the board\'s RAM is the memory cap, and the report says the app does not fit and why', async () => {
    const r = await cli('run', '-q', componentPath('memory_bomb'), '--board', 'stm32f4', '--report');
    expect(r.code).toBe(4);
    // 192 KiB is too little even for the guest's C runtime: some grow past it fails before the bomb's first malloc.
    expect(r.stderr).toMatch(/memory limit: memory\.grow to [\d.]+ (KiB|MiB) failed at max-memory-size=192KiB/);
    expect(r.stderr).toMatch(/wasi-edge report: linear memory 192 KiB at its peak \(it asked for [\d.]+ (KiB|MiB)\)/);
    expect(r.stderr).toMatch(/wasi-edge report: board stm32f4 \(ST STM32F407VG: 192 KB SRAM .*\): does not fit: linear memory [\d.]+ (KiB|MiB) needed > 192 KiB of app RAM\n/);
  }, 60_000);

  it('an app that fits: sizes, peak memory and host memory are reported', async () => {
    const r = await cli('run', '-q', componentPath('hello'), '--board', 'esp32-wrover', '--report');
    expect(r.code).toBe(0);
    const kib = (statSync(componentPath('hello')).size / 1024).toFixed(2).replace(/\.?0+$/, '');
    expect(r.stderr).toContain(`wasi-edge report: component ${kib} KiB, code `);
    expect(r.stderr).toMatch(/wasi-edge report: linear memory [\d.]+ KiB at its peak, tables \d+ elements\n/);
    expect(r.stderr).toMatch(/wasi-edge report: this host [\d.]+ MiB resident at its peak/);
    expect(r.stderr).toMatch(/board esp32-wrover .*: fits\n$/);
    // The flags win over the board: the same app under a cap smaller than its memory does not start.
    const small = await cli('run', '-q', componentPath('hello'), '--board', 'esp32-wrover', '--max-memory', '64KiB');
    expect(small.code).toBe(4);
    expect(small.stderr).toMatch(/starts at .* above max-memory-size=64KiB/);
  }, 60_000);
});
