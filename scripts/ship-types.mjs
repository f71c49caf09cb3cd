#!/usr/bin/env node
// After tsc: the generated WIT types (src/generated/, declarations only, so tsc emits nothing for
// them) are copied to dist/generated/, where the shipped .d.ts of the providers import them from.
// Without this a consumer's tsc fails with TS2307 on every provider declaration.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const from = join(root, 'src/generated');
const to = join(root, 'dist/generated');
if (!existsSync(from)) throw new Error('src/generated/ is missing: run scripts/gen-types.mjs first');
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
