/**
 * One policy for a backend that throws something unexpected (src/core/backend-failure.ts;
 * docs/spec-notes.md "A backend that throws something unexpected"): the guest's call gets the
 * interface's generic WIT error with the thrown message, never an exception out of the import
 * (which jco would pass on, ending the embedder's run). One case per interface, each with a
 * backend that throws `new TypeError('boom')`, called as jco calls the imports.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as VisionWit from '../../src/generated/interfaces/wasi-vision-image.js';
import type { FrameData, Memory } from '../../src/generated/interfaces/wasi-buffer-pool-buffer-pool.js';
import { backendFailure } from '../../src/core/backend-failure.js';
import { GuestFatalError } from '../../src/core/guest-fatal.js';
import type { HostServices } from '../../src/core/services.js';
import { WitError } from '../../src/core/wit-error.js';
import type { Bus } from '../../src/i2c/bus.js';
import type { NnBackend } from '../../src/nn/backends/backend.js';
import type { NnError } from '../../src/nn/provider.js';
import { TestPatternDevice } from '../../src/sensor/devices/test-pattern.js';
import type { SpiBackend } from '../../src/spi/device.js';
import { createVisionProvider } from '../../src/vision/provider.js';
import { visionDefinition } from '../../src/vision/definition.js';
import { makeProvider } from '../nn/helpers.js';
import * as onnx from '../nn/onnx-writer.mjs';
import { host } from './helpers.js';

const boom = (): never => {
  throw new TypeError('boom');
};

/** What `f` threw; fails when it returns. */
function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return expect.fail('expected the call to fail');
}

/** The WIT error `f` throws: a WitError (jco's `err`), not the TypeError itself. */
function witErrorOf(f: () => unknown): WitError<unknown> {
  const e = thrownBy(f);
  expect(e, `expected a WIT error, got ${String(e)}`).toBeInstanceOf(WitError);
  return e as WitError<unknown>;
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('the policy (src/core/backend-failure.ts)', () => {
  const generic = (message: string) => ({ tag: 'other', val: message });

  it('maps an unexpected throw to the generic code with the thrown message', () => {
    const e = backendFailure(new TypeError('boom'), 'test failure', generic);
    expect(e).toBeInstanceOf(WitError);
    expect((e as WitError<unknown>).payload).toEqual({ tag: 'other', val: 'test failure: boom' });
    // A thrown non-Error is described too.
    expect((backendFailure(42, 'test failure', generic) as WitError<unknown>).payload).toEqual({ tag: 'other', val: 'test failure: 42' });
  });

  it('lets a WitError and a GuestFatalError through unchanged', () => {
    const wit = new WitError({ tag: 'bus' }, 'a bus error');
    const fatal = new GuestFatalError('deadlock');
    expect(backendFailure(wit, 'x', generic)).toBe(wit);
    expect(backendFailure(fatal, 'x', generic)).toBe(fatal);
  });

  it('prints the throw to stderr only when WASI_EDGE_DEBUG is set', () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.stubEnv('WASI_EDGE_DEBUG', '');
    backendFailure(new TypeError('quiet'), 'x', generic);
    expect(printed).not.toHaveBeenCalled();
    vi.stubEnv('WASI_EDGE_DEBUG', '1');
    const thrown = new TypeError('loud');
    backendFailure(thrown, 'x', generic);
    expect(printed).toHaveBeenCalledTimes(1);
    expect(printed.mock.calls[0]).toContain(thrown);
    expect(String(printed.mock.calls[0]![0])).toContain('x: loud');
  });
});

describe('wasi:i2c: a bus whose transfer throws a TypeError', () => {
  it('gives the guest `other` from every operation', () => {
    const bus: Bus = { capabilities: { i2c: true, tenBit: false }, transfer: boom, close() {} };
    const h = host({ i2c: { buses: { x: { kind: 'custom', bus } } } });
    const i2c = h.api('wasi-edge:host/access').openI2c('x');
    for (const call of [() => i2c.read(0x10, 1n), () => i2c.write(0x10, new Uint8Array([1])), () => i2c.transaction(0x10, [{ tag: 'read', val: 1n }])]) {
      const e = witErrorOf(call);
      expect(e.payload).toEqual({ tag: 'other' });
      expect(e.message).toBe('bus failure: boom');
    }
    h.dispose();
  });
});

describe('wasi:spi: a device whose transfer throws a TypeError', () => {
  it('gives the guest other(message)', () => {
    const device: SpiBackend = { configure() {}, transfer: boom, close() {} };
    const h = host({ spi: { devices: { x: { kind: 'custom', device } } } });
    const dev = h.api('wasi:spi/spi').openDevice('x');
    expect(witErrorOf(() => dev.read(1n)).payload).toEqual({ tag: 'other', val: 'SPI failure: boom' });
    expect(witErrorOf(() => dev.transaction([{ tag: 'write', val: new Uint8Array([1]) }])).payload).toEqual({ tag: 'other', val: 'SPI failure: boom' });
    h.dispose();
  });
});

