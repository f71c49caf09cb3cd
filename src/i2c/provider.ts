/**
 * wasi:i2c@0.2.0-draft (`i2c`, `delay`) and wasi-edge:host/access for jco-transpiled components.
 * The only file of the i2c interface that knows WIT shapes: resource classes, `{tag, val}`
 * variants, `WitError` payloads. Every choice the WIT leaves open is in docs/spec-notes/i2c.md.
 *
 * Validation happens here, before the bus is touched; a refused call never reaches a device.
 */
import { backendFailure } from '../core/backend-failure.js';
import { closeAll } from '../core/close-all.js';
import type * as AccessSpec from '../generated/interfaces/wasi-edge-host-access.js';
import type * as DelaySpec from '../generated/interfaces/wasi-i2c-delay.js';
import type * as I2cSpec from '../generated/interfaces/wasi-i2c-i2c.js';
import type { ProviderInstance } from '../core/provider.js';
import { WitError } from '../core/wit-error.js';
import { I2cFailure, hex, type Bus, type I2cFailureCode, type Segment } from './bus.js';
import { sleepMs } from './clock.js';
import { DEFAULT_MAX_HANDLES, type I2cBusConfig, type I2cConfig } from './config.js';
import { openBus } from './open-bus.js';

type ErrorCode = I2cSpec.ErrorCode;

const ERROR_FOR_CODE: Readonly<Record<I2cFailureCode, ErrorCode>> = {
  'nack-address': { tag: 'no-acknowledge', val: 'address' },
  'nack-data': { tag: 'no-acknowledge', val: 'data' },
  'nack-unknown': { tag: 'no-acknowledge', val: 'unknown' },
  'arbitration-loss': { tag: 'arbitration-loss' },
  bus: { tag: 'bus' },
  overrun: { tag: 'overrun' },
  unsupported: { tag: 'other' },
  other: { tag: 'other' },
};

/** The WIT error for a normalised bus failure (a fresh object: jco may keep it). */
export function errorCodeFor(code: I2cFailureCode): ErrorCode {
  return { ...ERROR_FOR_CODE[code] } as ErrorCode;
}

/** A refusal by the host (bad argument, limit, access): `other`, the bus is never touched. */
function refuse(message: string): never {
  throw new WitError<ErrorCode>({ tag: 'other' }, message);
}

function toWitError(e: unknown): Error {
  if (e instanceof I2cFailure) return new WitError(errorCodeFor(e.code), e.message);
  // A backend that threw something else (an embedder's bus, a native module's argument check):
  // still the guest's call that failed, so it gets `other` (src/core/backend-failure.ts).
  return backendFailure<ErrorCode>(e, 'bus failure', () => ({ tag: 'other' }));
}

const U32_LIMIT = 2n ** 32n;

/** One configured bus as the provider holds it. */
class BusSlot {
  bus: Bus | undefined;
  owned = false;
  private readonly allowed: Set<number> | undefined;

  constructor(
    readonly name: string,
    readonly config: I2cBusConfig,
  ) {
    this.allowed = config.addresses ? new Set(config.addresses) : undefined;
  }

  open(): Bus {
    if (!this.bus) {
      const { bus, owned } = openBus(this.config);
      this.bus = bus;
      this.owned = owned;
    }
    return this.bus;
  }

  checkAddress(address: number): void {
    const tenBit = this.config.tenBit;
    if (!Number.isInteger(address) || address < 0 || address > 0x3ff) {
      refuse(`address ${address} is outside the 10-bit range 0x000..0x3ff`);
    }
    if (!tenBit && address > 0x7f) {
      refuse(`address ${hex(address, 3)} is not a 7-bit address and bus "${this.name}" is not configured for 10-bit addressing`);
    }
    if (this.allowed && !this.allowed.has(address)) {
      refuse(`address ${hex(address)} is not in the addresses bus "${this.name}" grants`);
    }
  }

  readLength(len: bigint): number {
    if (typeof len !== 'bigint' || len < 0n) refuse(`read length ${String(len)} is not a u64`);
    if (len >= U32_LIMIT) refuse(`read length ${len} is 2^32 or more`);
    const n = Number(len);
    if (n > this.config.limits.maxRead) refuse(`read length ${n} exceeds the limit of ${this.config.limits.maxRead} bytes`);
    return n;
  }

  writeData(data: Uint8Array): Uint8Array {
    if (!(data instanceof Uint8Array)) refuse('write data is not a list<u8>');
    return data;
  }

  transfer(address: number, segments: Segment[]): Uint8Array[] {
    const limits = this.config.limits;
    if (segments.length > limits.maxOperations) {
      refuse(`${segments.length} operations exceed the limit of ${limits.maxOperations} per transaction`);
    }
    let total = 0;
    for (const s of segments) total += 'write' in s ? s.write.length : s.read;
    if (total > limits.maxTransactionBytes) {
      refuse(`${total} bytes in one transaction exceed the limit of ${limits.maxTransactionBytes}`);
    }
    return this.open().transfer(address, segments, { tenBit: this.config.tenBit });
  }

  close(): void {
    const bus = this.bus;
    this.bus = undefined;
    if (bus && this.owned) bus.close();
  }
}

interface HandleState {
  slot: BusSlot;
  provider: { disposed: boolean; open: number };
}

/**
 * The `i2c` resource. jco needs a zero-argument constructor (see research/jco.md §3); handles
 * are made by `open-i2c` through `I2cHandle.create`.
 */
