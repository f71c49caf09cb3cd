/**
 * One instance of a device's app, inside its own worker (the platform starts the worker; this is
 * what runs in it). It adds the device's shared hardware to the app's own configuration — each
 * granted camera as a device that reads the device's frame ring, each granted bus as a bus whose
 * transactions run on the device's main thread — loads the component, says it is ready, and runs
 * the guest when the device says go. Everything else is the one runner's (caps, traps, results).
 */
import { adoptParsedCopy } from '../config.js';
import type { PlatformPort } from '../platform-port.js';
import { runHere } from '../runner.js';
import type { AppEvent, AppWorkerInput } from './protocol.js';
import { RemoteI2cBus, RemoteSpiDevice, type BusCall } from './remote-bus.js';
import { FrameHolds } from '../../sensor/devices/frame-holds.js';
import { SharedCameraDevice } from './shared-camera.js';

/** The worker's end of its two channels (protocol.ts). */
export interface AppWorkerLink {
  post(event: AppEvent): void;
  call: BusCall;
  /** Resolves when the device sends `go`. */
  go: Promise<void>;
}

export async function runDeviceApp(platform: PlatformPort, input: AppWorkerInput, link: AppWorkerLink): Promise<void> {
  const config = adoptParsedCopy(input.config);
  const counters = new Int32Array(input.counters);
  const seen = { first: false };
  for (const [name, grant] of Object.entries(input.cameras)) {
    const row = input.holds[name];
    const hooks = {
      counters,
      ...(row ? { holds: new FrameHolds(row) } : {}),
      attach: (wake: Int32Array) => link.post({ type: 'attach', camera: name, wake: wake.buffer as SharedArrayBuffer }),
      firstFrame: () => link.post({ type: 'first-frame' }),
    };
    config.sensor.devices[name] = { kind: 'custom', granted: true, open: (env) => new SharedCameraDevice(grant, env, hooks, seen) };
  }
  for (const [name, g] of Object.entries(input.i2c)) {
    config.i2c.buses[name] = { kind: 'custom', bus: new RemoteI2cBus(name, g.capabilities, link.call), tenBit: g.tenBit, limits: g.limits, ...(g.addresses ? { addresses: g.addresses } : {}) };
  }
  for (const [name, g] of Object.entries(input.spi)) {
    config.spi.devices[name] = { kind: 'custom', device: new RemoteSpiDevice(name, g.settings, link.call), limits: g.limits, settings: g.settings };
  }
  const cache = input.cacheDir ? { cacheDir: input.cacheDir } : {};
  // Loaded, its host made and the guest instantiated before `ready`: a prepared instance (a
  // restart's standby, a replacement) only has to call the entry point when the device says go.
  const result = await runHere(platform, input.component, config, {
    ...cache,
    beforeEntry: async () => {
      link.post({ type: 'ready' });
      await link.go;
      link.post({ type: 'started' });
    },
    // Copied: the shim may reuse the buffer it hands out.
    stdio: { stdout: (b) => link.post({ type: 'stdout', chunk: b.slice() }), stderr: (b) => link.post({ type: 'stderr', chunk: b.slice() }) },
  });
  link.post({ type: 'done', result });
}
