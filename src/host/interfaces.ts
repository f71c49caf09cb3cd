/**
 * The interface registry: the single source of truth for what this host provides. Each entry is
 * an interface folder's definition (its WIT packages and versions, config parser, provider); the
 * config types (`EdgeConfig`, `EdgeConfigInput`), the section names, the import keys and the
 * platform port's shape are all derived from this list. Adding an interface is one definition in
 * its folder and one line here.
 *
 * Order is creation order: later providers may use the services of earlier ones (vision uses
 * sensor frames and nn tensors; wasi:config reads the retained configuration messaging fetched).
 */
import { sensorDefinition } from '../sensor/definition.js';
import { i2cDefinition } from '../i2c/definition.js';
import { spiDefinition } from '../spi/definition.js';
import { nnDefinition } from '../nn/definition.js';
import { visionDefinition } from '../vision/definition.js';
import { configDefinition } from '../config/definition.js';
import { messagingDefinition } from '../messaging/definition.js';
import type { InterfaceDefinition } from '../core/provider.js';

export const INTERFACES = [
  sensorDefinition,
  i2cDefinition,
  spiDefinition,
  nnDefinition,
  visionDefinition,
  messagingDefinition,
  configDefinition,
] as const satisfies readonly InterfaceDefinition<string, any, any, any>[];

type Definition = (typeof INTERFACES)[number];
export type InterfaceName = Definition['name'];

type ConfigOf<D> = D extends { parseConfig(...a: never[]): infer C } ? C : never;
type InputOf<D> = D extends { readonly inputType?: infer I } ? I : never;
type NeedsOf<D> = D extends { readonly platformNeeds?: infer P } ? P : never;
/** The intersection of every definition's needs (over the tuple: a union would absorb them into `unknown`). */
type NeedsAll<T extends readonly unknown[]> = T extends readonly [infer H, ...infer R] ? NeedsOf<H> & NeedsAll<R> : unknown;

/** Every interface's parsed section, by name. */
export type InterfaceConfigs = { [D in Definition as D['name']]: ConfigOf<D> };
/** Every interface's section as a user writes it, by name (all optional). */
export type InterfaceConfigInputs = { [D in Definition as D['name']]?: InputOf<D> };
/** What the interfaces together need of a platform (cameras, the blocking bridge, …). */
export type InterfacePlatformNeeds = NeedsAll<typeof INTERFACES>;

/** The version of every WIT package this host provides ('' when unversioned), from the definitions. */
export const PACKAGE_VERSIONS: Readonly<Record<string, string>> = Object.fromEntries(
  INTERFACES.flatMap((d) => Object.entries(d.packages)),
);

/** `wasi:i2c/i2c` → [`wasi:i2c/i2c`, `wasi:i2c/i2c@0.2.0-draft`]: jco reads one, its `.d.ts` names the other. */
export function importKeys(unversioned: string): string[] {
  const pkg = unversioned.split('/')[0] ?? unversioned;
  const version = PACKAGE_VERSIONS[pkg];
  return version ? [unversioned, `${unversioned}@${version}`] : [unversioned];
}
