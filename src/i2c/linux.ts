/**
 * Linux I2C backend: `/dev/i2c-N` through the i2c-dev userspace interface.
 *
 * - The adapter is opened eagerly (i2c-bus opens lazily, so a missing adapter would only show
 *   at the first transfer; we want the error when the bus is opened, with a clear message).
 * - `I2C_FUNCS` says what the adapter can do. With `I2C_FUNC_I2C`, every transfer is ONE
 *   `I2C_RDWR` ioctl (one message per segment: repeated START between them, one STOP), made
 *   synchronously through koffi (optional dependency, loaded on first use).
 * - SMBus-only adapters: the transfers that are exactly an SMBus protocol go through i2c-bus
 *   (optional dependency); the rest are refused (`unsupported`) instead of being split with a
 *   STOP in between (see smbus.ts).
 * Both native seams (`I2cDevFile`, `SmbusDriver`) are injectable so the logic is unit-tested
 * without a kernel; the real-kernel run happens under QEMU.
 */
import { openSync, closeSync } from 'node:fs';
import { requireOptional } from '../core/optional-package.js';
import { I2cFailure, hex, type Bus, type BusCapabilities, type Segment, type TransferOptions } from './bus.js';
import { errnoName, i2cFailureFromErrno } from './linux-errors.js';
import { planSmbus, type SmbusFuncs, type SmbusOp } from './smbus.js';

/** ioctl numbers and flags from <linux/i2c-dev.h> and <linux/i2c.h>. */
export const I2C = {
  FUNCS: 0x0705,
  RDWR: 0x0707,
  M_RD: 0x0001,
  M_TEN: 0x0010,
  /** `I2C_RDWR_IOCTL_MAX_MSGS` */
  RDWR_MAX_MSGS: 42,
  FUNC_I2C: 0x00000001,
  FUNC_10BIT_ADDR: 0x00000002,
  FUNC_SMBUS_QUICK: 0x00010000,
  FUNC_SMBUS_READ_BYTE: 0x00020000,
  FUNC_SMBUS_WRITE_BYTE: 0x00040000,
  FUNC_SMBUS_READ_BYTE_DATA: 0x00080000,
  FUNC_SMBUS_WRITE_BYTE_DATA: 0x00100000,
  FUNC_SMBUS_READ_WORD_DATA: 0x00200000,
  FUNC_SMBUS_WRITE_WORD_DATA: 0x00400000,
  FUNC_SMBUS_READ_I2C_BLOCK: 0x04000000,
  FUNC_SMBUS_WRITE_I2C_BLOCK: 0x08000000,
} as const;

/** One `struct i2c_msg`; for reads the kernel fills `buf`. */
export interface KernelMsg {
  addr: number;
  flags: number;
  buf: Uint8Array;
}

/** The kernel seam: an open `/dev/i2c-N`. Errors are thrown with an errno `code`. */
export interface I2cDevFile {
  funcs(): number;
  rdwr(msgs: KernelMsg[]): void;
  close(): void;
}

/** The SMBus seam: the synchronous subset of an i2c-bus `Bus`. */
export interface SmbusDriver {
  writeQuickSync(addr: number, bit: number): unknown;
  receiveByteSync(addr: number): number;
  sendByteSync(addr: number, byte: number): unknown;
  readByteSync(addr: number, cmd: number): number;
  writeByteSync(addr: number, cmd: number, byte: number): unknown;
  readWordSync(addr: number, cmd: number): number;
  writeWordSync(addr: number, cmd: number, word: number): unknown;
  readI2cBlockSync(addr: number, cmd: number, length: number, buffer: Buffer): number;
  writeI2cBlockSync(addr: number, cmd: number, length: number, buffer: Buffer): unknown;
  closeSync(): void;
}

export interface LinuxBusOptions {
  /** `/dev/i2c-1` */
  device: string;
  /** Opens the adapter (default: fs + koffi). */
  openDevFile?: (path: string) => I2cDevFile;
  /** Opens i2c-bus for SMBus-only adapters (default: `require('i2c-bus').openSync(n)`). */
  openSmbus?: (busNumber: number) => SmbusDriver;
}

