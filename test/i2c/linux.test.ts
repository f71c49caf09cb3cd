import { describe, expect, it } from 'vitest';
import { I2cFailure } from '../../src/i2c/bus.js';
import { I2C, LinuxBus, openDevFileKoffi, type I2cDevFile, type KernelMsg, type SmbusDriver } from '../../src/i2c/linux.js';
import { errnoName, failureCodeForErrno, i2cFailureFromErrno } from '../../src/i2c/linux-errors.js';
import { ALL_SMBUS, planSmbus } from '../../src/i2c/smbus.js';

const w = (...b: number[]) => ({ write: Uint8Array.from(b) });
const r = (n: number) => ({ read: n });
const errno = (code: string) => Object.assign(new Error(code), { code });

/** A fake /dev/i2c-N: records every I2C_RDWR, fills reads with 0xA0+i, can fail with an errno. */
function fakeFile(funcs: number, fail?: string) {
  const calls: KernelMsg[][] = [];
  let closed = 0;
  const file: I2cDevFile = {
    funcs: () => funcs,
    rdwr(msgs) {
      calls.push(msgs.map((m) => ({ ...m, buf: m.buf.slice() })));
      if (fail) throw errno(fail);
      for (const m of msgs) if (m.flags & I2C.M_RD) m.buf.forEach((_, i) => (m.buf[i] = 0xa0 + i));
    },
    close: () => void closed++,
  };
  return { file, calls, closed: () => closed };
}

const FULL = I2C.FUNC_I2C | I2C.FUNC_10BIT_ADDR | 0x0fff0000;
const SMBUS_ONLY = 0x0fff0000;

describe('errno normalisation', () => {
  // Each row from the kernel's meaning of the errno (Documentation/i2c/fault-codes.rst), not from
  // the library's table: what wasi:i2c's error-code calls that event (docs/spec-notes/i2c.md).
  it.each([
    ['ENXIO', 'nack-address'], // "the address phase of a transfer didn't get an ACK"
    ['EREMOTEIO', 'nack-unknown'], // a NACK the adapter does not place (address or data)
    ['EIO', 'nack-unknown'], // the vague I/O failure many adapters return for a NACK
    ['EAGAIN', 'arbitration-loss'], // "lost arbitration in master transmit mode"
    ['EBUSY', 'bus'], // the bus stayed busy: a stuck line
    ['EOVERFLOW', 'overrun'], // more data than the buffer holds
    ['EOPNOTSUPP', 'unsupported'], // the adapter cannot do this operation
    ['ETIMEDOUT', 'other'], // a timeout is not a NACK
    ['EPROTO', 'other'], // a protocol violation (a bad block length)
    ['EBADMSG', 'other'], // a PEC mismatch
    ['EINVAL', 'other'], // a request the driver refuses
  ])('%s → %s', (code, kind) => {
    expect(failureCodeForErrno(code)).toBe(kind);
    expect(i2cFailureFromErrno(errno(code), 'x').code).toBe(kind);
  });

  // The numbers are asm-generic/errno*.h's (ENXIO 6, EAGAIN 11, EOPNOTSUPP 95, EREMOTEIO 121).
  it('reads positive (i2c-bus native), negative (fs) and koffi errno numbers', () => {
    expect(errnoName(6)).toBe('ENXIO');
    expect(errnoName(-121)).toBe('EREMOTEIO');
    expect(errnoName(95)).toBe('EOPNOTSUPP');
    expect(i2cFailureFromErrno({ errno: 11, message: 'x' }, 'y').code).toBe('arbitration-loss');
    expect(i2cFailureFromErrno(new Error('Invalid I2C address 128'), 'y').code).toBe('other');
  });
});

