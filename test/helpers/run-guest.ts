/**
 * Runs a committed guest (fixtures/components/<name>.wasm) through the real runner — jco
 * transpile, instantiate, wasi:cli/run — with stdout and stderr captured.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { runComponent, type RunOptions, type RunResult } from '../../src/index.js';
import type { EdgeConfig, EdgeConfigInput } from '../../src/host/config.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function componentPath(name: string): string {
  return join(ROOT, 'fixtures/components', `${name}.wasm`);
}

export interface GuestRun extends RunResult {
  stdout: string;
  stderr: string;
}

export async function runGuest(
  name: string,
  config: EdgeConfig | EdgeConfigInput = {},
  options: RunOptions = {},
): Promise<GuestRun> {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const result = await runComponent(componentPath(name), config, {
    ...options,
    stdio: { stdout: (c) => out.push(c), stderr: (c) => err.push(c) },
  });
  const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('utf8');
  return { ...result, stdout: text(out), stderr: text(err) };
}