/** A native package the Linux bus loads on first use, failing as the bus does (`other`). */
function optionalPackage<T>(name: string, purpose: string): T {
  return requireOptional<T>({ name }, purpose, { fail: (message, cause) => new I2cFailure('other', message, { cause }) });
}

/** Explains the usual reasons an adapter cannot be opened. */
function openError(path: string, e: unknown): I2cFailure {
  const code = (e as { code?: string }).code ?? errnoName((e as { errno?: number }).errno);
  const hint =
    code === 'ENOENT' ? `${path} does not exist (no such adapter, or the i2c-dev module is not loaded: modprobe i2c-dev)`
    : code === 'EACCES' || code === 'EPERM' ? `no permission to open ${path} (add the user to the 'i2c' group or adjust udev rules)`
    : `cannot open ${path}: ${(e as Error).message}`;
  return new I2cFailure('other', hint, { errno: code, cause: e });
}

interface KoffiLike {
  load(path: string): { func(decl: string): (...args: unknown[]) => number };
  struct(name: string, def: Record<string, string>): unknown;
  alloc(type: unknown, n: number): unknown;
  free(p: unknown): void;
  encode(ref: unknown, offset: number, type: unknown, value: unknown): void;
  view(ref: unknown, len: number): ArrayBuffer;
  errno(): number;
  sizeof(type: unknown): number;
}

let koffiIoctl: { rdwr: (fd: number, request: number, data: unknown) => number; funcs: (fd: number, request: number, out: number[]) => number; msg: unknown; k: KoffiLike } | undefined;

function ioctls() {
  if (koffiIoctl) return koffiIoctl;
  const k = optionalPackage<KoffiLike>('koffi', 'the Linux I2C backend (its I2C_RDWR and I2C_FUNCS ioctls)');
  const libc = k.load('libc.so.6');
  // struct i2c_msg { __u16 addr; __u16 flags; __u16 len; __u8 *buf; } — 16 bytes on 64-bit.
  const msg = k.struct('i2c_msg', { addr: 'uint16_t', flags: 'uint16_t', len: 'uint16_t', buf: 'void *' });
  k.struct('i2c_rdwr_ioctl_data', { msgs: 'void *', nmsgs: 'uint32_t' });
  const rdwr = libc.func('int ioctl(int fd, unsigned long request, i2c_rdwr_ioctl_data *data)');
  const funcs = libc.func('int ioctl(int fd, unsigned long request, _Out_ unsigned long *funcs)');
  koffiIoctl = { rdwr: rdwr as never, funcs: funcs as never, msg, k };
  return koffiIoctl;
}

function errnoError(errno: number, syscall: string): Error {
  const code = errnoName(errno) ?? `errno ${errno}`;
  return Object.assign(new Error(`${syscall} failed: ${code}`), { code, errno });
}

/** The part of koffi that filling the `i2c_msg` table uses (a seam for tests). */
export interface MessageTableCodec {
  sizeof(type: unknown): number;
  view(ptr: unknown, len: number): ArrayBuffer;
  encode(ptr: unknown, offset: number, type: unknown, value: unknown): void;
}

/**
 * Fills the kernel's `struct i2c_msg[]` for I2C_RDWR. Entries are `sizeof(struct i2c_msg)` apart:
 * 16 bytes on 64-bit targets, 12 on 32-bit ARM (a hard-coded 16 garbled every multi-message
 * transfer there: found under QEMU sabrelite).
 */
export function encodeMessageTable(
  k: MessageTableCodec,
  table: unknown,
  msgType: unknown,
  msgs: readonly { addr: number; flags: number; buf: Uint8Array }[],
  bufs: readonly unknown[],
): void {
  const stride = k.sizeof(msgType);
  msgs.forEach((m, i) => {
    if (!(m.flags & I2C.M_RD)) new Uint8Array(k.view(bufs[i], m.buf.length)).set(m.buf);
    k.encode(table, i * stride, msgType, { addr: m.addr, flags: m.flags, len: m.buf.length, buf: bufs[i] });
  });
}

