/**
 * The wasi:nn provider called as jco calls it (no Wasm): every function, all seven tensor types,
 * every validation rule and the error code it produces, on tiny models from our ONNX writer and
 * on BlazeFace through onnxruntime-node.
 */
import { describe, expect, it } from 'vitest';
import * as w from './onnx-writer.mjs';
import { asF32, dims, expectNnError, f32, makeProvider, run1, tensor } from './helpers.js';
import { Tensor } from '../../src/nn/provider.js';
import { BackendError, type NnBackend } from '../../src/nn/backends/backend.js';

describe('tensor resource', () => {
  it('keeps dimensions, type and data as given (the constructor cannot fail)', () => {
    const t = new Tensor(dims(2, 3), 'I64', new Uint8Array(5));
    expect(Array.from(t.dimensions())).toEqual([2, 3]);
    expect(t.ty()).toBe('I64');
    expect(t.data().length).toBe(5);
  });
});

// The same suite runs on every ONNX backend: the engine's checks come first, so the codes agree.
describe.each(['onnxruntime-node', 'onnxruntime-web'] as const)('on %s', (backend) => {
  const mk = (overrides: Parameters<typeof makeProvider>[0] = {}, options: Parameters<typeof makeProvider>[1] = {}) =>
    makeProvider({ backend, ...overrides }, options);

  describe('load + compute on generated models', () => {
    const p = mk();

    it('add: [2,3] f32 + [2,3] f32', () => {
      const out = run1(p, w.addModel(), [
        ['a', tensor([2, 3], 'FP32', f32(1, 2, 3, 4, 5, 6))],
        ['b', tensor([2, 3], 'FP32', f32(10, 20, 30, 40, 50, 60))],
      ]);
      const sum = out.get('sum')!;
      expect(Array.from(sum.dimensions())).toEqual([2, 3]);
      expect(sum.ty()).toBe('FP32');
      expect(asF32(sum.data())).toEqual([11, 22, 33, 44, 55, 66]);
    });

    it('conv: 3x3 box sum over a 4x4 ramp', () => {
      const x = f32(...Array.from({ length: 16 }, (_, i) => i));
      const out = run1(p, w.convModel(), [['x', tensor([1, 1, 4, 4], 'FP32', x)]]);
      // top-left 3x3 window of 0..15 in rows of 4: 0+1+2+4+5+6+8+9+10 = 45
      expect(asF32(out.get('y')!.data())).toEqual([45, 54, 81, 90]);
      expect(Array.from(out.get('y')!.dimensions())).toEqual([1, 1, 2, 2]);
    });

    it('two outputs come back named, in model order', () => {
      const graph = p.api.load([w.twoOutputsModel()], 'onnx', 'cpu');
      const out = graph.initExecutionContext().compute([['x', tensor([4], 'FP32', f32(1, 2, 3, -4))]]);
      expect(out.map(([n]: [string]) => n)).toEqual(['double', 'square']);
      expect(asF32(out[0][1].data())).toEqual([2, 4, 6, -8]);
      expect(asF32(out[1][1].data())).toEqual([1, 4, 9, 16]);
    });

    it('dynamic batch dimension accepts any batch size', () => {
      const graph = p.api.load([w.dynamicBatchModel()], 'onnx', 'cpu');
      const ctx = graph.initExecutionContext();
      for (const n of [1, 2, 5]) {
        const values = Array.from({ length: n * 3 }, (_, i) => i - 4);
        const [[, y]] = ctx.compute([['x', tensor([n, 3], 'FP32', f32(...values))]]);
        expect(Array.from(y.dimensions())).toEqual([n, 3]);
        expect(asF32(y.data())).toEqual(values.map((v) => Math.max(0, v)));
      }
    });

    it('I64, I32 and FP64 arithmetic', () => {
      const i64 = (...v: number[]) => new Uint8Array(new BigInt64Array(v.map(BigInt)).buffer);
      const big = run1(p, w.addTypedModel(w.DT.INT64), [
        ['a', tensor([3], 'I64', i64(2 ** 40, -1, 7))],
        ['b', tensor([3], 'I64', i64(1, -1, 8))],
      ]).get('sum')!;
      expect(big.ty()).toBe('I64');
      expect(Array.from(new BigInt64Array(big.data().slice().buffer))).toEqual([2n ** 40n + 1n, -2n, 15n]);

      const i32 = (...v: number[]) => new Uint8Array(new Int32Array(v).buffer);
      const small = run1(p, w.addTypedModel(w.DT.INT32), [['a', tensor([3], 'I32', i32(1, 2, 3))], ['b', tensor([3], 'I32', i32(-1, -2, 2 ** 30))]]).get('sum')!;
      expect(small.ty()).toBe('I32');
      expect(Array.from(new Int32Array(small.data().slice().buffer))).toEqual([0, 0, 2 ** 30 + 3]);

      const f64 = (...v: number[]) => new Uint8Array(new Float64Array(v).buffer);
      const dbl = run1(p, w.addTypedModel(w.DT.DOUBLE), [['a', tensor([3], 'FP64', f64(0.1, 1e300, 3))], ['b', tensor([3], 'FP64', f64(0.2, 1e300, -3))]]).get('sum')!;
      expect(dbl.ty()).toBe('FP64');
      expect(Array.from(new Float64Array(dbl.data().slice().buffer))).toEqual([0.1 + 0.2, 2e300, 0]);
    });

    it('U8 in and out', () => {
      const y = run1(p, w.u8Model(), [['x', tensor([4], 'U8', Uint8Array.from([0, 1, 100, 200]))]]).get('y')!;
      expect(y.ty()).toBe('U8');
      expect(Array.from(y.data())).toEqual([1, 2, 101, 201]);
    });

    it('FP16 passes through as raw half-precision bits', () => {
      const bits = Uint16Array.from([0x3c00, 0xc000, 0x7bff]); // 1, -2, 65504
      const y = run1(p, w.identityModel(w.DT.FLOAT16), [['x', tensor([3], 'FP16', new Uint8Array(bits.buffer))]]).get('y')!;
      expect(y.ty()).toBe('FP16');
      expect(Array.from(new Uint16Array(y.data().slice().buffer))).toEqual([0x3c00, 0xc000, 0x7bff]);
    });

    it('a misaligned data view is accepted (copied before ORT sees it)', () => {
      const raw = new Uint8Array(13);
      raw.set(f32(1, 2, 3), 1);
      const y = run1(p, w.addTypedModel(w.DT.FLOAT), [['a', tensor([3], 'FP32', raw.subarray(1))], ['b', tensor([3], 'FP32', f32(1, 1, 1))]]).get('sum')!;
      expect(asF32(y.data())).toEqual([2, 3, 4]);
    });

    it('autodetect recognises ONNX', () => {
      const out = run1(p, w.dynamicBatchModel(), [['x', tensor([1, 3], 'FP32', f32(-1, 0, 1))]], 'autodetect');
      expect(asF32(out.get('y')!.data())).toEqual([0, 0, 1]);
    });

    it('input tensors are consumed by compute: their data is released, and they cannot be passed again', () => {
      const graph = p.api.load([w.dynamicBatchModel()], 'onnx', 'cpu');
      const ctx = graph.initExecutionContext();
      const x = tensor([1, 3], 'FP32', f32(1, 2, 3));
      ctx.compute([['x', x]]);
      expect(x.data().length).toBe(0);
      expectNnError(() => ctx.compute([['x', x]]), 'invalid-argument');
    });
  });

  describe('validation: each rule and its error code', () => {
    const p = mk();
    const ctxOf = (model: Uint8Array) => p.api.load([model], 'onnx', 'cpu').initExecutionContext();
    const add = () => ctxOf(w.addModel());
    const six = () => f32(1, 2, 3, 4, 5, 6);

    it('byte length ≠ Π(dims) × size → invalid-argument at compute', () => {
      const msg = expectNnError(() => add().compute([['a', tensor([2, 3], 'FP32', f32(1, 2, 3))], ['b', tensor([2, 3], 'FP32', six())]]), 'invalid-argument');
      expect(msg).toMatch(/needs 24 bytes of data, got 12/);
    });

    it('unknown input name → invalid-argument listing the model inputs', () => {
      const msg = expectNnError(() => add().compute([['c', tensor([2, 3], 'FP32', six())]]), 'invalid-argument');
      expect(msg).toMatch(/no input named 'c'.*'a', 'b'/);
    });

    it('a missing input → invalid-argument', () => {
      expect(expectNnError(() => add().compute([['a', tensor([2, 3], 'FP32', six())]]), 'invalid-argument')).toMatch(/'b' was not given/);
    });

    it('the same name twice → invalid-argument', () => {
      expect(expectNnError(() => add().compute([['a', tensor([2, 3], 'FP32', six())], ['a', tensor([2, 3], 'FP32', six())]]), 'invalid-argument')).toMatch(/twice/);
    });

    it('element type mismatch → invalid-argument naming expected and actual', () => {
      const msg = expectNnError(() => add().compute([['a', tensor([2, 3], 'I32', new Uint8Array(24))], ['b', tensor([2, 3], 'FP32', six())]]), 'invalid-argument');
      expect(msg).toMatch(/expected float32, got int32/);
    });

    it('rank mismatch → invalid-argument naming expected and actual', () => {
      const msg = expectNnError(() => add().compute([['a', tensor([6], 'FP32', six())], ['b', tensor([2, 3], 'FP32', six())]]), 'invalid-argument');
      expect(msg).toMatch(/rank expected 2 \[2,3\], got 1 \[6\]/);
    });

    it('static dimension mismatch → invalid-argument naming expected and actual', () => {
      const msg = expectNnError(() => add().compute([['a', tensor([3, 2], 'FP32', six())], ['b', tensor([2, 3], 'FP32', six())]]), 'invalid-argument');
      expect(msg).toMatch(/dimension 0 expected 2, got 3/);
    });

    it('a dynamic dimension of the model still checks the static ones', () => {
      expect(expectNnError(() => ctxOf(w.dynamicBatchModel()).compute([['x', tensor([2, 2], 'FP32', f32(1, 2, 3, 4))]]), 'invalid-argument')).toMatch(/dimension 1 expected 3, got 2/);
    });

    it('BF16 (ORT from JS cannot take it) → unsupported-operation', () => {
      expect(expectNnError(() => ctxOf(w.identityModel(w.DT.BFLOAT16)).compute([['x', tensor([3], 'BF16', new Uint8Array(6))]]), 'unsupported-operation')).toMatch(/bfloat16|data type: 16/);
    });

    it('a model input type wasi:nn cannot express (bool) → unsupported-operation', () => {
      expect(expectNnError(() => ctxOf(w.identityModel(w.DT.BOOL)).compute([['x', tensor([3], 'U8', new Uint8Array(3))]]), 'unsupported-operation')).toMatch(/bool/);
    });

    it('a model output type wasi:nn cannot express (bool) → unsupported-operation', () => {
      expect(expectNnError(() => ctxOf(w.boolOutputModel()).compute([['x', tensor([3], 'FP32', f32(1, -1, 2))]]), 'unsupported-operation')).toMatch(/output 'y'.*bool/);
    });

    it('a backend failure at run time → runtime-error carrying ORT\'s message', () => {
      const msg = expectNnError(() => ctxOf(w.reshapeModel()).compute([['x', tensor([5], 'FP32', f32(1, 2, 3, 4, 5))]]), 'runtime-error');
      expect(msg).toMatch(/cannot be reshaped/);
    });

    it('bytes that are not a model → invalid-encoding (onnx and autodetect)', () => {
      const junk = new TextEncoder().encode('this is not a model at all');
      expect(expectNnError(() => p.api.load([junk], 'onnx', 'cpu'), 'invalid-encoding')).toMatch(/not an ONNX model/);
      expect(expectNnError(() => p.api.load([junk], 'autodetect', 'cpu'), 'invalid-encoding')).toMatch(/autodetect/);
      expectNnError(() => p.api.load([new Uint8Array(0)], 'onnx', 'cpu'), 'invalid-encoding');
    });

    it('protobuf that passes the sniff but ORT rejects → invalid-encoding with ORT\'s message', () => {
      // ir_version + a graph whose contents are garbage
      const bytes = Uint8Array.from([0x08, 0x08, 0x3a, 0x03, 0xff, 0xff, 0xff, 0x42, 0x02, 0x10, 0x0d]);
      expect(expectNnError(() => p.api.load([bytes], 'onnx', 'cpu'), 'invalid-encoding')).toMatch(new RegExp(backend));
    });

    it('encodings without a backend here → invalid-encoding', () => {
      for (const enc of ['openvino', 'tensorflow', 'pytorch', 'tensorflowlite', 'ggml']) {
        expect(expectNnError(() => p.api.load([w.addModel()], enc, 'cpu'), 'invalid-encoding')).toMatch(new RegExp(enc));
      }
    });

    it('gpu and tpu targets → unsupported-operation unless cpuFallback', () => {
      for (const target of ['gpu', 'tpu']) {
        expect(expectNnError(() => p.api.load([w.addModel()], 'onnx', target), 'unsupported-operation')).toMatch(/cpuFallback/);
      }
      const fallback = mk({ cpuFallback: true });
      const g = fallback.api.load([w.dynamicBatchModel()], 'onnx', 'gpu');
      const [[, y]] = g.initExecutionContext().compute([['x', tensor([1, 3], 'FP32', f32(-1, 0, 5))]]);
      expect(asF32(y.data())).toEqual([0, 0, 5]);
    });

    it('wrong number of builders → invalid-argument', () => {
      expectNnError(() => p.api.load([w.addModel(), w.addModel()], 'onnx', 'cpu'), 'invalid-argument');
      expectNnError(() => p.api.load([], 'onnx', 'cpu'), 'invalid-argument');
    });

    it('a well-formed model with an operator ORT lacks → unsupported-operation', () => {
      expect(expectNnError(() => p.api.load([w.unknownOpModel()], 'onnx', 'cpu'), 'unsupported-operation')).toMatch(/NoSuchOperator/);
    });

    it('model above nn.limits.modelBytes → too-large (load and load-by-name)', () => {
      const small = mk({ limits: { modelBytes: 100, tensorBytes: 1 << 20 } });
      expect(expectNnError(() => small.api.load([w.convModel(), new Uint8Array(0)], 'onnx', 'cpu'), 'too-large')).toMatch(/limit is 100/);
      expectNnError(() => small.api.loadByName('blazeface'), 'too-large');
    });

    it('tensor above nn.limits.tensorBytes → too-large (input and output)', () => {
      const small = mk({ limits: { modelBytes: 1 << 20, tensorBytes: 16 } });
      const g = small.api.load([w.dynamicBatchModel()], 'onnx', 'cpu');
      expect(expectNnError(() => g.initExecutionContext().compute([['x', tensor([2, 3], 'FP32', new Uint8Array(24))]]), 'too-large')).toMatch(/input 'x'/);
      // two outputs of 16 bytes each fit; a 12-byte input with a 16-byte-limit passes; output of 4 × f32 = 16 fits
      const conv = mk({ limits: { modelBytes: 1 << 20, tensorBytes: 12 } }).api.load([w.twoOutputsModel()], 'onnx', 'cpu');
      expectNnError(() => conv.initExecutionContext().compute([['x', tensor([4], 'FP32', f32(1, 2, 3, 4))]]), 'too-large');
    });

    it('load from guest bytes refused by config → security', () => {
      const locked = mk({ allowLoad: false });
      expect(expectNnError(() => locked.api.load([w.addModel()], 'onnx', 'cpu'), 'security')).toMatch(/allowLoad/);
      expect(locked.api.loadByName('blazeface')).toBeDefined();
    });

    it('a timeout reported by a backend → timeout (the mapping; web-timeout.test.ts has the real one)', () => {
      const slow: NnBackend = {
        name: 'slow',
        builderCount: 1,
        supports: () => true,
        unavailable: () => undefined,
        load() {
          throw new BackendError('timeout', 'slow: no answer within 10 ms');
        },
      };
      const q = mk({}, { backends: { [backend]: slow } });
      expect(expectNnError(() => q.api.load([w.addModel()], 'onnx', 'cpu'), 'timeout')).toMatch(/10 ms/);
    });


    it('a backend that throws something unexpected → runtime-error, not a host crash', () => {
      const weird: NnBackend = { name: 'weird', builderCount: 1, supports: () => true, unavailable: () => undefined, load() { throw 42; } };
      const q = mk({}, { backends: { [backend]: weird } });
      expect(expectNnError(() => q.api.load([w.addModel()], 'onnx', 'cpu'), 'runtime-error')).toMatch(/42/);
    });
  });
});

