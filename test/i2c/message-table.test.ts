// The I2C_RDWR message table is laid out with the target's sizeof(struct i2c_msg): 16 bytes on
// x86_64, 12 on 32-bit ARM. A hard-coded 16 garbled every multi-message transfer on ARM (QEMU run).
import { describe, expect, it } from 'vitest';
import { encodeMessageTable } from '../../src/i2c/linux.js';

function fakeKoffi(size: number) {
  const encoded: { offset: number; value: { addr: number; flags: number; len: number } }[] = [];
  const buffers = new Map<unknown, ArrayBuffer>();
  return {
    encoded,
    buffers,
    codec: {
      sizeof: () => size,
      view: (ptr: unknown, len: number) => {
        if (!buffers.has(ptr)) buffers.set(ptr, new ArrayBuffer(Math.max(1, len)));
        return buffers.get(ptr)!;
      },
      encode: (_table: unknown, offset: number, _type: unknown, value: unknown) =>
        encoded.push({ offset, value: value as { addr: number; flags: number; len: number } }),
    },
  };
}

const msgs = [
  { addr: 0x48, flags: 0, buf: new Uint8Array([0x00]) },
  { addr: 0x48, flags: 1, buf: new Uint8Array(2) },
  { addr: 0x48, flags: 0, buf: new Uint8Array([1, 2, 3]) },
];

describe('I2C_RDWR message table', () => {
  it.each([[16], [12]])('entries are sizeof(struct i2c_msg) = %i bytes apart', (size) => {
    const k = fakeKoffi(size);
    encodeMessageTable(k.codec, 'table', 'msg', msgs, ['b0', 'b1', 'b2']);
    expect(k.encoded.map((e) => e.offset)).toEqual([0, size, 2 * size]);
    expect(k.encoded.map((e) => [e.value.addr, e.value.flags, e.value.len])).toEqual([[0x48, 0, 1], [0x48, 1, 2], [0x48, 0, 3]]);
  });

  it('copies write payloads into their buffers and leaves read buffers alone', () => {
    const k = fakeKoffi(16);
    encodeMessageTable(k.codec, 'table', 'msg', msgs, ['b0', 'b1', 'b2']);
    expect(Array.from(new Uint8Array(k.buffers.get('b2')!))).toEqual([1, 2, 3]);
    expect(k.buffers.has('b1')).toBe(false);
  });
});
