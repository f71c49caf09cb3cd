// Bad input for wasi:spi: random operation lists, lengths, configs, faults and handle lifecycles.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WitError } from '../../src/core/wit-error.js';
import { VirtualClock } from '../../src/spi/clock.js';
import { parseSpiConfig } from '../../src/spi/config.js';
import { Mcp3008 } from '../../src/spi/devices/mcp3008.js';
import { SpiNorFlash } from '../../src/spi/devices/spi-nor.js';
import { createSpiProvider, type SpiDeviceHandle } from '../../src/spi/provider.js';
import { SimulatedSpiDevice } from '../../src/spi/simulated.js';

const TAGS = new Set(['overrun', 'mode-fault', 'frame-format', 'chip-select-fault']);
function wellFormed(p: { tag?: string; val?: unknown }): boolean {
  if (p?.tag === 'other') return typeof p.val === 'string' && p.val.length > 0;
  return TAGS.has(p?.tag as string) && !('val' in p);
}

function rig() {
  const clock = new VirtualClock();
  const flash = new SimulatedSpiDevice(new SpiNorFlash({ clock, size: 4096 }), { clock });
  const adc = new SimulatedSpiDevice(new Mcp3008({ inputs: [1, 2] }), { clock });
  const provider = createSpiProvider(parseSpiConfig({
    devices: { flash: { kind: 'custom', device: flash, limits: { maxTransferBytes: 4096, maxOperations: 32 } }, adc: { kind: 'custom', device: adc } },
  }, 'spi'));
  const spi = provider.imports['wasi:spi/spi'] as unknown as { openDevice(n: string): SpiDeviceHandle };
  return { clock, flash, adc, provider, spi };
}

const length = fc.oneof(fc.bigInt({ min: 0n, max: 64n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.constantFrom(4096n, 4097n, 2n ** 32n));
const bytes = fc.uint8Array({ maxLength: 64 });
const op = fc.oneof(
  fc.record({ tag: fc.constant('read' as const), val: length }),
  fc.record({ tag: fc.constant('write' as const), val: bytes }),
  fc.record({ tag: fc.constant('transfer' as const), val: bytes }),
  fc.record({ tag: fc.constant('delay-ns' as const), val: fc.integer({ min: 0, max: 0xffffffff }) }),
);
const config = fc.record({
  frequency: fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constant(1_000_000)),
  mode: fc.constantFrom('mode0', 'mode1', 'mode2', 'mode3') as fc.Arbitrary<'mode0'>,
  lsbFirst: fc.boolean(),
});
const call = fc.oneof(
  fc.record({ fn: fc.constant('transaction' as const), ops: fc.array(op, { maxLength: 40 }) }),
  fc.record({ fn: fc.constant('read' as const), len: length }),
  fc.record({ fn: fc.constant('write' as const), data: bytes }),
  fc.record({ fn: fc.constant('transfer' as const), data: bytes }),
  fc.record({ fn: fc.constant('configure' as const), config }),
);
type Call = typeof call extends fc.Arbitrary<infer T> ? T : never;

function check(dev: SpiDeviceHandle, c: Call): void {
  try {
    switch (c.fn) {
      case 'transaction': {
        const out = dev.transaction(c.ops);
        expect(out.map((r) => r.tag)).toEqual(c.ops.map((o) => (o.tag === 'delay-ns' ? 'delay' : o.tag)));
        out.forEach((r, i) => {
          const o = c.ops[i]!;
          if (r.tag === 'read') expect(r.val.length).toBe(Number(o.val));
          if (r.tag === 'transfer') expect(r.val.length).toBe((o.val as Uint8Array).length);
        });
        break;
      }
      case 'read':
        expect(dev.read(c.len).length).toBe(Number(c.len));
        break;
      case 'write':
        expect(dev.write(c.data)).toBeUndefined();
        break;
      case 'transfer':
        expect(dev.transfer(c.data).length).toBe(c.data.length);
        break;
      case 'configure':
        expect(dev.configure(c.config)).toBeUndefined();
        break;
    }
  } catch (e) {
    if (!(e instanceof WitError)) throw e;
    expect(wellFormed(e.payload), JSON.stringify(e.payload)).toBe(true);
  }
}

describe('wasi:spi properties', () => {
  it('random calls and faults: a value of the right shape or a well-formed WitError', () => {
    const fault = fc.option(fc.record({ kind: fc.constantFrom('overrun', 'mode-fault', 'frame-format', 'chip-select-fault' as const), afterBytes: fc.nat(20) }));
    fc.assert(
      fc.property(fc.array(fc.tuple(call, fault, fc.boolean()), { minLength: 1, maxLength: 20 }), (calls) => {
        const { spi, flash, adc, clock } = rig();
        const devs = [spi.openDevice('flash'), spi.openDevice('adc')];
        for (const [c, f, which] of calls) {
          if (f) (which ? flash : adc).inject(f);
          check(devs[which ? 0 : 1]!, c);
        }
        // Delays run on the virtual clock only; chip select was always released.
        expect(clock.now()).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('handle lifecycles: drop, use after drop, names that do not exist, provider disposal', () => {
    const action = fc.oneof(
      fc.record({ a: fc.constant('open' as const), name: fc.oneof(fc.constantFrom('flash', 'adc'), fc.string()) }),
      fc.record({ a: fc.constant('drop' as const), i: fc.nat() }),
      fc.record({ a: fc.constant('use' as const), i: fc.nat(), c: call }),
      fc.constant({ a: 'dispose' as const }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        const { spi, provider } = rig();
        const handles: SpiDeviceHandle[] = [];
        for (const x of actions) {
          try {
            if (x.a === 'open') handles.push(spi.openDevice(x.name));
            else if (x.a === 'drop') handles[x.i % Math.max(1, handles.length)]?.[Symbol.dispose]();
            else if (x.a === 'use' && handles.length) check(handles[x.i % handles.length]!, x.c);
            else if (x.a === 'dispose') provider.dispose();
          } catch (e) {
            expect(e).toBeInstanceOf(WitError);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('10^5 open / transfer / drop cycles keep the heap flat', () => {
    const { spi, provider } = rig();
    const cycle = (n: number) => {
      for (let i = 0; i < n; i++) {
        const d = spi.openDevice('flash');
        d.transfer(Uint8Array.of(0x9f, 0, 0, 0));
        d[Symbol.dispose]();
      }
    };
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    cycle(10_000);
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    cycle(100_000);
    gc();
    gc();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(2 * 1024 * 1024);
    provider.dispose();
  });
});