describe('wasi:sensor + wasi:buffer-pool: a device that throws a TypeError', () => {
  /** An 8x4 test pattern at 10 fps whose named methods throw TypeError('boom'). */
  class BrokenDevice extends TestPatternDevice {
    readonly broken = new Set<string>();
    constructor() {
      super('broken: test pattern', {
        layout: { width: 8, height: 4, strideBytes: 0, pixelFormat: 'rgb24' },
        rate: { numerator: 10, denominator: 1 },
        capabilities: { formats: ['rgb24'], maxWidth: 8, maxHeight: 4, minFps: 1, maxFps: 100, layoutSettable: true },
      });
    }
    override start(now: bigint): void {
      if (this.broken.has('start')) boom();
      super.start(now);
    }
    override collect(now: bigint) {
      if (this.broken.has('collect')) boom();
      return super.collect(now);
    }
    override getRate() {
      if (this.broken.has('getRate')) boom();
      return super.getRate();
    }
    stops = 0;
    override stop(): void {
      this.stops++;
      if (this.broken.has('stop')) boom();
      super.stop();
    }
  }

  function rig() {
    const device = new BrokenDevice();
    const h = host({ sensor: { clock: 'virtual', devices: { cam: { kind: 'custom', open: () => device } } } });
    const Device = h.api('wasi:sensor/sensor').Device;
    const Pool = h.api('wasi:buffer-pool/buffer-pool').Pool;
    return { h, device, d: Device.open('cam'), pool: Pool.create('buffering-discard', 0, 4, 'p') };
  }

  it('start, stop and get-property give hardware-error', () => {
    const { h, device, d } = rig();
    device.broken.add('start');
    let e = witErrorOf(() => d.start('p'));
    expect([e.payload, e.message]).toEqual(['hardware-error', 'sensor device failure: boom']);
    device.broken.clear();
    d.start('p');
    device.broken.add('stop');
    expect(witErrorOf(() => d.stop()).payload).toBe('hardware-error');
    device.broken.add('getRate');
    e = witErrorOf(() => d.getProperty('sampling-rate'));
    expect([e.payload, e.message]).toEqual(['hardware-error', 'sensor device failure: boom']);
    h.dispose();
  });

  it('collect: read-frames gives hardware-error once and the device counts as stopped; ready() does not throw', () => {
    const { h, device, d, pool } = rig();
    d.start('p');
    device.broken.add('collect');
    const pollable = pool.subscribe();
    // ready has no error result: the failure waits in the pool for the next read.
    expect(pollable.ready()).toBe(true);
    const e = witErrorOf(() => pool.readFrames(4));
    expect(e.payload).toBe('hardware-error');
    expect(e.message).toContain('sensor device failure: boom');
    expect(pool.readFrames(4)).toEqual([]);
    // Detached and stopped like a device that went away: stop says it is not started, start works again.
    expect(device.stops).toBe(1);
    expect(witErrorOf(() => d.stop()).payload).toBe('invalid-operation');
    device.broken.clear();
    d.start('p');
    // Frame 0 of the new start is due at once (the virtual clock stands still).
    expect(pool.readFrames(4)).toHaveLength(1);
    h.dispose();
  });
});

describe('wasi:nn: a backend whose load throws a TypeError', () => {
  it('gives the guest runtime-error with the message', () => {
    const backend: NnBackend = { name: 'broken', builderCount: 1, supports: () => true, unavailable: () => undefined, load: boom };
    const p = makeProvider({ backend: 'onnxruntime-node' }, { backends: { 'onnxruntime-node': backend } });
    const e = witErrorOf(() => p.api.load([onnx.addModel()], 'onnx', 'cpu'));
    const error = e.payload as NnError;
    expect(error.code()).toBe('runtime-error');
    expect(error.data()).toMatch(/boom/);
    p.dispose();
  });
});

describe('wasi:vision: a frame service that throws a TypeError', () => {
  it('gives the guest not-supported(message) and gives the frame back', () => {
    const services: HostServices = { counters: { pixelBytesLowered: 0, encodedBytesLowered: 0 }, frames: { resolve: boom } };
    const provider = createVisionProvider(visionDefinition.defaultConfig(), { services, wasi: {}, platform: undefined });
    const Image = (provider.imports['wasi:vision/image'] as { Image: typeof VisionWit.Image }).Image;
    let given = 0;
    const memory = { [Symbol.dispose]: () => given++ } as unknown as Memory;
    const frame: FrameData = { tag: 'host-memory', val: memory };
    expect(witErrorOf(() => Image.fromFrame(frame)).payload).toEqual({ tag: 'not-supported', val: 'vision failure: boom' });
    expect(given).toBe(1);
    provider.dispose();
  });
});
