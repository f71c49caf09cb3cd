/**
 * An on-sensor-AI camera, modelled on Sony's IMX500: the sensor runs a neural network on every
 * frame it delivers and hands the network's raw output tensors over with the pixels; the
 * application only post-processes them (anchors, thresholds, NMS). Here the "sensor" is an
 * image-fixture camera (a folder of images) plus a configured ONNX model run host-side.
 *
 * How the tensors travel (docs/spec-notes/sensor-ai.md): upstream `wasi:buffer-pool` has one
 * `data-type` case, `image`, and a frame is a `list<frame-data>`. So a frame of this camera has
 * two entries: the picture (host-memory or by-value, as the pool decides), then a by-value
 * `image` whose payload is a self-describing tensor blob and whose dimension says so:
 * `gray`, height 1, width = stride = blob length. Blob, all u32 little-endian, 4-byte aligned:
 *   "WETN" (magic), version 1, tensor count, then per tensor: name length, name (padded to 4),
 *   wasi:nn tensor-type ordinal, rank, dims…, byte length, data (padded to 4).
 *
 * The network runs when a frame is delivered, not when it is captured: frames a pool drops cost
 * nothing (the IMX500 runs every frame; the application cannot tell the difference). It runs
 * through the host's inference service (src/host/inference.ts: wasi:nn's configured backend and
 * wasi:vision's to-tensor); this folder imports neither.
 */
import { TENSOR_TYPES, type FrameNetwork, type FrameNetworkOptions, type InferenceService, type InferenceTensor } from '../../core/services.js';
import { fault } from '../fault.js';
import type { Layout } from '../pixels.js';
import type { CapturedFrames, FrameExtra } from './device.js';
import { ImageFixtureDevice, type ImageFixtureOptions } from './image-fixture.js';
import { WrappedDevice } from './wrapped.js';

/** The image fixture it plays, and the network it runs on each frame. */
export interface AiCameraOptions extends ImageFixtureOptions, FrameNetworkOptions {}

const pad4 = (n: number) => (n + 3) & ~3;

/** The tensor blob described above. */
export function encodeTensorBlob(tensors: readonly InferenceTensor[]): Uint8Array {
  const names = tensors.map((t) => new TextEncoder().encode(t.name));
  let size = 12;
  tensors.forEach((t, i) => (size += 4 + pad4(names[i]!.length) + 8 + 4 * t.dims.length + 4 + pad4(t.data.length)));
  const blob = new Uint8Array(size);
  const view = new DataView(blob.buffer);
  blob.set([0x57, 0x45, 0x54, 0x4e]); // "WETN"
  view.setUint32(4, 1, true);
  view.setUint32(8, tensors.length, true);
  let at = 12;
  const u32 = (v: number) => {
    view.setUint32(at, v, true);
    at += 4;
  };
  tensors.forEach((t, i) => {
    u32(names[i]!.length);
    blob.set(names[i]!, at);
    at += pad4(names[i]!.length);
    // The wasi:nn tensor-type ordinal: the case's index in the WIT enum.
    u32(TENSOR_TYPES.indexOf(t.type));
    u32(t.dims.length);
    for (const d of t.dims) u32(d);
    u32(t.data.length);
    blob.set(t.data, at);
    at += pad4(t.data.length);
  });
  return blob;
}

/** Reads a tensor blob back (tests, JavaScript consumers). Throws on a malformed blob. */
export function decodeTensorBlob(blob: Uint8Array): { name: string; type: number; dims: number[]; data: Uint8Array }[] {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  if (blob.length < 12 || new TextDecoder().decode(blob.subarray(0, 4)) !== 'WETN' || view.getUint32(4, true) !== 1) {
    throw new Error('not a version-1 tensor blob');
  }
  let at = 12;
  const u32 = () => {
    const v = view.getUint32(at, true);
    at += 4;
    return v;
  };
  const out = [];
  for (let n = view.getUint32(8, true); n > 0; n--) {
    const len = u32();
    const name = new TextDecoder().decode(blob.subarray(at, at + len));
    at += pad4(len);
    const type = u32();
    const dims = Array.from({ length: u32() }, u32);
    const bytes = u32();
    out.push({ name, type, dims, data: blob.subarray(at, at + bytes) });
    at += pad4(bytes);
  }
  return out;
}

export class AiCameraDevice extends WrappedDevice {
  private network: FrameNetwork | undefined;

  constructor(description: string, options: AiCameraOptions, inference: InferenceService | undefined) {
    if (!inference) throw new Error(`${description}: this host has no inference service (an ai-camera needs wasi:nn)`);
    super(new ImageFixtureDevice(description, options));
    // Loaded when the device is opened, so a missing or broken model fails `open` (hardware-error).
    this.network = inference.open(options);
  }

  override setLayout(): void {
    fault('not-supported', 'an ai-camera plays its files at their own size and format');
  }

  override collect(now: bigint): CapturedFrames {
    const frames = this.inner.collect(now);
    if (frames.count === 0) return frames;
    return {
      count: frames.count,
      layout: frames.layout,
      deferrable: frames.deferrable,
      timestamp: (i) => frames.timestamp(i),
      render: (i, into) => frames.render(i, into),
      extra: (_i, pixels) => [this.infer(pixels, frames.layout)],
    };
  }

  /** Runs the model on one frame (resize + normalise, then the network) and packs its outputs. */
  infer(pixels: Uint8Array, layout: Layout): FrameExtra {
    const network = this.network;
    if (!network) fault('hardware-error', 'the ai-camera was closed');
    let outputs: InferenceTensor[];
    try {
      outputs = network.run(pixels, layout);
    } catch (e) {
      fault('hardware-error', `the ai-camera's network failed: ${(e as Error).message}`);
    }
    const payload = encodeTensorBlob(outputs);
    return { layout: { width: payload.length, height: 1, strideBytes: payload.length, pixelFormat: 'gray' }, payload };
  }

  override close(): void {
    this.inner.close();
    this.network?.close();
    this.network = undefined;
  }
}
