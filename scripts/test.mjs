#!/usr/bin/env node
// `npm test`: runs vitest, then prints one closing line "tests: N passed, N failed[, N skipped]"
// that any CI can read, and exits with vitest's status. Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// The report lives outside the checkout: out/ belongs to the demo, which may clear it.
const report = join(tmpdir(), `wasi-edge-test-results-${process.pid}.json`);
rmSync(report, { force: true });
const r = spawnSync(
  process.execPath,
  [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: root },
);
let code = r.status ?? 1;
if (existsSync(report)) {
  const j = JSON.parse(readFileSync(report, 'utf8'));
  rmSync(report, { force: true });
  const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  console.log(`tests: ${j.numPassedTests} passed, ${j.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
  if (j.numTotalTests === 0) code = code || 1;
} else {
  console.log('tests: 0 passed, 1 failed');
  code = code || 1;
}
process.exit(code);
