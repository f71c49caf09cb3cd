#!/usr/bin/env node
// Generates TypeScript types from wit/ with jco (never edited by hand, never committed).
// Providers are type-checked against them: a provider whose shape drifts from the WIT fails `tsc`.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'src/generated');
rmSync(out, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(root, 'scripts/jco.mjs'), 'types', join(root, 'wit'), '--world-name', 'edge-imports',
    '--instantiation', 'async', '-q', '-o', out],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
// The previous wasi:spi revision (wit/spi-3fe70d6) is its own WIT tree: one tree cannot hold two
// revisions of a package. src/spi/provider.ts serves both, typed against both.
execFileSync(
  process.execPath,
  [join(root, 'scripts/jco.mjs'), 'types', join(root, 'wit/spi-3fe70d6'), '--world-name', 'wasi-spi-host',
    '--instantiation', 'async', '-q', '-o', join(out, 'spi-3fe70d6')],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
