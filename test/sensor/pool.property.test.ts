/**
 * Property: whatever the mode, buffer-num and the order of clock advances and reads, the frames a
 * reader gets, and the statistics, are exactly those of a reference model of the four modes written
 * here from docs/spec-notes/sensor.md § Pools (not from the pool's code): off keeps the newest
 * frame, discard the oldest buffer-num, overwrite the newest buffer-num, unlimited all up to the
 * host limit (then resource-exhausted once). So enqueued = dequeued + dropped + queued, and the
 * gaps in the sequence numbers a reader sees are exactly the frames dropped before them.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { harness, ms, tp } from './helpers.js';

const modes = ['buffering-off', 'buffering-discard', 'buffering-overwrite', 'buffering-unlimited'] as const;
type Mode = (typeof modes)[number];

/**
 * The reference: frame k (sequence number k) of the 10 frames/s camera is captured k × 100 ms after
 * start and reaches the pool at the first read (of at least one frame) at or after that time, in order.
 */
class PoolModel {
  queue: bigint[] = [];
  enqueued = 0n;
  dropped = 0n;
  dequeued = 0n;
  private next = 0n;
  private pendingLimit = false;

  constructor(
    readonly mode: Mode,
    readonly bufferNum: number,
    readonly limitFrames: number,
  ) {}

  /** The sequence numbers `read-frames(max)` returns at `elapsedMs` after start, or 'resource-exhausted'. */
  read(elapsedMs: number, max: number): bigint[] | 'resource-exhausted' {
    // read-frames(0) asks for nothing: no frame is pulled from the device either.
    if (max === 0) return [];
    for (const last = BigInt(Math.floor(elapsedMs / 100)); this.next <= last; this.next++) this.arrive(this.next);
    if (this.pendingLimit) {
      this.pendingLimit = false;
      return 'resource-exhausted';
    }
    const out = this.queue.splice(0, max);
    this.dequeued += BigInt(out.length);
    return out;
  }

  private arrive(k: bigint): void {
    this.enqueued++;
    const full = (n: number) => this.queue.length >= n;
    if (this.mode === 'buffering-off' && full(1)) this.drop(() => this.queue.shift());
    else if (this.mode === 'buffering-overwrite' && full(this.bufferNum)) this.drop(() => this.queue.shift());
    else if (this.mode === 'buffering-discard' && full(this.bufferNum)) return this.drop(() => {});
    else if (this.mode === 'buffering-unlimited' && full(this.limitFrames)) {
      this.pendingLimit = true;
      return this.drop(() => {});
    }
    this.queue.push(k);
  }

  private drop(how: () => void): void {
    how();
    this.dropped++;
  }
}

describe('pool statistics (property)', () => {
  it('holds for random schedules in every mode', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...modes),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 700 }), fc.integer({ min: 0, max: 6 })), { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 5, max: 40 }),
        (mode, bufferNum, schedule, limitFrames) => {
          const t = harness({ devices: { c: tp() }, maxPoolBytes: 96 * limitFrames });
          const model = new PoolModel(mode, bufferNum, limitFrames);
          try {
            const pool = t.Pool.create(mode, 0, bufferNum, 'p');
            const start = t.clock.now();
            t.Device.open('c').start('p');
            let elapsed = 0;
            for (const [advance, max] of schedule) {
              t.clock.advance(ms(advance));
              elapsed += advance;
              const want = model.read(elapsed, max);
              let got: bigint[] | 'resource-exhausted';
              let frames: any[] = [];
              try {
                frames = pool.readFrames(max);
                got = frames.map((f) => f.sequenceNumber as bigint);
              } catch (e: any) {
                got = e.payload;
              }
              expect(got, `read ${max} at ${elapsed} ms`).toEqual(want);
              for (const f of frames) expect(f.timestamp).toBe(start + ms(Number(f.sequenceNumber) * 100));
              const s = pool.getStatistics();
              expect({ enqueued: s.enqueued, dropped: s.dropped, dequeued: s.dequeued, queued: pool.inner.queued }).toEqual({
                enqueued: model.enqueued, dropped: model.dropped, dequeued: model.dequeued, queued: model.queue.length,
              });
            }
          } finally {
            t.provider.dispose();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
