/**
 * A simulated I2C bus: chip models at addresses, scripted faults, and a transaction log.
 * It behaves like a controller on a real bus: the address byte of each (repeated) START is
 * acknowledged or not by the chip, data bytes one by one, a STOP always ends the transaction
 * (also after a failure), and a transfer an SMBus-only adapter cannot express is refused the
 * same way the Linux backend refuses it.
 */
import { I2cFailure, hex, type Bus, type BusCapabilities, type I2cFailureCode, type Segment, type TransferOptions } from './bus.js';
import { appendBounded } from '../core/bounded-log.js';
import { realClock, type Clock } from './clock.js';
import type { I2cDevice } from './devices/device.js';
import { ALL_SMBUS, planSmbus, type SmbusFuncs } from './smbus.js';

/** A fault the bus produces on the next matching transfers. */
export type I2cFault =
  /** The addressed chip does not acknowledge its address (as if absent). */
  | { kind: 'nack-address'; address?: number; count?: number }
  /** The chip NACKs the data byte with index `afterBytes` (0 = first written byte of the transfer). */
  | { kind: 'nack-data'; address?: number; afterBytes?: number; count?: number }
  /** Another controller wins arbitration. */
  | { kind: 'arbitration-loss'; address?: number; count?: number }
  /** The controller reports a receive overrun. */
  | { kind: 'overrun'; address?: number; count?: number }
  /** The controller reports a NACK but cannot say where (many Linux drivers: EREMOTEIO/EIO). */
  | { kind: 'nack-unknown'; address?: number; count?: number }
  /** SDA held low: every transfer fails with a bus error until the fault is cleared. */
  | { kind: 'stuck'; count?: number }
  /** The chip stretches the clock: the transfer takes `delayMs` longer. */
  | { kind: 'slow'; delayMs: number; address?: number; count?: number };

export interface LoggedSegment {
  write?: Uint8Array;
  read?: Uint8Array;
}

export interface I2cLogEntry {
  /** Clock time (ms) when the transfer started. */
  at: number;
  address: number;
  tenBit: boolean;
  /** What went over the wire: written bytes as sent, read bytes as received (up to a failure). */
  segments: LoggedSegment[];
  /** The failure kind, if the transfer failed. */
  error?: I2cFailureCode;
}

export interface SimulatedBusOptions {
  clock?: Clock;
  /** Defaults to a full I2C controller with 10-bit support. */
  capabilities?: Partial<BusCapabilities>;
  /** SMBus functions when `capabilities.i2c` is false (default: all). */
  smbus?: Partial<SmbusFuncs>;
  /** Entries kept in `log` (oldest dropped first). Default 1000. */
  logLimit?: number;
}

interface ActiveFault {
  fault: I2cFault;
  remaining: number;
}

export class SimulatedBus implements Bus {
  readonly capabilities: BusCapabilities;
  readonly clock: Clock;
  readonly smbus: SmbusFuncs;
  /** The most recent transfers, oldest first. */
  readonly log: I2cLogEntry[] = [];
  private readonly logLimit: number;
  private readonly devices = new Map<string, I2cDevice>();
  private faults: ActiveFault[] = [];
  private closed = false;

  constructor(options: SimulatedBusOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.capabilities = { i2c: true, tenBit: true, ...options.capabilities };
    this.smbus = { ...ALL_SMBUS, ...options.smbus };
    this.logLimit = options.logLimit ?? 1000;
  }

  private static key(address: number, tenBit: boolean): string {
    return (tenBit ? 't' : 's') + address;
  }

  /** Puts a chip at an address (7-bit unless `tenBit`). Returns the chip, for chaining in tests. */
  attach<D extends I2cDevice>(address: number, device: D, options: { tenBit?: boolean } = {}): D {
    const tenBit = options.tenBit ?? false;
    if (!Number.isInteger(address) || address < 0 || address > (tenBit ? 0x3ff : 0x7f)) {
      throw new RangeError(`address ${address} is not a ${tenBit ? 10 : 7}-bit I2C address`);
    }
    const key = SimulatedBus.key(address, tenBit);
    if (this.devices.has(key)) throw new Error(`a device is already attached at ${hex(address)}`);
    this.devices.set(key, device);
    return device;
  }

  detach(address: number, options: { tenBit?: boolean } = {}): boolean {
    return this.devices.delete(SimulatedBus.key(address, options.tenBit ?? false));
  }

  device(address: number, options: { tenBit?: boolean } = {}): I2cDevice | undefined {
    return this.devices.get(SimulatedBus.key(address, options.tenBit ?? false));
  }

