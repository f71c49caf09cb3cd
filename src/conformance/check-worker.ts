/**
 * The worker thread of `wasi-edge check`: runs one scenario's component and reports back. The
 * guest runs synchronously, so only a separate thread can be stopped when it hangs; the parent
 * (check.ts) terminates this worker when the scenario's time is up. Output is forwarded as it
 * comes, so a guest that hangs still shows what it printed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runComponent } from '../index.js';
import { parseConfig } from '../host/config.js';
import type { Json } from '../core/validate.js';
import { configForFixture } from './fixture.js';

export interface WorkerInput {
  component: string;
  fixture: Json;
  baseDir: string;
  args: string[];
  env: Record<string, string>;
  preopens: Record<string, string>;
}

export type WorkerMessage =
  | { type: 'stdout' | 'stderr'; text: string }
  /** The host exists; the guest is about to run (the hang timer starts now, not during start-up). */
  | { type: 'started' }
  | { type: 'done'; code: number; trap?: string; error?: string; stuck?: string }
  | { type: 'failed'; message: string; name: string };

const input = workerData as WorkerInput;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
const decoder = { stdout: new TextDecoder(), stderr: new TextDecoder() };

async function main() {
  try {
    // Parsed explicitly: createHost would take a full object for an already-parsed config.
    const config = parseConfig(
      { ...configForFixture(input.fixture, input.baseDir), wasi: { args: input.args, env: input.env, preopens: input.preopens } },
      input.baseDir,
    );
    const r = await runComponent(input.component, config, {
      onHost: () => post({ type: 'started' }),
      stdio: {
        stdout: (b) => post({ type: 'stdout', text: decoder.stdout.decode(b, { stream: true }) }),
        stderr: (b) => post({ type: 'stderr', text: decoder.stderr.decode(b, { stream: true }) }),
      },
    });
    post({ type: 'done', code: r.code, ...(r.trap ? { trap: r.trap } : {}), ...(r.error ? { error: r.error } : {}), ...(r.stuck ? { stuck: r.stuck } : {}) });
  } catch (e) {
    post({ type: 'failed', message: (e as Error)?.message ?? String(e), name: (e as Error)?.name ?? 'Error' });
  }
}

void main();
