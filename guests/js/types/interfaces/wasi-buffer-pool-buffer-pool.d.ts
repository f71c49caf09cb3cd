/// <reference path="./wasi-buffer-pool-data-types.d.ts" />
/// <reference path="./wasi-io-poll.d.ts" />
declare module 'wasi:buffer-pool/buffer-pool' {
  export type Pollable = import('wasi:io/poll@0.2.0').Pollable;
  export type DataType = import('wasi:buffer-pool/data-types').DataType;
  /**
   * Failure causes shared with `wasi:sensor/sensor.device-error`.
   * # Variants
   * 
   * ## `"not-found"`
   * 
   * ## `"invalid-argument"`
   * 
   * ## `"resource-exhausted"`
   * 
   * ## `"permission-denied"`
   * 
   * ## `"busy"`
   * 
   * ## `"timeout"`
   * 
   * ## `"cancelled"`
   * 
   * ## `"aborted"`
   * 
   * ## `"already-exists"`
   * 
   * ## `"invalid-operation"`
   * 
   * ## `"out-of-range"`
   * 
   * ## `"data-loss"`
   * 
   * ## `"hardware-error"`
   * 
   * ## `"not-supported"`
   * 
   * ## `"unknown"`
   */
  export type BufferError = 'not-found' | 'invalid-argument' | 'resource-exhausted' | 'permission-denied' | 'busy' | 'timeout' | 'cancelled' | 'aborted' | 'already-exists' | 'invalid-operation' | 'out-of-range' | 'data-loss' | 'hardware-error' | 'not-supported' | 'unknown';
  export type Size = number;
  /**
   * Nanoseconds since a fixed, host-chosen point; never decreases.
   */
  export type Timestamp = bigint;
  export type FrameData = FrameDataByValue | FrameDataHostMemory;
  /**
   * The payload copied into guest memory.
   */
  export interface FrameDataByValue {
    tag: 'by-value',
    val: DataType,
  }
  /**
   * A handle to a buffer that stays in the host (see docs/spec-notes.md for what
   * address and size mean in a JavaScript host).
   */
  export interface FrameDataHostMemory {
    tag: 'host-memory',
    val: Memory,
  }
  export interface FrameInfo {
    /**
     * Increases by one for every frame the pool accepted or dropped, so a gap means frames were lost.
     */
    sequenceNumber: bigint,
    /**
     * When the frame was captured.
     */
    timestamp: Timestamp,
    /**
     * One or more pieces of data that make up the frame.
     */
    data: Array<FrameData>,
  }
  /**
   * # Variants
   * 
   * ## `"buffering-off"`
   * 
   * No queue: only the newest frame is kept.
   * ## `"buffering-discard"`
   * 
   * A full queue rejects the newest frame.
   * ## `"buffering-overwrite"`
   * 
   * A full queue drops its oldest frame.
   * ## `"buffering-unlimited"`
   * 
   * The queue grows up to a host-configured limit.
   */
  export type BufferingMode = 'buffering-off' | 'buffering-discard' | 'buffering-overwrite' | 'buffering-unlimited';
  export interface PoolStatistics {
    enqueued: bigint,
    dropped: bigint,
    dequeued: bigint,
  }
  
  export class Memory implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    address(): bigint;
    size(): Size;
    invalidate(): void;
    [Symbol.dispose](): void;
  }
  
  export class Pool implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    /**
    * `size` bounds the payload of one buffer in bytes; `buffer-num` bounds the queue
    * for the discard and overwrite modes. `name` is what `device.start` refers to.
    */
    static create(mode: BufferingMode, size: number, bufferNum: number, name: string): Pool;
    /**
    * Up to `max-results` frames that are ready now, oldest first; never waits.
    */
    readFrames(maxResults: number): Array<FrameInfo>;
    /**
    * Ready when at least one frame can be read.
    */
    subscribe(): Pollable;
    getStatistics(): PoolStatistics;
    [Symbol.dispose](): void;
  }
}
