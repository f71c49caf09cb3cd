import { createWasiImports } from '../../src/platform/node/wasi.js';
import { nodePlatform } from '../../src/platform/node/index.js';
import type { HostServices } from '../../src/core/services.js';
import { parseSensorConfig } from '../../src/sensor/config.js';
import { createSensorProvider, type SensorProvider } from '../../src/sensor/provider.js';
import { VirtualSensorClock } from '../../src/sensor/clock.js';
import { WitError } from '../../src/core/wit-error.js';

export interface Harness {
  provider: SensorProvider;
  services: HostServices;
  wasi: Record<string, Record<string, unknown>>;
  Device: any;
  Pool: any;
  Memory: any;
  poll: (list: unknown[]) => Uint32Array;
  Pollable: any;
  clock: VirtualSensorClock;
}

/** A provider built from a raw sensor section (virtual clock unless said otherwise), called as jco would. */
export function harness(raw: Record<string, unknown> = {}): Harness {
  const config = parseSensorConfig({ clock: 'virtual', ...raw }, 'sensor', process.cwd());
  const services: HostServices = { counters: { pixelBytesLowered: 0, encodedBytesLowered: 0 } };
  const wasi = createWasiImports({ preopens: {}, env: {}, args: ['t'], network: false }, {});
  const provider = createSensorProvider(config, { services, wasi, platform: nodePlatform });
  const i = provider.imports;
  return {
    provider,
    services,
    wasi,
    Device: (i['wasi:sensor/sensor'] as any).Device,
    Pool: (i['wasi:buffer-pool/buffer-pool'] as any).Pool,
    Memory: (i['wasi:buffer-pool/buffer-pool'] as any).Memory,
    poll: (i['wasi:io/poll'] as any).poll,
    Pollable: (i['wasi:io/poll'] as any).Pollable,
    clock: provider.clock as VirtualSensorClock,
  };
}

/** The WIT error code a call throws (fails the test if it does not throw one). */
export function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof WitError) return e.payload as string;
    throw e;
  }
  throw new Error('expected a WIT error, the call succeeded');
}

export const ms = (n: number) => BigInt(n) * 1_000_000n;

export function tp(extra: Record<string, unknown> = {}) {
  return { kind: 'test-pattern', width: 8, height: 4, fps: [10, 1], ...extra };
}
