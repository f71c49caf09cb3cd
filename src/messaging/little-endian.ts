/**
 * Little-endian u32s by bytes, for the queue's records and the hand-over ring: on the send path a
 * DataView (or the `.buffer` of a small, freshly made array, which V8 must then move off its heap)
 * costs more than the record itself.
 */
export function putU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v;
  b[at + 1] = v >>> 8;
  b[at + 2] = v >>> 16;
  b[at + 3] = v >>> 24;
}

export function getU32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}
