/**
 * A sensor device as the SensorDevice contract (sensor-device.contract.ts) drives it: opened on an
 * environment of its own (wake cell + host clock), with a way to let frames be captured — clocked
 * devices run on a virtual clock the suite moves, live ones on the real clock the suite waits on.
 */
import assert from 'node:assert/strict';
import { RealSensorClock, VirtualSensorClock, type SensorClock } from '../../src/sensor/clock.js';
import type { DeviceEnvironment, SensorDevice } from '../../src/sensor/devices/device.js';
import type { Layout } from '../../src/sensor/pixels.js';
import type { Subject } from './contract.js';

/** What a kind of device is, for the suite. */
export interface SensorDeviceKind {
  readonly label: string;
  /** Opens a fresh device on `env` (called again for a second device of the kind, and by the host in the pool properties). */
  open(env: DeviceEnvironment): SensorDevice;
  /** `virtual` for a clocked device (the suite moves time), `real` for a live one (the suite waits for frames). */
  readonly clock: 'virtual' | 'real';
  /** Its frame number read from a frame's pixels, modulo `frameNumberModulo`; undefined when the layout does not carry it. */
  frameNumber?(pixels: Uint8Array, layout: Layout): number | undefined;
  readonly frameNumberModulo?: number;
  /** Frames its ring holds before a slow reader loses the oldest; unset: it loses none (it computes frames on demand). */
  readonly ringFrames?: number;
  /**
   * A V4L2-style driver queue instead of a ring: the driver fills its buffers with the frames
   * captured first, drops the frames that find none free (its sequence numbers count them), and a
   * slow reader learns of them as `overrun` at the head of the batch after the gap. The value is
   * the number of driver buffers. Its wake-ups come per filled buffer, so a slow reader's wait
   * is timed, not counted.
   */
  readonly driverQueue?: number;
  /** Pulls the hardware out (the device, as `open` returned it); unset: this device cannot go away. */
  unplug?(device: SensorDevice): void;
  /** Plugs it back; unset: it is back as soon as it failed (a camera process that is simply started again). */
  replug?(device: SensorDevice): void;
  /** Why this kind cannot run here (a missing tool). */
  readonly unavailable?: string;
}

export interface DeviceUnderTest {
  readonly kind: SensorDeviceKind;
  readonly device: SensorDevice;
  readonly env: DeviceEnvironment;
  readonly clock: SensorClock;
  /** Lets at least `frames` frames be captured after this call, and returns the host time to collect at. */
  await(frames: number): bigint;
  /** Moves (virtual) or waits out (real) `ms` of host time. */
  pass(ms: number): void;
  /** A second device of the same kind on the same environment. */
  another(): SensorDevice;
  /** Closes every device opened here. */
  close(): void;
}

/** How long a live device may take to deliver the frames the suite waits for. */
const LIVE_WAIT_MS = 15_000;

const pause = new Int32Array(new SharedArrayBuffer(4));

export function sensorDeviceSubject(kind: SensorDeviceKind): Subject<DeviceUnderTest> {
  return {
    label: kind.label,
    unavailable: kind.unavailable,
    make(): DeviceUnderTest {
      const clock = kind.clock === 'virtual' ? new VirtualSensorClock() : new RealSensorClock();
      const env: DeviceEnvironment = { wake: new Int32Array(new SharedArrayBuffer(4)), clock };
      const opened: SensorDevice[] = [];
      const open = () => {
        const d = kind.open(env);
        opened.push(d);
        return d;
      };
      const device = open();
      return {
        kind,
        device,
        env,
        clock,
        another: open,
        close: () => opened.splice(0).forEach((d) => d.close()),
        pass(ms) {
          if (clock instanceof VirtualSensorClock) clock.advance(BigInt(Math.round(ms * 1e6)));
          else Atomics.wait(pause, 0, 0, ms);
        },
        await(frames) {
          if (clock instanceof VirtualSensorClock) {
            // Frame k is due at start + ceil(k·period): frames+1 periods hold at least `frames` of them.
            const { numerator, denominator } = device.getRate();
            clock.advance((BigInt(frames + 1) * 1_000_000_000n * BigInt(denominator) + BigInt(numerator) - 1n) / BigInt(numerator));
            return clock.now();
          }
          // A live device bumps the wake cell once per frame (and once when it ends).
          const until = performance.now() + LIVE_WAIT_MS;
          const target = Atomics.load(env.wake, 0) + frames;
          for (let seen = Atomics.load(env.wake, 0); seen < target; seen = Atomics.load(env.wake, 0)) {
            const left = until - performance.now();
            assert.ok(left > 0, `${kind.label}: fewer than ${frames} frames within ${LIVE_WAIT_MS} ms`);
            Atomics.wait(env.wake, 0, seen, left);
          }
          return clock.now();
        },
      };
    },
    release: (t) => t.close(),
  };
}

/**
 * A frame number stamped in the first four pixels of row 0 as gray levels, byte x of n in pixel x
 * (the test pattern's stamp, docs/spec-notes/sensor.md § Test pattern); formats that keep a gray
 * level exact only (a gray pixel is R = G = B, and full-range luma of it is itself).
 */
export function stampedFrameNumber(pixels: Uint8Array, layout: Layout): number | undefined {
  const offset = { gray: [1, 0], rgb24: [3, 0], bgr24: [3, 0], argb32: [4, 1], abgr32: [4, 1] }[layout.pixelFormat as string];
  if (!offset || pixels.length === 0) return undefined;
  const [bpp, at] = offset as [number, number];
  let n = 0;
  for (let x = 0; x < Math.min(4, layout.width); x++) n += pixels[x * bpp + at]! * 2 ** (8 * x);
  return n;
}

/** A frame number that is every pixel's gray level (mod 256): ffmpeg's `geq=lum=mod(N,256)`, the custom device. */
export function grayFrameNumber(pixels: Uint8Array, layout: Layout): number | undefined {
  if ((layout.pixelFormat !== 'gray' && layout.pixelFormat !== 'rgb24') || pixels.length === 0) return undefined;
  return pixels[0];
}
