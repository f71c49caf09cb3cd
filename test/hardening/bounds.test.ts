/**
 * Bounds (issue 11 §3): every guest-controlled allocation on the host side is bounded by
 * configuration, and hitting the bound is the interface's error, never an out-of-memory.
 * Each test hits one bound through the imports a guest would call, then shows that releasing what
 * was held makes room again (so the bound counts live things, not calls). Defaults: docs/hardening.md.
 */
import { describe, expect, it } from 'vitest';
import { codeOf, host, witError } from './helpers.js';
import * as w from '../nn/onnx-writer.mjs';

const f32 = (n: number) => new Uint8Array(n * 4);

describe('i2c', () => {
  it('open handles: i2c.maxHandles, then unavailable; a dropped handle makes room', () => {
    const h = host({ i2c: { maxHandles: 3 } });
    const access = h.api('wasi-edge:host/access');
    const handles = [0, 1, 2].map(() => access.openI2c('i2c-sim0'));
    const err = witError(() => access.openI2c('i2c-sim0'));
    expect(err.tag).toBe('unavailable');
    expect(err.val).toMatch(/i2c\.maxHandles/);
    handles[1][Symbol.dispose]();
    handles[1][Symbol.dispose](); // idempotent: counts once
    const again = access.openI2c('i2c-sim0');
    expect(again.read(0x76, 1n)).toHaveLength(1);
    expect(witError(() => access.openI2c('i2c-sim0')).tag).toBe('unavailable');
    h.dispose();
  });

  it('read lengths: limits.maxRead, 2^32 and 2^64-1 are `other` before the bus is touched', () => {
    const h = host({ i2c: { buses: { b: { kind: 'simulated', devices: [{ chip: 'at24c', address: 0x50, variant: 'at24c32' }], limits: { maxRead: 16 } } } } });
    const i2c = h.api('wasi-edge:host/access').openI2c('b');
    expect(i2c.read(0x50, 16n)).toHaveLength(16);
    for (const len of [17n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 64n - 1n]) {
      expect(codeOf(witError(() => i2c.read(0x50, len)))).toBe('other');
      expect(codeOf(witError(() => i2c.writeRead(0x50, new Uint8Array([0, 0]), len)))).toBe('other');
      expect(codeOf(witError(() => i2c.transaction(0x50, [{ tag: 'read', val: len }])))).toBe('other');
    }
    h.dispose();
  });

  it('transactions: operation count and total bytes are bounded', () => {
    const h = host({ i2c: { buses: { b: { kind: 'simulated', devices: [{ chip: 'at24c', address: 0x50 }], limits: { maxOperations: 4, maxTransactionBytes: 64 } } } } });
    const i2c = h.api('wasi-edge:host/access').openI2c('b');
    const op = { tag: 'read', val: 1n };
    expect(i2c.transaction(0x50, [op, op, op, op])).toHaveLength(4);
    expect(codeOf(witError(() => i2c.transaction(0x50, [op, op, op, op, op])))).toBe('other');
    expect(codeOf(witError(() => i2c.write(0x50, new Uint8Array(65))))).toBe('other');
    h.dispose();
  });
});

describe('spi', () => {
  it('open handles: spi.maxHandles, then `other`; a dropped handle makes room', () => {
    const h = host({ spi: { maxHandles: 2 } });
    const spi = h.api('wasi:spi/spi');
    const a = spi.openDevice('spi-flash0');
    spi.openDevice('spi-adc0');
    const err = witError(() => spi.openDevice('spi-flash0'));
    expect(err.tag).toBe('other');
    expect(err.val).toMatch(/spi\.maxHandles/);
    a[Symbol.dispose]();
    expect(spi.openDevice('spi-flash0')).toBeTruthy();
    h.dispose();
  });

  it('transfer sizes: limits.maxTransferBytes; read lengths near 2^32 and 2^64', () => {
    const h = host({ spi: { devices: { f: { kind: 'simulated', chip: 'spi-nor', limits: { maxTransferBytes: 32, maxOperations: 2 } } } } });
    const dev = h.api('wasi:spi/spi').openDevice('f');
    expect(dev.read(32n)).toHaveLength(32);
    for (const len of [33n, 2n ** 32n, 2n ** 64n - 1n]) expect(codeOf(witError(() => dev.read(len)))).toBe('other');
    expect(codeOf(witError(() => dev.write(new Uint8Array(33))))).toBe('other');
    expect(codeOf(witError(() => dev.transfer(new Uint8Array(33))))).toBe('other');
    const op = { tag: 'delay-ns', val: 1 };
    expect(codeOf(witError(() => dev.transaction([op, op, op])))).toBe('other');
    h.dispose();
  });
});