export class I2cHandle {
  private state: HandleState | undefined;

  static create(state: HandleState): I2cHandle {
    const h = new I2cHandle();
    h.state = state;
    return h;
  }

  private slot(): BusSlot {
    const s = this.state;
    if (!s) refuse('this i2c handle is closed');
    if (s.provider.disposed) refuse('the host that made this i2c handle is gone');
    return s.slot;
  }

  transaction(address: I2cSpec.Address, operations: Array<I2cSpec.Operation>): Array<Uint8Array> {
    try {
      const slot = this.slot();
      slot.checkAddress(address);
      if (!Array.isArray(operations)) refuse('operations is not a list');
      const segments: Segment[] = operations.map((op) => {
        if (op?.tag === 'read') return { read: slot.readLength(op.val) };
        if (op?.tag === 'write') return { write: slot.writeData(op.val) };
        return refuse(`unknown operation ${JSON.stringify((op as { tag?: unknown })?.tag)}`);
      });
      if (segments.length === 0) return [];
      return slot.transfer(address, segments);
    } catch (e) {
      throw toWitError(e);
    }
  }

  read(address: I2cSpec.Address, len: bigint): Uint8Array {
    try {
      const slot = this.slot();
      slot.checkAddress(address);
      return slot.transfer(address, [{ read: slot.readLength(len) }])[0]!;
    } catch (e) {
      throw toWitError(e);
    }
  }

  write(address: I2cSpec.Address, data: Uint8Array): void {
    try {
      const slot = this.slot();
      slot.checkAddress(address);
      slot.transfer(address, [{ write: slot.writeData(data) }]);
    } catch (e) {
      throw toWitError(e);
    }
  }

  writeRead(address: I2cSpec.Address, write: Uint8Array, readLen: bigint): Uint8Array {
    try {
      const slot = this.slot();
      slot.checkAddress(address);
      const segments: Segment[] = [{ write: slot.writeData(write) }, { read: slot.readLength(readLen) }];
      return slot.transfer(address, segments)[0]!;
    } catch (e) {
      throw toWitError(e);
    }
  }

  /** Called by jco when the guest drops the handle. Idempotent; the bus stays open for others. */
  [Symbol.dispose](): void {
    if (this.state) this.state.provider.open--;
    this.state = undefined;
  }
}

/** The `delay` resource: waits without spinning (Atomics.wait). */
export class DelayHandle {
  delayNs(ns: number): void {
    if (typeof ns !== 'number' || !(ns > 0)) return;
    sleepMs(Math.min(ns, 0xffffffff) / 1e6);
  }

  [Symbol.dispose](): void {}
}

type AccessError = AccessSpec.AccessError;

export interface I2cProvider extends ProviderInstance {
  /** The open backend of a configured bus (opening it if needed), for embedders and tests. */
  bus(name: string): Bus;
}

export function createI2cProvider(config: I2cConfig): I2cProvider {
  const state = { disposed: false, open: 0 };
  const maxHandles = config.maxHandles ?? DEFAULT_MAX_HANDLES;
  const slots = new Map<string, BusSlot>();
  for (const [name, busConfig] of Object.entries(config.buses)) slots.set(name, new BusSlot(name, busConfig));
  const granted = (name: string) => config.allow === undefined || config.allow.includes(name);

  const accessImports = {
    listI2cBuses(): string[] {
      return [...slots.keys()].filter(granted);
    },
    openI2c(name: string): I2cHandle {
      const slot = typeof name === 'string' ? slots.get(name) : undefined;
      if (!slot || state.disposed) throw new WitError<AccessError>({ tag: 'not-found' }, `no I2C bus named ${JSON.stringify(name)}`);
      if (!granted(name)) throw new WitError<AccessError>({ tag: 'permission-denied' }, `I2C bus "${name}" is not granted`);
      // Bound on guest-held handles (docs/hardening.md): each is a host object the guest controls.
      if (state.open >= maxHandles) {
        const message = `${state.open} i2c handles are open; this host's limit is ${maxHandles} (i2c.maxHandles)`;
        throw new WitError<AccessError>({ tag: 'unavailable', val: message }, message);
      }
      try {
        slot.open();
      } catch (e) {
        const message = (e as Error)?.message ?? String(e);
        throw new WitError<AccessError>({ tag: 'unavailable', val: message }, `I2C bus "${name}" is unavailable: ${message}`);
      }
      state.open++;
      return I2cHandle.create({ slot, provider: state });
    },
    getDelay(): DelayHandle {
      return new DelayHandle();
    },
  } satisfies typeof AccessSpec;

  const i2cImports = { I2c: I2cHandle } satisfies typeof I2cSpec;
  const delayImports = { Delay: DelayHandle } satisfies typeof DelaySpec;

  return {
    imports: {
      'wasi:i2c/i2c': i2cImports,
      'wasi:i2c/delay': delayImports,
      'wasi-edge:host/access': accessImports,
    },
    bus(name: string): Bus {
      const slot = slots.get(name);
      if (!slot) throw new Error(`no I2C bus named ${JSON.stringify(name)} in this configuration`);
      return slot.open();
    },
    dispose() {
      if (state.disposed) return;
      state.disposed = true;
      closeAll(slots.values(), (slot) => slot.close(), 'I2C buses');
    },
  };
}
