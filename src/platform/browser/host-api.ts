/**
 * The same createHost(config) as in Node, for code that runs its own Web Worker (bundled to
 * dist/web/host.js; export `wasi-edge-host/browser-host`). Call it inside a worker: the
 * providers block with Atomics.wait, which a page's main thread may not do.
 */
export { createBrowserHost as createHost, runTranspiled } from './host.js';
export { instantiateLoaded, MissingImportsError, NoEntryPointError, type RunResult } from '../../host/runner.js';
export { loadComponent } from './load-component.js';
export { browserPlatform } from './index.js';
export { parseConfig, defaultConfig } from '../../host/config.js';
export { browserConfigInput } from './config.js';
export { mountFile, mountedFiles } from './shims/fs.js';
export { GuestExit } from '../../core/guest-exit.js';
export { WitError } from '../../core/wit-error.js';
export { ConfigError } from '../../core/validate.js';
export { setPageLink } from './worker/page-link.js';
