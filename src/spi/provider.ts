/**
 * wasi:spi (unversioned, Phase 1) for jco-transpiled components. The only file of the spi
 * interface that knows WIT shapes. Choices the WIT leaves open: docs/spec-notes/spi.md.
 *
 * One import object serves both upstream revisions (docs/spec-notes/spi.md#revisions): the
 * current one (a4797e2: `open`) and the previous one (3fe70d6: `get-device-names`, `open-device`,
 * `spi-device.configure`). Both are the unversioned `wasi:spi/spi`, so a component's bindings
 * read the functions of its own revision and the runner checks those before it runs.
 *
 * Every handle starts with its device's settings from the host config (mode, clock, bit order;
 * default mode 0, 1 MHz, MSB first). A guest of the previous revision may change its own
 * handle's with `configure`; the provider re-applies a handle's settings to the shared backend
 * when another handle of the same device changed them, so two handles never see each other's.
 */
import { backendFailure } from '../core/backend-failure.js';
import { HandleBudget, LeasedHandle, SlotTable } from '../core/handle-budget.js';
import { DEFAULT_MAX_HANDLES } from '../core/slot-config.js';
import type * as SpiSpec from '../generated/interfaces/wasi-spi-spi.js';
import type * as SpiSpec3fe70d6 from '../generated/spi-3fe70d6/interfaces/wasi-spi-spi.js';
import type { ProviderInstance } from '../core/provider.js';
import { WitError } from '../core/wit-error.js';
import type { SpiDeviceConfig, SpiConfig } from './config.js';
import { SpiFailure, type SpiBackend, type SpiMode, type SpiSegment, type SpiSettings } from './device.js';
import { openSpiBackend } from './open-device.js';

type SpiError = SpiSpec.Error;

const MODES: Readonly<Record<string, SpiMode>> = { mode0: 0, mode1: 1, mode2: 2, mode3: 3 };
const U32_LIMIT = 2n ** 32n;

function refuse(message: string): never {
  throw new WitError<SpiError>({ tag: 'other', val: message }, message);
}

function toWitError(e: unknown): Error {
  if (e instanceof SpiFailure) {
    if (e.code === 'unsupported' || e.code === 'other') return new WitError<SpiError>({ tag: 'other', val: e.message }, e.message);
    return new WitError<SpiError>({ tag: e.code }, e.message);
  }
  // Anything else a backend throws is still the guest's failed call (src/core/backend-failure.ts).
  return backendFailure<SpiError>(e, 'SPI failure', (message) => ({ tag: 'other', val: message }));
}

function sameSettings(a: SpiSettings | undefined, b: SpiSettings): boolean {
  return !!a && a.frequency === b.frequency && a.mode === b.mode && a.lsbFirst === b.lsbFirst;
}

class DeviceSlot {
  backend: SpiBackend | undefined;
  owned = false;
  /** Settings last applied to the backend. */
  applied: SpiSettings | undefined;

  constructor(
    readonly name: string,
    readonly config: SpiDeviceConfig,
  ) {}

  open(): SpiBackend {
    if (!this.backend) {
      const { backend, owned } = openSpiBackend(this.config);
      this.backend = backend;
      this.owned = owned;
      this.applied = undefined;
    }
    return this.backend;
  }

  apply(settings: SpiSettings): void {
    const backend = this.open();
    if (sameSettings(this.applied, settings)) return;
    this.applied = undefined; // unknown if configure fails half-way
    backend.configure(settings);
    this.applied = { ...settings };
  }

  run(settings: SpiSettings, segments: SpiSegment[]): Uint8Array[] {
    const limits = this.config.limits;
    if (segments.length > limits.maxOperations) refuse(`${segments.length} operations exceed the limit of ${limits.maxOperations}`);
    let tx = 0;
    let rx = 0;
    for (const s of segments) {
      if (s.kind === 'read') rx += s.length;
      else if (s.kind === 'write') tx += s.data.length;
      else if (s.kind === 'transfer') {
        tx += s.data.length;
        rx += s.data.length;
      }
    }
    if (Math.max(tx, rx) > limits.maxTransferBytes) {
      refuse(`${Math.max(tx, rx)} bytes in one call exceed the limit of ${limits.maxTransferBytes}`);
    }
    this.apply(settings);
    return this.open().transfer(segments);
  }

  close(): void {
    const b = this.backend;
    this.backend = undefined;
    if (b && this.owned) b.close();
  }
}

/** What one handle holds: its device and its own settings. */
interface HandleState {
  slot: DeviceSlot;
  settings: SpiSettings;
}

function readLength(len: bigint): number {
  if (typeof len !== 'bigint' || len < 0n) refuse(`read length ${String(len)} is not a u64`);
  if (len >= U32_LIMIT) refuse(`read length ${len} is 2^32 or more`);
  return Number(len);
}

function bytes(data: Uint8Array, what: string): Uint8Array {
  if (!(data instanceof Uint8Array)) refuse(`${what} data is not a list<u8>`);
  return data;
}

/**
 * The `spi-device` resource; zero-argument constructor for jco, made by `open` (or `open-device`) through
 * `SpiDeviceHandle.lease` (src/core/handle-budget.ts).
 */
