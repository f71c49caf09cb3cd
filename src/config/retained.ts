/**
 * The retained configuration message (read by the messaging provider from the client's
 * `configTopic` as the host starts) as store values: a JSON object of string values, held to the
 * same rules as the file's `config` section. Anything else is reported and ignored as a whole —
 * half of an operator's configuration is worse than none — and the file's values stand.
 */
import type { RetainedConfig } from '../core/services.js';
import { ConfigError } from '../core/validate.js';
import { parseConfigStore } from './config.js';

export type RetainedValues = { values: ReadonlyMap<string, string> } | { notice: string } | Record<string, never>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function retainedValues(r: RetainedConfig): RetainedValues {
  const ignored = (why: string) => ({ notice: `wasi:config: the retained configuration on ${r.source} is ignored (${why}); the configuration file's values stand` });
  if (r.unavailable !== undefined) return { notice: `wasi:config: the retained configuration on ${r.source} could not be read (${r.unavailable}); the configuration file's values stand` };
  if (r.data === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(r.data));
  } catch (e) {
    return ignored(`not JSON: ${(e as Error).message}`);
  }
  try {
    return { values: parseConfigStore(parsed, 'retained').values };
  } catch (e) {
    if (e instanceof ConfigError) return ignored(e.message.replace(/^config: /, ''));
    throw e;
  }
}