/** The default kernel seam: `fs.openSync` + ioctl through koffi. */
export function openDevFileKoffi(path: string): I2cDevFile {
  const io = ioctls();
  const fd = openSync(path, 'r+');
  let open = true;
  return {
    funcs() {
      const out = [0];
      if (io.funcs(fd, I2C.FUNCS, out) < 0) throw errnoError(io.k.errno(), 'ioctl(I2C_FUNCS)');
      return Number(out[0]);
    },
    rdwr(msgs) {
      const { k } = io;
      const table = k.alloc(io.msg, msgs.length);
      const bufs = msgs.map((m) => k.alloc('uint8_t', Math.max(1, m.buf.length)));
      try {
        encodeMessageTable(k, table, io.msg, msgs, bufs);
        if (io.rdwr(fd, I2C.RDWR, { msgs: table, nmsgs: msgs.length }) < 0) throw errnoError(k.errno(), 'ioctl(I2C_RDWR)');
        msgs.forEach((m, i) => {
          if (m.flags & I2C.M_RD) m.buf.set(new Uint8Array(k.view(bufs[i], m.buf.length)));
        });
      } finally {
        for (const b of bufs) k.free(b);
        k.free(table);
      }
    },
    close() {
      if (open) {
        open = false;
        closeSync(fd);
      }
    },
  };
}

function openSmbusI2cBus(busNumber: number): SmbusDriver {
  const i2c = optionalPackage<{ openSync(n: number): SmbusDriver }>(
    'i2c-bus',
    'the Linux I2C backend (SMBus transfers on an adapter without I2C_FUNC_I2C)',
  );
  return i2c.openSync(busNumber);
}

function smbusFuncsOf(f: number): SmbusFuncs {
  return {
    smbusQuick: (f & I2C.FUNC_SMBUS_QUICK) !== 0,
    smbusReceiveByte: (f & I2C.FUNC_SMBUS_READ_BYTE) !== 0,
    smbusSendByte: (f & I2C.FUNC_SMBUS_WRITE_BYTE) !== 0,
    smbusReadByte: (f & I2C.FUNC_SMBUS_READ_BYTE_DATA) !== 0,
    smbusWriteByte: (f & I2C.FUNC_SMBUS_WRITE_BYTE_DATA) !== 0,
    smbusReadWord: (f & I2C.FUNC_SMBUS_READ_WORD_DATA) !== 0,
    smbusWriteWord: (f & I2C.FUNC_SMBUS_WRITE_WORD_DATA) !== 0,
    smbusReadI2cBlock: (f & I2C.FUNC_SMBUS_READ_I2C_BLOCK) !== 0,
    smbusWriteI2cBlock: (f & I2C.FUNC_SMBUS_WRITE_I2C_BLOCK) !== 0,
  };
}

export class LinuxBus implements Bus {
  readonly capabilities: BusCapabilities;
  readonly smbus: SmbusFuncs;
  readonly device: string;
  private file: I2cDevFile | undefined;
  private smbusDriver: SmbusDriver | undefined;
  private readonly openSmbus: (busNumber: number) => SmbusDriver;

  constructor(options: LinuxBusOptions) {
    this.device = options.device;
    this.openSmbus = options.openSmbus ?? openSmbusI2cBus;
    const open = options.openDevFile ?? openDevFileKoffi;
    let file: I2cDevFile;
    try {
      file = open(options.device);
    } catch (e) {
      if (e instanceof I2cFailure) throw e;
      throw openError(options.device, e);
    }
    let funcs: number;
    try {
      funcs = file.funcs();
    } catch (e) {
      file.close();
      throw i2cFailureFromErrno(e, `${options.device} is not an I2C adapter (I2C_FUNCS failed)`);
    }
    this.file = file;
    this.capabilities = { i2c: (funcs & I2C.FUNC_I2C) !== 0, tenBit: (funcs & I2C.FUNC_10BIT_ADDR) !== 0 };
    this.smbus = smbusFuncsOf(funcs);
  }