describe('LinuxBus over I2C_RDWR', () => {
  it('opens eagerly, reads I2C_FUNCS, and sends a write-read as ONE ioctl with two messages', () => {
    const f = fakeFile(FULL);
    const bus = new LinuxBus({ device: '/dev/i2c-1', openDevFile: () => f.file });
    expect(bus.capabilities).toEqual({ i2c: true, tenBit: true });
    const out = bus.transfer(0x50, [w(0x01, 0x00), r(3)]);
    expect(f.calls).toHaveLength(1);
    expect(f.calls[0]!.map((m) => [m.addr, m.flags, m.buf.length])).toEqual([[0x50, 0, 2], [0x50, I2C.M_RD, 3]]);
    expect(out.map((b) => [...b])).toEqual([[0xa0, 0xa1, 0xa2]]);
  });

  it('sets I2C_M_TEN on 10-bit transfers and refuses them on adapters without 10-bit support', () => {
    const f = fakeFile(FULL);
    new LinuxBus({ device: '/dev/i2c-1', openDevFile: () => f.file }).transfer(0x2a0, [r(1)], { tenBit: true });
    expect(f.calls[0]![0]!.flags).toBe(I2C.M_RD | I2C.M_TEN);
    const g = fakeFile(I2C.FUNC_I2C);
    const bus = new LinuxBus({ device: '/dev/i2c-1', openDevFile: () => g.file });
    expect(() => bus.transfer(0x2a0, [r(1)], { tenBit: true })).toThrow(expect.objectContaining({ code: 'unsupported' }));
  });

  it('maps kernel errors: ENXIO → nack-address, EREMOTEIO → nack-unknown', () => {
    for (const [errno, code] of [['ENXIO', 'nack-address'], ['EREMOTEIO', 'nack-unknown'], ['EAGAIN', 'arbitration-loss']]) {
      const bus = new LinuxBus({ device: '/dev/i2c-1', openDevFile: () => fakeFile(FULL, errno).file });
      expect(() => bus.transfer(0x50, [r(1)])).toThrow(expect.objectContaining({ code, errno }));
    }
  });

  it('refuses more than 42 messages and messages over 65535 bytes before calling the kernel', () => {
    const f = fakeFile(FULL);
    const bus = new LinuxBus({ device: '/dev/i2c-1', openDevFile: () => f.file });
    expect(() => bus.transfer(0x50, Array.from({ length: 43 }, () => r(1)))).toThrow(/42/);
    expect(() => bus.transfer(0x50, [r(65536)])).toThrow(/65535/);
    expect(f.calls).toHaveLength(0);
  });

  it('explains a missing adapter and a permission problem at open', () => {
    const missing = () => new LinuxBus({ device: '/dev/i2c-7', openDevFile: () => { throw errno('ENOENT'); } });
    expect(missing).toThrow(/does not exist.*i2c-dev/);
    const denied = () => new LinuxBus({ device: '/dev/i2c-7', openDevFile: () => { throw errno('EACCES'); } });
    expect(denied).toThrow(/'i2c' group/);
  });

  it('closes the file once, and a closed bus refuses', () => {
    const f = fakeFile(FULL);
    const bus = new LinuxBus({ device: '/dev/i2c-1', openDevFile: () => f.file });
    bus.close();
    bus.close();
    expect(f.closed()).toBe(1);
    expect(() => bus.transfer(0x50, [r(1)])).toThrow(I2cFailure);
  });

  it('the koffi seam reaches the kernel: /dev/null answers I2C_FUNCS with ENOTTY', () => {
    expect(() => new LinuxBus({ device: '/dev/null', openDevFile: openDevFileKoffi })).toThrow(/ENOTTY|not an I2C adapter/);
    expect(() => new LinuxBus({ device: '/dev/i2c-does-not-exist' })).toThrow(/does not exist/);
  });
});

