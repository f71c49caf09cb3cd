/**
 * The behaviour every I2C `Bus` (src/i2c/bus.ts) must have, checked through an AT24C-style EEPROM
 * on the bus and an address where nothing answers. Run against the simulated bus (full I2C and
 * SMBus-only) by i2c-bus.test.ts, and against `LinuxBus` on real kernels inside the QEMU suite
 * (test/hardware/contracts.ts: the x86 ICH9 SMBus with its SPD EEPROM, the ARM i.MX I2C with an
 * at24c). What a bus cannot do (SMBus cannot send two address bytes before a repeated START; an
 * emulated controller that never sees a NACK) is a parameter of the bus, never a weaker check.
 */
import assert from 'node:assert/strict';
import { I2cFailure, type Bus, type Segment } from '../../src/i2c/bus.js';
import { failsWith, hexBytes, thrown, type Contract, type Property } from './contract.js';

export interface BusUnderTest {
  bus: Bus;
  /** A 7-bit address with an AT24C-style EEPROM (a word address sets its pointer, reads auto-increment). */
  eeprom: number;
  /** Word-address bytes of that EEPROM. */
  addressBytes: 1 | 2;
  /** A 7-bit address where nothing answers. */
  absent: number;
  /** Whether the suite may write to the EEPROM (it waits 10 ms after each write for the write cycle). */
  writable: boolean;
  /** Lets `ms` pass (real or virtual time). */
  wait(ms: number): void;
  /** Why this bus reports an absent address as something other than a NACK; unset: it NACKs. */
  noNack?: string;
  /** Why the last byte of an SMBus I2C-block read cannot be trusted on this adapter (read one more, compare one less); unset: it can. */
  unreliableBlockTail?: string;
}

const word = (t: BusUnderTest, at: number) => Uint8Array.from(t.addressBytes === 2 ? [at >> 8, at & 0xff] : [at & 0xff]);
const smbus = (t: BusUnderTest) => !t.bus.capabilities.i2c;
/** SMBus sends exactly one command byte before a repeated START: a 2-byte word address cannot be a write-read. */
const noWriteRead = (t: BusUnderTest) => smbus(t) && t.addressBytes === 2;

/** Sets the EEPROM's pointer with a write of its word address. */
function point(t: BusUnderTest, at: number): void {
  assert.deepEqual(t.bus.transfer(t.eeprom, [{ write: word(t, at) }]), [], 'a write-only transfer returns no arrays');
}

/** `n` bytes of the EEPROM from `at`, by the transfer this bus can express (a random read, or a pointer write then 1-byte reads). */
function readAt(t: BusUnderTest, at: number, n: number): Uint8Array {
  if (noWriteRead(t)) {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      point(t, at + i);
      out[i] = t.bus.transfer(t.eeprom, [{ read: 1 }])[0]![0]!;
    }
    return out;
  }
  const extra = t.unreliableBlockTail && smbus(t) && n >= 2 ? 1 : 0;
  const [got] = t.bus.transfer(t.eeprom, [{ write: word(t, at) }, { read: n + extra }]);
  assert.equal(got?.length, n + extra, `a random read of ${n + extra} bytes returned ${got?.length}`);
  return got.subarray(0, n);
}

/** Writes `data` at `at` and waits out the write cycle; false when this bus cannot express the write. */
function writeAt(t: BusUnderTest, at: number, data: readonly number[]): boolean {
  if (noWriteRead(t)) return false;
  assert.deepEqual(t.bus.transfer(t.eeprom, [{ write: Uint8Array.from([...word(t, at), ...data]) }]), []);
  t.wait(10);
  return true;
}

const onlyWritable = (t: BusUnderTest) =>
  !t.writable ? 'the EEPROM is read-only here'
  : noWriteRead(t) ? 'SMBus cannot write data after a 2-byte word address (it would be the register and one byte)'
  : undefined;