export class SpiDeviceHandle extends LeasedHandle<HandleState> {
  protected readonly resource = 'spi-device';

  protected refuse(message: string): never {
    return refuse(message);
  }

  private live(): HandleState {
    return this.held();
  }

  /** Previous revision only (3fe70d6); the current one leaves settings to the host config. */
  configure(config: SpiSpec3fe70d6.Config): void {
    try {
      const s = this.live();
      const mode = MODES[config?.mode as string];
      if (mode === undefined) refuse(`unknown mode ${JSON.stringify(config?.mode)}`);
      const frequency = config.frequency;
      if (!Number.isInteger(frequency) || frequency <= 0 || frequency > 0xffffffff) refuse(`frequency ${frequency} Hz is not a positive u32`);
      if (typeof config.lsbFirst !== 'boolean') refuse('lsb-first is not a bool');
      const settings: SpiSettings = { frequency, mode, lsbFirst: config.lsbFirst };
      s.slot.apply(settings); // errors now, not at the next transfer
      s.settings = settings;
    } catch (e) {
      throw toWitError(e);
    }
  }

  read(len: bigint): Uint8Array {
    try {
      const s = this.live();
      return s.slot.run(s.settings, [{ kind: 'read', length: readLength(len) }])[0]!;
    } catch (e) {
      throw toWitError(e);
    }
  }

  write(data: Uint8Array): void {
    try {
      const s = this.live();
      s.slot.run(s.settings, [{ kind: 'write', data: bytes(data, 'write') }]);
    } catch (e) {
      throw toWitError(e);
    }
  }

  transfer(data: Uint8Array): Uint8Array {
    try {
      const s = this.live();
      return s.slot.run(s.settings, [{ kind: 'transfer', data: bytes(data, 'transfer') }])[0]!;
    } catch (e) {
      throw toWitError(e);
    }
  }

  transaction(operations: Array<SpiSpec.Operation>): Array<SpiSpec.OperationResult> {
    try {
      const s = this.live();
      if (!Array.isArray(operations)) refuse('operations is not a list');
      const segments: SpiSegment[] = operations.map((op): SpiSegment => {
        switch (op?.tag) {
          case 'read':
            return { kind: 'read', length: readLength(op.val) };
          case 'write':
            return { kind: 'write', data: bytes(op.val, 'write') };
          case 'transfer':
            return { kind: 'transfer', data: bytes(op.val, 'transfer') };
          case 'delay-ns': {
            const ns = op.val;
            if (!Number.isInteger(ns) || ns < 0 || ns > 0xffffffff) refuse(`delay ${ns} ns is not a u32`);
            return { kind: 'delay', ns };
          }
          default:
            return refuse(`unknown operation ${JSON.stringify((op as { tag?: unknown })?.tag)}`);
        }
      });
      if (segments.length === 0) return [];
      const out = s.slot.run(s.settings, segments);
      return segments.map((seg, i): SpiSpec.OperationResult => {
        switch (seg.kind) {
          case 'read':
            return { tag: 'read', val: out[i]! };
          case 'transfer':
            return { tag: 'transfer', val: out[i]! };
          case 'write':
            return { tag: 'write' };
          case 'delay':
            return { tag: 'delay' };
        }
      });
    } catch (e) {
      throw toWitError(e);
    }
  }
}

export interface SpiProvider extends ProviderInstance {
  /** The open backend of a configured device (opening it if needed), for embedders and tests. */
  device(name: string): SpiBackend;
}

export function createSpiProvider(config: SpiConfig): SpiProvider {
  const budget = new HandleBudget(config.maxHandles ?? DEFAULT_MAX_HANDLES, 'SPI handles', 'spi.maxHandles');
  const slots = new SlotTable(config.devices, (name, c: SpiDeviceConfig) => new DeviceSlot(name, c), config.allow, budget);

  /** `open` (current revision) and `open-device` (previous): the same call under two names. */
  function open(name: string): SpiDeviceHandle {
    const slot = slots.find(name);
    if (!slot) refuse(`no SPI device named ${JSON.stringify(name)}`);
    if (!slots.isGranted(name)) refuse(`SPI device "${name}" is not granted to this guest`);
    // Bound on guest-held handles (docs/hardening.md).
    const full = budget.exhausted();
    if (full) refuse(full);
    try {
      slot.open();
    } catch (e) {
      const message = `SPI device "${name}" is unavailable: ${(e as Error)?.message ?? String(e)}`;
      refuse(message);
    }
    return SpiDeviceHandle.lease({ slot, settings: { ...slot.config.settings } }, budget);
  }

  const spiImports = {
    SpiDevice: SpiDeviceHandle,
    open,
    // The previous revision (3fe70d6).
    openDevice: open,
    getDeviceNames(): string[] {
      return slots.granted();
    },
  } satisfies typeof SpiSpec & typeof SpiSpec3fe70d6;

  return {
    imports: { 'wasi:spi/spi': spiImports },
    device(name: string): SpiBackend {
      return slots.get(name, 'SPI device').open();
    },
    dispose() {
      slots.dispose('SPI devices');
    },
  };
}