describe('load-by-name registry', () => {
  it('default config names "blazeface": shapes of all four outputs', () => {
    const p = makeProvider();
    const ctx = p.api.loadByName('blazeface').initExecutionContext();
    const out = ctx.compute([['input:0', tensor([1, 128, 128, 3], 'FP32', new Uint8Array(128 * 128 * 3 * 4))]]);
    expect(out.map(([n, t]: [string, Tensor]) => [n, Array.from(t.dimensions())])).toEqual([
      ['Identity:0', [1, 512, 1]],
      ['Identity_1:0', [1, 384, 1]],
      ['Identity_2:0', [1, 512, 16]],
      ['Identity_3:0', [1, 384, 16]],
    ]);
  });

  it('loads lazily and shares one session between graphs and contexts', () => {
    const p = makeProvider();
    expect(p.engine.liveGraphs).toBe(0);
    const a = p.api.loadByName('blazeface');
    const b = p.api.loadByName('blazeface');
    const c1 = a.initExecutionContext();
    const c2 = b.initExecutionContext();
    expect(p.engine.liveGraphs).toBe(1);
    for (const r of [a, b, c1, c2]) r[Symbol.dispose]();
    expect(p.engine.liveGraphs).toBe(1); // the registry keeps it for the next guest call
    p.dispose();
    expect(p.engine.liveGraphs).toBe(0);
  });

  it('unknown name → not-found; configured but not granted → security', () => {
    const p = makeProvider({ allow: ['other'] });
    expect(expectNnError(() => p.api.loadByName('no-such-model'), 'not-found')).toMatch(/no-such-model/);
    expect(expectNnError(() => p.api.loadByName('blazeface'), 'security')).toMatch(/not granted/);
    expectNnError(() => p.api.loadByName('__proto__'), 'not-found');
  });
});

