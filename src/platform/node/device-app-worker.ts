/**
 * The thread of one app instance of a device (device-worker.ts starts it): the app's host and its
 * guest live here (src/host/device/app-runtime.ts), so that the device can terminate this thread to
 * stop a guest that hangs in wasm code, and ending it ends everything its host held.
 */
import { setPriority } from 'node:os';
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { runDeviceApp } from '../../host/device/app-runtime.js';
import type { AppEvent, AppWorkerInput, BusReply, BusRequest, DeviceCommand } from '../../host/device/protocol.js';
import { nodePlatform } from './index.js';

const { input, events, calls, flag } = workerData as { input: AppWorkerInput; events: MessagePort; calls: MessagePort; flag: SharedArrayBuffer };
const raised = new Int32Array(flag);
const post = (e: AppEvent) => events.postMessage(e);
/** The device answers at once unless it is being stopped; past this the call fails instead of hanging. */
const CALL_TIMEOUT_MS = 30_000;
let nextId = 1;

function call(request: BusRequest): BusReply {
  const id = nextId++;
  Atomics.store(raised, 0, 0);
  calls.postMessage({ id, request });
  const deadline = performance.now() + CALL_TIMEOUT_MS;
  for (;;) {
    for (let m = receiveMessageOnPort(calls); m; m = receiveMessageOnPort(calls)) {
      const reply = m.message as { id: number; reply: BusReply };
      if (reply.id === id) return reply.reply;
    }
    const left = deadline - performance.now();
    if (left <= 0) return { ok: false, code: 'other', message: `the device did not run the transaction within ${CALL_TIMEOUT_MS / 1000} s` };
    Atomics.wait(raised, 0, 0, left);
    Atomics.store(raised, 0, 0);
  }
}

/**
 * Loading a component (importing the host's modules, compiling, instantiating) takes a core for a
 * second or more, and the device may be small: while this instance only prepares (a standby, a
 * replacement), it runs at a lower priority so that the running apps keep their frame rate. On
 * Linux a thread's nice value is its own (setpriority on 0 changes the calling thread only). It
 * goes back to normal at `go`; where lowering it back is not allowed, the instance stays nice.
 */
const PREPARING_NICE = 10;
function nice(value: number): void {
  try {
    setPriority(0, value);
  } catch {
    // Not permitted here: the instance runs at whatever it has.
  }
}
if (process.platform === 'linux') nice(PREPARING_NICE);

const go = new Promise<void>((resolve) =>
  events.on('message', (c: DeviceCommand) => {
    if (c.type !== 'go') return;
    if (process.platform === 'linux') nice(0);
    resolve();
  }),
);

try {
  await runDeviceApp(nodePlatform, input, { post, call, go });
} catch (e) {
  const err = e as Error | undefined;
  post({ type: 'failed', name: err?.name ?? 'Error', message: err?.message ?? String(e) });
}
