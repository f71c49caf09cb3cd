/**
 * The V4L2 structs as the kernel lays them out, on both ABIs the backend runs on. Expected values
 * are the kernel headers' (ioctl numbers as <linux/videodev2.h> gives them on x86-64 and on 32-bit
 * ARM, offsets as offsetof() reports them there), written here, not computed by the code under test.
 */
import { describe, expect, it } from 'vitest';
import { LAYOUTS, decodeBuffer, encodeFormat, fourcc, hostAbi, requests, writeBuffer } from '../../../src/sensor/devices/v4l2/abi.js';

describe('V4L2 ABI', () => {
  it('ioctl numbers of x86-64 / arm64 (LP64)', () => {
    const r = requests('lp64');
    expect(r.QUERYCAP).toBe(0x80685600);
    expect(r.ENUM_FMT).toBe(0xc0405602);
    expect(r.S_FMT).toBe(0xc0d05605);
    expect(r.REQBUFS).toBe(0xc0145608);
    expect(r.QUERYBUF).toBe(0xc0585609);
    expect(r.QBUF).toBe(0xc058560f);
    expect(r.DQBUF).toBe(0xc0585611);
    expect(r.STREAMON).toBe(0x40045612);
    expect(r.STREAMOFF).toBe(0x40045613);
    expect(r.S_PARM).toBe(0xc0cc5616);
    expect(r.ENUM_FRAMESIZES).toBe(0xc02c564a);
    expect(r.ENUM_FRAMEINTERVALS).toBe(0xc034564b);
  });

  it('ioctl numbers of 32-bit ARM with a 32-bit time_t: the buffer and format structs are smaller', () => {
    const r = requests('ilp32');
    expect(r.QUERYCAP).toBe(0x80685600);
    expect(r.S_FMT).toBe(0xc0cc5605);
    expect(r.QUERYBUF).toBe(0xc0445609);
    expect(r.QBUF).toBe(0xc044560f);
    expect(r.DQBUF).toBe(0xc0445611);
  });

  it('which ABI this process uses follows its pointer size', () => {
    expect(hostAbi('x64')).toBe('lp64');
    expect(hostAbi('arm64')).toBe('lp64');
    expect(hostAbi('arm')).toBe('ilp32');
  });

  // struct v4l2_buffer field offsets: index 0, bytesused 8, flags 12, timestamp (tv_sec, tv_usec),
  // sequence, memory, m.offset, length.
  const BUFFER = {
    lp64: { size: 88, sec: 24, usec: 32, word: 8, sequence: 56, memory: 60, offset: 64, length: 72 },
    ilp32: { size: 68, sec: 20, usec: 24, word: 4, sequence: 44, memory: 48, offset: 52, length: 56 },
  } as const;

  for (const abi of ['lp64', 'ilp32'] as const) {
    it(`struct v4l2_buffer on ${abi}: the sequence number and mmap offset after the timeval`, () => {
      const o = BUFFER[abi];
      const b = new Uint8Array(o.size);
      const v = new DataView(b.buffer);
      v.setUint32(0, 3, true);
      v.setUint32(8, 614400, true);
      v.setUint32(12, 0x2005, true);
      if (o.word === 8) {
        v.setBigInt64(o.sec, 12n, true);
        v.setBigInt64(o.usec, 345678n, true);
      } else {
        v.setInt32(o.sec, 12, true);
        v.setInt32(o.usec, 345678, true);
      }
      v.setUint32(o.sequence, 4242, true);
      v.setUint32(o.memory, 1, true);
      v.setUint32(o.offset, 0x96000, true);
      v.setUint32(o.length, 614400, true);
      const info = decodeBuffer(abi, b);
      expect(info).toEqual({ index: 3, bytesused: 614400, flags: 0x2005, timestampNs: 12_345_678_000n, sequence: 4242, offset: 0x96000, length: 614400 });
      expect(LAYOUTS[abi].buffer.size).toBe(o.size);
      // And the stand-in kernel's writer puts them back at the same places.
      const again = new Uint8Array(o.size);
      writeBuffer(abi, again, info);
      expect(new DataView(again.buffer).getUint32(o.sequence, true)).toBe(4242);
      expect(new DataView(again.buffer).getUint32(o.offset, true)).toBe(0x96000);
    });
  }

  it('struct v4l2_format: the pix fields start at 8 on LP64 (the union holds pointers) and at 4 on ILP32', () => {
    const l = encodeFormat('lp64', { width: 640, height: 480, pixelformat: fourcc('YUYV') });
    expect(l.length).toBe(208);
    expect(new DataView(l.buffer).getUint32(8, true)).toBe(640);
    expect(new DataView(l.buffer).getUint32(16, true)).toBe(0x56595559);
    const a = encodeFormat('ilp32', { width: 640, height: 480, pixelformat: fourcc('YUYV') });
    expect(a.length).toBe(204);
    expect(new DataView(a.buffer).getUint32(4, true)).toBe(640);
    expect(new DataView(a.buffer).getUint32(12, true)).toBe(0x56595559);
  });
});