  /** Attached chips as [address, tenBit, device]. */
  entries(): Array<{ address: number; tenBit: boolean; device: I2cDevice }> {
    return [...this.devices].map(([k, device]) => ({ address: Number(k.slice(1)), tenBit: k[0] === 't', device }));
  }

  /** Scripts a fault for the next `count` (default 1; `Infinity` = until cleared) matching transfers. */
  inject(fault: I2cFault): void {
    const count = fault.count ?? (fault.kind === 'stuck' ? Infinity : 1);
    this.faults.push({ fault, remaining: count });
  }

  clearFaults(): void {
    this.faults = [];
  }

  clearLog(): void {
    this.log.length = 0;
  }

  private takeFault(address: number): I2cFault | undefined {
    const i = this.faults.findIndex(
      (f) => f.fault.kind === 'stuck' || f.fault.address === undefined || f.fault.address === address,
    );
    if (i < 0) return undefined;
    const active = this.faults[i]!;
    if (--active.remaining <= 0) this.faults.splice(i, 1);
    return active.fault;
  }

  private record(entry: I2cLogEntry): void {
    appendBounded(this.log, entry, this.logLimit);
  }

  transfer(address: number, segments: readonly Segment[], options: TransferOptions = {}): Uint8Array[] {
    if (this.closed) throw new I2cFailure('other', 'the bus is closed');
    const tenBit = options.tenBit ?? false;
    if (tenBit && !this.capabilities.tenBit) {
      throw new I2cFailure('unsupported', 'this adapter has no 10-bit addressing');
    }
    // Nothing to address, as LinuxBus: not refused as an SMBus shape (test/contracts/i2c-bus.contract.ts).
    if (segments.length === 0) return [];
    if (!this.capabilities.i2c) {
      const plan = planSmbus(segments, this.smbus);
      if (!plan.ok) throw new I2cFailure('unsupported', plan.reason);
    }
    const entry: I2cLogEntry = { at: this.clock.now(), address, tenBit, segments: [] };
    try {
      const result = this.run(address, tenBit, segments, entry);
      this.record(entry);
      return result;
    } catch (e) {
      if (e instanceof I2cFailure) entry.error = e.code;
      this.record(entry);
      throw e;
    }
  }

  private run(address: number, tenBit: boolean, segments: readonly Segment[], entry: I2cLogEntry): Uint8Array[] {
    const where = { toString: () => hex(address, tenBit ? 3 : 2) }; // formatted only for errors
    let fault = this.takeFault(address);
    if (fault?.kind === 'stuck') throw new I2cFailure('bus', `bus stuck (SDA held low) addressing ${where}`);
    if (fault?.kind === 'arbitration-loss') throw new I2cFailure('arbitration-loss', `arbitration lost addressing ${where}`);
    if (fault?.kind === 'slow') {
      this.clock.sleep(fault.delayMs);
      fault = undefined;
    }
    const device = this.devices.get(SimulatedBus.key(address, tenBit));
    const results: Uint8Array[] = [];
    let started = false;
    let dataBytes = 0;
    try {
      for (const s of segments) {
        const read = 'read' in s;
        if (!device || fault?.kind === 'nack-address' || !device.start(read)) {
          throw new I2cFailure('nack-address', `no acknowledge from ${where} (address byte)`);
        }
        if (fault?.kind === 'nack-unknown') throw new I2cFailure('nack-unknown', `no acknowledge from ${where}`);
        started = true;
        if ('write' in s) {
          const data = s.write;
          for (let i = 0; i < data.length; i++) {
            const nack = fault?.kind === 'nack-data' && dataBytes === (fault.afterBytes ?? 0);
            dataBytes++;
            if (nack || !device.write(data[i]!)) {
              entry.segments.push({ write: data.slice(0, i + 1) }); // what went out, up to the NACKed byte
              throw new I2cFailure('nack-data', `no acknowledge from ${where} on data byte ${dataBytes - 1}`);
            }
          }
          entry.segments.push({ write: data.slice() });
        } else {
          const out = new Uint8Array(s.read);
          for (let i = 0; i < s.read; i++) out[i] = device.read() & 0xff;
          if (fault?.kind === 'overrun' && s.read > 0) throw new I2cFailure('overrun', `receive overrun reading ${where}`);
          entry.segments.push({ read: out });
          results.push(out);
        }
      }
    } finally {
      if (started) device!.stop();
    }
    return results;
  }

  close(): void {
    this.closed = true;
  }
}
