// The bounded wait both blocking bridges share (src/core/bounded-worker.ts), with a port that never
// answers or that answers at once, so no worker thread is needed.
import { describe, expect, it } from 'vitest';
import { WorkerTimeout } from '../../src/core/blocking-bridge.js';
import { BoundedWorker, replyValue } from '../../src/core/bounded-worker.js';

class FakeWorker extends BoundedWorker {
  posted: unknown[] = [];
  closed = 0;
  stopped = 0;
  constructor(answer: boolean) {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    super(flag, {
      postMessage: (m) => {
        this.posted.push(m);
        if (answer) Atomics.store(flag, 0, 1);
      },
      close: () => this.closed++,
    });
  }
  call(op: string, args: unknown, timeoutMs: number): unknown {
    this.send({ op, args }, []);
    this.waitForFlag(op, timeoutMs, performance.now() + timeoutMs);
    return replyValue({ ok: true, value: ['done', op] });
  }
  protected stop(): void {
    this.stopped++;
  }
  die(reason: string): void {
    this.markDead(reason);
  }
}

describe('bounded worker', () => {
  it('returns once the other side raised the flag', () => {
    const w = new FakeWorker(true);
    expect(w.call('load', 1, 1000)).toEqual(['done', 'load']);
    expect(w.posted).toEqual([{ op: 'load', args: 1 }]);
    expect(w.dead).toBeUndefined();
  });

  it('a worker that misses the deadline is stopped for good: WorkerTimeout, then every call fails at once', () => {
    const w = new FakeWorker(false);
    const started = performance.now();
    expect(() => w.call('run', 0, 30)).toThrow(WorkerTimeout);
    // It waited (Atomics.wait, not a return at once) until about the deadline.
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(w.dead).toBe('the worker was stopped after run timed out');
    expect([w.closed, w.stopped]).toEqual([1, 1]);
    expect(() => w.call('run', 0, 30)).toThrow('the worker was stopped after run timed out');
    expect(w.posted).toHaveLength(1);
    w.terminate();
    expect([w.closed, w.stopped]).toEqual([1, 1]);
  });

  it('keeps the first reason it died of', () => {
    const w = new FakeWorker(true);
    w.die('the worker exited (code 1)');
    w.die('the worker failed: later');
    expect(w.dead).toBe('the worker exited (code 1)');
  });

  it('a failed reply becomes an Error with the worker message', () => {
    expect(() => replyValue({ ok: false, message: 'no such model' })).toThrow('no such model');
    expect(replyValue({ ok: true, value: 3 })).toBe(3);
  });
});
