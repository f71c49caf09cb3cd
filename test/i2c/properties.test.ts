// Bad input: random operation lists, addresses, lengths, faults and handle lifecycles. Every call
// returns a value or throws a WitError with a well-formed wasi:i2c payload; nothing else escapes.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WitError } from '../../src/core/wit-error.js';
import type { I2cHandle } from '../../src/i2c/provider.js';
import { rig } from './helpers.js';

const TAGS = new Set(['bus', 'arbitration-loss', 'no-acknowledge', 'overrun', 'other']);
const SOURCES = new Set(['address', 'data', 'unknown']);

function wellFormed(payload: unknown): boolean {
  const p = payload as { tag?: string; val?: string };
  if (!p || !TAGS.has(p.tag!)) return false;
  return p.tag === 'no-acknowledge' ? SOURCES.has(p.val!) : !('val' in p);
}

const address = fc.oneof(fc.constantFrom(0x76, 0x50, 0x48, 0x13, 0x7f, 0x80, 0x3ff, 0x400), fc.integer({ min: 0, max: 0xffff }));
const length = fc.oneof(fc.bigInt({ min: 0n, max: 40n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.constantFrom(4096n, 4097n, 2n ** 32n));
const bytes = fc.uint8Array({ maxLength: 40 });
const operation = fc.oneof(
  fc.record({ tag: fc.constant('read' as const), val: length }),
  fc.record({ tag: fc.constant('write' as const), val: bytes }),
);
const fault = fc.oneof(
  fc.constant(undefined),
  fc.record({
    kind: fc.constantFrom('nack-address', 'nack-data', 'arbitration-loss', 'overrun', 'nack-unknown', 'stuck', 'slow'),
    afterBytes: fc.integer({ min: 0, max: 5 }),
    delayMs: fc.constant(1),
    count: fc.integer({ min: 1, max: 3 }),
  }),
);
const call = fc.oneof(
  fc.record({ fn: fc.constant('transaction' as const), address, ops: fc.array(operation, { maxLength: 50 }) }),
  fc.record({ fn: fc.constant('read' as const), address, len: length }),
  fc.record({ fn: fc.constant('write' as const), address, data: bytes }),
  fc.record({ fn: fc.constant('writeRead' as const), address, data: bytes, len: length }),
);
type Call = typeof call extends fc.Arbitrary<infer T> ? T : never;

/** Runs one call; checks the value's shape, or that it threw a well-formed WitError. */
function check(i2c: I2cHandle, c: Call): 'ok' | 'err' {
  try {
    switch (c.fn) {
      case 'transaction': {
        const out = i2c.transaction(c.address, c.ops);
        const reads = c.ops.filter((o) => o.tag === 'read');
        expect(out).toHaveLength(reads.length);
        out.forEach((b, i) => expect(b.length).toBe(Number(reads[i]!.val)));
        break;
      }
      case 'read':
        expect(i2c.read(c.address, c.len).length).toBe(Number(c.len));
        break;
      case 'write':
        expect(i2c.write(c.address, c.data)).toBeUndefined();
        break;
      case 'writeRead':
        expect(i2c.writeRead(c.address, c.data, c.len).length).toBe(Number(c.len));
        break;
    }
    return 'ok';
  } catch (e) {
    if (!(e instanceof WitError)) throw e;
    expect(wellFormed(e.payload), JSON.stringify(e.payload)).toBe(true);
    return 'err';
  }
}

describe('wasi:i2c properties', () => {
  it('random calls, addresses, lengths and faults: a value or a WitError, never anything else', () => {
    const seen = { ok: 0, err: 0 };
    fc.assert(
      fc.property(fc.array(fc.tuple(call, fault), { minLength: 1, maxLength: 20 }), fc.boolean(), (calls, smbusOnly) => {
        const { i2c, bus, clock } = rig();
        (bus.capabilities as { i2c: boolean }).i2c = !smbusOnly;
        for (const [c, f] of calls) {
          if (f) bus.inject(f as never);
          seen[check(i2c, c)]++;
          clock.advance(3);
        }
      }),
      { numRuns: 300 },
    );
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.err).toBeGreaterThan(0);
  });

  it('refused calls never reach the bus: every logged transfer is a valid 7-bit one within limits', () => {
    fc.assert(
      fc.property(fc.array(call, { maxLength: 30 }), (calls) => {
        const { i2c, bus } = rig({ addresses: [0x76, 0x50] });
        for (const c of calls) check(i2c, c);
        for (const entry of bus.log) {
          expect([0x76, 0x50]).toContain(entry.address);
          for (const s of entry.segments) expect((s.read ?? s.write)!.length).toBeLessThanOrEqual(4096);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('random handle lifecycles: open, drop, use after drop, provider disposal', () => {
    const action = fc.oneof(
      fc.constant({ a: 'open' as const }),
      fc.record({ a: fc.constant('drop' as const), i: fc.nat() }),
      fc.record({ a: fc.constant('use' as const), i: fc.nat(), c: call }),
      fc.constant({ a: 'dispose' as const }),
      fc.record({ a: fc.constant('openName' as const), name: fc.string() }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        const { access, provider, i2c } = rig();
        const handles: I2cHandle[] = [i2c];
        let disposed = false;
        for (const x of actions) {
          try {
            if (x.a === 'open') handles.push(access.openI2c('b'));
            else if (x.a === 'openName') handles.push(access.openI2c(x.name));
            else if (x.a === 'drop') handles[x.i % handles.length]?.[Symbol.dispose]();
            else if (x.a === 'use' && handles.length) check(handles[x.i % handles.length]!, x.c);
            else if (x.a === 'dispose') {
              provider.dispose();
              disposed = true;
            }
          } catch (e) {
            expect(e).toBeInstanceOf(WitError);
            if (x.a === 'open') expect(disposed).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('no leaks', () => {
  it('10^5 open / use / drop cycles keep the heap flat', () => {
    const { access, provider } = rig({}, {});
    const cycle = (n: number) => {
      for (let i = 0; i < n; i++) {
        const h = access.openI2c('b');
        h.writeRead(0x76, Uint8Array.of(0xd0), 1n);
        const d = access.getDelay();
        d[Symbol.dispose]?.();
        h[Symbol.dispose]();
      }
    };
    cycle(10_000); // warm up (JIT, the bus log fills to its bound)
    const before = heapAfterGc();
    cycle(100_000);
    const after = heapAfterGc();
    expect(after - before).toBeLessThan(2 * 1024 * 1024);
    provider.dispose();
  });
});
