/**
 * The device's buses: every shared I2C bus and SPI device is opened once, on the device's main
 * thread, and every app's transaction runs there as one call of the backend (`Bus.transfer` with
 * all its segments; SPI's settings applied and the transfer run back to back). The main thread
 * runs one message at a time, so two apps' transactions can follow each other but never
 * interleave inside one another, whatever the apps' workers do at the same moment.
 *
 * A transaction is checked against what the app was granted before the bus is touched (the app's
 * own provider checks it too; this is the device's own line).
 */
import type { Bus } from '../../i2c/bus.js';
import { I2cFailure } from '../../i2c/bus.js';
import { openBus } from '../../i2c/open-bus.js';
import type { I2cBusConfig } from '../../i2c/config.js';
import { openSpiBackend } from '../../spi/open-device.js';
import { SpiFailure, type SpiBackend, type SpiSettings } from '../../spi/device.js';
import type { SpiDeviceConfig } from '../../spi/config.js';
import type { AppConfig } from './config.js';
import type { BusReply, BusRequest, I2cGrant, SpiGrant } from './protocol.js';

interface OwnedBus {
  bus: Bus;
  owned: boolean;
  config: I2cBusConfig;
}

interface OwnedSpi {
  backend: SpiBackend;
  owned: boolean;
  config: SpiDeviceConfig;
  applied?: SpiSettings;
}

function failed(e: unknown): BusReply {
  const err = e as { code?: unknown; message?: unknown; errno?: unknown } | null;
  const coded = e instanceof I2cFailure || e instanceof SpiFailure;
  return {
    ok: false,
    code: coded ? String(err!.code) : 'other',
    message: typeof err?.message === 'string' ? err.message : String(e),
    ...(coded && typeof err!.errno === 'string' ? { errno: err!.errno } : {}),
  };
}

export class BusOwner {
  private readonly buses = new Map<string, OwnedBus>();
  private readonly spi = new Map<string, OwnedSpi>();
  /** Transactions run, per app name. */
  readonly transactions = new Map<string, number>();

  constructor(buses: Record<string, I2cBusConfig>, spi: Record<string, SpiDeviceConfig>) {
    for (const [name, config] of Object.entries(buses)) this.buses.set(name, { ...openBus(config), config });
    for (const [name, config] of Object.entries(spi)) this.spi.set(name, { ...openSpiBackend(config), config });
  }

  /** What an app's worker needs to know of the buses it was granted. */
  grantsFor(app: AppConfig): { i2c: Record<string, I2cGrant>; spi: Record<string, SpiGrant> } {
    const i2c: Record<string, I2cGrant> = {};
    for (const [name, grant] of Object.entries(app.i2c)) {
      const b = this.buses.get(name)!;
      const addresses = grant.addresses ?? b.config.addresses;
      i2c[name] = { capabilities: { ...b.bus.capabilities }, tenBit: b.config.tenBit, limits: { ...b.config.limits }, ...(addresses ? { addresses: [...addresses] } : {}) };
    }
    const spi: Record<string, SpiGrant> = {};
    for (const name of app.spi) {
      const d = this.spi.get(name)!;
      spi[name] = { limits: { ...d.config.limits }, settings: { ...d.config.settings } };
    }
    return { i2c, spi };
  }

  /** Runs one whole transaction for `app`. Never throws: a failure is the reply. */
  serve(app: AppConfig, request: BusRequest): BusReply {
    this.transactions.set(app.name, (this.transactions.get(app.name) ?? 0) + 1);
    try {
      if (request.op === 'i2c') {
        const b = this.buses.get(request.bus);
        const grant = app.i2c[request.bus];
        if (!b || !grant) return { ok: false, code: 'other', message: `${app.name} was not granted the bus ${request.bus}` };
        const allowed = grant.addresses ?? b.config.addresses;
        if (allowed && !allowed.includes(request.address)) return { ok: false, code: 'other', message: `${app.name} may not use address ${request.address} on ${request.bus}` };
        return { ok: true, value: b.bus.transfer(request.address, request.segments, { tenBit: request.tenBit }) };
      }
      const d = this.spi.get(request.device);
      if (!d || !app.spi.includes(request.device)) return { ok: false, code: 'other', message: `${app.name} was not granted the SPI device ${request.device}` };
      const s = request.settings;
      const a = d.applied;
      if (!a || a.frequency !== s.frequency || a.mode !== s.mode || a.lsbFirst !== s.lsbFirst) {
        d.applied = undefined; // unknown if configure fails half-way
        d.backend.configure(s);
        d.applied = { ...s };
      }
      return { ok: true, value: d.backend.transfer(request.segments) };
    } catch (e) {
      return failed(e);
    }
  }

  close(): void {
    for (const b of this.buses.values()) if (b.owned) b.bus.close();
    for (const d of this.spi.values()) if (d.owned) d.backend.close();
    this.buses.clear();
    this.spi.clear();
  }
}
