/**
 * The configuration side of a provider's named slots (i2c buses, spi devices; SlotTable in
 * handle-budget.ts is the run-time side): the slots by name, the names the guest is granted and
 * the bound on the handles it holds open, read and described the same way for every interface.
 *
 * ```text
 * "<section>": { "<key>": { "<name>": { … } }, "allow": ["<name>"], "maxHandles": 16 }
 * ```
 */
import { array, implementing, integer, object, onlyKeys, optional, string, type Json } from './validate.js';

/** Default bound on the handles a guest holds open on one provider's slots (docs/hardening.md). */
export const DEFAULT_MAX_HANDLES = 64;

export interface SlotGrants {
  /** Names of the slots the guest may open; undefined = all configured ones. */
  allow?: string[];
  /** Most handles a guest may hold open at once (docs/hardening.md); default 64. */
  maxHandles?: number;
}

/** A section of named slots under `K` (`buses`, `devices`), as parseSlotSection returns it. */
export type SlotSection<K extends string, T> = Record<K, Record<string, T>> & SlotGrants;

export function isGranted(allow: readonly string[] | undefined, name: string): boolean {
  return allow === undefined || allow.includes(name);
}

/**
 * Reads a section of named slots under `key`, each through `parseSlot`; without `key` the section
 * has the `defaults` slots (an empty object under `key` means no slots at all).
 */
export function parseSlotSection<K extends string, T>(
  raw: unknown,
  at: string,
  key: K,
  parseSlot: (raw: unknown, at: string) => T,
  defaults: () => Record<string, T>,
): SlotSection<K, T> {
  const o = object(raw, at);
  onlyKeys(o, at, [key, 'allow', 'maxHandles']);
  const slotsRaw = o[key] === undefined ? undefined : object(o[key], `${at}.${key}`);
  const slots: Record<string, T> = slotsRaw ? {} : defaults();
  for (const [name, s] of Object.entries(slotsRaw ?? {})) slots[name] = parseSlot(s, `${at}.${key}.${name}`);
  const allow = optional(o, 'allow', at, array)?.map((v, i) => string(v, `${at}.allow[${i}]`));
  const maxHandles = optional(o, 'maxHandles', at, (v, a) => integer(v, a, 1, 65536));
  const grants: SlotGrants = { ...(allow ? { allow } : {}), ...(maxHandles !== undefined ? { maxHandles } : {}) };
  return { [key]: slots, ...grants } as SlotSection<K, T>;
}

/**
 * The object of a `custom` slot: the embedder's own backend under `key` (checked to have every
 * one of `members`), the only key besides the ones every kind of slot accepts (`commonKeys`).
 */
export function customBackend<T>(
  o: Json,
  at: string,
  commonKeys: readonly string[],
  key: string,
  type: string,
  members: Readonly<Record<string, 'function' | 'object'>>,
): T {
  onlyKeys(o, at, [...commonKeys, key]);
  return implementing<T>(o[key], `${at}.${key}`, type, members);
}

/**
 * `describe` lines for named slots: `describeSlot` gives a slot's lines, and the first of them
 * says when the slot is not granted; `none` stands alone when there are no slots.
 */
export function describeSlots<T>(
  slots: Record<string, T>,
  allow: readonly string[] | undefined,
  none: string,
  describeSlot: (name: string, slot: T) => [string, ...string[]],
): string[] {
  const lines: string[] = [];
  for (const [name, slot] of Object.entries(slots)) {
    const [first, ...more] = describeSlot(name, slot);
    lines.push(`${first}${isGranted(allow, name) ? '' : '; NOT granted'}`, ...more);
  }
  return lines.length ? lines : [none];
}
