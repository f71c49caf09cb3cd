/**
 * `node:module` for the browser build: there is no CommonJS loader, so optional native packages
 * (i2c-bus, spi-device, onnxruntime-node, koffi) are reported as not installed, which is what the
 * interface code already handles (MissingPackageError, or a fallback). `resolve` of
 * onnxruntime-web succeeds: its browser backend is src/platform/browser/sync-worker.ts.
 */
export function createRequire(_from: string | URL) {
  const require = (id: string): never => {
    throw new Error(`Cannot find module '${id}' (no CommonJS packages in the browser build)`);
  };
  require.resolve = (id: string): string => {
    if (id === 'onnxruntime-web') return id;
    throw new Error(`Cannot find module '${id}' (no CommonJS packages in the browser build)`);
  };
  return require;
}
export default { createRequire };
