/**
 * wasi:sensor + wasi:buffer-pool for jco-transpiled components: the only file of this interface
 * that knows WIT shapes (resource classes, `{tag, val}` variants, thrown WitError payloads).
 * Everything else (devices, pools, clocks, waiting) is plain TypeScript.
 *
 * It also replaces `wasi:io/poll`: `pool.subscribe` returns a pollable that must work in the
 * shim's `poll` next to the shim's own pollables. Our pollables are instances of a subclass of
 * the shim's Pollable class (jco checks `instanceof` against the class in imports['wasi:io/poll'],
 * which stays the shim's), and our `poll` splits a list into ours and the shim's (waiter.ts).
 */
import type * as SensorSpec from '../generated/interfaces/wasi-sensor-sensor.js';
import type * as PropertySpec from '../generated/interfaces/wasi-sensor-property.js';
import type * as PoolSpec from '../generated/interfaces/wasi-buffer-pool-buffer-pool.js';
import type { Dimension as WitDimension } from '../generated/interfaces/wasi-buffer-pool-data-types.js';
import type { ProviderContext, ProviderInstance } from '../core/provider.js';
import { WitError } from '../core/wit-error.js';
import type { FrameLayout, HostFrameService } from '../core/services.js';
import type { TypeEqual } from '../core/type-equal.js';
import { createClock, type SensorClock } from './clock.js';
import { matchesPattern, type DeviceConfig, type SensorConfig } from './config.js';
import type { SensorDevice } from './devices/device.js';
import { createDevice } from './devices/create.js';
import type { SensorPlatform } from './camera-port.js';
import { SensorFault, type FaultCode } from './fault.js';
import { frameBytes } from './pixels.js';
import { FramePool, type BufferingMode, type PoolSource } from './pool.js';
import { DeadlockError, waitReady, type ShimWaiting } from './waiter.js';

type DeviceError = SensorSpec.DeviceError;
// The frame layout the services speak must still be wit/'s `dimension`.
const _witDimension: TypeEqual<FrameLayout, WitDimension> = true;
void _witDimension;
type BufferError = PoolSpec.BufferError;

// Optional: the io-worker extension API exists only in preview2-shim's Node build.
type IoWorker = typeof import('@bytecodealliance/preview2-shim/io-worker');
const ioWorker: IoWorker | undefined = await import('@bytecodealliance/preview2-shim/io-worker').catch(() => undefined);

/**
 * Runs in the shim's io worker: a future resolved when our wake cell (a SharedArrayBuffer,
 * shared, not copied, by structured clone) stops holding `seen`. A data: URL, so it needs no
 * file next to the compiled code.
 */
const WAKE_EXTENSION = new URL(
  'data:text/javascript,' +
    encodeURIComponent(
      `export default function create(ctx) {
  return (op, [sab, seen]) => {
    if (op !== 'wait') throw new Error('wasi-edge sensor extension: unknown operation ' + op);
    const r = Atomics.waitAsync(new Int32Array(sab), 0, seen);
    return ctx.createFuture(r.async ? r.value.then(() => undefined) : Promise.resolve());
  };
}`,
    ),
);

const MODES: Record<PoolSpec.BufferingMode, BufferingMode> = {
  'buffering-off': 'off',
  'buffering-discard': 'discard',
  'buffering-overwrite': 'overwrite',
  'buffering-unlimited': 'unlimited',
};

/** Our pollables get reps far above the shim's small worker ids (jco keys its capture table by rep). */
const REP = Symbol.for('cabiRep');
let nextPollableRep = 0x2000_0000;

interface ShimPollable {
  ready(): boolean;
  block(): void;
  [Symbol.dispose]?(): void;
}
interface ShimPollInterface {
  Pollable: new () => ShimPollable;
  poll(list: ShimPollable[]): Uint32Array;
}
interface ShimMonotonicClock {
  subscribeDuration(ns: bigint): ShimPollable;
}

function deviceError(e: unknown): never {
  if (e instanceof SensorFault) throw new WitError<DeviceError>(e.code, e.message);
  throw e;
}
function bufferError(e: unknown): never {
  if (e instanceof SensorFault) throw new WitError<BufferError>(e.code, e.message);
  throw e;
}
function fail(code: FaultCode, message: string): never {
  throw new SensorFault(code, message);
}

