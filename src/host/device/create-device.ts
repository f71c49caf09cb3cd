/**
 * A device: several apps on one machine, each in a worker of its own with its own grants and
 * limits, sharing the hardware the device owns (docs/device.md). The main thread owns the shared
 * cameras (captured once into shared memory, camera-pump.ts) and buses (every transaction whole,
 * bus-owner.ts) and supervises the apps (app-supervisor.ts); no guest ever runs on it, so a guest
 * that loops, traps or floods the host with calls cannot stop the others.
 */
import type { OutputSink } from '../../core/guest-exit.js';
import type { PlatformPort } from '../platform-port.js';
import type { AppState } from './app-state.js';
import { AppSupervisor } from './app-supervisor.js';
import { BusOwner } from './bus-owner.js';
import { CameraPump } from './camera-pump.js';
import { isParsedDeviceConfig, parseDeviceConfig, type DeviceConfig } from './config.js';
import type { AppLauncher } from './launcher.js';

export interface DeviceOptions {
  /** Every change of an app's state (`wasi-edge serve` prints each as a JSON line). */
  onState?: (state: AppState) => void;
  /** An app's stdout and stderr; default: dropped. */
  stdout?: (app: string) => OutputSink;
  stderr?: (app: string) => OutputSink;
  /** Where transpiled components are cached (docs/transpiler.md). */
  cacheDir?: string;
}

/** A shared camera's counters (camera-pump.ts). */
export interface CameraState {
  camera: string;
  /** Frames captured into its ring. */
  written: number;
  /** Frames the camera captured that never reached the ring. */
  lostAtSource: number;
  /** Frames the apps keep in the ring now (host-memory frames lent to their guests). */
  held: number;
  /** Slots of the ring: `ringFrames` plus the apps' `frameHolds`. */
  slots: number;
}

export interface Device {
  readonly apps: readonly string[];
  /** Each shared camera's counters now. */
  cameras(): CameraState[];
  /** One app's state now (counters included); throws for an app the device does not have. */
  state(app: string): AppState;
  states(): AppState[];
  /** Swaps one app's component live; the other apps do not notice. Rejects if it cannot load. */
  replace(app: string, component: string): Promise<void>;
  /** Resolves when every app has stopped (exited 0, or stop()). */
  readonly finished: Promise<AppState[]>;
  /** Stops every app and releases every camera, bus, pool and worker. Idempotent. */
  stop(): Promise<void>;
}

const drop: OutputSink = () => undefined;

/**
 * Starts a device from a configuration (parsed with parseDeviceConfig, or raw: relative paths
 * then resolve against the platform's base directory) on `platform`, launching apps with `launch`.
 */
export function createDeviceOn(platform: PlatformPort, launch: AppLauncher, config: DeviceConfig | unknown, options: DeviceOptions = {}): Device {
  const parsed = isParsedDeviceConfig(config) ? config : parseDeviceConfig(config, platform.defaultBaseDir());
  const cameras = new Map<string, CameraPump>();
  let buses: BusOwner | undefined;
  try {
    for (const [name, c] of Object.entries(parsed.cameras)) {
      // Spare slots for the frames its apps may hold at once: the camera never waits for an app.
      const spare = parsed.apps.filter((a) => a.cameras.includes(name)).reduce((n, a) => n + a.frameHolds, 0);
      cameras.set(name, new CameraPump(name, c, { cameras: platform.cameras }, parsed.ringFrames, spare));
    }
    buses = new BusOwner(parsed.buses, parsed.spi);
    for (const pump of cameras.values()) pump.start();
  } catch (e) {
    for (const pump of cameras.values()) pump.close();
    buses?.close();
    throw e;
  }
  const owner = buses;
  const supervisors = new Map<string, AppSupervisor>();
  for (const app of parsed.apps) {
    supervisors.set(app.name, new AppSupervisor(app, {
      launch,
      cameras,
      buses: owner,
      restart: parsed.restart,
      ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
      onState: options.onState ?? (() => undefined),
      stdout: options.stdout ?? (() => drop),
      stderr: options.stderr ?? (() => drop),
    }));
  }
  const supervisor = (app: string): AppSupervisor => {
    const s = supervisors.get(app);
    if (!s) throw new Error(`the device has no app ${JSON.stringify(app)} (it has ${[...supervisors.keys()].join(', ')})`);
    return s;
  };
  const states = () => [...supervisors.values()].map((s) => s.state());
  let stopping: Promise<void> | undefined;
  let released = false;
  const release = () => {
    released = true;
    for (const pump of cameras.values()) pump.close();
    owner.close();
  };
  const finished = Promise.all([...supervisors.values()].map((s) => s.stopped)).then(() => {
    release();
    return states();
  });
  try {
    for (const s of supervisors.values()) s.start();
  } catch (e) {
    // An app that cannot even be launched (its configuration cannot cross to a worker): nothing stays open.
    release();
    void Promise.all([...supervisors.values()].map((s) => s.stop()));
    throw e;
  }
  return {
    apps: [...supervisors.keys()],
    cameras: () => [...cameras].map(([camera, p]) => ({ camera, written: p.written, lostAtSource: p.lostAtSource, held: p.held, slots: p.grant.ring.slots })),
    state: (app) => supervisor(app).state(),
    states,
    replace: (app, component) => {
      const s = supervisor(app);
      // Its cameras and buses are closed: a new instance would start without them.
      if (released || stopping) return Promise.reject(new Error(`${app}: the device has ${stopping ? 'been stopped' : 'finished (every app stopped)'}; its cameras and buses are released`));
      return s.replace(component);
    },
    finished,
    stop: () =>
      (stopping ??= Promise.all([...supervisors.values()].map((s) => s.stop())).then(() => {
        release();
      })),
  };
}
