/**
 * The thread of an isolated run (worker-run.ts starts it): the host — providers, devices — and the
 * guest live here together, so that terminating this thread stops a guest even in the middle of
 * wasm code and ends everything its host held. Output, the start signal and the result go back
 * on the port the parent gave, in order.
 */
import { workerData } from 'node:worker_threads';
import { adoptParsedCopy, type EdgeConfig, type EdgeConfigInput } from '../../host/config.js';
import { runHere } from '../../host/runner.js';
import { nodePlatform } from './index.js';
import type { RunWorkerInput, RunWorkerMessage } from './worker-run.js';

const input = workerData as RunWorkerInput;
const post = (m: RunWorkerMessage) => input.port.postMessage(m);

/** The configuration: the parent's parsed copy, or what the recipe's function builds here. */
async function configuration(): Promise<EdgeConfig | EdgeConfigInput> {
  const c = input.config;
  if (!('recipe' in c)) return adoptParsedCopy(c);
  const module = (await import(c.recipe.module)) as Record<string, unknown>;
  const build = module[c.recipe.name];
  if (typeof build !== 'function') throw new Error(`host bug: ${c.recipe.module} exports no function ${c.recipe.name}`);
  return (await build(c.recipe.input)) as EdgeConfig | EdgeConfigInput;
}

try {
  const result = await runHere(nodePlatform, input.source, await configuration(), {
    ...(input.cacheDir ? { cacheDir: input.cacheDir } : {}),
    ...(input.report ? { report: true } : {}),
    ...(input.jspi ? { jspi: input.jspi } : {}),
    onTranspileStart: (bytes) => post({ type: 'transpiling', bytes }),
    onHost: () => post({ type: 'started' }),
    // Copied: the shim may reuse the buffer it hands out.
    stdio: { stdout: (b) => post({ type: 'stdout', chunk: b.slice() }), stderr: (b) => post({ type: 'stderr', chunk: b.slice() }) },
  });
  post({ type: 'done', result });
} catch (e) {
  const err = e as Error & { missing?: string[] };
  post({ type: 'failed', name: err?.name ?? 'Error', message: err?.message ?? String(e), ...(Array.isArray(err?.missing) ? { missing: err.missing } : {}) });
}
