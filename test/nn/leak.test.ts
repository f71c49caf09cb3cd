/**
 * Leak check at the provider level: 10^4 tensor and context create-and-drop cycles (with a
 * compute each) leave the JS heap, the array-buffer memory and the session count flat.
 */
import { describe, expect, it } from 'vitest';
import * as w from './onnx-writer.mjs';
import { f32, forceGc, makeProvider, tensor } from './helpers.js';

describe('10^4 create/drop cycles', () => {
  it('keeps the heap and sessions flat', () => {
    const p = makeProvider();
    const graph = p.api.load([w.dynamicBatchModel()], 'onnx', 'cpu');
    const cycles = (n: number) => {
      for (let i = 0; i < n; i++) {
        const unused = tensor([1, 3], 'FP32', f32(1, 2, 3));
        unused[Symbol.dispose]();
        const ctx = graph.initExecutionContext();
        const [[, y]] = ctx.compute([['x', tensor([1, 3], 'FP32', f32(-1, 0, i))]]);
        if (new Float32Array(y.data().slice().buffer)[2] !== i) throw new Error(`wrong result at ${i}`);
        y[Symbol.dispose]();
        ctx[Symbol.dispose]();
      }
    };
    cycles(10_000); // warm-up: JIT, ORT arenas
    forceGc();
    const m0 = process.memoryUsage();
    cycles(10_000);
    forceGc();
    const m1 = process.memoryUsage();
    expect(m1.heapUsed - m0.heapUsed).toBeLessThan(1024 * 1024);
    expect(m1.arrayBuffers - m0.arrayBuffers).toBeLessThan(1024 * 1024);
    expect(p.engine.liveGraphs).toBe(1);
    graph[Symbol.dispose]();
    expect(p.engine.liveGraphs).toBe(0);
  });

  it('load/drop of whole graphs frees every session', () => {
    const p = makeProvider();
    for (let i = 0; i < 200; i++) {
      const g = p.api.load([w.addModel()], 'onnx', 'cpu');
      const c = g.initExecutionContext();
      c[Symbol.dispose]();
      g[Symbol.dispose]();
    }
    expect(p.engine.liveGraphs).toBe(0);
  });
});