describe('resource lifetimes', () => {
  it('a context outlives its graph; the session is freed with the last reference', () => {
    const p = makeProvider();
    const g = p.api.load([w.dynamicBatchModel()], 'onnx', 'cpu');
    const ctx = g.initExecutionContext();
    g[Symbol.dispose]();
    g[Symbol.dispose](); // idempotent
    expect(p.engine.liveGraphs).toBe(1);
    const [[, y]] = ctx.compute([['x', tensor([1, 3], 'FP32', f32(1, -1, 1))]]);
    expect(asF32(y.data())).toEqual([1, 0, 1]);
    ctx[Symbol.dispose]();
    expect(p.engine.liveGraphs).toBe(0);
  });

  it('dispose of the provider frees every session; later calls fail with an error, not a crash', () => {
    const p = makeProvider();
    const g = p.api.load([w.dynamicBatchModel()], 'onnx', 'cpu');
    const ctx = g.initExecutionContext();
    p.dispose();
    p.dispose();
    expect(p.engine.liveGraphs).toBe(0);
    expectNnError(() => ctx.compute([['x', tensor([1, 3], 'FP32', f32(1, 2, 3))]]), 'runtime-error');
    expectNnError(() => g.initExecutionContext(), 'runtime-error');
  });

  it('the tensor service (used by wasi:vision) makes tensors compute accepts', () => {
    const p = makeProvider();
    const t = p.tensors.create([1, 3], 'FP32', f32(-2, 0, 2));
    expect(t).toBeInstanceOf(Tensor);
    const [[, y]] = p.api.load([w.dynamicBatchModel()], 'onnx', 'cpu').initExecutionContext().compute([['x', t as Tensor]]);
    expect(asF32(y.data())).toEqual([0, 0, 2]);
  });
});

describe('messages stay small whatever the guest sends', () => {
  it('long names and many dimensions are cut short in error data', () => {
    const p = makeProvider();
    const ctx = p.api.load([w.dynamicBatchModel()], 'onnx', 'cpu').initExecutionContext();
    const dimsMany = new Array(100_000).fill(1);
    const msg = expectNnError(() => ctx.compute([['x'.repeat(100_000), tensor(dimsMany, 'FP32', new Uint8Array(3))]]), 'invalid-argument');
    expect(msg.length).toBeLessThan(400);
    expect(msg).toMatch(/100000 dimensions/);
    expect(expectNnError(() => p.api.loadByName('n'.repeat(100_000)), 'not-found').length).toBeLessThan(200);
  });
});
