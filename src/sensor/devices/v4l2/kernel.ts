/**
 * The kernel seam of the V4L2 backend: a V4L2 device node as this backend uses it — open, ioctl,
 * mmap, close, and a watch that signals the provider's wake cell when frames are ready. The real
 * one is koffi-kernel.ts (libc through koffi); the tests give a stand-in kernel, so the backend's
 * own logic (enumeration, buffer bookkeeping, faults) runs in `npm test` and the real kernel runs
 * it under QEMU (vivid). Errors are thrown as Errors with an errno `code` (`ENODEV`, `EBUSY`, ...).
 */
import type { V4l2Abi } from './abi.js';

/** One driver buffer mapped into this process. `bytes` must not be used after `unmap`. */
export interface MappedBuffer {
  readonly bytes: Uint8Array;
  unmap(): void;
  /**
   * Replaces the mapping by private memory at the same address holding the same bytes: `bytes`
   * stays valid, and the device node is no longer referenced (a lent frame must not keep an
   * unplugged camera's node alive, or it comes back under another name).
   */
  detach(): void;
}

/** Signals the wake cell once per frame the driver has filled; `ack` after dequeuing, `stop` for good. */
export interface FrameWatch {
  ack(): void;
  stop(): void;
}

export interface WatchOptions {
  /** Driver buffers (indices 0..buffers-1). */
  buffers: number;
  /** The frame period in milliseconds: how long to wait for the reader before looking again. */
  periodMs: number;
}

export interface V4l2Kernel {
  readonly abi: V4l2Abi;
  /** Opens the node read-write and non-blocking (DQBUF answers EAGAIN instead of waiting). */
  open(path: string): number;
  /** `ioctl(fd, request, arg)`; `arg` is the struct, which the kernel may fill. */
  ioctl(fd: number, request: number, arg: Uint8Array): void;
  mmap(fd: number, length: number, offset: number): MappedBuffer;
  close(fd: number): void;
  watch(fd: number, wake: Int32Array, options: WatchOptions): FrameWatch;
}

export type ErrnoError = Error & { code: string; errno?: number };

export function errnoCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
