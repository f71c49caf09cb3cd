// The dependency rule of docs/architecture.md, run on src/ with the project's .dependency-cruiser.cjs:
// no import goes up a floor, none goes sideways between two interfaces or two platforms, none closes a
// circle. The second test runs the same rules on a tree that breaks each of them once, so a rule that
// stops matching (a renamed folder, a typo in a pattern) fails here instead of passing silently.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const config = join(root, '.dependency-cruiser.cjs');
const cli = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}
interface CruiseResult {
  modules: { source: string }[];
  summary: { violations: Violation[] };
}

/**
 * Runs depcruise on `src` inside `cwd` as `npm run check:layers` does, with JSON output into a file
 * (a report of a few hundred KB is not left to a pipe's buffering).
 */
async function cruise(cwd: string): Promise<CruiseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'wasi-edge-layering-'));
  const out = join(dir, 'cruise.json');
  try {
    await promisify(execFile)(process.execPath, [cli, 'src', '--config', config, '--output-type', 'json', '--output-to', out], { cwd });
    return JSON.parse(readFileSync(out, 'utf8')) as CruiseResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const line = (v: Violation) => `${v.rule.name}: ${v.from} -> ${v.to}`;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.ts$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe('the dependency rule', () => {
  it('src/ has no import that goes up a floor, sideways or round a circle', async () => {
    const result = await cruise(root);
    // The check only means something if it read every module of src/. (src/generated/ is left out
    // of this count: the build rewrites it, and a build running beside the test would race it.)
    const seen = new Set(result.modules.map((m) => m.source));
    const unseen = sourceFiles(join(root, 'src'))
      .map((f) => relative(root, f).split('\\').join('/'))
      .filter((f) => !f.startsWith('src/generated/') && !seen.has(f));
    expect(unseen).toEqual([]);
    const violations = result.summary.violations.map(line);
    for (const v of violations) console.error(`layering: ${v}`);
    expect(violations).toEqual([]);
  });

  it('catches each kind of bad import in a tree built to break every rule once', async () => {
    const result = await cruise(join(root, 'test/house/fixtures/bad'));
    expect(result.summary.violations.map(line).sort()).toEqual([
      'core-is-ground-floor: src/core/up.ts -> src/host/h.ts',
      'every-module-has-a-floor: src/misc/stray.ts -> src/core/ok.ts',
      'generated-is-type-only: src/nn/value-import.ts -> src/generated/wit.d.ts',
      'host-composes-below-it: src/host/h.ts -> src/platform/node/n.ts',
      'interface-imports-core-only: src/sensor/s.ts -> src/i2c/i.ts',
      'no-circular: src/vision/cycle-a.ts -> src/vision/cycle-b.ts',
      'platform-stays-in-its-lane: src/platform/node/n.ts -> src/platform/browser/b.ts',
      'relative-import-resolves: src/spi/missing.ts -> ./nowhere.js',
      'src-never-imports-test: src/nn/uses-test.ts -> test/helper.ts',
    ]);
  });
});
