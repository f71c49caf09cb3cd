/**
 * wasi:sensor for jco: the `device` resource over a SensorDevice (devices/), feeding a FramePool
 * while started. One of the sensor provider*.ts files, the only ones that know WIT shapes.
 */
import type * as PropertySpec from '../generated/interfaces/wasi-sensor-property.js';
import type * as SensorSpec from '../generated/interfaces/wasi-sensor-sensor.js';
import type { HostServices } from '../core/services.js';
import { WitError } from '../core/wit-error.js';
import type { SensorPlatform } from './camera-port.js';
import type { SensorClock } from './clock.js';
import type { DeviceConfig, SensorConfig } from './config.js';
import type { SensorDevice } from './devices/device.js';
import { createDevice } from './devices/create.js';
import { fault } from './fault.js';
import { frameBytes } from './pixels.js';
import type { FramePool, PoolSource } from './pool.js';
import { throwSensorError } from './provider-failure.js';

type DeviceError = SensorSpec.DeviceError;

export interface SensorDevicePart {
  /** The `wasi:sensor/sensor` import entry. */
  readonly imports: typeof SensorSpec;
  dispose(): void;
}

export interface SensorDeviceEnvironment {
  config: SensorConfig;
  clock: SensorClock;
  /** The provider's wake cell: asynchronous devices signal a frame on it. */
  wake: Int32Array;
  /** Pools by name (provider-pool.ts). */
  pools: ReadonlyMap<string, FramePool>;
  platform: SensorPlatform;
  services: HostServices;
}

export function createSensorDevicePart({ config, clock, wake, pools, platform, services }: SensorDeviceEnvironment): SensorDevicePart {
  const openDevices = new Map<string, DeviceResource>();

  class DeviceResource {
    private name = '';
    private device!: SensorDevice;
    private started: { pool: FramePool } | undefined;
    private closed = false;

    static open(name: string): DeviceResource {
      const entry: DeviceConfig | undefined = Object.hasOwn(config.devices, name) ? config.devices[name] : undefined;
      if (!entry) throw new WitError<DeviceError>('not-found', `no device named "${name}"`);
      if (!entry.granted) throw new WitError<DeviceError>('permission-denied', `device "${name}" is not granted to this guest`);
      if (openDevices.has(name)) throw new WitError<DeviceError>('busy', `device "${name}" is already open; drop the other handle first`);
      let device: SensorDevice;
      try {
        device = createDevice(name, entry, { wake, clock }, { cameras: platform.cameras, inference: services.inference });
      } catch (e) {
        throw new WitError<DeviceError>('hardware-error', `device "${name}" cannot be opened: ${(e as Error).message}`);
      }
      const d = new DeviceResource();
      d.name = name;
      d.device = device;
      openDevices.set(name, d);
      return d;
    }

    static listNames(): string[] {
      return Object.entries(config.devices)
        .filter(([, d]) => d.granted)
        .map(([n]) => n);
    }

    /** The backend (tests). */
    get backend(): SensorDevice {
      return this.device;
    }

    start(bufferPool: string): void {
      try {
        if (this.started) fault('busy', `device "${this.name}" is already started (pool "${this.started.pool.name}")`);
        const pool = pools.get(bufferPool) ?? fault('not-found', `no pool named "${bufferPool}"`);
        const layout = this.device.getLayout();
        const bytes = frameBytes(layout);
        const { size, mode, bufferNum } = pool.options;
        if (bytes !== undefined && size > 0 && bytes > size) {
          fault('out-of-range', `a ${layout.width}x${layout.height} ${layout.pixelFormat} frame is ${bytes} bytes; pool "${bufferPool}" holds ${size}`);
        }
        const slots = mode === 'off' ? 1 : mode === 'unlimited' ? 1 : bufferNum;
        if (bytes !== undefined && bytes * slots > config.maxPoolBytes) {
          fault('resource-exhausted', `${slots} frames of ${bytes} bytes exceed the host limit of ${config.maxPoolBytes} bytes`);
        }
        // The frames this pool may hold at once (an unlimited one: its buffer-num, at least 4), for
        // devices that lend their own buffers (V4L2) and need that many and some to capture into.
        this.device.start(clock.now(), { frames: mode === 'unlimited' ? Math.max(4, bufferNum) : slots });
        const source: PoolSource = {
          device: this.device,
          onFailure: (_failure, unexpected) => {
            // The pool reports hardware-error on its next read. A device that said so stopped
            // itself (devices/device.ts); one that threw something else is stopped here.
            this.started = undefined;
            if (unexpected) {
              try {
                this.device.stop();
              } catch {
                // Broken already; the guest gets its hardware-error from the pool.
              }
            }
          },
          halt: () => this.halt(),
        };
        pool.attach(source);
        this.started = { pool };
      } catch (e) {
        throwSensorError(e);
      }
    }

    stop(): void {
      if (!this.started) throw new WitError<DeviceError>('invalid-operation', `device "${this.name}" is not started`);
      try {
        this.halt();
      } catch (e) {
        throwSensorError(e);
      }
    }

    /** Stops delivery (stop, drop, or the pool going away). */
    halt(): void {
      const started = this.started;
      if (!started) return;
      // Frames captured before the stop belong in the pool. That last pull may find the device
      // failed (a camera unplugged just then), whose failure handler has already let go of
      // `this.started`: keep our own hold on it.
      started.pool.pull(clock.now());
      started.pool.detach(this.device);
      this.started = undefined;
      this.device.stop();
    }

    setProperty(key: PropertySpec.PropertyKey, value: PropertySpec.PropertyValue): void {
      try {
        if (this.started) fault('busy', 'stop the device before changing its properties');
        switch (key) {
          case 'sampling-rate':
            if (value.tag !== 'fraction') fault('invalid-argument', 'sampling-rate takes a fraction');
            this.device.setRate(value.val);
            return;
          case 'dimension':
            if (value.tag !== 'dimension') fault('invalid-argument', 'dimension takes a dimension');
            this.device.setLayout(value.val);
            return;
          default:
            fault('not-supported', `property ${String(key)} is not supported`);
        }
      } catch (e) {
        throwSensorError(e);
      }
    }

    getProperty(property: PropertySpec.PropertyKey): PropertySpec.PropertyValue {
      try {
        switch (property) {
          case 'sampling-rate':
            return { tag: 'fraction', val: this.device.getRate() };
          case 'dimension':
            return { tag: 'dimension', val: this.device.getLayout() };
          default:
            throw new WitError<DeviceError>('not-supported', `property ${String(property)} is not supported`);
        }
      } catch (e) {
        throwSensorError(e);
      }
    }

    [Symbol.dispose](): void {
      if (this.closed || !this.device) return;
      this.closed = true;
      this.halt();
      this.device.close();
      if (openDevices.get(this.name) === this) openDevices.delete(this.name);
    }
  }

  const imports = { Device: DeviceResource } satisfies typeof SensorSpec;
  return {
    imports,
    dispose() {
      for (const d of [...openDevices.values()]) d[Symbol.dispose]();
    },
  };
}
