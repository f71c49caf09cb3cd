/**
 * wasi:buffer-pool for jco: the `pool` and `memory` resources over FramePool (pool.ts) and its
 * lending (lending.ts), and the frame service that lets another provider (wasi:vision) read a lent
 * buffer without a copy. One of the sensor provider*.ts files, the only ones that know WIT shapes.
 */
import type * as PoolSpec from '../generated/interfaces/wasi-buffer-pool-buffer-pool.js';
import type { HostFrameService, HostServices } from '../core/services.js';
import { WitError } from '../core/wit-error.js';
import type { SensorClock } from './clock.js';
import { matchesPattern, type SensorConfig } from './config.js';
import { fault } from './fault.js';
import { FramePool, type BufferingMode } from './pool.js';
import { throwSensorError } from './provider-failure.js';

type BufferError = PoolSpec.BufferError;

const MODES: Record<PoolSpec.BufferingMode, BufferingMode> = {
  'buffering-off': 'off',
  'buffering-discard': 'discard',
  'buffering-overwrite': 'overwrite',
  'buffering-unlimited': 'unlimited',
};

export interface BufferPoolPart {
  /** The `wasi:buffer-pool/buffer-pool` import entry. */
  readonly imports: typeof PoolSpec;
  /** Pools by name, for `device.start` (one host instance's namespace). */
  readonly pools: ReadonlyMap<string, FramePool>;
  readonly frames: HostFrameService;
  dispose(): void;
}

export interface BufferPoolEnvironment {
  config: SensorConfig;
  clock: SensorClock;
  counters: HostServices['counters'];
  /** `pool.subscribe` (provider-poll.ts). */
  subscribe(pool: FramePool): PoolSpec.Pollable;
}

export function createBufferPoolPart({ config, clock, counters, subscribe }: BufferPoolEnvironment): BufferPoolPart {
  const pools = new Map<string, FramePool>();
  const livePools = new Set<PoolResource>();
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
      if (!pool || !pool.lending.release(this.id)) {
        throw new WitError<BufferError>('invalid-operation', 'this memory was already invalidated');
      }
    }

    [Symbol.dispose](): void {
      this.pool?.lending.release(this.id);
      this.pool = undefined;
    }
  }

  class PoolResource {
    private pool!: FramePool;

    static create(mode: PoolSpec.BufferingMode, size: number, bufferNum: number, name: string): PoolResource {
      try {
        if (name.length === 0) fault('invalid-argument', 'a pool needs a name');
        if (pools.has(name)) fault('already-exists', `a pool named "${name}" already exists in this host instance`);
        if (pools.size >= config.maxPools) fault('resource-exhausted', `this host allows ${config.maxPools} pools at once`);
        const m = MODES[mode] ?? fault('invalid-argument', `unknown buffering mode ${String(mode)}`);
        if ((m === 'discard' || m === 'overwrite') && bufferNum === 0) {
          fault('invalid-argument', `${mode} needs buffer-num of at least 1`);
        }
        if (size > config.maxPoolBytes) fault('resource-exhausted', `size ${size} exceeds the host limit of ${config.maxPoolBytes} bytes`);
        if ((m === 'discard' || m === 'overwrite') && size * bufferNum > config.maxPoolBytes) {
          fault('resource-exhausted', `${bufferNum} buffers of ${size} bytes exceed the host limit of ${config.maxPoolBytes} bytes`);
        }
        const hostMemory = config.hostMemoryPools.some((p) => matchesPattern(name, p));
        const p = new PoolResource();
        p.pool = new FramePool({ name, mode: m, size, bufferNum, hostMemory, maxBytes: config.maxPoolBytes });
        pools.set(name, p.pool);
        livePools.add(p);
        return p;
      } catch (e) {
        throwSensorError(e);
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
        throwSensorError(e);
      }
      return frames.map((f) => {
        let data: PoolSpec.FrameData;
        if (f.handle !== undefined) {
          data = { tag: 'host-memory', val: MemoryResource.wrap(this.pool, f.handle, f.pixels.length) };
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
      return subscribe(this.pool);
    }

    getStatistics(): PoolSpec.PoolStatistics {
      return this.pool.statistics();
    }

    [Symbol.dispose](): void {
      const pool = this.pool;
      if (!pool || pool.disposed) return;
      for (const source of [...pool.sources]) source.halt();
      pool.dispose();
      if (pools.get(pool.name) === pool) pools.delete(pool.name);
      livePools.delete(this);
    }
  }

  const frames: HostFrameService = {
    resolve(memory: unknown) {
      if (typeof memory !== 'object' || memory === null) return undefined;
      const owner = memoryOwner.get(memory);
      if (!owner) return undefined;
      const lent = owner.pool.lending.lentBuffer(owner.id);
      if (!lent || lent.released) return undefined;
      return { dimension: { ...lent.layout }, bytes: lent.pixels };
    },
  };

  const imports = { Pool: PoolResource, Memory: MemoryResource } satisfies typeof PoolSpec;
  return {
    imports,
    pools,
    frames,
    dispose() {
      for (const p of [...livePools]) p[Symbol.dispose]();
      pools.clear();
    },
  };
}
