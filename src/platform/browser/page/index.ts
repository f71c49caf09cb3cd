/**
 * wasi-edge-host in the browser (the package's `browser` export condition; bundled to
 * dist/web/wasi-edge-host.js, which needs no bundler). The page never runs a component on its
 * own thread: runComponent() starts a Web Worker (dist/web/worker.js) that builds the same
 * host as Node's createHost(config) — simulated I2C/SPI buses with the chip models, test-pattern,
 * image-fixture and webcam cameras, wasi:vision, wasi:nn on onnxruntime-web — and runs the
 * component there, where synchronous imports may block with Atomics.wait (docs/browser.md).
 * The page must be cross-origin isolated (COOP/COEP) for SharedArrayBuffer.
 *
 *   import { runComponent } from 'wasi-edge-host';
 *   const r = await runComponent('/components/hello/', {}, { stdio: { stdout: (bytes) => log(bytes) } });
 *
 * Components are transpiled ahead of time (`npm run build:browser`, or `wasi-edge-browser-transpile`
 * semantics: the host's transpile step, jco 1.35 `instantiation: 'async'` plus the bindings rewrite; a folder
 * with component.js, component-jspi.js (the same for JSPI), core modules and manifest.json).
 */
import { WebcamPump, type WebcamOptions } from './webcam-pump.js';
import type { WebcamSession } from '../camera.js';
import type { RunResult } from '../../../host/runner.js';
import type { OrtSpawnRequest } from '../sync-worker.js';
import type { StdioOptions } from '../../../core/guest-exit.js';
import type { JspiMode } from '../../../core/jspi.js';

/** A run's outcome as the worker reports it: the runner's result plus what the guest wrote under its preopens. */
export interface BrowserRunResult extends RunResult {
  /** Files under the preopened directories when the guest finished: [guest path, bytes]. */
  files?: [string, Uint8Array][];
}
export type { WebcamOptions } from './webcam-pump.js';
export { browserConfigInput } from '../config.js';

export interface BrowserRunOptions {
  /**
   * The guest's stdout and stderr, chunk by chunk, as bytes: the same option as Node's
   * runComponent, so one call runs on both. The whole text is also in the result's `stdout`/`stderr`.
   */
  stdio?: StdioOptions;
  /**
   * @deprecated Use `stdio: { stdout }`, which gets bytes as in Node (decode them with a
   * `TextDecoder` and `{ stream: true }`). This spelling gets the text decoded and goes in the next release.
   */
  stdout?: (text: string) => void;
  /** @deprecated Use `stdio: { stderr }`; see `stdout`. */
  stderr?: (text: string) => void;
  /**
   * Files the configuration names (models, image folders), mounted at these absolute paths in
   * the worker's in-memory file tree: a URL to fetch, or the bytes.
   */
  files?: Record<string, string | URL | Uint8Array | ArrayBuffer>;
  webcam?: WebcamOptions;
  /** Where dist/web/worker.js is (default: next to this module). */
  workerUrl?: string | URL;
  /** Where dist/web/ort-worker.js is (default: next to the worker). */
  ortWorkerUrl?: string | URL;
  /**
   * JSPI in the component's worker (docs/browser.md): 'auto' (default) where the browser has it
   * (Chromium), 'on' to insist, 'off' to block in Atomics.wait as without it.
   */
  jspi?: JspiMode;
}

export interface BrowserRunOutput extends BrowserRunResult {
  stdout: string;
  stderr: string;
}

export interface RunningComponent {
  readonly done: Promise<BrowserRunOutput>;
  /** Stops the worker (and the webcam); `done` rejects if it had not finished. */
  terminate(): void;
}

async function loadFiles(files: BrowserRunOptions['files']): Promise<[string, Uint8Array][]> {
  const out: [string, Uint8Array][] = [];
  await Promise.all(
    Object.entries(files ?? {}).map(async ([path, v]) => {
      let bytes: Uint8Array;
      if (v instanceof Uint8Array) bytes = v;
      else if (v instanceof ArrayBuffer) bytes = new Uint8Array(v);
      else {
        const r = await fetch(v);
        if (!r.ok) throw new Error(`cannot fetch ${String(v)} for ${path}: HTTP ${r.status}`);
        bytes = new Uint8Array(await r.arrayBuffer());
      }
      out.push([path, bytes]);
    }),
  );
  return out;
}

