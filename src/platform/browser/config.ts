/**
 * The browser's configuration default, applied before the shared parseConfig: wasi:nn defaults to
 * the onnxruntime-web backend (onnxruntime-node is a native addon: it cannot exist here).
 */
export function browserConfigInput(input: unknown): unknown {
  if (!input || typeof input !== 'object') return input;
  const config = input as Record<string, unknown>;
  const nn = config.nn as Record<string, unknown> | undefined;
  if (nn === undefined || (typeof nn === 'object' && nn !== null && nn.backend === undefined)) {
    return { ...config, nn: { ...(nn ?? {}), backend: 'onnxruntime-web' } };
  }
  return config;
}
