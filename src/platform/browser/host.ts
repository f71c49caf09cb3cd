/**
 * The host in a browser worker: the same createHost and runner as on Node (src/host/), bound to
 * the browser platform port, with the browser's configuration default.
 */
import { isParsedConfig, parseConfig, type EdgeConfig, type EdgeConfigInput } from '../../host/config.js';
import { createHostOn, type EdgeHost, type HostOptions } from '../../host/create-host.js';
import { runOn, type RunOptions, type RunResult } from '../../host/runner.js';
import { browserConfigInput } from './config.js';
import { browserPlatform } from './index.js';

function browserConfig(config: EdgeConfig | EdgeConfigInput): EdgeConfig {
  return isParsedConfig(config) ? config : parseConfig(browserConfigInput(config), browserPlatform.defaultBaseDir());
}

/** createHost for the browser: relative paths resolve against "/" of the in-memory tree. */
export function createBrowserHost(config: EdgeConfig | EdgeConfigInput = {}, options: HostOptions = {}): EdgeHost {
  return createHostOn(browserPlatform, browserConfig(config), options);
}

/** Runs a transpiled component (its folder's URL) to completion; always disposes the host. */
export function runTranspiled(base: string | URL, config: EdgeConfig | EdgeConfigInput = {}, options: RunOptions = {}): Promise<RunResult> {
  return runOn(browserPlatform, base, browserConfig(config), options);
}
