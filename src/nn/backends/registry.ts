/**
 * Which backend serves which graph encoding. A new backend is one file and one line here.
 * Only ONNX has backends; every other wasi:nn encoding (openvino, tensorflow, pytorch,
 * tensorflowlite, ggml) has none on this host and loads fail with `invalid-encoding`.
 */
import type { NnBackend } from './backend.js';
import { onnxruntimeNodeBackend } from './onnxruntime-node.js';
import { onnxruntimeWebBackend } from './onnxruntime-web.js';

export const BACKENDS = {
  'onnxruntime-node': onnxruntimeNodeBackend,
  'onnxruntime-web': onnxruntimeWebBackend,
} as const satisfies Record<string, NnBackend>;

export type BackendName = keyof typeof BACKENDS;
export const BACKEND_NAMES = Object.keys(BACKENDS) as BackendName[];

/** Encodings a backend can exist for, and the backends that can serve each. */
export const BACKENDS_BY_ENCODING: Readonly<Record<string, readonly BackendName[]>> = {
  onnx: ['onnxruntime-node', 'onnxruntime-web'],
};

/**
 * The backend for an encoding given the configured choice, or undefined when this host has none
 * for it. `chosen` maps encoding → backend name (from config).
 */
export function backendFor(
  encoding: string,
  chosen: Readonly<Record<string, BackendName>>,
  // Tests substitute backends here; production code passes nothing.
  table: Readonly<Record<string, NnBackend>> = BACKENDS,
): NnBackend | undefined {
  const candidates = BACKENDS_BY_ENCODING[encoding];
  if (!candidates) return undefined;
  const name = chosen[encoding] ?? candidates[0]!;
  return table[name];
}
