/**
 * The real kernel seam (kernel.ts): the node is opened with `fs.openSync` (O_RDWR | O_NONBLOCK),
 * and `ioctl`, `mmap` and `munmap` are libc's, called synchronously through koffi (an optional
 * dependency, loaded on first use, as the I2C backend does). A mapped buffer is an ArrayBuffer over
 * the driver's memory (`koffi.view`): no copy, ever. The watch is a worker thread (watcher.ts)
 * blocked in poll(2) on the same fd.
 */
import { closeSync, constants, existsSync, openSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { requireOptional } from '../../../core/optional-package.js';
import { hostAbi } from './abi.js';
import { CTL, CTL_WORDS, START } from './watch-control.js';
import type { FrameWatch, MappedBuffer, V4l2Kernel, WatchOptions } from './kernel.js';
import { errnoName } from './errno.js';

interface KoffiLike {
  load(path: string): { func(decl: string): (...args: unknown[]) => unknown };
  view(ref: unknown, len: number): ArrayBuffer;
  address(ref: unknown): bigint;
  errno(): number;
}

interface Libc {
  k: KoffiLike;
  ioctl: (fd: number, request: number, arg: Uint8Array) => number;
  mmap: (addr: unknown, length: number, prot: number, flags: number, fd: number, offset: number) => unknown;
  munmap: (addr: unknown, length: number) => number;
}

let libc: Libc | undefined;

function load(): Libc {
  if (libc) return libc;
  const k = requireOptional<KoffiLike>({ name: 'koffi' }, 'the V4L2 camera backend (its ioctl and mmap calls)');
  const c = k.load('libc.so.6');
  libc = {
    k,
    ioctl: c.func('int ioctl(int fd, unsigned long request, void *arg)') as Libc['ioctl'],
    mmap: c.func('void *mmap(void *addr, size_t length, int prot, int flags, int fd, long offset)') as Libc['mmap'],
    munmap: c.func('int munmap(void *addr, size_t length)') as Libc['munmap'],
  };
  return libc;
}

function errnoError(errno: number, what: string): Error {
  const code = errnoName(errno) ?? `errno ${errno}`;
  return Object.assign(new Error(`${what}: ${code}`), { code, errno });
}

/**
 * EAGAIN is how every non-blocking DQBUF ends (once per collect: "no more frames"), so it is one
 * shared error: a fresh Error per frame would capture a stack trace each time for nothing.
 */
const EAGAIN = osConstants.errno.EAGAIN;
const WOULD_BLOCK: Error = Object.freeze(Object.assign(new Error('ioctl: EAGAIN (nothing ready on a non-blocking node)'), { code: 'EAGAIN', errno: EAGAIN }));

const PROT_READ = 1;
const PROT_WRITE = 2;
const MAP_SHARED = 1;
const MAP_PRIVATE = 2;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;

/** How long a stop waits for a started watcher to leave (its poll times out every 50 ms). */
const STOP_WAIT_MS = 10_000;

/** The compiled watcher next to this module, or the one in dist/ when running from the sources (tests). */
function watcherUrl(): URL {
  const here = new URL('./watcher.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL('../../../../dist/sensor/devices/v4l2/watcher.js', import.meta.url);
}

export function koffiKernel(): V4l2Kernel {
  const abi = hostAbi();
  return {
    abi,
    open(path) {
      return openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
    },
    ioctl(fd, request, arg) {
      const c = load();
      if (c.ioctl(fd, request, arg) < 0) {
        const errno = c.k.errno();
        throw errno === EAGAIN ? WOULD_BLOCK : errnoError(errno, `ioctl 0x${request.toString(16)}`);
      }
    },
    mmap(fd, length, offset): MappedBuffer {
      const c = load();
      const ptr = c.mmap(null, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
      if (ptr === null || c.k.address(ptr) === 0xffffffffffffffffn || c.k.address(ptr) === 0xffffffffn) throw errnoError(c.k.errno(), 'mmap');
      let mapped = true;
      let detached = false;
      const bytes = new Uint8Array(c.k.view(ptr, length));
      return {
        bytes,
        unmap() {
          if (!mapped) return;
          mapped = false;
          c.munmap(ptr, length);
        },
        detach() {
          if (!mapped || detached) return;
          const copy = bytes.slice();
          // MAP_FIXED over the same range swaps the pages in one call: no moment without a mapping.
          const p = c.mmap(ptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0);
          if (p === null || c.k.address(p) !== c.k.address(ptr)) return; // keep the device mapping then
          detached = true;
          bytes.set(copy);
        },
      };
    },
    close(fd) {
      closeSync(fd);
    },
    watch(fd, wake, options: WatchOptions): FrameWatch {
      const ctl = new Int32Array(new SharedArrayBuffer(CTL_WORDS * 4));
      const worker = new Worker(watcherUrl(), { workerData: { fd, abi, wake: wake.buffer, ctl: ctl.buffer, ...options } });
      // A watcher that cannot run leaves the reader without wake-ups; wake it so it looks (and sees why).
      worker.on('error', () => {
        Atomics.store(ctl, CTL.exited, 1);
        Atomics.add(wake, 0, 1);
        Atomics.notify(wake, 0);
      });
      worker.unref();
      return {
        ack() {
          Atomics.add(ctl, CTL.acks, 1);
          Atomics.notify(ctl, CTL.acks);
        },
        stop() {
          Atomics.store(ctl, CTL.stop, 1);
          Atomics.notify(ctl, CTL.acks);
          // Not started yet: it never will load koffi now, so the process may exit at any time (watcher.ts).
          if (Atomics.compareExchange(ctl, CTL.start, START.pending, START.cancelled) === START.pending) return;
          // Its poll times out within 50 ms; until it has left, the fd must stay open (see watcher.ts).
          // Longer only while it is still loading koffi (seconds under emulation).
          Atomics.wait(ctl, CTL.exited, 0, STOP_WAIT_MS);
        },
      };
    },
  };
}