  transfer(address: number, segments: readonly Segment[], options: TransferOptions = {}): Uint8Array[] {
    const file = this.file;
    if (!file) throw new I2cFailure('other', `${this.device} is closed`);
    const tenBit = options.tenBit ?? false;
    if (tenBit && !this.capabilities.tenBit) {
      throw new I2cFailure('unsupported', `${this.device} has no 10-bit addressing (I2C_FUNC_10BIT_ADDR)`);
    }
    if (segments.length === 0) return [];
    if (this.capabilities.i2c) return this.rdwr(file, address, tenBit, segments);
    const plan = planSmbus(segments, this.smbus);
    if (!plan.ok) throw new I2cFailure('unsupported', `${this.device}: ${plan.reason}`);
    return this.runSmbus(address, plan.op);
  }

  private rdwr(file: I2cDevFile, address: number, tenBit: boolean, segments: readonly Segment[]): Uint8Array[] {
    if (segments.length > I2C.RDWR_MAX_MSGS) {
      throw new I2cFailure('unsupported', `${segments.length} operations in one transaction; the kernel allows ${I2C.RDWR_MAX_MSGS} (I2C_RDWR_IOCTL_MAX_MSGS)`);
    }
    const msgs: KernelMsg[] = segments.map((s) => {
      const flags = tenBit ? I2C.M_TEN : 0;
      if ('write' in s) return { addr: address, flags, buf: s.write };
      return { addr: address, flags: flags | I2C.M_RD, buf: new Uint8Array(s.read) };
    });
    for (const m of msgs) {
      if (m.buf.length > 0xffff) throw new I2cFailure('unsupported', `a ${m.buf.length}-byte message exceeds the kernel's 65535-byte i2c_msg length`);
    }
    try {
      file.rdwr(msgs);
    } catch (e) {
      throw i2cFailureFromErrno(e, `I2C_RDWR to ${hex(address)} on ${this.device}`);
    }
    return msgs.filter((m) => m.flags & I2C.M_RD).map((m) => m.buf);
  }

  /** The bus number i2c-bus wants, from `/dev/i2c-N`. */
  private busNumber(): number {
    const m = /^\/dev\/i2c-(\d+)$/.exec(this.device);
    if (!m) throw new I2cFailure('unsupported', `${this.device}: SMBus transfers need a /dev/i2c-N path (i2c-bus opens adapters by number)`);
    return Number(m[1]);
  }

  private runSmbus(address: number, op: SmbusOp): Uint8Array[] {
    this.smbusDriver ??= this.openSmbus(this.busNumber());
    const d = this.smbusDriver;
    try {
      switch (op.op) {
        case 'quick':
          d.writeQuickSync(address, op.read ? 1 : 0);
          return op.read ? [new Uint8Array(0)] : [];
        case 'receiveByte':
          return [Uint8Array.of(d.receiveByteSync(address))];
        case 'sendByte':
          d.sendByteSync(address, op.byte);
          return [];
        case 'writeByte':
          d.writeByteSync(address, op.cmd, op.byte);
          return [];
        case 'writeWord':
          d.writeWordSync(address, op.cmd, op.word);
          return [];
        case 'writeI2cBlock':
          d.writeI2cBlockSync(address, op.cmd, op.data.length, Buffer.from(op.data));
          return [];
        case 'readByte':
          return [Uint8Array.of(d.readByteSync(address, op.cmd))];
        case 'readWord': {
          const w = d.readWordSync(address, op.cmd); // SMBus words are little-endian on the wire
          return [Uint8Array.of(w & 0xff, (w >> 8) & 0xff)];
        }
        case 'readI2cBlock': {
          const buf = Buffer.alloc(op.length);
          const n = d.readI2cBlockSync(address, op.cmd, op.length, buf);
          if (n !== op.length) throw new I2cFailure('other', `SMBus I2C block read returned ${n} of ${op.length} bytes`);
          return [new Uint8Array(buf)];
        }
      }
    } catch (e) {
      throw i2cFailureFromErrno(e, `SMBus ${op.op} to ${hex(address)} on ${this.device}`);
    }
  }

  close(): void {
    const file = this.file;
    this.file = undefined;
    try {
      this.smbusDriver?.closeSync();
    } finally {
      this.smbusDriver = undefined;
      file?.close();
    }
  }
}
