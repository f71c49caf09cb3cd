import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runComponent, MissingImportsError } from '../../src/index.js';
import { createHost } from '../../src/index.js';
import { GuestFatalError } from '../../src/core/guest-fatal.js';
import { componentPath, ROOT } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';
import { spawnAsync } from '../helpers/spawn-async.js';

// A bus list of the test's own, so that the guest's output proves it came through the config.
const twoBuses = {
  i2c: {
    buses: {
      'bus-a': { kind: 'simulated', devices: [] },
      'bus-b': { kind: 'simulated', devices: [] },
    },
  },
};

describe('runComponent', () => {
  it('runs wasi:cli/run, captures stdout, and calls the host import', async () => {
    const out: Uint8Array[] = [];
    const result = await runComponent(componentPath('hello'), twoBuses, {
      cacheDir: tempDir('wasi-edge-cache'),
      stdio: { stdout: (c) => out.push(c) },
    });
    expect(result).toEqual({ code: 0 });
    // The whole output, first line included (the preview1 adapter can lose it).
    expect(Buffer.concat(out).toString()).toBe('hello from a wasi-edge guest\ni2c buses granted: 2\n  bus-a\n  bus-b\n');
  });

  it('transpiles once: the second run takes the cached output and leaves no staging directory', async () => {
    const cacheDir = tempDir('wasi-edge-cache');
    let transpiles = 0;
    const options = { cacheDir, onTranspileStart: () => transpiles++, stdio: { stdout: () => {} } };
    await runComponent(componentPath('hello'), {}, options);
    await runComponent(componentPath('hello'), {}, options);
    expect(transpiles).toBe(1);
    const entries = readdirSync(cacheDir);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(/^[0-9a-f]{32}-jco\d+\.\d+\.\d+-f\d+$/);
    expect(existsSync(join(cacheDir, entries[0]!, 'manifest.json'))).toBe(true);
    // Marks component.js as ESM for Node versions that do not detect it (< 20.19).
    expect(JSON.parse(readFileSync(join(cacheDir, entries[0]!, 'package.json'), 'utf8'))).toEqual({ type: 'module' });
  });

  it('a trap is reported with its message and status 2; the host is still disposed', async () => {
    const r = await runComponent(componentPath('trap'), {}, { cacheDir: tempDir('wasi-edge-cache') });
    expect(r.code).toBe(2);
    expect(r.trap).toMatch(/unreachable/);
  });

  it('wasi:cli/run returning err gives status 1', async () => {
    const r = await runComponent(componentPath('fail'), {}, { cacheDir: tempDir('wasi-edge-cache') });
    expect(r).toEqual({ code: 1, error: 'its entry point returned err' });
  });

  it('lists every import the host does not provide, by name', async () => {
    const p = runComponent(componentPath('bench-echo'), {}, { cacheDir: tempDir('wasi-edge-cache') });
    await expect(p).rejects.toBeInstanceOf(MissingImportsError);
    await expect(p).rejects.toThrowError(/does not provide: interface wasi-edge:bench\/probe/);
  });

  it('refuses an interface version it does not implement before the guest runs, naming both versions', async () => {
    const p = runComponent(componentPath('import-version'), {}, { cacheDir: tempDir('wasi-edge-cache') });
    await expect(p).rejects.toBeInstanceOf(MissingImportsError);
    await expect(p).rejects.toThrowError(/wasi-edge:host\/access@0\.9\.0: this host provides wasi-edge:host\/access@0\.1\.0/);
  });

  it('refuses a function its interface does not have before the guest runs, naming it', async () => {
    const out: Uint8Array[] = [];
    const p = runComponent(componentPath('import-function'), {}, { cacheDir: tempDir('wasi-edge-cache'), stdio: { stdout: (c) => out.push(c) } });
    await expect(p).rejects.toThrowError(/function wasi-edge:host\/access\.frobnicate/);
    expect(out).toEqual([]);
  });

  it('accepts the WASI 0.2 line whatever its patch version, and refuses another line', async () => {
    const { versionProblems } = await import('../../src/host/runner.js');
    expect(versionProblems(['wasi:cli/exit@0.2.12', 'wasi:io/poll@0.2.0', 'wasi:i2c/i2c@0.2.0-draft', 'wasi:sensor/sensor', 'wasi:nn/graph@0.2.0-rc-2024-10-28'])).toEqual([]);
    expect(versionProblems(['wasi:cli/exit@0.3.0-rc-2025-09-16'])).toEqual(['wasi:cli/exit@0.3.0-rc-2025-09-16: this host provides WASI 0.2.x']);
    expect(versionProblems(['wasi:sensor/sensor@0.1.0'])).toEqual(['wasi:sensor/sensor@0.1.0: this host provides the unversioned wasi:sensor/sensor']);
  });

  it('refuses files that are not components with a message that says what to do', async () => {
    const dir = tempDir('notwasm');
    writeFileSync(join(dir, 'a.wasm'), 'hello');
    await expect(runComponent(join(dir, 'a.wasm'))).rejects.toThrowError(/is not a WebAssembly file/);
    // A core module: the first 8 bytes of any core module.
    writeFileSync(join(dir, 'core.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    await expect(runComponent(join(dir, 'core.wasm'))).rejects.toThrowError(/core WebAssembly module, not a component; wrap it/);
    await expect(runComponent(join(dir, 'missing.wasm'))).rejects.toThrowError(/cannot read .*ENOENT/);
  });

  it('extra imports add interfaces but may not replace one the host provides', () => {
    const host = createHost({}, { extraImports: { 'my:own/iface': { f: () => 1 } } });
    expect(host.imports['my:own/iface']).toBeDefined();
    host.dispose();
    expect(() => createHost({}, { extraImports: { 'wasi-edge:host/access': {} } })).toThrowError(
      /wasi-edge:host\/access is provided by this host's i2c provider/,
    );
  });

  it('committed guests are byte for byte what their sources build: one C, one WAT and one conformance guest (all: npm run check:guests, in CI)', async () => {
    // guests/build.mjs --check rebuilds in memory and compares with the committed binary.
    const r = await spawnAsync(process.execPath, [join(ROOT, 'guests/build.mjs'), '--check', '--only', 'hello,trap,spi/spi-script']);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('✓')).sort(), r.stdout + r.stderr).toEqual(['✓ hello', '✓ spi/spi-script', '✓ trap']);
    expect(r.status).toBe(0);
  }, 60_000);
});

describe('a guest that can never make progress', () => {
  it('is stopped and reported with the reason (status 2), instead of crashing or hanging the host', async () => {
    // sensor_overwrite-style guests block on their pool; with no device started nothing can feed it.
    const r = await runComponent(componentPath('hello'), {}, {
      cacheDir: tempDir('wasi-edge-cache'),
      stdio: { stdout: () => {} },
      onHost: (host) => {
        // Make the guest's one host call fail the way the sensor's deadlock detection does.
        const access = host.imports['wasi-edge:host/access']!;
        access.listI2cBuses = () => {
          throw new GuestFatalError('deadlock: nothing feeds the pool');
        };
      },
    });
    expect(r).toEqual({ code: 2, stuck: 'deadlock: nothing feeds the pool' });
  });
});
