/**
 * Images from wasi:buffer-pool frames. host-memory frames are wrapped without a copy and owned
 * by the image: the buffer goes back to its pool (memory disposed) when the last image using it
 * is dropped. Drawing copies first, so the pool's buffer is never written.
 */
import { describe, expect, it } from 'vitest';
import type { Dimension } from '../../src/generated/interfaces/wasi-buffer-pool-data-types.js';
import type { FrameData, Memory } from '../../src/generated/interfaces/wasi-buffer-pool-buffer-pool.js';
import type { HostFrameService } from '../../src/core/services.js';
import { harness, randomBytes, witErr } from './helpers.js';

class FakeMemory {
  disposed = 0;
  [Symbol.dispose]() {
    this.disposed++;
  }
}

function fakeFrames() {
  const table = new Map<unknown, { dimension: Dimension; bytes: Uint8Array }>();
  const service: HostFrameService = { resolve: (m) => table.get(m) };
  const add = (dimension: Dimension, bytes: Uint8Array) => {
    const memory = new FakeMemory();
    table.set(memory, { dimension, bytes });
    return memory;
  };
  return { service, table, add };
}

const hostMemory = (m: FakeMemory): FrameData => ({ tag: 'host-memory', val: m as unknown as Memory });
const rgbDim = (width: number, height: number, strideBytes = width * 3): Dimension => ({ width, height, strideBytes, pixelFormat: 'rgb24' });

/** A vision harness with one host-memory frame over `bytes`, and the image made from it. */
function frameImage(dimension: Dimension, bytes: Uint8Array) {
  const frames = fakeFrames();
  const memory = frames.add(dimension, bytes);
  const h = harness({ frames: frames.service });
  return { ...h, frames, memory, img: h.Image.fromFrame(hostMemory(memory)) };
}

