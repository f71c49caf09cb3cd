/**
 * Node's app launcher for the device runtime (src/host/device/launcher.ts): one worker thread per
 * app instance, running device-app-worker.ts. Bus calls come in on their own port; the reply is
 * posted back and the worker's flag raised, which ends its Atomics.wait. Events sent before the
 * thread ended are all delivered before `exit` is reported.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { AppLauncher } from '../../host/device/launcher.js';
import type { AppEvent, BusRequest } from '../../host/device/protocol.js';
import { LimitsError } from '../../host/runner.js';
import { assertCloneable } from './worker-run.js';
import { compiledModuleUrl } from './worker-url.js';

export const launchAppWorker: AppLauncher = (input, callbacks) => {
  try {
    assertCloneable(input.config, `apps.${input.app}.config`);
  } catch (e) {
    // Its message speaks of the time limit's worker; an app's worker has the same rule for its own reason.
    const why = (e as Error).message.replace(/^.*? worker thread, and /, '');
    throw new LimitsError(`an app of a device runs in a worker thread of its own, and ${why}`);
  }
  const events = new MessageChannel();
  const calls = new MessageChannel();
  const flag = new SharedArrayBuffer(4);
  const raised = new Int32Array(flag);
  const worker = new Worker(compiledModuleUrl('platform/node/device-app-worker.js'), {
    workerData: { input, events: events.port2, calls: calls.port2, flag },
    transferList: [events.port2, calls.port2],
  });
  let ended = false;
  let gone: Promise<void> | undefined;
  events.port1.on('message', (e: AppEvent) => {
    if (!ended) callbacks.event(e);
  });
  calls.port1.on('message', ({ id, request }: { id: number; request: BusRequest }) => {
    const reply = callbacks.call(request);
    calls.port1.postMessage({ id, reply });
    Atomics.store(raised, 0, 1);
    Atomics.notify(raised, 0);
  });
  const end = (why: string) => {
    if (ended) return;
    for (let m = receiveMessageOnPort(events.port1); m; m = receiveMessageOnPort(events.port1)) callbacks.event(m.message as AppEvent);
    ended = true;
    events.port1.close();
    calls.port1.close();
    callbacks.exit(why);
  };
  worker.on('error', (e) => end(`the app's worker failed: ${e.message}`));
  worker.on('exit', (code) => end(`the app's worker ended (status ${code})`));
  return {
    send: (command) => {
      if (!ended) events.port1.postMessage(command);
    },
    terminate: () => (gone ??= worker.terminate().then(() => undefined)),
  };
};
