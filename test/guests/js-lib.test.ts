/**
 * The pure parts of the JavaScript guest library (guests/js/lib/), run in Node: WIT error values
 * to EdgeError codes, C's number formatting, and the BlazeFace decoder against a decoder written
 * here in double precision. (The parts that import WIT interfaces run inside components:
 * js-facedetect.test.ts.)
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-guest.js';

interface Face { score: number; x: number; y: number; w: number; h: number }
const errors = (await import(join(ROOT, 'guests/js/lib/errors.js'))) as {
  EdgeError: new (op: string, code: string, detail?: string) => Error & { code: string; detail?: string; op: string };
  toEdgeError(op: string, e: unknown): unknown;
  call<T>(op: string, fn: () => T): T;
};
const format = (await import(join(ROOT, 'guests/js/lib/format.js'))) as { fixed(v: number, d: number): string; lround(v: number): number; jsonString(s: string): string };
const bf = (await import(join(ROOT, 'guests/js/lib/blazeface.js'))) as {
  detectFaces(o: { scores16: Float32Array; boxes16: Float32Array; scores8: Float32Array; boxes8: Float32Array }): Face[];
};

describe('EdgeError: one shape for every WIT error value', () => {
  const thrown = (payload: unknown) => Object.assign(new Error('(see error.payload)'), { payload });
  it('an enum case, a variant case with and without payload, wasi:nn error resource', () => {
    let dropped = 0;
    const nnError = { code: () => 'invalid-encoding', data: () => 'not an ONNX model', [Symbol.dispose]: () => dropped++ };
    const cases: Array<[unknown, string, string | undefined]> = [
      ['hardware-error', 'hardware-error', undefined],
      [{ tag: 'no-acknowledge', val: 'address' }, 'no-acknowledge', 'address'],
      [{ tag: 'not-found' }, 'not-found', undefined],
      [nnError, 'invalid-encoding', 'not an ONNX model'],
    ];
    for (const [payload, code, detail] of cases) {
      const e = errors.toEdgeError('op', thrown(payload)) as InstanceType<typeof errors.EdgeError>;
      expect(e).toBeInstanceOf(errors.EdgeError);
      expect([e.code, e.detail, e.op]).toEqual([code, detail, 'op']);
    }
    expect(dropped).toBe(1); // the error resource is given back once read
  });
  it('call() converts what the host throws and leaves the guest\'s own bugs alone', () => {
    expect(() => errors.call('write-read', () => { throw thrown({ tag: 'no-acknowledge', val: 'data' }); })).toThrow('write-read: no-acknowledge: data');
    const bug = new TypeError('x is undefined');
    expect(() => errors.call('f', () => { throw bug; })).toThrow(bug);
    expect(errors.call('f', () => 7)).toBe(7);
  });
});

describe('numbers as the C apps print them', () => {
  it('halves away from zero, fixed decimals, JSON strings', () => {
    expect([2.5, -2.5, 0.49].map(format.lround)).toEqual([3, -3, 0]);
    expect(format.fixed(21.5, 2)).toBe('21.50');
    expect(format.fixed(0.9214, 3)).toBe('0.921');
    expect(format.fixed(-0.5, 2)).toBe('-0.50');
    expect(format.fixed(3.3214999, 3)).toBe('3.321');
    expect(format.jsonString('a"b\\c\n')).toBe('"a\\"b\\\\c\\u000a"');
  });
});

describe('BlazeFace decoding and NMS', () => {
  /** Logits/boxes with a few strong anchors; everything else far below the threshold. */
  function outputs(strong: Array<{ grid: 16 | 8; i: number; logit: number; box: [number, number, number, number] }>) {
    const o = { scores16: new Float32Array(512).fill(-8), boxes16: new Float32Array(512 * 16), scores8: new Float32Array(384).fill(-8), boxes8: new Float32Array(384 * 16) };
    for (const s of strong) {
      const [scores, boxes] = s.grid === 16 ? [o.scores16, o.boxes16] : [o.scores8, o.boxes8];
      scores[s.i] = s.logit;
      boxes.set(s.box, s.i * 16);
    }
    return o;
  }
  /** The same model in double precision, written from the decoder's description, not its code. */
  function reference(o: ReturnType<typeof outputs>): Face[] {
    const found: Face[] = [];
    for (const [cells, per, scores, boxes] of [[16, 2, o.scores16, o.boxes16], [8, 6, o.scores8, o.boxes8]] as const) {
      for (let i = 0; i < cells * cells * per; i++) {
        const score = 1 / (1 + Math.exp(-scores[i]!));
        if (score < 0.75) continue;
        const cell = Math.floor(i / per);
        const cx = ((cell % cells) + 0.5) / cells + boxes[i * 16]! / 128, cy = (Math.floor(cell / cells) + 0.5) / cells + boxes[i * 16 + 1]! / 128;
        const w = boxes[i * 16 + 2]! / 128, h = boxes[i * 16 + 3]! / 128;
        found.push({ score, x: cx - w / 2, y: cy - h / 2, w, h });
      }
    }
    const overlap = (a: Face, b: Face) => {
      const iw = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)), ih = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
      return (iw * ih) / (a.w * a.h + b.w * b.h - iw * ih);
    };
    return found.sort((a, b) => b.score - a.score).reduce<Face[]>((kept, f) => (kept.every((k) => overlap(k, f) <= 0.3) ? [...kept, f] : kept), []);
  }

  it('keeps the best of overlapping boxes, keeps separate faces, drops weak ones', () => {
    const o = outputs([
      { grid: 16, i: 100, logit: 3, box: [0, 0, 30, 30] }, // cell 50: row 3, col 2
      { grid: 16, i: 101, logit: 2, box: [1, 1, 30, 30] }, // same cell, overlaps: dropped
      { grid: 8, i: 200, logit: 2.5, box: [0, 0, 40, 40] }, // elsewhere: kept
      { grid: 8, i: 10, logit: 0.5, box: [0, 0, 40, 40] }, // sigmoid 0.62 < 0.75: not a face
    ]);
    const got = bf.detectFaces(o);
    const want = reference(o);
    expect(want).toHaveLength(2);
    expect(got).toHaveLength(want.length);
    got.forEach((f, k) => {
      for (const key of ['score', 'x', 'y', 'w', 'h'] as const) expect(f[key]).toBeCloseTo(want[k]![key], 5);
    });
  });
});