export interface SensorProvider extends ProviderInstance {
  readonly clock: SensorClock;
  readonly frames: HostFrameService;
  /** Pool names currently registered (diagnostics and tests). */
  poolNames(): string[];
}

export function createSensorProvider(config: SensorConfig, ctx: ProviderContext<SensorPlatform>): SensorProvider {
  const clock = createClock(config.clock);
  const wake = new Int32Array(new SharedArrayBuffer(4));
  const pools = new Map<string, FramePool>();
  const openDevices = new Map<string, DeviceResource>();
  const livePools = new Set<PoolResource>();
  const counters = ctx.services.counters;
  let disposed = false;

  const shimPoll = ctx.wasi['wasi:io/poll'] as unknown as ShimPollInterface | undefined;
  const shimClock = ctx.wasi['wasi:clocks/monotonic-clock'] as unknown as ShimMonotonicClock | undefined;
  const PollableBase: new () => ShimPollable =
    shimPoll?.Pollable ??
    class {
      ready(): boolean {
        return true;
      }
      block(): void {}
    };

  const shimWaiting: ShimWaiting<ShimPollable> | undefined =
    shimPoll && shimClock
      ? {
          poll: (list) => shimPoll.poll(list),
          ready: (p) => p.ready(),
          timer: (ns) => shimClock.subscribeDuration(ns),
          drop: (p) => p[Symbol.dispose]?.(),
          wakeWatch: ioWorker
            ? (seen) => {
                const future = ioWorker.callExtension(WAKE_EXTENSION, 'wait', [wake.buffer, seen]) as number;
                const pollable = ioWorker.futureSubscribe(future, wake) as unknown as ShimPollable;
                return {
                  pollable,
                  release() {
                    // Ends the worker's waitAsync if the wake cell did not change, then frees the future.
                    Atomics.notify(wake, 0);
                    ioWorker.futureDispose(future);
                  },
                };
              }
            : undefined,
        }
      : undefined;

  // ---------------------------------------------------------------- wasi:io/poll

  class SensorPollable extends PollableBase {
    pool: FramePool | undefined;

    constructor() {
      super();
      (this as unknown as Record<symbol, number>)[REP] = nextPollableRep++;
    }

    override ready(): boolean {
      return this.pool !== undefined && this.pool.ready(clock.now());
    }

    override block(): void {
      if (!this.pool || this.pool.disposed) throw new DeadlockError();
      waitReady(clock, wake, [{ index: 0, pool: this.pool }], [], shimWaiting);
    }

    override [Symbol.dispose](): void {
      this.pool = undefined;
    }
  }

  function poll(list: ShimPollable[]): Uint32Array {
    const ours: { index: number; pool: FramePool }[] = [];
    const shims: { index: number; pollable: ShimPollable }[] = [];
    list.forEach((p, index) => {
      if (p instanceof SensorPollable) {
        if (p.pool && !p.pool.disposed) ours.push({ index, pool: p.pool });
      } else shims.push({ index, pollable: p });
    });
    if (ours.length === 0 && shimPoll) return shimPoll.poll(list);
    return Uint32Array.from(waitReady(clock, wake, ours, shims, shimWaiting));
  }

  // ---------------------------------------------------------------- wasi:buffer-pool

  const memoryOwner = new WeakMap<object, { pool: FramePool; id: number }>();

  class MemoryResource {
    private pool: FramePool | undefined;
    private id = 0;
    private bytes = 0;

    static wrap(pool: FramePool, id: number, bytes: number): MemoryResource {
      const m = new MemoryResource();
      m.pool = pool;
      m.id = id;
      m.bytes = bytes;
      memoryOwner.set(m, { pool, id });
      return m;
    }

    /** The opaque handle of the host-side buffer (never 0, never reused within a process). */
    address(): bigint {
      return BigInt(this.id);
    }

    size(): PoolSpec.Size {
      return this.bytes;
    }

    invalidate(): void {
      const pool = this.pool;
      if (!pool || !pool.release(this.id)) {
        throw new WitError<BufferError>('invalid-operation', 'this memory was already invalidated');
      }
    }

    [Symbol.dispose](): void {
      this.pool?.release(this.id);
      this.pool = undefined;
    }
  }

  class PoolResource {
    private pool!: FramePool;

    static create(mode: PoolSpec.BufferingMode, size: number, bufferNum: number, name: string): PoolResource {
      try {
        if (name.length === 0) fail('invalid-argument', 'a pool needs a name');
        if (pools.has(name)) fail('already-exists', `a pool named "${name}" already exists in this host instance`);
        if (pools.size >= config.maxPools) fail('resource-exhausted', `this host allows ${config.maxPools} pools at once`);
        const m = MODES[mode] ?? fail('invalid-argument', `unknown buffering mode ${String(mode)}`);
        if ((m === 'discard' || m === 'overwrite') && bufferNum === 0) {
          fail('invalid-argument', `${mode} needs buffer-num of at least 1`);
        }
        if (size > config.maxPoolBytes) fail('resource-exhausted', `size ${size} exceeds the host limit of ${config.maxPoolBytes} bytes`);
        if ((m === 'discard' || m === 'overwrite') && size * bufferNum > config.maxPoolBytes) {
          fail('resource-exhausted', `${bufferNum} buffers of ${size} bytes exceed the host limit of ${config.maxPoolBytes} bytes`);
        }
        const hostMemory = config.hostMemoryPools.some((p) => matchesPattern(name, p));
        const p = new PoolResource();
        p.pool = new FramePool({ name, mode: m, size, bufferNum, hostMemory, maxBytes: config.maxPoolBytes });
        pools.set(name, p.pool);
        livePools.add(p);
        return p;
      } catch (e) {
        bufferError(e);
      }
    }

    /** The pool behind this handle (tests, bench). */
    get inner(): FramePool {
      return this.pool;
    }

    readFrames(maxResults: number): PoolSpec.FrameInfo[] {
      let frames;
      try {
        frames = this.pool.read(maxResults, clock.now());
      } catch (e) {
        bufferError(e);
      }
      return frames.map((f) => {
        let data: PoolSpec.FrameData;
        if (f.handle !== undefined) {
          data = { tag: 'host-memory', val: MemoryResource.wrap(this.pool, f.handle, f.pixels.length) as unknown as PoolSpec.Memory };
        } else {
          counters.pixelBytesLowered += f.pixels.length;
          data = { tag: 'by-value', val: { tag: 'image', val: { dimension: { ...f.layout }, payload: f.pixels } } };
        }
        const all = [data];
        // An on-sensor-AI camera's tensors: by-value entries after the pixels (docs/spec-notes/sensor-ai.md).
        for (const e of f.extra ?? []) all.push({ tag: 'by-value', val: { tag: 'image', val: { dimension: { ...e.layout }, payload: e.payload } } });
        return { sequenceNumber: f.seq, timestamp: f.timestampNs, data: all };
      });
    }

    subscribe(): PoolSpec.Pollable {
      const p = new SensorPollable();
      p.pool = this.pool;
      return p as unknown as PoolSpec.Pollable;
    }

    getStatistics(): PoolSpec.PoolStatistics {
      return this.pool.statistics();
    }

    [Symbol.dispose](): void {
      const pool = this.pool;
      if (!pool || pool.disposed) return;
      for (const source of [...pool.sources]) (source as DeviceSource).owner.halt();
      pool.dispose();
      if (pools.get(pool.name) === pool) pools.delete(pool.name);
      livePools.delete(this);
    }
  }

  // ---------------------------------------------------------------- wasi:sensor

  interface DeviceSource extends PoolSource {
    owner: DeviceResource;
  }

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
        device = createDevice(name, entry, { wake, clock }, { cameras: ctx.platform.cameras, inference: ctx.services.inference });
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
        if (this.started) fail('busy', `device "${this.name}" is already started (pool "${this.started.pool.name}")`);
        const pool = pools.get(bufferPool) ?? fail('not-found', `no pool named "${bufferPool}"`);
        const layout = this.device.getLayout();
        const bytes = frameBytes(layout);
        const { size, mode, bufferNum } = pool.options;
        if (bytes !== undefined && size > 0 && bytes > size) {
          fail('out-of-range', `a ${layout.width}x${layout.height} ${layout.pixelFormat} frame is ${bytes} bytes; pool "${bufferPool}" holds ${size}`);
        }
        const slots = mode === 'off' ? 1 : mode === 'unlimited' ? 1 : bufferNum;
        if (bytes !== undefined && bytes * slots > config.maxPoolBytes) {
          fail('resource-exhausted', `${slots} frames of ${bytes} bytes exceed the host limit of ${config.maxPoolBytes} bytes`);
        }
        this.device.start(clock.now());
        const source: DeviceSource = {
          device: this.device,
          owner: this,
          onFailure: () => {
            // The device stopped itself; the pool reports hardware-error on its next read.
            this.started = undefined;
          },
        };
        pool.attach(source);
        this.started = { pool };
      } catch (e) {
        deviceError(e);
      }
    }

    stop(): void {
      if (!this.started) throw new WitError<DeviceError>('invalid-operation', `device "${this.name}" is not started`);
      this.halt();
    }

    /** Stops delivery (stop, drop, or the pool going away). */
    halt(): void {
      if (!this.started) return;
      // Frames captured before the stop belong in the pool.
      this.started.pool.pull(clock.now());
      this.started.pool.detach(this.device);
      this.started = undefined;
      this.device.stop();
    }

    setProperty(key: PropertySpec.PropertyKey, value: PropertySpec.PropertyValue): void {
      try {
        if (this.started) fail('busy', 'stop the device before changing its properties');
        switch (key) {
          case 'sampling-rate':
            if (value.tag !== 'fraction') fail('invalid-argument', 'sampling-rate takes a fraction');
            this.device.setRate(value.val);
            return;
          case 'dimension':
            if (value.tag !== 'dimension') fail('invalid-argument', 'dimension takes a dimension');
            this.device.setLayout(value.val);
            return;
          default:
            fail('not-supported', `property ${String(key)} is not supported`);
        }
      } catch (e) {
        deviceError(e);
      }
    }

    getProperty(property: PropertySpec.PropertyKey): PropertySpec.PropertyValue {
      switch (property) {
        case 'sampling-rate':
          return { tag: 'fraction', val: this.device.getRate() };
        case 'dimension':
          return { tag: 'dimension', val: this.device.getLayout() };
        default:
          throw new WitError<DeviceError>('not-supported', `property ${String(property)} is not supported`);
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

  // ---------------------------------------------------------------- services

  const frames: HostFrameService = {
    resolve(memory: unknown) {
      if (typeof memory !== 'object' || memory === null) return undefined;
      const owner = memoryOwner.get(memory);
      if (!owner) return undefined;
      const lent = owner.pool.lentBuffer(owner.id);
      if (!lent || lent.released) return undefined;
      return { dimension: { ...lent.layout }, bytes: lent.pixels };
    },
  };
  ctx.services.frames = frames;

  // Type checks against the jco-generated declarations.
  const sensorImports: { Device: typeof SensorSpec.Device } = { Device: DeviceResource as unknown as typeof SensorSpec.Device };
  const poolImports: { Pool: typeof PoolSpec.Pool; Memory: typeof PoolSpec.Memory } = {
    Pool: PoolResource as unknown as typeof PoolSpec.Pool,
    Memory: MemoryResource as unknown as typeof PoolSpec.Memory,
  };
  // Structural checks the casts above would hide.
  const _checkDevice: Pick<SensorSpec.Device, 'start' | 'stop' | 'setProperty' | 'getProperty'> = new DeviceResource();
  const _checkPool: Pick<PoolSpec.Pool, 'readFrames' | 'subscribe' | 'getStatistics'> = new PoolResource();
  const _checkMemory: Pick<PoolSpec.Memory, 'address' | 'size' | 'invalidate'> = new MemoryResource();
  const _checkStatics: Pick<typeof SensorSpec.Device, 'open' | 'listNames'> & Pick<typeof PoolSpec.Pool, 'create'> = {
    open: DeviceResource.open as unknown as typeof SensorSpec.Device.open,
    listNames: DeviceResource.listNames,
    create: PoolResource.create as unknown as typeof PoolSpec.Pool.create,
  };
  void _checkDevice, _checkPool, _checkMemory, _checkStatics;

  return {
    clock,
    frames,
    poolNames: () => [...pools.keys()],
    imports: {
      'wasi:sensor/sensor': sensorImports,
      'wasi:sensor/property': {},
      'wasi:buffer-pool/buffer-pool': poolImports,
      'wasi:buffer-pool/data-types': {},
      // Replaced so that a list mixing our pollables and the shim's can be polled (see top).
      'wasi:io/poll': { Pollable: PollableBase, poll },
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const d of [...openDevices.values()]) d[Symbol.dispose]();
      for (const p of [...livePools]) p[Symbol.dispose]();
      pools.clear();
      if (ctx.services.frames === frames) ctx.services.frames = undefined;
    },
  };
}
