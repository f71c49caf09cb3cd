/**
 * The behaviour every `SpiBackend` (src/spi/device.ts) must have, checked through a chip on the
 * other end whose answer to one command is known (a flash's JEDEC ID, an ADC's conversion of a
 * known voltage). Run against the simulated backend and the spidev backend over a stand-in kernel
 * by spi-backend.test.ts, and against the spidev backend on a real kernel inside the QEMU ARM
 * suite (test/hardware/contracts.ts: the sabrelite's SST25VF016B flash on ECSPI1).
 */
import assert from 'node:assert/strict';
import { SpiFailure, type SpiBackend, type SpiSegment, type SpiSettings } from '../../src/spi/device.js';
import type { SpiFaultKind } from '../../src/spi/simulated.js';
import { failsWith, hexBytes, thrown, type Contract, type Property } from './contract.js';

export interface SpiProbe {
  /** MOSI bytes of the command and what it clocks in. */
  tx: readonly number[];
  /** The MISO bytes expected for them (null: any byte). */
  rx: readonly (number | null)[];
  /** Bits of each expected byte that are defined (the others float); default 0xff. */
  mask?: readonly number[];
  /** How many bytes of `tx` are the command: the rest may be clocked in a later segment of the same chip select. */
  command: number;
}

export interface SpiUnderTest {
  backend: SpiBackend;
  /** Settings the chip works with. */
  settings: SpiSettings;
  probe: SpiProbe;
  /** The most bytes one chip-select assertion may move in either direction; unset: no limit. */
  maxMessageBytes?: number;
  /** Scripts a controller fault on the next transfer (simulated backends); unset: faults cannot be caused. */
  inject?(fault: { kind: SpiFaultKind; afterBytes: number }): void;
  /** Milliseconds on the clock that delay segments take. */
  now(): number;
}

const bytes = (b: readonly number[]) => Uint8Array.from(b);
const REVERSE = Array.from({ length: 256 }, (_, i) => {
  let r = 0;
  for (let b = 0; b < 8; b++) if (i & (1 << b)) r |= 0x80 >> b;
  return r;
});

/** Whether `got` answers the probe from byte `from` of it on. */
function answers(p: SpiProbe, got: ArrayLike<number>, from = 0): boolean {
  if (got.length !== p.rx.length - from) return false;
  for (let i = from; i < p.rx.length; i++) {
    const want = p.rx[i];
    const mask = p.mask?.[i] ?? 0xff;
    if (want !== null && want !== undefined && (got[i - from]! & mask) !== (want & mask)) return false;
  }
  return true;
}

function assertAnswers(p: SpiProbe, got: ArrayLike<number> | undefined, from: number, what: string): void {
  assert.ok(got !== undefined, `${what}: no result`);
  const want = p.rx.slice(from).map((b) => (b === null ? '..' : b.toString(16).padStart(2, '0'))).join(' ');
  assert.ok(answers(p, got, from), `${what}: got ${hexBytes(got)}, expected ${want}`);
}

function ready(t: SpiUnderTest): { command: Uint8Array; rest: Uint8Array } {
  t.backend.configure(t.settings);
  return { command: bytes(t.probe.tx.slice(0, t.probe.command)), rest: bytes(t.probe.tx.slice(t.probe.command)) };
}

const empty = (b: Uint8Array | undefined) => b instanceof Uint8Array && b.length === 0;

