/**
 * The V4L2 watcher's start handshake (src/sensor/devices/v4l2/watcher.ts, CTL.start): a watch stopped
 * before its worker started is cancelled, and the worker then loads nothing and leaves at once; a
 * worker that started claims its start before it loads koffi. (Without it, a short-lived stream under
 * emulation left a worker loading koffi while the process exited, and Node aborted.) The worker runs
 * from dist/, as the device starts it; no video device is needed: a stopped watch never polls.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { hostAbi } from '../../../src/sensor/devices/v4l2/abi.js';
import { CTL, CTL_WORDS, START } from '../../../src/sensor/devices/v4l2/watch-control.js';
import { ROOT } from '../../helpers/run-guest.js';

const WATCHER = join(ROOT, 'dist/sensor/devices/v4l2/watcher.js');

/** Runs the watcher with a stop already asked and the start word at `start`; resolves with ctl once the worker has exited. */
async function runWatcher(start: number, abi: string = hostAbi()): Promise<Int32Array> {
  const ctl = new Int32Array(new SharedArrayBuffer(CTL_WORDS * 4));
  ctl[CTL.stop] = 1;
  ctl[CTL.start] = start;
  const wake = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WATCHER, { workerData: { fd: -1, abi, wake: wake.buffer, ctl: ctl.buffer, buffers: 2, periodMs: 10 } });
  const code = await new Promise<number>((resolve, reject) => {
    worker.on('error', reject);
    worker.on('exit', resolve);
  });
  expect(code).toBe(0);
  return ctl;
}

describe.runIf(process.platform === 'linux' && existsSync(WATCHER))('V4L2 watcher start handshake', () => {
  it('a watch cancelled before its worker started: the worker says it exited and claims nothing', async () => {
    // Stop asked, start cancelled (what stop() does first). An ABI no watch could use: reaching the
    // watch at all would throw in the worker.
    const ctl = await runWatcher(START.cancelled, 'no-such-abi');
    expect(ctl[CTL.start]).toBe(START.cancelled);
    expect(ctl[CTL.exited]).toBe(1);
  });

  it('a worker that starts claims its start; stopped already, it leaves without polling', async () => {
    const ctl = await runWatcher(START.pending); // stop asked after the worker could claim
    expect(ctl[CTL.start]).toBe(START.started);
    expect(ctl[CTL.exited]).toBe(1);
  });
});
