/**
 * A SensorDevice wrapper that records what the host asks of the device it wraps: every batch
 * `collect` returned, and how often each frame was rendered. The SensorDevice contract's pool
 * properties check the host's half of the contract with it (a frame is rendered at most once;
 * frames lost to an overrun or a driver's sequence gap are never rendered).
 */
import type { CapturedFrames, SensorDevice } from '../../src/sensor/devices/device.js';

export interface SpiedBatch {
  count: number;
  overrun: number;
  /** Frames of the batch past the overrun that the device said were lost (a driver's sequence gap). */
  lost: number[];
  deferrable: boolean;
  /** Renders of frame i of this batch. */
  renders: number[];
}

export interface Spy {
  readonly batches: SpiedBatch[];
  wrap(device: SensorDevice): SensorDevice;
}

export function sensorSpy(): Spy {
  const batches: SpiedBatch[] = [];
  return {
    batches,
    wrap(device) {
      // The host reads every member through the wrapper: forwarded, except collect.
      return new Proxy(device, {
        get(target, key) {
          if (key === 'collect') {
            return (now: bigint): CapturedFrames => {
              const f = target.collect(now);
              if (f.count === 0) return f;
              const lost = Array.from({ length: f.count }, (_, i) => i).filter((i) => f.lost?.(i));
              const b: SpiedBatch = { count: f.count, overrun: f.overrun ?? 0, lost, deferrable: f.deferrable, renders: new Array(f.count).fill(0) };
              batches.push(b);
              return Object.assign(Object.create(f) as CapturedFrames, {
                render: (i: number, into?: Uint8Array) => {
                  b.renders[i]!++;
                  return f.render(i, into);
                },
              });
            };
          }
          const v = Reflect.get(target, key, target);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
    },
  };
}
