/**
 * Property tests: for any dimensions, tensor type and data length a guest can send, compute either
 * returns the tensor unchanged (identity model, dynamic rank-2 input) or fails with
 * invalid-argument / unsupported-operation — never a plain exception, never a wrong answer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as w from './onnx-writer.mjs';
import { makeProvider, tensor } from './helpers.js';
import { NnError, Tensor } from '../../src/nn/provider.js';
import { WitError } from '../../src/core/wit-error.js';

const TYPES = [
  ['FP16', w.DT.FLOAT16, 2], ['FP32', w.DT.FLOAT, 4], ['FP64', w.DT.DOUBLE, 8], ['BF16', w.DT.BFLOAT16, 2],
  ['U8', w.DT.UINT8, 1], ['I32', w.DT.INT32, 4], ['I64', w.DT.INT64, 8],
] as const;

describe('compute on arbitrary guest tensors', () => {
  const p = makeProvider();
  const contexts = new Map(TYPES.map(([ty, dt]) => [ty, p.api.load([w.dynamicIdentityModel(dt)], 'onnx', 'cpu').initExecutionContext()]));

  it('identity round-trips valid tensors; everything else is a WIT error', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TYPES),
        fc.constantFrom(...TYPES.map(([t]) => t)),
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 0, maxLength: 4 }),
        fc.integer({ min: -3, max: 3 }),
        fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
        ([modelTy, , size], givenTy, dims, lengthError, extraNames) => {
          const count = dims.reduce((a, b) => a * b, 1);
          const givenSize = TYPES.find(([t]) => t === givenTy)![2];
          const len = Math.max(0, count * givenSize + lengthError);
          const data = Uint8Array.from({ length: len }, (_, i) => (i * 37) & 0xff);
          const inputs: [string, Tensor][] = [['x', tensor(dims, givenTy, data)], ...extraNames.map((n): [string, Tensor] => [n, tensor([1], 'U8', new Uint8Array(1))])];
          const valid = givenTy === modelTy && dims.length === 2 && len === count * givenSize && modelTy !== 'BF16' && extraNames.length === 0;
          let out: [string, Tensor][] | undefined;
          let error: unknown;
          try {
            out = contexts.get(modelTy)!.compute(inputs);
          } catch (e) {
            error = e;
          }
          if (out) {
            expect(valid).toBe(true);
            expect(out).toHaveLength(1);
            expect(out[0]![1].ty()).toBe(givenTy);
            expect(Array.from(out[0]![1].dimensions())).toEqual(dims);
            expect(Array.from(out[0]![1].data())).toEqual(Array.from(data));
            void size;
          } else {
            expect(error).toBeInstanceOf(WitError);
            const code = ((error as WitError<NnError>).payload).code();
            expect(['invalid-argument', 'unsupported-operation']).toContain(code);
            expect(valid).toBe(false);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('load never throws anything but a WIT error for arbitrary bytes and encodings', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 3 }),
        fc.constantFrom('openvino', 'onnx', 'tensorflow', 'pytorch', 'tensorflowlite', 'ggml', 'autodetect'),
        fc.constantFrom('cpu', 'gpu', 'tpu'),
        (parts, encoding, target) => {
          try {
            p.api.load(parts, encoding, target)[Symbol.dispose]();
          } catch (e) {
            expect(e).toBeInstanceOf(WitError);
            expect((e as WitError<NnError>).payload).toBeInstanceOf(NnError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
