/**
 * The V4L2 backend's watch (koffi-kernel.ts): a worker thread blocked in poll(2) on the capture fd,
 * so that a guest waiting on a pool (the main thread asleep in Atomics.wait, or the shim's poll)
 * wakes when the driver has filled a buffer — the pool's pollable and the fd compose through the
 * provider's wake cell, as the ffmpeg camera's ring does. It never dequeues (the device does, on
 * the main thread, non-blocking): it counts the buffers the driver marked done (QUERYBUF's DONE flag
 * with a sequence number it has not reported) and bumps the wake cell once per frame. While the
 * reader leaves done buffers undequeued, poll stays readable: it then waits for the reader's
 * acknowledgement for at most one frame period, so it never spins, and bumps the cell once more per
 * period while they wait (a reminder: more wake-ups than frames, never fewer). A poll error (the device went
 * away: POLLERR) bumps the cell once more and ends the worker; the reader's DQBUF then says ENODEV.
 * The device closes the fd only after this worker said it exited (CTL.exited, watch-control.ts).
 *
 * Starting is a handshake (CTL.start): the worker claims its start (pending → started) before it
 * loads koffi, and a device that stops a watch whose worker has not started yet cancels it (pending →
 * cancelled), so the worker then loads nothing. A worker thread still loading a native addon when the
 * process exits is torn down inside the addon's initialisation, and Node aborts (a fatal N-API error):
 * under emulation a worker can take seconds to start, longer than a short-lived stream lasts.
 */
import { createRequire } from 'node:module';
import { workerData } from 'node:worker_threads';
import { decodeBuffer, encodeBuffer, requests, V4L2, type V4l2Abi } from './abi.js';
import { CTL, START } from './watch-control.js';

interface Data {
  fd: number;
  abi: V4l2Abi;
  wake: SharedArrayBuffer;
  ctl: SharedArrayBuffer;
  buffers: number;
  periodMs: number;
}

interface Koffi {
  load(path: string): { func(decl: string): (...args: unknown[]) => number };
}

const { fd, abi, buffers, periodMs } = workerData as Data;
const wake = new Int32Array((workerData as Data).wake);
const ctl = new Int32Array((workerData as Data).ctl);
try {
  if (Atomics.compareExchange(ctl, CTL.start, START.pending, START.started) === START.pending) watch();
} finally {
  // Exited (or cancelled before it started, or failed): the device may close the fd now (its
  // number could be reused by the next open).
  Atomics.store(ctl, CTL.exited, 1);
  Atomics.notify(ctl, CTL.exited);
}

function watch(): void {
  const koffi = createRequire(import.meta.url)('koffi') as Koffi;
  const libc = koffi.load('libc.so.6');
  const poll = libc.func('int poll(void *fds, unsigned long nfds, int timeout)') as (fds: Uint8Array, n: number, timeout: number) => number;
  const ioctl = libc.func('int ioctl(int fd, unsigned long request, void *arg)') as (fd: number, request: number, arg: Uint8Array) => number;
  const QUERYBUF = requests(abi).QUERYBUF;

  const POLLIN = 0x1;
  const POLLERR = 0x8;
  const POLLHUP = 0x10;
  const POLLNVAL = 0x20;

  const bump = (n: number) => {
    Atomics.add(wake, 0, n);
    Atomics.notify(wake, 0);
  };

  // struct pollfd { int fd; short events; short revents; }
  const pfd = new Uint8Array(8);
  const pv = new DataView(pfd.buffer);
  pv.setInt32(0, fd, true);
  pv.setInt16(4, POLLIN, true);
  const reported = new Array<number>(buffers).fill(-1);
  let lastAck = -1;

  while (Atomics.load(ctl, CTL.stop) === 0) {
    pv.setInt16(6, 0, true);
    const r = poll(pfd, 1, 50);
    if (Atomics.load(ctl, CTL.stop) !== 0) break;
    const revents = pv.getInt16(6, true);
    if (r < 0 || revents & (POLLERR | POLLHUP | POLLNVAL)) {
      bump(1);
      break;
    }
    if (r === 0 || !(revents & POLLIN)) continue;
    const acked = Atomics.load(ctl, CTL.acks);
    let fresh = 0;
    let waiting = 0;
    for (let i = 0; i < buffers; i++) {
      const b = encodeBuffer(abi, i);
      if (ioctl(fd, QUERYBUF, b) < 0) continue;
      const info = decodeBuffer(abi, b);
      if (!(info.flags & V4L2.BUF_FLAG_DONE)) continue;
      waiting++;
      if (reported[i] !== info.sequence) {
        reported[i] = info.sequence;
        fresh++;
      }
    }
    // Frames reported before still wait undequeued a period later: remind (a waiter may have looked
    // at the cell just after the bump for them, and the driver, out of free buffers, sends no more).
    if (fresh > 0) bump(fresh);
    else if (waiting > 0 && Atomics.load(ctl, CTL.acks) === lastAck) bump(1);
    lastAck = acked;
    Atomics.wait(ctl, CTL.acks, acked, periodMs);
  }
}