const properties: Property<BusUnderTest>[] = [
  {
    name: 'an empty transfer returns no arrays (nothing to address, nothing on the wire)',
    run(t) {
      assert.deepEqual(t.bus.transfer(t.eeprom, []), []);
      assert.deepEqual(t.bus.transfer(t.absent, []), [], 'not even an absent address is addressed');
    },
  },
  {
    name: 'a random read is one transfer returning one array per read segment, of the asked lengths',
    run(t) {
      if (noWriteRead(t)) {
        // SMBus cannot send two word-address bytes before a repeated START: refused, not split…
        failsWith(() => t.bus.transfer(t.eeprom, [{ write: word(t, 0) }, { read: 1 }]), I2cFailure, ['unsupported'], 'a 2-byte write then a read on SMBus');
        // …but a dummy write (write-byte) then a current-address read (receive-byte) works.
        point(t, 1);
        const out = t.bus.transfer(t.eeprom, [{ read: 1 }]);
        assert.equal(out.length, 1);
        assert.equal(out[0]!.length, 1);
        return;
      }
      const len = smbus(t) ? 2 : 16;
      const out = t.bus.transfer(t.eeprom, [{ write: word(t, 0) }, { read: len }]);
      assert.equal(out.length, 1, 'one array for the one read segment');
      assert.ok(out[0] instanceof Uint8Array);
      assert.equal(out[0].length, len);
      // The same bytes again: reads are repeatable.
      assert.equal(hexBytes(readAt(t, 0, len)), hexBytes(readAt(t, 0, len)));
    },
  },
  {
    name: 'several reads in one transfer continue where the previous stopped',
    skip: (t) => (smbus(t) ? 'an SMBus-only bus has no combined transfers (refusing them is a property below)' : undefined),
    run(t) {
      const whole = readAt(t, 0, 8);
      const parts = t.bus.transfer(t.eeprom, [{ write: word(t, 0) }, { read: 3 }, { read: 5 }]);
      assert.deepEqual(parts.map((p) => p.length), [3, 5]);
      assert.equal(hexBytes([...parts[0]!, ...parts[1]!]), hexBytes(whole));
    },
  },
  {
    name: 'a read of 0 bytes between reads is an empty array and takes no byte from the device',
    skip: (t) => (smbus(t) ? 'an SMBus-only bus has no combined transfers' : undefined),
    run(t) {
      const whole = readAt(t, 0, 8);
      const parts = t.bus.transfer(t.eeprom, [{ write: word(t, 0) }, { read: 3 }, { read: 0 }, { read: 5 }]);
      assert.deepEqual(parts.map((p) => p.length), [3, 0, 5]);
      assert.equal(hexBytes([...parts[0]!, ...parts[2]!]), hexBytes(whole));
    },
  },
  {
    name: 'an SMBus-only bus refuses what SMBus cannot express (unsupported), and the bus still works after',
    skip: (t) => (smbus(t) ? undefined : 'a full I2C bus expresses every transfer'),
    run(t) {
      const before = readAt(t, 0, 1);
      const refused: Segment[][] = [
        [{ write: word(t, 0) }, { read: 2 }, { read: 2 }], // two reads after one write
        [{ read: 4 }], // a plain multi-byte read: no register byte first
        [{ write: Uint8Array.of(0) }, { read: 33 }], // longer than an I2C block
      ];
      for (const segments of refused) failsWith(() => t.bus.transfer(t.eeprom, segments), I2cFailure, ['unsupported'], JSON.stringify(segments.map((s) => ('write' in s ? `write(${s.write.length})` : `read(${s.read})`))));
      assert.equal(hexBytes(readAt(t, 0, 1)), hexBytes(before));
    },
  },
  {
    name: 'a write is read back after the write cycle',
    skip: onlyWritable,
    run(t) {
      const at = 0x20;
      // On SMBus with 1-byte addresses a 3-byte write is an I2C-block (or word) write: two data bytes either way.
      const data = [0x5a, 0xa5];
      assert.ok(writeAt(t, at, data));
      assert.equal(hexBytes(readAt(t, at, data.length)), hexBytes(data));
    },
  },
  {
    name: 'a current-address read continues from where the previous transfer left the pointer',
    skip: onlyWritable,
    run(t) {
      // Distinct bytes, so that continuing cannot be mistaken for reading the same byte twice.
      const at = 0x28;
      assert.ok(writeAt(t, at, [0x3c]));
      assert.ok(writeAt(t, at + 1, [0xc3]));
      point(t, at);
      const first = t.bus.transfer(t.eeprom, [{ read: 1 }])[0]!;
      const second = t.bus.transfer(t.eeprom, [{ read: 1 }])[0]!;
      assert.equal(hexBytes([...first, ...second]), '3c c3');
    },
  },
  {
    name: 'an absent address fails with an I2cFailure',
    run(t) {
      thrown(() => t.bus.transfer(t.absent, [{ write: Uint8Array.of(0) }]), I2cFailure, `a write to ${t.absent}`);
    },
  },
  {
    name: 'an absent address is a NACK (address or unknown)',
    skip: (t) => t.noNack,
    run(t) {
      failsWith(() => t.bus.transfer(t.absent, [{ write: Uint8Array.of(0) }]), I2cFailure, ['nack-address', 'nack-unknown'], 'a write to an absent address');
      if (!smbus(t)) failsWith(() => t.bus.transfer(t.absent, [{ read: 1 }]), I2cFailure, ['nack-address', 'nack-unknown'], 'a read from an absent address');
    },
  },
  {
    name: 'after a failure the bus is released: the next transfer to a present device works',
    run(t) {
      const before = readAt(t, 0, 2);
      thrown(() => t.bus.transfer(t.absent, [{ write: Uint8Array.of(0) }]), I2cFailure, 'a write to an absent address');
      assert.equal(hexBytes(readAt(t, 0, 2)), hexBytes(before));
    },
  },
  {
    name: 'a 10-bit transfer on a bus without 10-bit addressing is refused (unsupported)',
    skip: (t) => (t.bus.capabilities.tenBit ? 'this bus has 10-bit addressing' : undefined),
    run(t) {
      failsWith(() => t.bus.transfer(t.eeprom, [{ write: word(t, 0) }], { tenBit: true }), I2cFailure, ['unsupported'], 'a 10-bit transfer');
    },
  },
  {
    name: 'close is idempotent and a closed bus refuses with an I2cFailure',
    run(t) {
      t.bus.close();
      t.bus.close();
      thrown(() => t.bus.transfer(t.eeprom, [{ read: 1 }]), I2cFailure, 'a transfer on a closed bus');
    },
  },
];

export const busContract: Contract<BusUnderTest> = { name: 'Bus', properties };
