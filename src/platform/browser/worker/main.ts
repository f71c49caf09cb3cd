/**
 * The component's Web Worker (bundled to dist/web/worker.js). The page's main thread cannot
 * block, and every synchronous WIT call that waits (a pollable, an I2C delay, a frame, an
 * inference) blocks here with Atomics.wait instead, or, with JSPI (Chromium), the guest suspends
 * on the imports that wait (a pool pollable, an inference); see docs/browser.md.
 *
 * Protocol (page → worker): { type: 'run', component, config, files: [path, bytes][], stdio, jspi? }
 * (worker → page): { type: 'stdout' | 'stderr', chunk } · webcam requests · { type: 'exit', result }
 * · { type: 'error', message }. One run per worker.
 */
import { mountFile } from '../shims/fs.js';
import { setPageLink } from './page-link.js';
import { runTranspiled } from '../host.js';
import { runBench } from './bench.js';
import { preopenedFiles } from '../wasi.js';
import type { JspiMode } from '../../../core/jspi.js';

interface Scope {
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
}
const scope = globalThis as unknown as Scope;

setPageLink((m, transfer) => scope.postMessage(m, transfer));

scope.onmessage = async (e: MessageEvent) => {
  const m = e.data as {
    type: string;
    component: string;
    config: unknown;
    files?: [string, Uint8Array][];
    bench?: Record<string, unknown>;
    jspi?: JspiMode;
  };
  try {
    for (const [path, bytes] of m.files ?? []) mountFile(path, bytes);
    if (m.type === 'bench') {
      scope.postMessage({ type: 'exit', result: await runBench(m.component, m.bench ?? {}) });
      return;
    }
    const result = await runTranspiled(m.component, (m.config ?? {}) as Record<string, unknown>, {
      ...(m.jspi ? { jspi: m.jspi } : {}),
      stdio: {
        stdout: (chunk) => scope.postMessage({ type: 'stdout', chunk }),
        stderr: (chunk) => scope.postMessage({ type: 'stderr', chunk }),
      },
    });
    scope.postMessage({ type: 'exit', result: { ...result, files: preopenedFiles() } });
  } catch (err) {
    scope.postMessage({ type: 'error', message: String((err as Error)?.stack ?? err) });
  }
};
