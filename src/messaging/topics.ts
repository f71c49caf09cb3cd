/**
 * MQTT topic names and filters (MQTT 5.0 §4.7): what a guest may publish to is a name (no
 * wildcards); what the configuration grants is a list of filters, with `+` for one level and `#`
 * for any number of trailing levels. As the specification says, a filter that starts with a
 * wildcard never matches a topic that starts with `$` (broker topics such as `$SYS/…`).
 */
import { utf8Length } from './utf8-length.js';

/** MQTT encodes a topic's length in two bytes. */
export const MAX_TOPIC_BYTES = 65535;

/** Why `topic` cannot be published to, or undefined when it can. */
export function topicNameProblem(topic: string): string | undefined {
  if (topic.length === 0) return 'the topic is empty';
  if (topic.includes('+') || topic.includes('#')) return `the topic ${JSON.stringify(topic)} contains a wildcard (+ or #), which only filters may`;
  if (topic.includes('\u0000')) return 'the topic contains a NUL character';
  if (utf8Length(topic) > MAX_TOPIC_BYTES) return `the topic is longer than ${MAX_TOPIC_BYTES} bytes`;
  return undefined;
}

/** Why `filter` is not a valid topic filter, or undefined when it is. */
export function topicFilterProblem(filter: string): string | undefined {
  if (filter.length === 0) return 'a filter cannot be empty';
  if (filter.includes('\u0000')) return 'a filter cannot contain NUL';
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) return '# must be a whole level and the last one';
    if (level.includes('+') && level !== '+') return '+ must be a whole level';
  }
  return undefined;
}

/** Whether topic name `topic` matches filter `filter` (both valid). */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** The first of `filters` that `topic` matches, or undefined. */
export function grantFor(filters: readonly string[], topic: string): string | undefined {
  return filters.find((f) => topicMatches(f, topic));
}

/** How many checked topics a GrantCache remembers before it starts again (a guest that invents topics must not grow it). */
const REMEMBERED_TOPICS = 1024;

/**
 * A client's publish grants, with the topic names that passed remembered: a device sends to a few
 * topics again and again, and matching every filter on every send costs more than the rest of
 * the check. Only names that are valid and granted are remembered.
 */
export class GrantCache {
  readonly #granted = new Set<string>();

  constructor(readonly filters: readonly string[]) {}

  /** Whether `topic` was checked (valid, granted) before. */
  known(topic: string): boolean {
    return this.#granted.has(topic);
  }

  /** Whether valid name `topic` matches a grant; remembers it when it does. */
  allows(topic: string): boolean {
    if (this.#granted.has(topic)) return true;
    if (!grantFor(this.filters, topic)) return false;
    if (this.#granted.size >= REMEMBERED_TOPICS) this.#granted.clear();
    this.#granted.add(topic);
    return true;
  }
}
