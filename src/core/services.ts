/**
 * Typed services that providers offer each other inside one host, so that no interface folder
 * imports another: wasi:vision wraps a wasi:buffer-pool host-memory frame without a copy and
 * produces wasi:nn tensors that the nn provider's `compute` accepts; the on-sensor-AI camera runs
 * its network through `inference`, which the host composes from wasi:nn's backends and
 * wasi:vision's to-tensor. The contracts live here, on the ground floor; each member is filled in
 * by whoever offers it (a provider when it is created, or the host itself).
 */
import type { BufferRecycler } from './buffer-recycler.js';
import type { PixelFormat } from './pixels/formats.js';

/** A frame's layout, as wasi:buffer-pool's `dimension` record (the provider checks the match). */
export interface FrameLayout {
  width: number;
  height: number;
  /** Bytes from the start of one row to the next; 0 for compressed formats. */
  strideBytes: number;
  pixelFormat: PixelFormat;
}

export interface HostFrame {
  /** The frame's layout (for mjpeg: width and height, stride 0, `bytes` is the JPEG). */
  dimension: FrameLayout;
  /**
   * The pixels, stride-aware, owned by the pool. Valid (and unchanged) until the memory handle is
   * invalidated or dropped; read-only for the caller. Keep the `memory` alive (or copy) if you need
   * the pixels longer.
   */
  bytes: Uint8Array;
}

/** Offered by the sensor provider (meaning of `memory`: docs/spec-notes/sensor.md › host-memory). */
export interface HostFrameService {
  /**
   * The frame behind a `memory` resource object as jco passes it to an import (the same JS object
   * the provider returned), or undefined if it is not one of ours or was invalidated/dropped.
   */
  resolve(memory: unknown): HostFrame | undefined;
}

/** wasi:nn `tensor-type`, in the WIT's case order (the index is the ordinal a guest sees). */
export const TENSOR_TYPES = ['FP16', 'FP32', 'FP64', 'BF16', 'U8', 'I32', 'I64'] as const;
export type TensorType = (typeof TENSOR_TYPES)[number];

/**
 * Offered by the nn provider: builds a tensor of the provider's own resource class (jco checks
 * `instanceof` when a tensor crosses into the guest).
 *
 * `create` never throws and does not validate, exactly like the WIT tensor constructor: a tensor
 * whose byte length does not match its dimensions and type is refused by the `compute` that uses
 * it (`invalid-argument`). The tensor keeps `data` without copying it: do not modify it afterwards.
 */
export interface NnTensorService {
  create(dimensions: Uint32Array | number[], type: TensorType, data: Uint8Array): unknown;
  /**
   * A buffer for a tensor's bytes that goes back to wasi:nn for reuse once the tensor made of it is
   * consumed or dropped (core/buffer-recycler.ts): the caller writes all of it, then `create`s the
   * tensor over all of it, and keeps no reference to it.
   */
  allocate(byteLength: number): ArrayBuffer;
}

/** One output tensor of a frame network. */
export interface InferenceTensor {
  name: string;
  type: TensorType;
  dims: readonly number[];
  data: Uint8Array;
}

/** How a frame becomes the network's input: resized (bilinear) to the input size, then v·scale + offset. */
export interface FrameNetworkOptions {
  /** The model file (ONNX); its first input takes NHWC f32 RGB. */
  model: string;
  inputWidth: number;
  inputHeight: number;
  scale: number;
  offset: number;
  threads: number;
}

/** A loaded frame network. `run` throws an Error when the network fails; `close` is idempotent. */
export interface FrameNetwork {
  run(pixels: Uint8Array, layout: FrameLayout): InferenceTensor[];
  close(): void;
}

/**
 * Offered by the host (wasi:nn's configured backend + wasi:vision's to-tensor), used by the
 * on-sensor-AI camera. `open` throws when the model cannot be read or loaded.
 */
export interface InferenceService {
  open(options: FrameNetworkOptions): FrameNetwork;
}

/** One configured wasi:messaging client's counters (docs/cloud.md). */
export interface MessagingClientStats {
  /** idle (never connected), connecting, online, offline (retrying), refused (credentials), closed. */
  state: string;
  reason?: string;
  /** Messages queued for the broker, and their bytes. */
  waiting: number;
  waitingBytes: number;
  /** Acknowledged by the broker since the host started. */
  acked: number;
  /** Dropped by the queue's overflow policy, and refused by the broker: ever (kept with the queue). */
  dropped: number;
  rejected: number;
  /** Received for the guest; dropped because its inbox was full. */
  received: number;
  inboxDropped: number;
  lastRejection?: string;
}

/** The outcome of one delivery round to a component's incoming-handler. */
export interface MessagingDelivery {
  delivered: number;
  /** Messages whose handler returned an error, with it. */
  failed: { topic: string; error: string }[];
}

/**
 * Offered by the messaging provider to whoever drives the component (a runner, a device runtime,
 * a test): received messages wait until `deliver` hands them to the component's exported
 * `wasi:messaging/incoming-handler`. Call it only between the component's own calls: a component
 * may not be entered while it is running.
 */
export interface MessagingService {
  deliver(exports: Readonly<Record<string, unknown>>, max?: number): MessagingDelivery;
  /** Received messages not yet delivered. */
  pending(): number;
  /** By client name. */
  stats(): Record<string, MessagingClientStats>;
  /** What the provider found worth telling (a broken queue file moved aside). */
  readonly notices: readonly string[];
}

/**
 * Offered by the messaging provider when a client names a `configTopic`: the retained message the
 * broker held on that topic as the host started, for the wasi:config store (docs/cloud.md ›
 * wasi:config from a retained topic). The config provider parses and checks it.
 */
export interface RetainedConfig {
  /** Where it was read, for messages: `client "cloud", topic "edge/cam-7/config"`. */
  readonly source: string;
  /** The retained message's data; absent when the broker held none or could not be asked. */
  readonly data?: Uint8Array;
  /** Why the broker could not be asked (unreachable, refused), when it could not. */
  readonly unavailable?: string;
}

export interface HostServices {
  /**
   * Set by the host: the large byte buffers it reuses (the bindings' lifts of large byte lists,
   * wasi:vision's tensors), given back by wasi:nn when a tensor is done with.
   */
  buffers?: BufferRecycler;
  /** Set by the sensor provider: resolves a `memory` handle to its host-side pixels. */
  frames?: HostFrameService;
  /** Set by the nn provider: creates tensors of the provider's own resource class. */
  nnTensors?: NnTensorService;
  /** Set by the host: runs a network on camera frames (the on-sensor-AI camera). */
  inference?: InferenceService;
  /** Set by the messaging provider: delivers received messages, reports the queues. */
  messaging?: MessagingService;
  /** Set by the messaging provider when a client has a `configTopic` (read by wasi:config). */
  retainedConfig?: RetainedConfig;
  /** Set by the config provider: what it found wrong with the retained configuration, and which keys it took from it. */
  config?: { readonly notices: readonly string[]; readonly retainedKeys: readonly string[] };
  counters: {
    /** Bytes of raw pixel data copied into guest memory (by-value frames, `image.read`). */
    pixelBytesLowered: number;
    /** Bytes of encoded images (PNG, JPEG) the guest asked for with `image.encode`: not pixels. */
    encodedBytesLowered: number;
  };
}