function defaultWorkerUrl(): URL {
  return new URL('./worker.js', import.meta.url);
}

/** Starts a component in a fresh worker; see runComponent. */
export function startComponent(component: string | URL, config: unknown = {}, options: BrowserRunOptions = {}): RunningComponent {
  if (!globalThis.crossOriginIsolated) {
    throw new Error('wasi-edge-host needs a cross-origin isolated page (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)');
  }
  const worker = new Worker(options.workerUrl ?? defaultWorkerUrl(), { type: 'module', name: 'wasi-edge component' });
  const pump = new WebcamPump(options.webcam);
  const ortWorkers = new Map<number, Worker>();
  const ortUrl = options.ortWorkerUrl ?? new URL('./ort-worker.js', import.meta.url);
  const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  const text = { stdout: '', stderr: '' };
  let settle: { resolve(v: BrowserRunOutput): void; reject(e: Error): void };
  let finished = false;
  const done = new Promise<BrowserRunOutput>((resolve, reject) => (settle = { resolve, reject }));
  const finish = (f: () => void) => {
    if (finished) return;
    finished = true;
    pump.stopAll();
    worker.terminate();
    for (const w of ortWorkers.values()) w.terminate();
    f();
  };
  worker.onmessage = (e: MessageEvent) => {
    const m = e.data as { type: string; chunk?: Uint8Array; result?: BrowserRunResult; message?: string; id?: number };
    switch (m.type) {
      case 'stdout':
      case 'stderr': {
        const t = decoders[m.type].decode(m.chunk!, { stream: true });
        text[m.type] += t;
        options.stdio?.[m.type]?.(m.chunk!);
        options[m.type]?.(t);
        break;
      }
      case 'webcam-start':
        void pump.start(m as unknown as WebcamSession);
        break;
      case 'webcam-stop':
        pump.stop(m.id!);
        break;
      case 'ort-spawn': {
        // ONNX Runtime Web for the component's wasi:nn (src/platform/browser/sync-worker.ts explains why the page starts it).
        const r = m as unknown as OrtSpawnRequest;
        const w = new Worker(ortUrl, { type: 'module', name: 'wasi-edge onnxruntime-web' });
        w.postMessage({ init: { sab: r.sab, threads: r.threads, port: r.port } }, [r.port]);
        ortWorkers.set(r.id, w);
        break;
      }
      case 'ort-kill':
        ortWorkers.get(m.id!)?.terminate();
        ortWorkers.delete(m.id!);
        break;
      case 'exit':
        finish(() => settle.resolve({ ...m.result!, stdout: text.stdout, stderr: text.stderr }));
        break;
      case 'error':
        finish(() => settle.reject(new Error(m.message)));
        break;
    }
  };
  worker.onerror = (e) => finish(() => settle.reject(new Error(`component worker failed: ${e.message}`)));
  void loadFiles(options.files).then(
    (files) =>
      worker.postMessage({
        type: 'run',
        component: new URL(String(component), location.href).href,
        config,
        files,
        ...(options.jspi ? { jspi: options.jspi } : {}),
      }),
    (e: Error) => finish(() => settle.reject(e)),
  );
  return {
    done,
    terminate: () => finish(() => settle.reject(new Error('terminated'))),
  };
}

/** Runs a transpiled component to completion in a worker; resolves with its exit code and output. */
export function runComponent(component: string | URL, config: unknown = {}, options: BrowserRunOptions = {}): Promise<BrowserRunOutput> {
  return startComponent(component, config, options).done;
}

/** Runs the call-overhead measurement of a transpiled bench-echo component in a worker. */
export function benchCallOverhead(component: string | URL, iterations = 1_000_000, options: BrowserRunOptions = {}): Promise<Record<string, number>> {
  const worker = new Worker(options.workerUrl ?? defaultWorkerUrl(), { type: 'module' });
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent) => {
      worker.terminate();
      const m = e.data as { type: string; result?: Record<string, number>; message?: string };
      if (m.type === 'exit') resolve(m.result!);
      else reject(new Error(m.message));
    };
    worker.postMessage({ type: 'bench', component: new URL(String(component), location.href).href, bench: { iterations } });
  });
}
