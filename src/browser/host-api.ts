/**
 * The same createHost(config) as in Node, for code that runs its own Web Worker (bundled to
 * dist/web/host.js; export `wasi-edge-host/browser-host`). Call it inside a worker: the
 * providers block with Atomics.wait, which a page's main thread may not do.
 */
export { createBrowserHost as createHost, runTranspiled, instantiateTranspiled, MissingImportsError } from './worker/run-component.js';
export { parseConfig, defaultConfig } from '../host/config.js';
export { browserConfigInput } from './config.js';
export { mountFile, mountedFiles } from './shims/fs.js';
export { GuestExit } from './host/wasi.js';
export { WitError } from '../core/wit-error.js';
export { ConfigError } from '../core/validate.js';
export { setPageLink } from './worker/page-link.js';
