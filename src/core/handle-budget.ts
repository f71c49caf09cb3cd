/**
 * Guest-held handles of a provider's resource, as i2c and spi hold them (src/i2c/provider.ts,
 * src/spi/provider.ts): a bound on how many are open at once (docs/hardening.md: each is a host
 * object the guest controls), handles that refuse every call once dropped or once their provider is
 * disposed, and the provider's named slots (buses, devices) with the names the config grants.
 */
import { closeAll } from './close-all.js';
import { isGranted } from './slot-config.js';

/** How many handles of one provider are open, against its limit; and whether the provider is gone. */
export class HandleBudget {
  #open = 0;
  #disposed = false;

  /** `noun` names the handles in messages ("i2c handles"), `setting` the config key of `max`. */
  constructor(
    readonly max: number,
    private readonly noun: string,
    private readonly setting: string,
  ) {}

  get open(): number {
    return this.#open;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Why one more handle cannot be opened now; undefined when it can. */
  exhausted(): string | undefined {
    if (this.#open < this.max) return undefined;
    return `${this.#open} ${this.noun} are open; this host's limit is ${this.max} (${this.setting})`;
  }

  /** Marks the provider gone; true the first time only, so its owner closes its slots once. */
  dispose(): boolean {
    if (this.#disposed) return false;
    this.#disposed = true;
    return true;
  }

  take(): void {
    this.#open++;
  }

  give(): void {
    this.#open--;
  }
}

/**
 * A resource class whose instances hold one `State` against a HandleBudget. jco needs a
 * zero-argument constructor, so instances are made by `lease` and start closed otherwise.
 */
export abstract class LeasedHandle<State> {
  #state: State | undefined;
  #budget: HandleBudget | undefined;

  /** Makes a handle of the calling class holding `state`, and counts it against `budget`. */
  static lease<H extends LeasedHandle<S>, S>(this: new () => H, state: S, budget: HandleBudget): H {
    const handle = new this();
    handle.#state = state;
    handle.#budget = budget;
    budget.take();
    return handle;
  }

  /** The resource's name in messages ("i2c", "spi-device"). */
  protected abstract readonly resource: string;

  /** How this interface refuses a call (its WIT error for a host refusal). */
  protected abstract refuse(message: string): never;

  /** The held state; refuses when the handle was dropped or the host that made it is gone. */
  protected held(): State {
    const state = this.#state;
    if (state === undefined || !this.#budget) return this.refuse(`this ${this.resource} handle is closed`);
    if (this.#budget.disposed) return this.refuse(`the host that made this ${this.resource} handle is gone`);
    return state;
  }

  /** Called by jco when the guest drops the handle. Idempotent; what it held stays open for others. */
  [Symbol.dispose](): void {
    if (this.#state !== undefined) this.#budget?.give();
    this.#state = undefined;
  }
}

/**
 * A provider's configured slots (buses, devices) by name, with the subset the config grants, the
 * budget of the handles a guest opens on them, and one dispose that closes every slot once.
 */
export class SlotTable<Config, Slot extends { close(): void }> {
  readonly #slots = new Map<string, Slot>();

  /** `allow` names what the guest is granted (all when undefined); `budget` bounds its handles. */
  constructor(
    configs: Record<string, Config>,
    make: (name: string, config: Config) => Slot,
    private readonly allow: readonly string[] | undefined,
    readonly budget: HandleBudget,
  ) {
    for (const [name, config] of Object.entries(configs)) this.#slots.set(name, make(name, config));
  }

  /** The names a guest may list and open. */
  granted(): string[] {
    return [...this.#slots.keys()].filter((name) => this.isGranted(name));
  }

  isGranted(name: string): boolean {
    return isGranted(this.allow, name);
  }

  /** The slot a guest names (any value: it comes from the guest); none once the provider is disposed. */
  find(name: unknown): Slot | undefined {
    return typeof name === 'string' && !this.budget.disposed ? this.#slots.get(name) : undefined;
  }

  /** The slot an embedder names; a missing one is the embedder's mistake, so a plain Error. */
  get(name: string, what: string): Slot {
    const slot = this.#slots.get(name);
    if (!slot) throw new Error(`no ${what} named ${JSON.stringify(name)} in this configuration`);
    return slot;
  }

  /** Disposes the provider: handles refuse from now on, and every slot is closed (once). */
  dispose(what: string): void {
    if (this.budget.dispose()) closeAll(this.#slots.values(), (slot) => slot.close(), what);
  }
}
