/**
 * The behaviour every `Bus` implementation must have (the node-serialport pattern: one suite,
 * run against each backend). `bus-suite.test.ts` runs it against the simulated bus (full I2C
 * and SMBus-only); the QEMU hardware tests can run it against `LinuxBus` on a real adapter with
 * an AT24C-style EEPROM (sabrelite at24c, or x86 SPD EEPROMs, which are read-only: pass
 * `writable: false`).
 */
import { describe, expect, it } from 'vitest';
import { I2cFailure, type Bus } from '../../src/i2c/bus.js';

export interface BusUnderTest {
  bus: Bus;
  /** A 7-bit address with an AT24C-style EEPROM. */
  eeprom: number;
  /** Word-address bytes of that EEPROM. */
  addressBytes: 1 | 2;
  /** A 7-bit address where nothing answers. */
  absent: number;
  /** Whether the suite may write to the EEPROM (waits 10 ms after). */
  writable: boolean;
  /** Waits `ms` (real or virtual time). */
  wait(ms: number): void;
}

export function busConformance(name: string, make: () => BusUnderTest): void {
  describe(`Bus conformance: ${name}`, () => {
    const word = (t: BusUnderTest, at: number) => (t.addressBytes === 2 ? [at >> 8, at & 0xff] : [at & 0xff]);

    it('an absent address fails with a NACK code (address or unknown), as an I2cFailure', () => {
      const t = make();
      try {
        t.bus.transfer(t.absent, [{ write: Uint8Array.of(0) }]);
        expect.unreachable('the absent address answered');
      } catch (e) {
        expect(e).toBeInstanceOf(I2cFailure);
        expect(['nack-address', 'nack-unknown']).toContain((e as I2cFailure).code);
      }
      t.bus.close();
    });

    it('a random read is one transfer returning one array per read segment, of the asked lengths', () => {
      const t = make();
      if (!t.bus.capabilities.i2c && t.addressBytes === 2) {
        // SMBus cannot send two word-address bytes before a repeated START: refused, not split…
        expect(() => t.bus.transfer(t.eeprom, [{ write: Uint8Array.from(word(t, 0)) }, { read: 1 }]))
          .toThrow(expect.objectContaining({ code: 'unsupported' }));
        // …but a dummy write (write-byte) then a current-address read (receive-byte) works.
        t.bus.transfer(t.eeprom, [{ write: Uint8Array.from(word(t, 1)) }]);
        expect(t.bus.transfer(t.eeprom, [{ read: 1 }])[0]).toHaveLength(1);
        t.bus.close();
        return;
      }
      const len = t.bus.capabilities.i2c ? 16 : 2;
      const out = t.bus.transfer(t.eeprom, [{ write: Uint8Array.from(word(t, 0)) }, { read: len }]);
      expect(out).toHaveLength(1);
      expect(out[0]).toBeInstanceOf(Uint8Array);
      expect(out[0]!.length).toBe(len);
      // The same bytes again: reads are repeatable.
      expect(t.bus.transfer(t.eeprom, [{ write: Uint8Array.from(word(t, 0)) }, { read: len }])[0]).toEqual(out[0]);
      t.bus.close();
    });

    it('several reads in one transfer continue where the previous stopped (full I2C only)', () => {
      const t = make();
      if (!t.bus.capabilities.i2c) {
        expect(() => t.bus.transfer(t.eeprom, [{ write: Uint8Array.from(word(t, 0)) }, { read: 2 }, { read: 2 }]))
          .toThrow(expect.objectContaining({ code: 'unsupported' }));
        return;
      }
      const whole = t.bus.transfer(t.eeprom, [{ write: Uint8Array.from(word(t, 0)) }, { read: 8 }])[0]!;
      const parts = t.bus.transfer(t.eeprom, [{ write: Uint8Array.from(word(t, 0)) }, { read: 3 }, { read: 0 }, { read: 5 }]);
      expect(parts.map((p) => p.length)).toEqual([3, 0, 5]);
      expect([...parts[0]!, ...parts[2]!]).toEqual([...whole]);
      t.bus.close();
    });

    it('a write is read back after the write cycle (writable EEPROMs only)', () => {
      const t = make();
      if (!t.writable || (!t.bus.capabilities.i2c && t.addressBytes === 2)) return;
      const at = 0x20;
      const data = [0x5a, 0xa5];
      const seg = t.bus.capabilities.i2c || t.addressBytes === 1 ? [...word(t, at), ...data] : [...word(t, at), data[0]!];
      t.bus.transfer(t.eeprom, [{ write: Uint8Array.from(seg) }]);
      t.wait(10);
      const n = seg.length - t.addressBytes;
      const back = t.bus.transfer(t.eeprom, [{ write: Uint8Array.from(word(t, at)) }, { read: n }])[0]!;
      expect([...back]).toEqual(seg.slice(t.addressBytes));
      t.bus.close();
    });

    it('close is idempotent and a closed bus refuses with an I2cFailure', () => {
      const t = make();
      t.bus.close();
      t.bus.close();
      expect(() => t.bus.transfer(t.eeprom, [{ read: 1 }])).toThrow(I2cFailure);
    });
  });
}
