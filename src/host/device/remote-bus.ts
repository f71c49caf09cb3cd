/**
 * An app's side of the device's buses (bus-owner.ts): an I2C `Bus` and an SPI backend whose every
 * transaction is one synchronous call to the device's main thread. The app's own providers wrap
 * them as they wrap any custom bus, so the guest sees the same wasi:i2c and wasi:spi as ever.
 * SPI settings travel with each transfer: the device's one backend is shared, and the settings
 * an app configured must be the ones its transfer runs with.
 */
import { I2cFailure, type Bus, type BusCapabilities, type I2cFailureCode, type Segment, type TransferOptions } from '../../i2c/bus.js';
import { DEFAULT_SETTINGS, SpiFailure, type SpiBackend, type SpiFailureCode, type SpiSegment, type SpiSettings } from '../../spi/device.js';
import type { BusReply, BusRequest } from './protocol.js';

export type BusCall = (request: BusRequest) => BusReply;

export class RemoteI2cBus implements Bus {
  constructor(
    private readonly name: string,
    readonly capabilities: BusCapabilities,
    private readonly call: BusCall,
  ) {}

  transfer(address: number, segments: readonly Segment[], options: TransferOptions = {}): Uint8Array[] {
    const reply = this.call({ op: 'i2c', bus: this.name, address, segments: [...segments], tenBit: options.tenBit ?? false });
    if (reply.ok) return reply.value;
    throw new I2cFailure(reply.code as I2cFailureCode, reply.message, reply.errno ? { errno: reply.errno } : {});
  }

  close(): void {
    // The device owns the bus.
  }
}

export class RemoteSpiDevice implements SpiBackend {
  private settings: SpiSettings;

  constructor(
    private readonly name: string,
    settings: SpiSettings | undefined,
    private readonly call: BusCall,
  ) {
    this.settings = { ...(settings ?? DEFAULT_SETTINGS) };
  }

  configure(settings: SpiSettings): void {
    this.settings = { ...settings };
  }

  transfer(segments: readonly SpiSegment[]): Uint8Array[] {
    const reply = this.call({ op: 'spi', device: this.name, settings: this.settings, segments: [...segments] });
    if (reply.ok) return reply.value;
    throw new SpiFailure(reply.code as SpiFailureCode, reply.message, reply.errno ? { errno: reply.errno } : {});
  }

  close(): void {
    // The device owns the device.
  }
}
