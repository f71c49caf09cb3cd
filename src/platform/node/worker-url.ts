/**
 * Where a compiled module of this package is, for a worker to load: in dist/ next to the running
 * code, or, when the caller runs from its TypeScript source (the test suite), the copy
 * `npm run build` put in dist/. `path` is relative to src/ (and to dist/): `platform/node/run-worker.js`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function compiledModuleUrl(path: string): URL {
  // This file is src/platform/node/worker-url.ts or dist/platform/node/worker-url.js.
  const here = new URL(`../../${path}`, import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL(`../../../dist/${path}`, import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error(`${path} not found in dist/: run \`npm run build\` first`);
}
