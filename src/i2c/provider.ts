/**
 * wasi:i2c@0.2.0-draft (`i2c`, `delay`) and wasi-edge:host/access for jco-transpiled components.
 * The only file of the i2c interface that knows WIT shapes: resource classes, `{tag, val}`
 * variants, `WitError` payloads. Every choice the WIT leaves open is in docs/spec-notes/i2c.md.
 *
 * Validation happens here, before the bus is touched; a refused call never reaches a device.
 */
import { backendFailure } from '../core/backend-failure.js';
import { HandleBudget, LeasedHandle, SlotTable } from '../core/handle-budget.js';
import { DEFAULT_MAX_HANDLES } from '../core/slot-config.js';
import type * as AccessSpec from '../generated/interfaces/wasi-edge-host-access.js';
import type * as DelaySpec from '../generated/interfaces/wasi-i2c-delay.js';
import type * as I2cSpec from '../generated/interfaces/wasi-i2c-i2c.js';
import type { ProviderInstance } from '../core/provider.js';
import { WitError } from '../core/wit-error.js';
import { I2cFailure, hex, type Bus, type I2cFailureCode, type Segment } from './bus.js';
import { sleepMs } from './clock.js';
import type { I2cBusConfig, I2cConfig } from './config.js';
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

/**
 * The `i2c` resource. jco needs a zero-argument constructor; handles are made by `open-i2c`
 * through `I2cHandle.lease` (src/core/handle-budget.ts).
 */
export class I2cHandle extends LeasedHandle<BusSlot> {
  protected readonly resource = 'i2c';

  protected refuse(message: string): never {
    return refuse(message);
  }

  /**
   * One call of the guest on the handle's bus at `address`: refused while the handle is closed or
   * the address is not allowed, and whatever fails leaves as the WIT error.
   */
  private atAddress<T>(address: I2cSpec.Address, call: (slot: BusSlot) => T): T {
    try {
      const slot = this.held();
      slot.checkAddress(address);
      return call(slot);
    } catch (e) {
      throw toWitError(e);
    }
  }

  transaction(address: I2cSpec.Address, operations: Array<I2cSpec.Operation>): Array<Uint8Array> {
    return this.atAddress(address, (slot) => {
      if (!Array.isArray(operations)) refuse('operations is not a list');
      const segments: Segment[] = operations.map((op) => {
        if (op?.tag === 'read') return { read: slot.readLength(op.val) };
        if (op?.tag === 'write') return { write: slot.writeData(op.val) };
        return refuse(`unknown operation ${JSON.stringify((op as { tag?: unknown })?.tag)}`);
      });
      if (segments.length === 0) return [];
      return slot.transfer(address, segments);
    });
  }

  read(address: I2cSpec.Address, len: bigint): Uint8Array {
    return this.atAddress(address, (slot) => slot.transfer(address, [{ read: slot.readLength(len) }])[0]!);
  }

  write(address: I2cSpec.Address, data: Uint8Array): void {
    this.atAddress(address, (slot) => slot.transfer(address, [{ write: slot.writeData(data) }]));
  }

  writeRead(address: I2cSpec.Address, write: Uint8Array, readLen: bigint): Uint8Array {
    return this.atAddress(address, (slot) => {
      const segments: Segment[] = [{ write: slot.writeData(write) }, { read: slot.readLength(readLen) }];
      return slot.transfer(address, segments)[0]!;
    });
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
  const budget = new HandleBudget(config.maxHandles ?? DEFAULT_MAX_HANDLES, 'i2c handles', 'i2c.maxHandles');
  const slots = new SlotTable(config.buses, (name, c: I2cBusConfig) => new BusSlot(name, c), config.allow, budget);

  const accessImports = {
    listI2cBuses(): string[] {
      return slots.granted();
    },
    openI2c(name: string): I2cHandle {
      const slot = slots.find(name);
      if (!slot) throw new WitError<AccessError>({ tag: 'not-found' }, `no I2C bus named ${JSON.stringify(name)}`);
      if (!slots.isGranted(name)) throw new WitError<AccessError>({ tag: 'permission-denied' }, `I2C bus "${name}" is not granted`);
      // Bound on guest-held handles (docs/hardening.md): each is a host object the guest controls.
      const full = budget.exhausted();
      if (full) throw new WitError<AccessError>({ tag: 'unavailable', val: full }, full);
      try {
        slot.open();
      } catch (e) {
        const message = (e as Error)?.message ?? String(e);
        throw new WitError<AccessError>({ tag: 'unavailable', val: message }, `I2C bus "${name}" is unavailable: ${message}`);
      }
      return I2cHandle.lease(slot, budget);
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
      return slots.get(name, 'I2C bus').open();
    },
    dispose() {
      slots.dispose('I2C buses');
    },
  };
}
