import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT } from '../helpers/run-guest.js';
import { execAsync, spawnAsync } from '../helpers/spawn-async.js';

// The WIT tooling is jco's bundled wasm-tools (scripts/wasm-tools.mjs); run it in a child so that
// its preview2-shim preopen setting does not leak into the test process.
function worldImportsExports(world: string): Promise<string> {
  return execAsync(process.execPath, [join(ROOT, 'scripts/print-core-abi.mjs'), world]);
}

describe('WIT contracts', () => {
  it.each([
    ['edge-imports', ['wasi:sensor/sensor', 'wasi:i2c/i2c@0.2.0-draft', 'wasi:spi/spi', 'wasi:nn/graph@0.2.0-rc-2024-10-28', 'wasi-edge:host/access@0.1', 'wasi:buffer-pool/buffer-pool']],
    ['edge-app', ['wasi:cli/stdout@0.2', 'wasi:filesystem/types@0.2', 'wasi:vision/', 'wasi:cli/run@0.2']],
    ['wasi:sensor/sensing', ['wasi:sensor/sensor', 'wasi:io/poll@0.2', 'wasi:sensor/interface']],
    ['wasi:i2c/imports@0.2.0-draft', ['wasi:i2c/delay@0.2.0-draft']],
    ['wasi:spi/wasi-spi-world', ['wasi:spi/spi']],
    ['wasi:nn/ml@0.2.0-rc-2024-10-28', ['wasi:nn/inference@0.2.0-rc-2024-10-28']],
    ['wasi:buffer-pool/buffering', ['wasi:buffer-pool/buffer-pool', '[static]pool.create']],
  ])('world %s parses and resolves with its imports', async (world, expected) => {
    const text = await worldImportsExports(world);
    for (const name of expected) expect(text).toContain(name);
  });

  it('the upstream function names are the ones guests link against', async () => {
    const text = await worldImportsExports('edge-imports');
    for (const fn of ['[method]i2c.write-read', '[method]spi-device.transaction', '[static]device.list-names',
      '[static]pool.create', '[method]pool.read-frames', '[method]memory.invalidate', '[constructor]tensor',
      '[method]graph-execution-context.compute', 'load-by-name', '[method]error.code', 'open-i2c']) {
      expect(text).toContain(`"${fn}"`);
    }
  });

  it('the generated types reject providers that drift from the WIT', async () => {
    const r = await spawnAsync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'test/typecheck')]);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
