/**
 * Property: whatever the mode, buffer-num and the order of clock advances and reads,
 * enqueued = dequeued + dropped + queued; sequence numbers strictly increase; the gaps a reader
 * sees add up to the frames dropped; and timestamps never decrease.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { harness, ms, tp } from './helpers.js';

const modes = ['buffering-off', 'buffering-discard', 'buffering-overwrite', 'buffering-unlimited'] as const;

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
          try {
            const pool = t.Pool.create(mode, 0, bufferNum, 'p');
            t.Device.open('c').start('p');
            let lastSeq = -1n;
            let lastTs = -1n;
            let seen = 0n;
            for (const [advance, max] of schedule) {
              t.clock.advance(ms(advance));
              let frames: any[] = [];
              try {
                frames = pool.readFrames(max);
              } catch (e: any) {
                expect(mode).toBe('buffering-unlimited');
                expect(e.payload).toBe('resource-exhausted');
              }
              if (mode === 'buffering-off') expect(frames.length).toBeLessThanOrEqual(1);
              if (mode === 'buffering-discard' || mode === 'buffering-overwrite') expect(frames.length).toBeLessThanOrEqual(bufferNum);
              for (const f of frames) {
                expect(f.sequenceNumber).toBeGreaterThan(lastSeq);
                expect(f.timestamp).toBeGreaterThanOrEqual(lastTs);
                lastSeq = f.sequenceNumber;
                lastTs = f.timestamp;
                seen++;
              }
              const s = pool.getStatistics();
              expect(s.enqueued).toBe(s.dequeued + s.dropped + BigInt(pool.inner.queued));
              expect(s.dequeued).toBe(seen);
            }
            // Drain: the last sequence number seen + 1 = frames delivered + frames dropped before it.
            const s = pool.getStatistics();
            if (pool.inner.queued === 0 && lastSeq >= 0n) expect(lastSeq + 1n).toBeLessThanOrEqual(s.dequeued + s.dropped);
          } finally {
            t.provider.dispose();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
