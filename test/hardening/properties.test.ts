/**
 * Cross-interface properties (issue 11 §1, host side): random programs over one host that mix
 * sensor frames, vision images, image → tensor and wasi:nn handles, driven through the imports as
 * jco calls them, with small random bounds. Properties:
 *  1. every call returns or throws a WIT error — never another exception (which jco would turn
 *     into a host crash);
 *  2. once every handle is dropped, every bound has its full capacity back (nothing leaked into
 *     the budgets), whatever the order of the drops.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WitError } from '../../src/core/wit-error.js';
import { host } from './helpers.js';

type Op =
  | { kind: 'image'; w: number; h: number; format: string; short: boolean }
  | { kind: 'tensor-of'; which: number; w: number; h: number; type: string; layout: string; channels: string }
  | { kind: 'tensor'; len: number; dims: number[] }
  | { kind: 'resize'; which: number; w: number; h: number }
  | { kind: 'graph' }
  | { kind: 'context'; which: number }
  | { kind: 'compute'; which: number; tensors: number[] }
  | { kind: 'pool'; size: number; num: number; hm: boolean }
  | { kind: 'frames'; which: number }
  | { kind: 'drop'; which: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('image' as const), w: fc.integer({ min: 0, max: 40 }), h: fc.integer({ min: 0, max: 40 }), format: fc.constantFrom('gray', 'rgb24', 'argb32', 'yuy2', 'nv12'), short: fc.boolean() }),
  fc.record({ kind: fc.constant('tensor-of' as const), which: fc.nat(), w: fc.integer({ min: 0, max: 64 }), h: fc.integer({ min: 0, max: 64 }), type: fc.constantFrom('U8', 'FP32', 'I64'), layout: fc.constantFrom('nhwc', 'nchw'), channels: fc.constantFrom('rgb', 'bgr', 'gray') }),
  fc.record({ kind: fc.constant('tensor' as const), len: fc.integer({ min: 0, max: 5000 }), dims: fc.array(fc.nat({ max: 70000 }), { maxLength: 5 }) }),
  fc.record({ kind: fc.constant('resize' as const), which: fc.nat(), w: fc.integer({ min: 0, max: 200 }), h: fc.integer({ min: 0, max: 200 }) }),
  fc.record({ kind: fc.constant('graph' as const) }),
  fc.record({ kind: fc.constant('context' as const), which: fc.nat() }),
  fc.record({ kind: fc.constant('compute' as const), which: fc.nat(), tensors: fc.array(fc.nat(), { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('pool' as const), size: fc.constantFrom(0, 12, 64 * 48 * 3, 1 << 20), num: fc.integer({ min: 0, max: 6 }), hm: fc.boolean() }),
  fc.record({ kind: fc.constant('frames' as const), which: fc.nat() }),
  fc.record({ kind: fc.constant('drop' as const), which: fc.nat() }),
);

describe('random programs across sensor, vision and nn', () => {
  it('only WIT errors, and every budget is whole again once everything is dropped', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 2000, max: 40000 }), (ops, maxImages, liveBytes) => {
        const h = host({
          vision: { maxImages, maxLiveBytes: liveBytes },
          nn: { limits: { liveTensorBytes: liveBytes, maxHandles: 4, maxGraphs: 2 } },
          sensor: { clock: 'virtual', maxPools: 2, maxPoolBytes: 1 << 16, devices: { cam: { kind: 'test-pattern', width: 64, height: 48 } } },
        });
        const { Image } = h.api('wasi:vision/image');
        const { Tensor } = h.api('wasi:nn/tensor');
        const graphApi = h.api('wasi:nn/graph');
        const { Pool } = h.api('wasi:buffer-pool/buffer-pool');
        const dev = h.api('wasi:sensor/sensor').Device.open('cam');
        const live: { images: any[]; tensors: any[]; graphs: any[]; contexts: any[]; pools: any[]; other: any[] } = {
          images: [], tensors: [], graphs: [], contexts: [], pools: [], other: [],
        };
        const pick = <T>(xs: T[], i: number): T | undefined => (xs.length ? xs[i % xs.length] : undefined);
        const call = (f: () => void) => {
          try {
            f();
          } catch (e) {
            if (!(e instanceof WitError)) throw e; // property 1
          }
        };
        for (const o of ops) {
          call(() => {
            switch (o.kind) {
              case 'image': {
                const bpp = o.format === 'gray' ? 1 : o.format === 'argb32' ? 4 : o.format === 'yuy2' ? 2 : o.format === 'nv12' ? 1.5 : 3;
                const len = Math.max(0, Math.ceil(o.w * o.h * bpp) - (o.short ? 1 : 0));
                live.images.push(Image.fromPixels({ width: o.w, height: o.h, pixelFormat: o.format, planes: [] }, new Uint8Array(len)));
                break;
              }
              case 'tensor-of': {
                const img = pick(live.images, o.which);
                if (img) live.tensors.push(img.toTensor({ width: o.w, height: o.h, resizeMethod: 'bilinear', tensorLayout: o.layout, elementType: o.type, channels: o.channels, normalization: { tag: 'none' } }));
                break;
              }
              case 'tensor':
                live.tensors.push(new Tensor(Uint32Array.from(o.dims), 'U8', new Uint8Array(o.len)));
                break;
              case 'resize': {
                const img = pick(live.images, o.which);
                if (img) live.images.push(img.resize(o.w, o.h, 'area'));
                break;
              }
              case 'graph':
                live.graphs.push(graphApi.loadByName('blazeface'));
                break;
              case 'context': {
                const g = pick(live.graphs, o.which);
                if (g) live.contexts.push(g.initExecutionContext());
                break;
              }
              case 'compute': {
                const c = pick(live.contexts, o.which);
                if (!c) break;
                const given = [...new Set(o.tensors.map((i) => pick(live.tensors, i)).filter(Boolean))];
                live.tensors = live.tensors.filter((t) => !given.includes(t)); // own: gone whatever happens
                const outs = c.compute(given.map((t, i) => [i === 0 ? 'input' : `x${i}`, t]));
                for (const [, t] of outs) live.tensors.push(t);
                break;
              }
              case 'pool': {
                const p = Pool.create('buffering-overwrite', o.size, o.num, o.hm ? 'p-hm' : 'p');
                live.pools.push(p);
                call(() => dev.start(o.hm ? 'p-hm' : 'p'));
                break;
              }
              case 'frames': {
                const p = pick(live.pools, o.which);
                if (p) for (const f of p.readFrames(2)) for (const d of f.data) if (d.tag === 'host-memory') live.other.push(d.val);
                break;
              }
              case 'drop': {
                const all = Object.values(live).flat();
                const victim = pick(all, o.which);
                if (!victim) break;
                for (const list of Object.values(live)) {
                  const i = list.indexOf(victim);
                  if (i >= 0) list.splice(i, 1);
                }
                victim[Symbol.dispose]();
                break;
              }
            }
          });
        }
        // Drop everything in a random-ish order (reverse of creation, kinds interleaved).
        for (const x of Object.values(live).flat().reverse()) x[Symbol.dispose]();
        call(() => dev.stop());
        // Property 2: full capacity again.
        const images = Array.from({ length: maxImages }, () => Image.fromPixels({ width: 1, height: 1, pixelFormat: 'gray', planes: [] }, new Uint8Array(1)));
        expect(images).toHaveLength(maxImages);
        images.forEach((i) => i[Symbol.dispose]());
        const whole = Image.fromPixels({ width: liveBytes, height: 1, pixelFormat: 'gray', planes: [] }, new Uint8Array(liveBytes));
        whole[Symbol.dispose]();
        const t = new Tensor(Uint32Array.from([liveBytes - 64 - 4]), 'U8', new Uint8Array(liveBytes - 64 - 4));
        expect(t.data().length).toBe(liveBytes - 68);
        t[Symbol.dispose]();
        const handles = [graphApi.loadByName('blazeface'), graphApi.loadByName('blazeface')];
        handles.push(handles[0].initExecutionContext(), handles[1].initExecutionContext());
        handles.forEach((x) => x[Symbol.dispose]());
        expect(Pool.create('buffering-off', 1 << 16, 1, 'q')).toBeTruthy();
        expect(Pool.create('buffering-off', 1 << 16, 1, 'r')).toBeTruthy();
        h.dispose();
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
