/**
 * The V4L2 kernel ABI this backend speaks (<linux/videodev2.h>), written out byte by byte so that
 * both targets it runs on are explicit and testable on any machine:
 *
 * - `lp64`: x86-64 and arm64. `struct v4l2_format`'s union holds `struct v4l2_window`, which has
 *   pointers, so the union is 8-aligned and starts at offset 8; `struct v4l2_buffer` has a 16-byte
 *   `struct timeval` at offset 24 and an 8-byte `m` union: 88 bytes.
 * - `ilp32`: 32-bit ARM with a 32-bit `time_t` (Debian bookworm armhf, Raspberry Pi OS 32-bit):
 *   the format union starts at offset 4 (204 bytes in all); the timeval is 8 bytes at offset 20
 *   and every later field moves up (68 bytes in all). Reading a 64-bit layout there — the mistake
 *   the I2C backend once made with `i2c_msg` — garbles the sequence number and the buffer offset.
 *
 * The ioctl numbers encode the struct sizes (`_IOWR('V', nr, size)`), so they differ per ABI too.
 * Only the fields this backend reads or writes are named.
 */

export type V4l2Abi = 'lp64' | 'ilp32';

/** Which layout this process uses: pointer size decides (a 32-bit ARM node is ilp32). */
export function hostAbi(arch: string = process.arch): V4l2Abi {
  return arch === 'arm' || arch === 'ia32' ? 'ilp32' : 'lp64';
}

export const V4L2 = {
  BUF_TYPE_VIDEO_CAPTURE: 1,
  MEMORY_MMAP: 1,
  FIELD_ANY: 0,
  FIELD_NONE: 1,
  CAP_VIDEO_CAPTURE: 0x00000001,
  CAP_STREAMING: 0x04000000,
  CAP_DEVICE_CAPS: 0x80000000,
  FRMSIZE_TYPE_DISCRETE: 1,
  FRMSIZE_TYPE_CONTINUOUS: 2,
  FRMSIZE_TYPE_STEPWISE: 3,
  FRMIVAL_TYPE_DISCRETE: 1,
  FRMIVAL_TYPE_CONTINUOUS: 2,
  FRMIVAL_TYPE_STEPWISE: 3,
  BUF_FLAG_QUEUED: 0x00000002,
  BUF_FLAG_DONE: 0x00000004,
  BUF_FLAG_ERROR: 0x00000040,
  BUF_FLAG_TIMESTAMP_MASK: 0x0000e000,
  BUF_FLAG_TIMESTAMP_MONOTONIC: 0x00002000,
  CAP_TIMEPERFRAME: 0x1000,
} as const;

/** `v4l2_fourcc('Y','U','Y','V')` → 0x56595559. */
export function fourcc(s: string): number {
  if (s.length !== 4) throw new Error(`a fourcc has 4 characters, got "${s}"`);
  return (s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24)) >>> 0;
}

export function fourccName(code: number): string {
  return String.fromCharCode(code & 0xff, (code >>> 8) & 0xff, (code >>> 16) & 0xff, (code >>> 24) & 0xff);
}

/** Byte sizes and offsets of the structs, per ABI. */
export interface V4l2Layout {
  capability: number;
  fmtdesc: number;
  format: { size: number; pix: number };
  requestbuffers: number;
  buffer: { size: number; timestamp: number; timeWord: 4 | 8; sequence: number; memory: number; offset: number; length: number };
  frmsizeenum: number;
  frmivalenum: number;
  streamparm: number;
}

export const LAYOUTS: Record<V4l2Abi, V4l2Layout> = {
  lp64: {
    capability: 104,
    fmtdesc: 64,
    format: { size: 208, pix: 8 },
    requestbuffers: 20,
    buffer: { size: 88, timestamp: 24, timeWord: 8, sequence: 56, memory: 60, offset: 64, length: 72 },
    frmsizeenum: 44,
    frmivalenum: 52,
    streamparm: 204,
  },
  ilp32: {
    capability: 104,
    fmtdesc: 64,
    format: { size: 204, pix: 4 },
    requestbuffers: 20,
    buffer: { size: 68, timestamp: 20, timeWord: 4, sequence: 44, memory: 48, offset: 52, length: 56 },
    frmsizeenum: 44,
    frmivalenum: 52,
    streamparm: 204,
  },
};

const IOC_WRITE = 1;
const IOC_READ = 2;
/** `_IOC(dir, 'V', nr, size)` as the generic (x86 and ARM) encoding has it. */
const ioc = (dir: number, nr: number, size: number) => ((dir << 30) | (size << 16) | (0x56 << 8) | nr) >>> 0;

export interface V4l2Requests {
  QUERYCAP: number;
  ENUM_FMT: number;
  G_FMT: number;
  S_FMT: number;
  REQBUFS: number;
  QUERYBUF: number;
  QBUF: number;
  DQBUF: number;
  STREAMON: number;
  STREAMOFF: number;
  G_PARM: number;
  S_PARM: number;
  ENUM_FRAMESIZES: number;
  ENUM_FRAMEINTERVALS: number;
}