describe('LinuxBus on SMBus-only adapters (i2c-bus seam)', () => {
  function fakeSmbus() {
    const calls: string[] = [];
    const d: SmbusDriver = {
      writeQuickSync: (a, bit) => calls.push(`quick ${a} ${bit}`),
      receiveByteSync: (a) => (calls.push(`recv ${a}`), 0x11),
      sendByteSync: (a, b) => calls.push(`send ${a} ${b}`),
      readByteSync: (a, c) => (calls.push(`readByte ${a} ${c}`), 0x22),
      writeByteSync: (a, c, b) => calls.push(`writeByte ${a} ${c} ${b}`),
      readWordSync: (a, c) => (calls.push(`readWord ${a} ${c}`), 0x3412),
      writeWordSync: (a, c, v) => calls.push(`writeWord ${a} ${c} ${v}`),
      readI2cBlockSync: (a, c, n, buf) => (calls.push(`readBlock ${a} ${c} ${n}`), buf.fill(7, 0, n), n),
      writeI2cBlockSync: (a, c, n, buf) => calls.push(`writeBlock ${a} ${c} ${n} ${[...buf]}`),
      closeSync: () => calls.push('close'),
    };
    return { d, calls };
  }

  it('expresses what SMBus can, through the matching i2c-bus call', () => {
    const s = fakeSmbus();
    let opened = -1;
    const bus = new LinuxBus({
      device: '/dev/i2c-3',
      openDevFile: () => fakeFile(SMBUS_ONLY).file,
      openSmbus: (n) => ((opened = n), s.d),
    });
    expect(bus.capabilities.i2c).toBe(false);
    expect([...bus.transfer(0x50, [w(0x10), r(1)])[0]!]).toEqual([0x22]);
    expect([...bus.transfer(0x50, [w(0x10), r(4)])[0]!]).toEqual([7, 7, 7, 7]);
    expect([...bus.transfer(0x50, [r(1)])[0]!]).toEqual([0x11]);
    bus.transfer(0x50, [w(0x10, 0x20)]);
    bus.transfer(0x50, [w(0x10, 1, 2, 3)]);
    bus.transfer(0x50, [w(0x10)]);
    bus.transfer(0x50, [w()]);
    expect(opened).toBe(3);
    expect(s.calls).toEqual([
      'readByte 80 16', 'readBlock 80 16 4', 'recv 80', 'writeByte 80 16 32', 'writeBlock 80 16 3 1,2,3', 'send 80 16', 'quick 80 0',
    ]);
    bus.close();
    expect(s.calls.at(-1)).toBe('close');
  });

  it('refuses what SMBus cannot express, with a reason, and never calls the driver', () => {
    const s = fakeSmbus();
    const bus = new LinuxBus({ device: '/dev/i2c-3', openDevFile: () => fakeFile(SMBUS_ONLY).file, openSmbus: () => s.d });
    const refused = [
      [w(0x01, 0x00), r(4)], // 16-bit register address
      [w(0x10), r(33)], // more than an I2C block
      [r(4)], // plain multi-byte read
      [w(1), r(1), r(1)], // three segments
      [w(...new Array(34).fill(0))], // long write
    ];
    for (const segs of refused) {
      expect(() => bus.transfer(0x50, segs)).toThrow(expect.objectContaining({ code: 'unsupported', message: expect.stringMatching(/SMBus/) }));
    }
    expect(s.calls).toEqual([]);
  });

  it('uses word transfers when the adapter lacks I2C-block support; little-endian', () => {
    const s = fakeSmbus();
    const funcs = I2C.FUNC_SMBUS_READ_WORD_DATA | I2C.FUNC_SMBUS_WRITE_WORD_DATA;
    const bus = new LinuxBus({ device: '/dev/i2c-0', openDevFile: () => fakeFile(funcs).file, openSmbus: () => s.d });
    expect([...bus.transfer(0x50, [w(0x05), r(2)])[0]!]).toEqual([0x12, 0x34]);
    bus.transfer(0x50, [w(0x05, 0xcd, 0xab)]);
    expect(s.calls).toEqual(['readWord 80 5', `writeWord 80 5 ${0xabcd}`]);
    expect(() => bus.transfer(0x50, [w(0x05), r(1)])).toThrow(/lacks/);
  });

  it('maps SMBus driver errors like kernel ones', () => {
    const s = fakeSmbus();
    s.d.readByteSync = () => { throw Object.assign(new Error('x'), { errno: 6, code: 'ENXIO' }); };
    const bus = new LinuxBus({ device: '/dev/i2c-0', openDevFile: () => fakeFile(SMBUS_ONLY).file, openSmbus: () => s.d });
    expect(() => bus.transfer(0x50, [w(1), r(1)])).toThrow(expect.objectContaining({ code: 'nack-address' }));
  });

  it('planSmbus is the single source of what is expressible', () => {
    expect(planSmbus([w(1), r(32)], ALL_SMBUS)).toEqual({ ok: true, op: { op: 'readI2cBlock', cmd: 1, length: 32 } });
    expect(planSmbus([r(0)], ALL_SMBUS)).toEqual({ ok: true, op: { op: 'quick', read: true } });
    expect(planSmbus([w(1), r(0)], ALL_SMBUS).ok).toBe(false);
  });
});