const properties: Property<SpiUnderTest>[] = [
  {
    name: 'a full-duplex transfer returns one array of the length sent, holding the chip\'s answer',
    run(t) {
      ready(t);
      const out = t.backend.transfer([{ kind: 'transfer', data: bytes(t.probe.tx) }]);
      assert.equal(out.length, 1);
      assertAnswers(t.probe, out[0], 0, 'the probe as one transfer segment');
    },
  },
  {
    name: 'every segment runs inside one chip-select assertion: a command written, then the rest clocked, answers as one transfer',
    run(t) {
      const { command, rest } = ready(t);
      const out = t.backend.transfer([{ kind: 'write', data: command }, { kind: 'transfer', data: rest }]);
      assert.equal(out.length, 2, 'one array per segment');
      assert.ok(empty(out[0]), 'a write segment returns an empty array');
      assertAnswers(t.probe, out[1], t.probe.command, 'write(command) + transfer(rest)');
      if (rest.every((b) => b === 0)) {
        const read = t.backend.transfer([{ kind: 'write', data: command }, { kind: 'read', length: rest.length }]);
        assertAnswers(t.probe, read[1], t.probe.command, 'write(command) + read(rest), MOSI low while reading');
      }
    },
  },
  {
    name: 'chip select is released at the end of a transfer: the next transfer starts a new command',
    run(t) {
      const { command, rest } = ready(t);
      t.backend.transfer([{ kind: 'write', data: command }]);
      const [got] = t.backend.transfer([{ kind: 'transfer', data: rest }]);
      assert.ok(!answers(t.probe, got!, t.probe.command), `the rest clocked alone still answered the command (${hexBytes(got!)}): chip select was held across transfers`);
    },
  },
  {
    name: 'a delay segment keeps chip select asserted for at least its time and returns an empty array',
    run(t) {
      const { command, rest } = ready(t);
      const t0 = t.now();
      const out = t.backend.transfer([{ kind: 'write', data: command }, { kind: 'delay', ns: 2_000_000 }, { kind: 'transfer', data: rest }]);
      const took = t.now() - t0;
      assert.equal(out.length, 3);
      assert.ok(empty(out[1]), 'a delay returns an empty array');
      assertAnswers(t.probe, out[2], t.probe.command, 'the command, a 2 ms delay, then the rest');
      assert.ok(took >= 2, `a 2 ms delay took ${took.toFixed(3)} ms`);
    },
  },
  {
    name: 'zero-length segments return empty arrays, and no segments return none',
    run(t) {
      ready(t);
      assert.deepEqual(t.backend.transfer([]), []);
      const out = t.backend.transfer([{ kind: 'write', data: new Uint8Array(0) }, { kind: 'read', length: 0 }, { kind: 'transfer', data: new Uint8Array(0) }]);
      assert.equal(out.length, 3);
      assert.ok(out.every(empty), `got lengths ${out.map((o) => o.length)}`);
      // And the chip still answers normally afterwards.
      assertAnswers(t.probe, t.backend.transfer([{ kind: 'transfer', data: bytes(t.probe.tx) }])[0], 0, 'the probe after zero-length segments');
    },
  },
  {
    name: 'a message beyond the per-message limit is refused (unsupported) before anything is sent, not split',
    skip: (t) => (t.maxMessageBytes === undefined ? 'this backend has no per-message limit' : undefined),
    run(t) {
      ready(t);
      const limit = t.maxMessageBytes!;
      const over: SpiSegment[][] = [
        [{ kind: 'read', length: limit + 1 }],
        [{ kind: 'write', data: bytes(t.probe.tx.slice(0, t.probe.command)) }, { kind: 'write', data: new Uint8Array(limit) }],
      ];
      for (const segments of over) failsWith(() => t.backend.transfer(segments), SpiFailure, ['unsupported'], `${limit + 1} bytes one way`);
      // Exactly the limit in each direction is one message.
      assert.equal(t.backend.transfer([{ kind: 'write', data: new Uint8Array(limit) }, { kind: 'read', length: limit }])[1]!.length, limit);
      assertAnswers(t.probe, t.backend.transfer([{ kind: 'transfer', data: bytes(t.probe.tx) }])[0], 0, 'the probe after the refusals');
    },
  },
  {
    name: 'a controller fault is a SpiFailure with its code; chip select is released and the next transfer starts clean',
    skip: (t) => (t.inject ? undefined : 'faults cannot be caused on this backend'),
    run(t) {
      const { command, rest } = ready(t);
      for (const kind of ['overrun', 'mode-fault', 'frame-format', 'chip-select-fault'] as const) {
        t.inject!({ kind, afterBytes: command.length });
        failsWith(() => t.backend.transfer([{ kind: 'write', data: command }, { kind: 'transfer', data: rest }]), SpiFailure, [kind], `a scripted ${kind}`);
        assertAnswers(t.probe, t.backend.transfer([{ kind: 'transfer', data: bytes(t.probe.tx) }])[0], 0, `the probe after a ${kind}`);
      }
    },
  },
  {
    name: 'LSB-first is either refused with a SpiFailure or applied to both lines; the chip\'s settings work again after',
    run(t) {
      ready(t);
      let applied = true;
      try {
        t.backend.configure({ ...t.settings, lsbFirst: !t.settings.lsbFirst });
      } catch (e) {
        assert.ok(e instanceof SpiFailure, `configure refused with ${String(e)}, not a SpiFailure`);
        applied = false;
      }
      if (applied) {
        // Bits reversed on the way out and back: the chip sees the probe as it expects it.
        const [got] = t.backend.transfer([{ kind: 'transfer', data: bytes(t.probe.tx.map((b) => REVERSE[b]!)) }]);
        assertAnswers(t.probe, Array.from(got!, (b) => REVERSE[b]!), 0, 'the bit-reversed probe, reversed back');
      }
      t.backend.configure(t.settings);
      assertAnswers(t.probe, t.backend.transfer([{ kind: 'transfer', data: bytes(t.probe.tx) }])[0], 0, 'the probe with the chip\'s settings again');
    },
  },
  {
    name: 'the caller\'s bytes are left as they were and every result is a fresh array',
    run(t) {
      ready(t);
      const tx = bytes(t.probe.tx);
      const out = t.backend.transfer([{ kind: 'transfer', data: tx }, { kind: 'write', data: tx }]);
      assert.equal(hexBytes(tx), hexBytes(t.probe.tx), 'the transmitted buffer was changed');
      assert.notEqual(out[0]!.buffer, tx.buffer, 'the result shares the transmitted buffer');
    },
  },
  {
    name: 'close is idempotent, and a closed backend refuses transfer and configure with a SpiFailure',
    run(t) {
      ready(t);
      t.backend.close();
      t.backend.close();
      thrown(() => t.backend.transfer([{ kind: 'read', length: 1 }]), SpiFailure, 'a transfer after close');
      thrown(() => t.backend.configure(t.settings), SpiFailure, 'configure after close');
    },
  },
];

export const spiContract: Contract<SpiUnderTest> = { name: 'SpiBackend', properties };
