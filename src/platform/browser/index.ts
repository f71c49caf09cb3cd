/**
 * The browser platform port (Node's is src/platform/node/index.ts, with the same file names
 * beside it): WASI from preview2-shim's browser build made synchronous, the blocking bridge to an
 * ONNX Runtime Web worker, components transpiled ahead of time, and getUserMedia cameras. It is
 * used inside the component's Web Worker, where Atomics.wait may block.
 */
import type { PlatformPort } from '../../host/platform-port.js';
import { createWasiImports } from './wasi.js';
import { spawnSyncWorker } from './sync-worker.js';
import { loadComponent } from './load-component.js';
import { cameras } from './camera.js';

export const browserPlatform: PlatformPort = {
  name: 'browser',
  createWasiImports,
  spawnSyncWorker,
  loadComponent,
  cameras,
  // Relative paths in a browser config resolve against "/" of the worker's in-memory file tree.
  defaultBaseDir: () => '/',
};
