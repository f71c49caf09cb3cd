/**
 * wasi:sensor + wasi:buffer-pool for jco-transpiled components, composed from three parts, one
 * file each: provider-sensor.ts (`device`), provider-pool.ts (`pool`, `memory`, the frame service)
 * and provider-poll.ts (the `wasi:io/poll` replacement that lets our pollables and the shim's be
 * polled together). The provider*.ts files are the only ones of this interface that know WIT
 * shapes (resource classes, `{tag, val}` variants, thrown WitError payloads); everything else
 * (devices, pools, lending, clocks, waiting) is plain TypeScript.
 */
import type * as DataTypesSpec from '../generated/interfaces/wasi-buffer-pool-data-types.js';
import type { Dimension as WitDimension } from '../generated/interfaces/wasi-buffer-pool-data-types.js';
import type * as PropertySpec from '../generated/interfaces/wasi-sensor-property.js';
import type { ProviderContext, ProviderInstance } from '../core/provider.js';
import type { FrameLayout, HostFrameService } from '../core/services.js';
import type { TypeEqual } from '../core/type-equal.js';
import type { SensorPlatform } from './camera-port.js';
import { createSensorClock, type SensorClock } from './clock.js';
import type { SensorConfig } from './config.js';
import { createPollReplacement } from './provider-poll.js';
import { createBufferPoolPart } from './provider-pool.js';
import { createSensorDevicePart } from './provider-sensor.js';

// The frame layout the services speak must still be wit/'s `dimension`.
const _witDimension: TypeEqual<FrameLayout, WitDimension> = true;
void _witDimension;

export interface SensorProvider extends ProviderInstance {
  readonly clock: SensorClock;
  readonly frames: HostFrameService;
  /** Pool names currently registered (diagnostics and tests). */
  poolNames(): string[];
}

export function createSensorProvider(config: SensorConfig, ctx: ProviderContext<SensorPlatform>): SensorProvider {
  const clock = createSensorClock(config.clock);
  // Asynchronous devices (child-process cameras) bump this cell when a frame arrives; waits sleep on it.
  const wake = new Int32Array(new SharedArrayBuffer(4));
  const poll = createPollReplacement(ctx.wasi, clock, wake, ctx.jspi === true);
  const pool = createBufferPoolPart({ config, clock, counters: ctx.services.counters, subscribe: poll.subscribe });
  const sensor = createSensorDevicePart({ config, clock, wake, pools: pool.pools, platform: ctx.platform, services: ctx.services });
  ctx.services.frames = pool.frames;
  let disposed = false;

  return {
    clock,
    frames: pool.frames,
    poolNames: () => [...pool.pools.keys()],
    imports: {
      'wasi:sensor/sensor': sensor.imports,
      'wasi:sensor/property': {} satisfies typeof PropertySpec,
      'wasi:buffer-pool/buffer-pool': pool.imports,
      'wasi:buffer-pool/data-types': {} satisfies typeof DataTypesSpec,
      // Replaced so that a list mixing our pollables and the shim's can be polled (provider-poll.ts).
      'wasi:io/poll': poll.imports,
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      // Devices first: stopping one pulls its last frames into a pool that must still be there.
      sensor.dispose();
      pool.dispose();
      if (ctx.services.frames === pool.frames) ctx.services.frames = undefined;
    },
  };
}
