/**
 * What the device (its main thread) and an app's worker say to each other. Two channels:
 *
 * - events, worker → device, asynchronous: the instance's progress, its output, its result;
 *   device → worker: `go` (start the guest once its component is loaded).
 * - calls, worker → device, synchronous: a transaction on a bus the device owns. The worker posts
 *   the request and blocks in Atomics.wait (the guest is inside a synchronous import) until the
 *   device has run the whole transaction and raised the flag; the reply then waits on the port.
 */
import type { EdgeConfig } from '../config.js';
import type { RunResult } from '../run-result.js';
import type { Segment } from '../../i2c/bus.js';
import type { BusCapabilities } from '../../i2c/bus.js';
import type { I2cLimits } from '../../i2c/config.js';
import type { SpiSegment, SpiSettings } from '../../spi/device.js';
import type { SpiLimits } from '../../spi/config.js';
import type { SharedCameraGrant } from './camera-pump.js';

/** A shared I2C bus as an app's worker sees it. */
export interface I2cGrant {
  capabilities: BusCapabilities;
  tenBit: boolean;
  limits: I2cLimits;
  addresses?: number[];
}

/** A shared SPI device as an app's worker sees it. */
export interface SpiGrant {
  limits: SpiLimits;
  settings: SpiSettings;
}

/** What an app's worker is started with (all of it crosses threads by structured clone). */
export interface AppWorkerInput {
  app: string;
  /** Which start of the app this is (1, 2, …): events carry no id, the channel is the instance's own. */
  instance: number;
  component: string;
  config: EdgeConfig;
  cameras: Record<string, SharedCameraGrant>;
  /** This instance's hold cells in each shared camera's ring (frame-holds.ts); absent: it copies every frame. */
  holds: Record<string, SharedArrayBuffer>;
  i2c: Record<string, I2cGrant>;
  spi: Record<string, SpiGrant>;
  /** Int32 cells this instance counts in (shared-camera.ts COUNTER). */
  counters: SharedArrayBuffer;
  cacheDir?: string;
}

export type BusRequest =
  | { op: 'i2c'; bus: string; address: number; segments: Segment[]; tenBit: boolean }
  | { op: 'spi'; device: string; settings: SpiSettings; segments: SpiSegment[] };

export type BusReply = { ok: true; value: Uint8Array[] } | { ok: false; code: string; message: string; errno?: string };

export type AppEvent =
  /** The component is loaded (transpiled, compiled): the instance waits for `go`. */
  | { type: 'ready' }
  /** The host exists and the guest is about to be instantiated. */
  | { type: 'started' }
  /** The guest opened a shared camera: wake this cell for each frame. */
  | { type: 'attach'; camera: string; wake: SharedArrayBuffer }
  | { type: 'first-frame' }
  | { type: 'stdout'; chunk: Uint8Array }
  | { type: 'stderr'; chunk: Uint8Array }
  | { type: 'done'; result: RunResult }
  /** The instance could not start or the host failed (not the guest's own outcome). */
  | { type: 'failed'; name: string; message: string };

export type DeviceCommand = { type: 'go' };
