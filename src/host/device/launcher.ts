/**
 * What the device runtime needs of a platform to run an app: a thread of its own that can be
 * terminated from outside (a guest in a wasm loop cannot be stopped on its own thread), with the
 * two channels of protocol.ts. Node's is src/platform/node/device-worker.ts.
 */
import type { AppEvent, AppWorkerInput, BusReply, BusRequest, DeviceCommand } from './protocol.js';

export interface AppWorkerCallbacks {
  event(e: AppEvent): void;
  /** A bus transaction the worker waits for, synchronously answered. */
  call(request: BusRequest): BusReply;
  /** The thread ended (after every event it sent was delivered); `why` for a thread that failed. */
  exit(why: string): void;
}

export interface AppWorkerHandle {
  send(command: DeviceCommand): void;
  /** Ends the thread wherever its guest is; resolves when it is gone. Idempotent. */
  terminate(): Promise<void>;
}

export type AppLauncher = (input: AppWorkerInput, callbacks: AppWorkerCallbacks) => AppWorkerHandle;