describe('nn', () => {
  it('live tensor bytes: nn.limits.liveTensorBytes; an over-budget tensor keeps no bytes and compute says too-large', () => {
    const h = host({ nn: { limits: { liveTensorBytes: 3 * 96, tensorBytes: 48 } } });
    const { Tensor } = h.api('wasi:nn/tensor');
    const graph = h.api('wasi:nn/graph').load([w.addModel()], 'onnx', 'cpu');
    const a = new Tensor(Uint32Array.from([2, 3]), 'FP32', f32(6)); // 24 bytes + 8 of dims + 64 overhead = 96
    const b = new Tensor(Uint32Array.from([2, 3]), 'FP32', f32(6)); // 192
    const c = new Tensor(Uint32Array.from([2, 3]), 'FP32', f32(6)); // 288: fits...
    const c2 = new Tensor(Uint32Array.from([1]), 'FP32', f32(1)); // ...and now 288 + 72 > 288: refused
    expect(c.data()).toHaveLength(24);
    expect(c2.data()).toHaveLength(0);
    c[Symbol.dispose]();
    const ctx = graph.initExecutionContext();
    const err = witError(() => ctx.compute([['a', a], ['b', c2]]));
    expect(err.code()).toBe('too-large');
    expect(err.data()).toMatch(/liveTensorBytes/);
    // compute consumed a and c2 (own), c was dropped; b is still held (96), so d and the output fit.
    const d = new Tensor(Uint32Array.from([2, 3]), 'FP32', f32(6));
    const outs = ctx.compute([['a', b], ['b', d]]);
    expect(outs).toHaveLength(1);
    const big = new Tensor(Uint32Array.from([4, 4]), 'FP32', f32(16)); // 64 > tensorBytes 48
    expect(big.data()).toHaveLength(0);
    // Empty tensors are bounded too: each costs its dimensions and overhead.
    const empties = Array.from({ length: 10 }, () => new Tensor(Uint32Array.from([0]), 'U8', new Uint8Array(0)));
    expect(empties.filter((t) => t.dimensions().length === 0).length).toBeGreaterThan(0);
    h.dispose();
  });

  it('graphs and contexts: nn.limits.maxHandles and nn.limits.maxGraphs, then too-large', () => {
    const h = host({ nn: { limits: { maxHandles: 3, maxGraphs: 2 } } });
    const g = h.api('wasi:nn/graph');
    const one = g.load([w.addModel()], 'onnx', 'cpu');
    const two = g.load([w.addModel()], 'onnx', 'cpu');
    const e1 = witError(() => g.load([w.addModel()], 'onnx', 'cpu'));
    expect(e1.code()).toBe('too-large');
    expect(e1.data()).toMatch(/maxGraphs/);
    const ctx = one.initExecutionContext();
    const e2 = witError(() => two.initExecutionContext());
    expect(e2.code()).toBe('too-large');
    expect(e2.data()).toMatch(/maxHandles/);
    ctx[Symbol.dispose]();
    two[Symbol.dispose]();
    expect(g.load([w.addModel()], 'onnx', 'cpu')).toBeTruthy();
    h.dispose();
  });

  it('model bytes: nn.limits.modelBytes for guest bytes and for named model files', () => {
    const h = host({ nn: { limits: { modelBytes: 64 } } });
    const g = h.api('wasi:nn/graph');
    expect(witError(() => g.load([new Uint8Array(65)], 'onnx', 'cpu')).code()).toBe('too-large');
    expect(witError(() => g.loadByName('blazeface')).code()).toBe('too-large');
    h.dispose();
  });
});

