/**
 * A case about an upstream interface runs a guest that imports only that proposal's interfaces and
 * WASI 0.2, plus what its manifest marks under `extensions` (conformance/README.md, "The guests"):
 * another host can run it without implementing anything of this host's own. Read from each
 * committed component itself, not from the guest's source.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execAsync } from '../helpers/spawn-async.js';
import { join } from 'node:path';
import { loadSuite } from '../../src/conformance/manifest.js';
import { ROOT } from '../helpers/run-guest.js';

const WASI = /^wasi:(cli|io|clocks|filesystem|random)\//;
/** Besides WASI: what a guest of each interface's cases may import. */
const ALLOWED: Record<string, RegExp> = {
  sensor: /^wasi:(sensor|buffer-pool)\//,
  i2c: /^wasi:i2c\/(i2c|delay)@0\.2\.0-draft$/,
  spi: /^wasi:spi\/spi$/,
  nn: /^wasi:nn\/(tensor|graph|inference|errors)@0\.2\.0-rc-2024-10-28$/,
  // wasi:vision is this project's own proposal; its cases may use the interfaces images come from.
  vision: /^wasi:(vision\/image@0\.1\.0-draft|sensor\/|buffer-pool\/|nn\/tensor@)/,
};

/** Every component's top-level instance imports, from one child process (the WIT tooling's shim settings stay there). */
async function importsOf(files: string[]): Promise<Record<string, string[]>> {
  const script = `import { print } from ${JSON.stringify(join(ROOT, 'scripts/wasm-tools.mjs'))};
    import { readFileSync } from 'node:fs';
    const out = {};
    for (const f of ${JSON.stringify(files)}) {
      const text = await print(readFileSync(f));
      out[f] = [...text.matchAll(/^  \\(import "([^"]+)" \\(instance/gm)].map((m) => m[1]);
    }
    console.log(JSON.stringify(out));`;
  return JSON.parse(await execAsync(process.execPath, ['--input-type=module', '-e', script])) as Record<string, string[]>;
}

describe('conformance guests import upstream interfaces only, or say what else', () => {
  const cases = loadSuite();
  let imports: Record<string, string[]> = {};
  beforeAll(async () => {
    imports = await importsOf([...new Set(cases.map((c) => c.component))]);
  }, 120_000);

  it('reads the imports of every component (so the checks below see something)', () => {
    expect(imports[join(ROOT, 'fixtures/conformance/spi/spi-script.wasm')]).toContain('wasi:spi/spi');
    expect(imports[join(ROOT, 'fixtures/conformance/i2c/i2c-script.wasm')]).toContain('wasi-edge:host/access@0.1.0');
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const got = imports[c.component]!;
    const foreign = got.filter((name) => !WASI.test(name) && !ALLOWED[c.interface]!.test(name) && !c.extensions.includes(name));
    expect(foreign, `${c.component} imports what is not marked under "extensions"`).toEqual([]);
    for (const e of c.extensions) expect(got, `"extensions" names ${e}, which the component does not import`).toContain(e);
  });
});