describe('from-frame, host-memory', () => {
  it('wraps the pool buffer without copying it (later writes to the buffer show through)', () => {
    const bytes = randomBytes(4 * 2 * 3, 1);
    const { memory, img, services } = frameImage(rgbDim(4, 2), bytes);
    expect([img.width(), img.height(), img.pixelFormat()]).toEqual([4, 2, 'rgb24']);
    bytes[0] = 123;
    expect(img.read({ x: 0, y: 0, width: 1, height: 1 })[0]).toBe(123);
    expect(services.counters.pixelBytesLowered).toBe(3);
  });

  it('honours the frame stride', () => {
    const frames = fakeFrames();
    const bytes = randomBytes(20 * 2, 2);
    const memory = frames.add(rgbDim(3, 2, 20), bytes);
    const { Image } = harness({ frames: frames.service });
    expect([...Image.fromFrame(hostMemory(memory)).read(undefined)]).toEqual([...bytes.subarray(0, 9), ...bytes.subarray(20, 29)]);
  });

  it('returns the buffer once, when the image and every crop of it are dropped', () => {
    const frames = fakeFrames();
    const memory = frames.add(rgbDim(8, 8), randomBytes(8 * 8 * 3, 3));
    const { Image } = harness({ frames: frames.service });
    const image = Image.fromFrame(hostMemory(memory));
    const part = image.crop({ x: 2, y: 2, width: 4, height: 4 }) as unknown as Disposable;
    const img = image as unknown as Disposable;
    img[Symbol.dispose]();
    img[Symbol.dispose]();
    expect(memory.disposed).toBe(0);
    part[Symbol.dispose]();
    expect(memory.disposed).toBe(1);
  });

  it('ops on a frame image are not copies of the frame: resize reads the live buffer', () => {
    const bytes = new Uint8Array(2 * 2 * 3).fill(10);
    const { img } = frameImage(rgbDim(2, 2), bytes);
    bytes.fill(200);
    expect([...img.resize(1, 1, 'area').read(undefined)]).toEqual([200, 200, 200]);
  });

  it('drawing copies first and never writes the pool buffer', () => {
    const bytes = new Uint8Array(4 * 4 * 3);
    const { memory, img } = frameImage(rgbDim(4, 4), bytes);
    img.drawRect({ x: 0, y: 0, width: 4, height: 4 }, { r: 255, g: 0, b: 0 }, 0);
    expect(bytes.every((b) => b === 0)).toBe(true);
    expect([...img.read({ x: 1, y: 1, width: 1, height: 1 })]).toEqual([255, 0, 0]);
    // The copy no longer needs the frame: its buffer went back to the pool.
    expect(memory.disposed).toBe(1);
  });

  it('drawing on a conversion of a frame image to its own format never writes the pool buffer either', () => {
    const bytes = new Uint8Array(4 * 4 * 3).fill(9);
    const { memory, img } = frameImage(rgbDim(4, 4), bytes);
    const same = img.convert('rgb24');
    same.drawRect({ x: 0, y: 0, width: 4, height: 4 }, { r: 255, g: 0, b: 0 }, 0);
    expect(bytes.every((b) => b === 9)).toBe(true);
    expect([...same.read({ x: 1, y: 1, width: 1, height: 1 })]).toEqual([255, 0, 0]);
    // The conversion held the frame too: it goes back to the pool when the last of them lets go.
    (img as unknown as Disposable)[Symbol.dispose]();
    expect(memory.disposed).toBe(1);
  });

  it('a frame invalidated while an image uses it gives stale-frame', () => {
    const { frames, memory, img } = frameImage(rgbDim(2, 2), new Uint8Array(12));
    frames.table.delete(memory);
    expect(witErr(() => img.read(undefined))).toEqual({ tag: 'stale-frame' });
    expect(witErr(() => img.toTensor({ width: 0, height: 0, resizeMethod: 'nearest', tensorLayout: 'nhwc', elementType: 'U8', channels: 'rgb', normalization: { tag: 'none' } }))).toEqual({ tag: 'stale-frame' });
    expect(img.width()).toBe(2);
  });

  it('an unknown memory handle gives stale-frame and is still released', () => {
    const frames = fakeFrames();
    const { Image } = harness({ frames: frames.service });
    const stray = new FakeMemory();
    expect(witErr(() => Image.fromFrame(hostMemory(stray)))).toEqual({ tag: 'stale-frame' });
    expect(stray.disposed).toBe(1);
  });

  it('without a sensor provider, host-memory frames are not-supported (and released)', () => {
    const { Image } = harness();
    const m = new FakeMemory();
    const e = witErr(() => Image.fromFrame(hostMemory(m)));
    expect(e.tag).toBe('not-supported');
    expect(m.disposed).toBe(1);
  });

  it('an mjpeg frame is decoded and its buffer returned at once', () => {
    const { Image: Enc } = harness();
    const jpeg = Enc.fromPixels({ width: 16, height: 8, pixelFormat: 'rgb24', planes: [] }, new Uint8Array(16 * 8 * 3).fill(128)).encode({ tag: 'jpeg', val: 90 });
    const frames = fakeFrames();
    const memory = frames.add({ width: 16, height: 8, strideBytes: 0, pixelFormat: 'mjpeg' }, jpeg);
    const { Image } = harness({ frames: frames.service });
    const img = Image.fromFrame(hostMemory(memory));
    expect([img.width(), img.height(), img.pixelFormat()]).toEqual([16, 8, 'rgb24']);
    expect(memory.disposed).toBe(1);
  });

  it('provider dispose releases frames still held by images', () => {
    const frames = fakeFrames();
    const memory = frames.add(rgbDim(2, 2), new Uint8Array(12));
    const h = harness({ frames: frames.service });
    h.Image.fromFrame(hostMemory(memory));
    h.dispose();
    expect(memory.disposed).toBe(1);
  });
});

describe('from-frame, by-value', () => {
  it('copies a buffer-pool image (stride 0 means packed for raw formats)', () => {
    const { Image } = harness();
    const payload = randomBytes(2 * 2 * 2, 4);
    const img = Image.fromFrame({ tag: 'by-value', val: { tag: 'image', val: { dimension: { width: 2, height: 2, strideBytes: 0, pixelFormat: 'yuy2' }, payload } } });
    expect(img.pixelFormat()).toBe('yuy2');
    expect([...img.read(undefined)]).toEqual([...payload]);
  });
});