describe('vision', () => {
  const layout = (width: number, height: number) => ({ width, height, pixelFormat: 'rgb24', planes: [] });

  it('open images: vision.maxImages, then too-large; a dropped image makes room', () => {
    const h = host({ vision: { maxImages: 3 } });
    const { Image } = h.api('wasi:vision/image');
    const images = [0, 1, 2].map(() => Image.fromPixels(layout(2, 2), new Uint8Array(12)));
    const err = witError(() => images[0].resize(4, 4, 'nearest'));
    expect(err.tag).toBe('too-large');
    images[0][Symbol.dispose]();
    expect(Image.fromPixels(layout(2, 2), new Uint8Array(12)).width()).toBe(2);
    h.dispose();
  });

  it('pixel bytes held: vision.maxLiveBytes, then too-large', () => {
    const h = host({ vision: { maxLiveBytes: 1000 } });
    const { Image } = h.api('wasi:vision/image');
    const a = Image.fromPixels(layout(10, 10), new Uint8Array(300));
    Image.fromPixels(layout(10, 10), new Uint8Array(300));
    Image.fromPixels(layout(10, 10), new Uint8Array(300));
    expect(witError(() => Image.fromPixels(layout(10, 10), new Uint8Array(300))).tag).toBe('too-large');
    expect(witError(() => a.convert('argb32')).tag).toBe('too-large');
    a[Symbol.dispose]();
    expect(Image.fromPixels(layout(10, 10), new Uint8Array(300)).height()).toBe(10);
    h.dispose();
  });

  it('pixel bytes held: the copy drawing makes of shared pixels counts, then too-large; the image is left as it was', () => {
    const h = host({ vision: { maxLiveBytes: 1000 } });
    const { Image } = h.api('wasi:vision/image');
    const source = new Uint8Array(300).map((_, i) => i % 251);
    const a = Image.fromPixels(layout(10, 10), source); // 300 bytes held
    const whole = { x: 0, y: 0, width: 10, height: 10 };
    // Crops share a's bytes: they hold nothing more until they are drawn on.
    const crops = [0, 1, 2].map(() => a.crop(whole));
    const green = { r: 0, g: 255, b: 0 };
    crops[0].drawRect({ x: 0, y: 0, width: 2, height: 2 }, green, 1); // 600
    crops[1].drawRect({ x: 0, y: 0, width: 2, height: 2 }, green, 1); // 900
    const err = witError(() => crops[2].drawRect({ x: 0, y: 0, width: 2, height: 2 }, green, 1));
    expect(err.tag).toBe('too-large');
    expect([...crops[2].read(undefined)]).toEqual([...source]);
    expect([...a.read(undefined)]).toEqual([...source]);
    // The copy goes with its image, and makes room again.
    crops[0][Symbol.dispose]();
    crops[2].drawRect({ x: 0, y: 0, width: 2, height: 2 }, green, 1);
    expect([...crops[2].read({ x: 0, y: 0, width: 1, height: 1 })]).toEqual([0, 255, 0]);
    expect([...a.read(undefined)]).toEqual([...source]);
    h.dispose();
  });

  it('input bytes and pixels per image: maxInputBytes, maxPixels (also for resize targets near 2^32)', () => {
    const h = host({ vision: { maxInputBytes: 1024, maxPixels: 64 * 64 } });
    const { Image } = h.api('wasi:vision/image');
    expect(witError(() => Image.fromEncoded(new Uint8Array(1025))).tag).toBe('too-large');
    const img = Image.fromPixels(layout(8, 8), new Uint8Array(192));
    expect(witError(() => img.resize(65, 64, 'nearest')).tag).toBe('too-large');
    expect(witError(() => img.resize(0xffffffff, 0xffffffff, 'area')).tag).toBe('too-large');
    h.dispose();
  });
});

describe('sensor and buffer-pool', () => {
  it('pools: sensor.maxPools and sensor.maxPoolBytes, then resource-exhausted', () => {
    const h = host({ sensor: { maxPools: 2, maxPoolBytes: 1 << 20 } });
    const { Pool } = h.api('wasi:buffer-pool/buffer-pool');
    const p1 = Pool.create('buffering-discard', 1024, 4, 'a');
    Pool.create('buffering-discard', 1024, 4, 'b');
    expect(witError(() => Pool.create('buffering-discard', 1024, 4, 'c'))).toBe('resource-exhausted');
    p1[Symbol.dispose]();
    expect(witError(() => Pool.create('buffering-discard', 2 ** 21, 1, 'd'))).toBe('resource-exhausted');
    expect(witError(() => Pool.create('buffering-discard', 2 ** 20, 0xffffffff, 'e'))).toBe('resource-exhausted');
    expect(Pool.create('buffering-discard', 1024, 4, 'f')).toBeTruthy();
    h.dispose();
  });
});
