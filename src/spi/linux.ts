/**
 * Linux SPI backend: `/dev/spidevB.C` through spi-device (optional dependency, loaded lazily).
 *
 * - A call is ONE `SPI_IOC_MESSAGE` (spi-device `transferSync`): chip select stays asserted
 *   across its transfers. `delay` segments become zero-length transfers with `delay_usecs`
 *   (rounded up to µs, at most 65535 each).
 * - spidev refuses messages whose transmitted or received bytes exceed its `bufsiz` module
 *   parameter (4096 by default) with EMSGSIZE. Splitting such a message would release chip
 *   select in the middle, which changes what the chip sees (a flash READ would restart), so the
 *   backend REFUSES it up front with a message naming the limit and how to raise it.
 * - Opened eagerly so a missing device is reported when the guest opens it.
 * All kernel errors map to `other` (spidev reports only errnos; none says overrun, mode fault,
 * frame format or chip-select fault).
 */
import { readFileSync } from 'node:fs';
import { requireOptional } from '../core/optional-package.js';
import { SpiFailure, segmentTotals, type SpiBackend, type SpiSegment, type SpiSettings } from './device.js';

/** The part of spi-device's `SpiDevice` this backend uses (the seam tests fake). */
export interface SpidevLike {
  transferSync(message: SpidevTransfer[]): unknown;
  setOptionsSync(options: { mode?: number; maxSpeedHz?: number; lsbFirst?: boolean }): unknown;
  closeSync(): void;
}

export interface SpidevTransfer {
  byteLength: number;
  sendBuffer?: Buffer;
  receiveBuffer?: Buffer;
  microSecondDelay?: number;
}

export interface LinuxSpiOptions {
  /** `/dev/spidev0.0` */
  device: string;
  /** Per-message limit; default: /sys/module/spidev/parameters/bufsiz, else 4096. */
  maxMessageBytes?: number;
  open?: (bus: number, device: number) => SpidevLike;
}

/** `SPI_IOC_MESSAGE(n)` encodes n × 32 bytes in the 14-bit ioctl size field. */
export const SPI_MAX_TRANSFERS = 511;

function openSpiDevice(bus: number, device: number): SpidevLike {
  const mod = requireOptional<{ openSync(b: number, d: number): SpidevLike }>({ name: 'spi-device' }, 'the Linux SPI backend', {
    fail: (message, cause) => new SpiFailure('other', message, { cause }),
  });
  return mod.openSync(bus, device);
}

export function spidevBufsiz(): number {
  try {
    const n = Number(readFileSync('/sys/module/spidev/parameters/bufsiz', 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : 4096;
  } catch {
    return 4096;
  }
}

function errorMessage(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return `${err.code ? err.code + ' ' : ''}${err.message ?? String(e)}`;
}

export class LinuxSpiDevice implements SpiBackend {
  readonly device: string;
  readonly maxMessageBytes: number;
  private dev: SpidevLike | undefined;

  constructor(options: LinuxSpiOptions) {
    this.device = options.device;
    const m = /^\/dev\/spidev(\d+)\.(\d+)$/.exec(options.device);
    if (!m) throw new SpiFailure('other', `${options.device} is not a /dev/spidevB.C path`);
    this.maxMessageBytes = options.maxMessageBytes ?? spidevBufsiz();
    try {
      this.dev = (options.open ?? openSpiDevice)(Number(m[1]), Number(m[2]));
    } catch (e) {
      if (e instanceof SpiFailure) throw e;
      const code = (e as { code?: string }).code;
      const hint =
        code === 'ENOENT' ? `${options.device} does not exist (no such device, or spidev is not bound to it)`
        : code === 'EACCES' || code === 'EPERM' ? `no permission to open ${options.device} (add the user to the 'spi' group)`
        : `cannot open ${options.device}: ${errorMessage(e)}`;
      throw new SpiFailure('other', hint, { errno: code, cause: e });
    }
  }

  private open(): SpidevLike {
    if (!this.dev) throw new SpiFailure('other', `${this.device} is closed`);
    return this.dev;
  }

  configure(settings: SpiSettings): void {
    try {
      this.open().setOptionsSync({ mode: settings.mode, maxSpeedHz: settings.frequency, lsbFirst: settings.lsbFirst });
    } catch (e) {
      if (e instanceof SpiFailure) throw e;
      throw new SpiFailure('other', `${this.device} refused mode ${settings.mode}, ${settings.frequency} Hz, ${settings.lsbFirst ? 'LSB' : 'MSB'} first: ${errorMessage(e)}`, { cause: e });
    }
  }

  /** The spidev message for `segments`, or a refusal. Exposed for tests. */
  message(segments: readonly SpiSegment[]): SpidevTransfer[] {
    const { tx, rx } = segmentTotals(segments);
    const limit = this.maxMessageBytes;
    if (tx > limit || rx > limit) {
      throw new SpiFailure(
        'unsupported',
        `${this.device}: ${Math.max(tx, rx)} bytes in one chip-select assertion exceed spidev's per-message limit of ${limit} ` +
          `(splitting would release chip select; raise it with the spidev.bufsiz module parameter)`,
      );
    }
    const message: SpidevTransfer[] = [];
    for (const s of segments) {
      switch (s.kind) {
        case 'read':
          message.push({ byteLength: s.length, receiveBuffer: Buffer.alloc(s.length) });
          break;
        case 'write':
          message.push({ byteLength: s.data.length, sendBuffer: Buffer.from(s.data) });
          break;
        case 'transfer':
          message.push({ byteLength: s.data.length, sendBuffer: Buffer.from(s.data), receiveBuffer: Buffer.alloc(s.data.length) });
          break;
        case 'delay': {
          let us = Math.ceil(s.ns / 1000);
          do {
            const chunk = Math.min(us, 0xffff);
            message.push({ byteLength: 0, receiveBuffer: Buffer.alloc(0), microSecondDelay: chunk });
            us -= chunk;
          } while (us > 0);
          break;
        }
      }
    }
    if (message.length > SPI_MAX_TRANSFERS) {
      throw new SpiFailure('unsupported', `${this.device}: ${message.length} transfers in one message exceed the ioctl's ${SPI_MAX_TRANSFERS}`);
    }
    return message;
  }

  transfer(segments: readonly SpiSegment[]): Uint8Array[] {
    const dev = this.open();
    const message = this.message(segments);
    if (message.length > 0) {
      try {
        dev.transferSync(message);
      } catch (e) {
        throw new SpiFailure('other', `${this.device}: SPI_IOC_MESSAGE failed: ${errorMessage(e)}`, { cause: e });
      }
    }
    const results: Uint8Array[] = [];
    let i = 0;
    for (const s of segments) {
      if (s.kind === 'delay') {
        results.push(new Uint8Array(0));
        let us = Math.ceil(s.ns / 1000);
        do {
          us -= Math.min(us, 0xffff);
          i++;
        } while (us > 0);
        continue;
      }
      const t = message[i++]!;
      results.push(s.kind === 'write' ? new Uint8Array(0) : new Uint8Array(t.receiveBuffer!));
    }
    return results;
  }

  close(): void {
    const dev = this.dev;
    this.dev = undefined;
    dev?.closeSync();
  }
}