export function requests(abi: V4l2Abi): V4l2Requests {
  const l = LAYOUTS[abi];
  const rw = IOC_READ | IOC_WRITE;
  return {
    QUERYCAP: ioc(IOC_READ, 0, l.capability),
    ENUM_FMT: ioc(rw, 2, l.fmtdesc),
    G_FMT: ioc(rw, 4, l.format.size),
    S_FMT: ioc(rw, 5, l.format.size),
    REQBUFS: ioc(rw, 8, l.requestbuffers),
    QUERYBUF: ioc(rw, 9, l.buffer.size),
    QBUF: ioc(rw, 15, l.buffer.size),
    DQBUF: ioc(rw, 17, l.buffer.size),
    STREAMON: ioc(IOC_WRITE, 18, 4),
    STREAMOFF: ioc(IOC_WRITE, 19, 4),
    G_PARM: ioc(rw, 21, l.streamparm),
    S_PARM: ioc(rw, 22, l.streamparm),
    ENUM_FRAMESIZES: ioc(rw, 74, l.frmsizeenum),
    ENUM_FRAMEINTERVALS: ioc(rw, 75, l.frmivalenum),
  };
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const cString = (b: Uint8Array, at: number, len: number) => {
  const s = b.subarray(at, at + len);
  const end = s.indexOf(0);
  return new TextDecoder().decode(end < 0 ? s : s.subarray(0, end));
};

export interface Capability {
  driver: string;
  card: string;
  busInfo: string;
  /** `device_caps` when the driver fills it (CAP_DEVICE_CAPS), else `capabilities`. */
  caps: number;
}

export function decodeCapability(b: Uint8Array): Capability {
  const v = view(b);
  const capabilities = v.getUint32(84, true);
  return {
    driver: cString(b, 0, 16),
    card: cString(b, 16, 32),
    busInfo: cString(b, 48, 32),
    caps: capabilities & V4L2.CAP_DEVICE_CAPS ? v.getUint32(88, true) : capabilities,
  };
}

/** `struct v4l2_fmtdesc` for ENUM_FMT of `index`; decode reads back the pixel format. */
export function encodeFmtdesc(abi: V4l2Abi, index: number): Uint8Array {
  const b = new Uint8Array(LAYOUTS[abi].fmtdesc);
  view(b).setUint32(0, index, true);
  view(b).setUint32(4, V4L2.BUF_TYPE_VIDEO_CAPTURE, true);
  return b;
}

export function decodeFmtdesc(b: Uint8Array): { pixelformat: number; flags: number; description: string } {
  return { flags: view(b).getUint32(8, true), description: cString(b, 12, 32), pixelformat: view(b).getUint32(44, true) };
}

/** The `struct v4l2_pix_format` fields of a capture format. */
export interface PixFormat {
  width: number;
  height: number;
  pixelformat: number;
  field: number;
  bytesperline: number;
  sizeimage: number;
}

export function encodeFormat(abi: V4l2Abi, f: Pick<PixFormat, 'width' | 'height' | 'pixelformat'>): Uint8Array {
  const { size, pix } = LAYOUTS[abi].format;
  const b = new Uint8Array(size);
  const v = view(b);
  v.setUint32(0, V4L2.BUF_TYPE_VIDEO_CAPTURE, true);
  v.setUint32(pix, f.width, true);
  v.setUint32(pix + 4, f.height, true);
  v.setUint32(pix + 8, f.pixelformat, true);
  v.setUint32(pix + 12, V4L2.FIELD_NONE, true);
  return b;
}

export function decodeFormat(abi: V4l2Abi, b: Uint8Array): PixFormat {
  const p = LAYOUTS[abi].format.pix;
  const v = view(b);
  return {
    width: v.getUint32(p, true),
    height: v.getUint32(p + 4, true),
    pixelformat: v.getUint32(p + 8, true),
    field: v.getUint32(p + 12, true),
    bytesperline: v.getUint32(p + 16, true),
    sizeimage: v.getUint32(p + 20, true),
  };
}

export function encodeRequestBuffers(count: number): Uint8Array {
  const b = new Uint8Array(20);
  const v = view(b);
  v.setUint32(0, count, true);
  v.setUint32(4, V4L2.BUF_TYPE_VIDEO_CAPTURE, true);
  v.setUint32(8, V4L2.MEMORY_MMAP, true);
  return b;
}

export const decodeRequestBuffers = (b: Uint8Array) => view(b).getUint32(0, true);

/** The fields of `struct v4l2_buffer` this backend uses. */
export interface BufferInfo {
  index: number;
  bytesused: number;
  flags: number;
  /** The capture time in nanoseconds of the buffer's clock (CLOCK_MONOTONIC for TIMESTAMP_MONOTONIC). */
  timestampNs: bigint;
  sequence: number;
  /** The mmap offset (`m.offset`). */
  offset: number;
  length: number;
}

export function encodeBuffer(abi: V4l2Abi, index: number): Uint8Array {
  const l = LAYOUTS[abi].buffer;
  const b = new Uint8Array(l.size);
  const v = view(b);
  v.setUint32(0, index, true);
  v.setUint32(4, V4L2.BUF_TYPE_VIDEO_CAPTURE, true);
  v.setUint32(l.memory, V4L2.MEMORY_MMAP, true);
  return b;
}

export function decodeBuffer(abi: V4l2Abi, b: Uint8Array): BufferInfo {
  const l = LAYOUTS[abi].buffer;
  const v = view(b);
  const word = (at: number) => (l.timeWord === 8 ? v.getBigInt64(at, true) : BigInt(v.getInt32(at, true)));
  const sec = word(l.timestamp);
  const usec = word(l.timestamp + l.timeWord);
  return {
    index: v.getUint32(0, true),
    bytesused: v.getUint32(8, true),
    flags: v.getUint32(12, true),
    timestampNs: sec * 1_000_000_000n + usec * 1000n,
    sequence: v.getUint32(l.sequence, true),
    offset: v.getUint32(l.offset, true),
    length: v.getUint32(l.length, true),
  };
}

/** Fills what a driver writes into a `struct v4l2_buffer` (the stand-in kernel of the tests). */
export function writeBuffer(abi: V4l2Abi, b: Uint8Array, info: BufferInfo): void {
  const l = LAYOUTS[abi].buffer;
  const v = view(b);
  v.setUint32(0, info.index, true);
  v.setUint32(8, info.bytesused, true);
  v.setUint32(12, info.flags, true);
  const sec = info.timestampNs / 1_000_000_000n;
  const usec = (info.timestampNs % 1_000_000_000n) / 1000n;
  if (l.timeWord === 8) {
    v.setBigInt64(l.timestamp, sec, true);
    v.setBigInt64(l.timestamp + 8, usec, true);
  } else {
    v.setInt32(l.timestamp, Number(sec), true);
    v.setInt32(l.timestamp + 4, Number(usec), true);
  }
  v.setUint32(l.sequence, info.sequence, true);
  v.setUint32(l.offset, info.offset, true);
  v.setUint32(l.length, info.length, true);
}

export interface FrameSizes {
  type: number;
  /** Discrete: one entry per size. Stepwise/continuous: one entry with the bounds. */
  width: number;
  height: number;
  maxWidth: number;
  maxHeight: number;
  stepWidth: number;
  stepHeight: number;
}

export function encodeFrameSize(index: number, pixelformat: number): Uint8Array {
  const b = new Uint8Array(44);
  view(b).setUint32(0, index, true);
  view(b).setUint32(4, pixelformat, true);
  return b;
}

export function decodeFrameSize(b: Uint8Array): FrameSizes {
  const v = view(b);
  const type = v.getUint32(8, true);
  if (type === V4L2.FRMSIZE_TYPE_DISCRETE) {
    const width = v.getUint32(12, true);
    const height = v.getUint32(16, true);
    return { type, width, height, maxWidth: width, maxHeight: height, stepWidth: 1, stepHeight: 1 };
  }
  return {
    type,
    width: v.getUint32(12, true),
    maxWidth: v.getUint32(16, true),
    stepWidth: v.getUint32(20, true),
    height: v.getUint32(24, true),
    maxHeight: v.getUint32(28, true),
    stepHeight: v.getUint32(32, true),
  };
}

/** A frame interval: seconds per frame as numerator/denominator (the inverse of a rate). */
export interface Fraction {
  numerator: number;
  denominator: number;
}

export function encodeFrameInterval(index: number, pixelformat: number, width: number, height: number): Uint8Array {
  const b = new Uint8Array(52);
  const v = view(b);
  v.setUint32(0, index, true);
  v.setUint32(4, pixelformat, true);
  v.setUint32(8, width, true);
  v.setUint32(12, height, true);
  return b;
}

/** Discrete: `min` = `max`. Stepwise/continuous: the shortest and longest interval. */
export function decodeFrameInterval(b: Uint8Array): { type: number; min: Fraction; max: Fraction } {
  const v = view(b);
  const type = v.getUint32(16, true);
  const fr = (at: number) => ({ numerator: v.getUint32(at, true), denominator: v.getUint32(at + 4, true) });
  const min = fr(20);
  return { type, min, max: type === V4L2.FRMIVAL_TYPE_DISCRETE ? min : fr(28) };
}

/** `struct v4l2_streamparm` asking for `timeperframe` (S_PARM); decode reads back what the driver chose. */
export function encodeStreamParm(timeperframe: Fraction): Uint8Array {
  const b = new Uint8Array(204);
  const v = view(b);
  v.setUint32(0, V4L2.BUF_TYPE_VIDEO_CAPTURE, true);
  // parm.capture: capability, capturemode, timeperframe
  v.setUint32(12, timeperframe.numerator, true);
  v.setUint32(16, timeperframe.denominator, true);
  return b;
}

export function decodeStreamParm(b: Uint8Array): { capability: number; timeperframe: Fraction } {
  const v = view(b);
  return { capability: v.getUint32(4, true), timeperframe: { numerator: v.getUint32(12, true), denominator: v.getUint32(16, true) } };
}
