/**
 * The real `timeout`: onnxruntime-web runs in a worker behind Atomics.wait with a bound
 * (nn.timeoutMs). A chain of 1024 MatMuls on [512,512] (1024 × 0.27 GFLOP; a quiet machine does ~25 GFLOP/s on one wasm thread)
 * against a 1 s bound cannot finish in time; the worker is stopped, that graph then reports runtime-error, and a
 * new load starts a fresh worker. Own file: the stopped worker is per process (per vitest fork).
 */
import { describe, expect, it } from 'vitest';
import * as w from './onnx-writer.mjs';
import { asF32, expectNnError, f32, makeProvider, tensor } from './helpers.js';

describe('onnxruntime-web compute timeout', () => {
  it('a compute over nn.timeoutMs → timeout; the graph is dead afterwards; reloading works', () => {
    const p = makeProvider({ backend: 'onnxruntime-web', timeoutMs: 1000 });
    const n = 512;
    const slow = p.api.load([w.slowModel(n, 1024)], 'onnx', 'cpu').initExecutionContext();
    const zeros = () => new Uint8Array(n * n * 4);
    const msg = expectNnError(() => slow.compute([['x', tensor([n, n], 'FP32', zeros())]]), 'timeout');
    expect(msg).toMatch(/within 1000 ms/);
    expect(expectNnError(() => slow.compute([['x', tensor([n, n], 'FP32', zeros())]]), 'runtime-error')).toMatch(/load the model again/);

    const relu = makeProvider({ backend: 'onnxruntime-web' }).api.load([w.dynamicBatchModel()], 'onnx', 'cpu');
    const [[, y]] = relu.initExecutionContext().compute([['x', tensor([1, 3], 'FP32', f32(-3, 0, 3))]]);
    expect(asF32(y.data())).toEqual([0, 0, 3]);
  });
});
