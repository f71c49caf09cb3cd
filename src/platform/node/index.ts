/**
 * The Node platform port (the browser's is src/platform/browser/index.ts, with the same file
 * names beside it): WASI from preview2-shim's Node build, the worker_threads blocking bridge,
 * component files transpiled through the on-disk cache, ffmpeg cameras, zlib for PNG encoding, and
 * isolated runs in a worker thread (for the time limit).
 */
import type { PlatformPort } from '../../host/platform-port.js';
import { createWasiImports } from './wasi.js';
import { spawnSyncWorker } from './sync-worker.js';
import { loadComponent } from './load-component.js';
import { cameras } from './camera.js';
import { runInWorker } from './worker-run.js';
import { nativeZlib } from './zlib.js';

export const nodePlatform: PlatformPort = {
  name: 'node',
  createWasiImports,
  spawnSyncWorker,
  loadComponent,
  cameras,
  ...(nativeZlib ? { zlib: nativeZlib } : {}),
  defaultBaseDir: () => process.cwd(),
  runIsolated: runInWorker,
  memoryUsage: () => ({ rssBytes: process.memoryUsage.rss(), peakRssBytes: process.resourceUsage().maxRSS * 1024 }),
};
