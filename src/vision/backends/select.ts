/**
 * Which vision backend a host uses (`vision.backend`): `auto` takes sharp where it is installed and
 * the platform has a blocking bridge (Node), else the TypeScript kernels (browsers, or sharp absent);
 * `sharp` insists (host creation fails naming the package when it is missing); `typescript` never
 * loads sharp and never uses native code, so on Node it is what a browser runs. `auto` and `sharp`
 * encode PNG with the platform's zlib where it has one (Node 20.15 and later).
 */
import type { SyncWorkerFactory } from '../../core/blocking-bridge.js';
import type { VisionBackend } from './backend.js';
import type { NativeZlib } from '../../core/codecs/png-writer.js';
import { withNativePng } from './native-png.js';
import { createSharpBackend } from './sharp.js';
import { typescriptBackend } from './typescript.js';

export type VisionBackendChoice = 'auto' | 'sharp' | 'typescript';
export const VISION_BACKEND_CHOICES: readonly VisionBackendChoice[] = ['auto', 'sharp', 'typescript'];

/**
 * What wasi:vision needs of the platform port: the blocking bridge, for sharp's Promise-only API,
 * and, where the platform has one, a native zlib for PNG encoding in the calling thread.
 */
export interface VisionPlatform {
  spawnSyncWorker: SyncWorkerFactory;
  zlib?: NativeZlib;
}

export function selectVisionBackend(choice: VisionBackendChoice, platform: Partial<VisionPlatform> | undefined): VisionBackend {
  if (choice === 'typescript') return typescriptBackend;
  const base = nativeBackend(choice, platform);
  return platform?.zlib ? withNativePng(base, platform.zlib) : base;
}

function nativeBackend(choice: 'auto' | 'sharp', platform: Partial<VisionPlatform> | undefined): VisionBackend {
  const spawn = platform?.spawnSyncWorker;
  if (choice === 'sharp') {
    if (!spawn) throw new Error('the sharp vision backend needs a platform with worker threads (Node)');
    return createSharpBackend(spawn);
  }
  if (!spawn) return typescriptBackend;
  try {
    return createSharpBackend(spawn, typescriptBackend);
  } catch {
    return typescriptBackend; // not installed: the TypeScript kernels do the same work
  }
}
