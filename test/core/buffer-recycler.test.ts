/**
 * Large buffers reused instead of allocated per frame (src/core/buffer-recycler.ts): tensors, and
 * wasi:vision's copies to draw on and lifted pixels. Only buffers the recycler handed out come back,
 * only once their tensor or image is done with, and within bounds.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferRecycler } from '../../src/core/buffer-recycler.js';
import { makeProvider } from '../nn/helpers.js';
import { ROOT, runGuest } from '../helpers/run-guest.js';
import type { EdgeHost } from '../../src/index.js';

const BIG = 64 * 1024;

describe('buffer recycler', () => {
  it('hands a given-back buffer out again, and allocates when none of that size is free', () => {
    const r = new BufferRecycler();
    const a = r.take(BIG);
    expect(r.take(BIG)).not.toBe(a);
    r.give(a);
    expect(r.take(BIG)).toBe(a);
    expect(r.take(BIG)).not.toBe(a);
    expect(r.counts).toEqual({ reused: 1, allocated: 3 });
  });

  it('never takes a buffer it did not hand out, a detached one, a small one or one past its bounds', () => {
    const r = new BufferRecycler({ perSize: 1, totalBytes: 2 * BIG, minBytes: 1024 });
    const foreign = new ArrayBuffer(BIG);
    r.give(foreign);
    expect(r.take(BIG)).not.toBe(foreign);
    const detached = r.take(BIG);
    structuredClone(detached, { transfer: [detached] });
    r.give(detached);
    expect(r.take(BIG).byteLength).toBe(BIG);
    const small = r.take(512);
    r.give(small);
    expect(r.take(512)).not.toBe(small);
    const [x, y] = [r.take(BIG), r.take(BIG)];
    r.give(x);
    r.give(y); // one per size
    expect(r.take(BIG)).toBe(x);
    expect(r.take(BIG)).not.toBe(y);
  });

  it('wasi:nn takes a to-tensor buffer back when its tensor is dropped or consumed, not before', () => {
    const p = makeProvider();
    const first = p.tensors.allocate(BIG);
    const t = p.tensors.create([BIG / 4], 'FP32', new Uint8Array(first)) as { [Symbol.dispose](): void; data(): Uint8Array };
    // Still held by a live tensor: a new one is allocated.
    const second = p.tensors.allocate(BIG);
    expect(second).not.toBe(first);
    expect(t.data().buffer).toBe(first);
    t[Symbol.dispose]();
    expect(p.tensors.allocate(BIG)).toBe(first);
    // Bytes the recycler did not hand out (a tensor made of a buffer of its caller's) are never taken.
    const lifted = new Uint8Array(BIG);
    const g = new p.api.Tensor([BIG / 4], 'FP32', lifted) as unknown as { [Symbol.dispose](): void };
    g[Symbol.dispose]();
    expect(p.tensors.allocate(BIG)).not.toBe(lifted.buffer);
    p.dispose();
  });

  it('a guest\'s tensor bytes, lifted into the host\'s buffers, come back after each compute: one allocation for the loop', async () => {
    // nn_bench builds BlazeFace's 196 KB input with the tensor constructor before every compute.
    let host: EdgeHost | undefined;
    const computes = 6; // and one warm-up
    const run = await runGuest('nn_bench', { wasi: { args: ['nn_bench', 'blazeface', 'input:0', String(computes), String(computes), '1', '128', '128', '3'] } }, {
      onHost: (h) => (host = h),
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const counts = host!.services.buffers!.counts;
    expect(counts.allocated).toBe(1);
    expect(counts.reused).toBe(computes);
    // Same input every time, same first output: the checksum is 7 times one compute's.
    const one = await runGuest('nn_bench', { wasi: { args: ['nn_bench', 'blazeface', 'input:0', '0', '1', '1', '128', '128', '3'] } });
    const checksum = (out: string) => Number(/checksum (\S+)/.exec(out)?.[1]);
    expect(checksum(run.stdout)).toBeCloseTo((computes + 1) * checksum(one.stdout), 2);
  }, 60_000);

  it('wasi:vision\'s copy to draw on, of a camera frame, goes back when the image is dropped: one frame buffer for the run', async () => {
    // facedetect draws its boxes on the camera's frame: copy on write, since the frame is lent.
    let host: EdgeHost | undefined;
    const frames = 9;
    const run = await runGuest('facedetect', {
      sensor: { clock: 'virtual', devices: { 'camera:0': { kind: 'image-fixture', directory: join(ROOT, 'fixtures/demo/camera'), loop: true } } },
      wasi: { args: ['facedetect', String(frames)], env: { OUT_DIR: '-' } },
    }, { onHost: (h) => (host = h) });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const lines = run.stdout.split('\n').filter((l) => l.startsWith('{"frame"')).map((l) => JSON.parse(l) as { faces: unknown[] });
    expect(lines).toHaveLength(frames);
    const drawn = lines.filter((l) => l.faces.length > 0).length;
    expect(drawn).toBeGreaterThan(1);
    // Two buffers in all: the to-tensor input (one per frame) and the frame copy (one per frame with a face).
    const counts = host!.services.buffers!.counts;
    expect(counts.allocated).toBe(2);
    expect(counts.reused).toBe(frames - 1 + drawn - 1);
  }, 60_000);

  it('a by-value frame the guest hands to wasi:vision is lifted into a recycled buffer, given back when the image goes', async () => {
    // No host-memory pools: facedetect gets each frame's pixels by value and passes them to
    // from-frame, whose image owns them (and is drawn on in place: nothing else shares them).
    let host: EdgeHost | undefined;
    const frames = 7;
    const run = await runGuest('facedetect', {
      sensor: { clock: 'virtual', hostMemoryPools: [], devices: { 'camera:0': { kind: 'image-fixture', directory: join(ROOT, 'fixtures/demo/camera'), loop: true } } },
      wasi: { args: ['facedetect', String(frames)], env: { OUT_DIR: '-' } },
    }, { onHost: (h) => (host = h) });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const lines = run.stdout.split('\n').filter((l) => l.startsWith('{"frame"')).map((l) => JSON.parse(l) as { faces: unknown[] });
    expect(lines).toHaveLength(frames);
    expect(lines.some((l) => l.faces.length > 0)).toBe(true);
    // Two buffers in all, each reused every later frame: the lifted frame and the to-tensor input.
    expect(host!.services.buffers!.counts).toEqual({ allocated: 2, reused: 2 * (frames - 1) });
  }, 60_000);
});
