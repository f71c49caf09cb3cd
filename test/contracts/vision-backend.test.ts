/**
 * The VisionBackend contract (vision-backend.contract.ts) on both backends: the TypeScript kernels,
 * and sharp (libvips in a worker thread behind Node's blocking bridge) where sharp is installed; and
 * on each with PNG encoded through Node's zlib (what `auto` and `sharp` use on Node: select.ts).
 */
import { afterAll } from 'vitest';
import { spawnSyncWorker } from '../../src/platform/node/sync-worker.js';
import type { VisionBackend } from '../../src/vision/backends/backend.js';
import { createSharpBackend, resolveSharp } from '../../src/vision/backends/sharp.js';
import { typescriptBackend } from '../../src/vision/backends/typescript.js';
import { withNativePng } from '../../src/vision/backends/native-png.js';
import { nativeZlib } from '../../src/platform/node/zlib.js';
import { unavailableReason } from '../../src/core/optional-package.js';
import { visionBackendContract } from './vision-backend.contract.js';
import { describeContract } from './vitest.js';

describeContract(visionBackendContract, { label: 'typescript', make: () => typescriptBackend });

const sharpMissing = unavailableReason(() => resolveSharp());
let sharp: VisionBackend | undefined;
describeContract(visionBackendContract, {
  label: 'sharp',
  ...(sharpMissing ? { unavailable: sharpMissing } : {}),
  // No fallback: a sharp that cannot load must fail here, not pass on the TypeScript codecs.
  make: () => (sharp ??= createSharpBackend(spawnSyncWorker)),
});
const noZlib = nativeZlib ? {} : { unavailable: 'this Node has no zlib.crc32 (Node 20.15 and later)' };
describeContract(visionBackendContract, { label: 'typescript + node:zlib PNG', ...noZlib, make: () => withNativePng(typescriptBackend, nativeZlib!) });
describeContract(visionBackendContract, {
  label: 'sharp + node:zlib PNG',
  ...(sharpMissing ? { unavailable: sharpMissing } : noZlib),
  make: () => withNativePng((sharp ??= createSharpBackend(spawnSyncWorker)), nativeZlib!),
});
afterAll(() => sharp?.dispose());
