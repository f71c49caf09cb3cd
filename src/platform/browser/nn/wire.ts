/**
 * Replies from the ONNX Runtime Web worker to the component's worker, through shared memory.
 * A browser worker blocked in Atomics.wait cannot receive a message (there is no
 * `receiveMessageOnPort` outside Node), so the ORT worker writes the reply into a growable
 * SharedArrayBuffer and then wakes the caller:
 *
 *   Int32 [0] flag (0 pending, 1 done)   [1] header bytes   [2] binary bytes   [3] unused
 *   bytes 16…: JSON header (typed arrays replaced by {"$bin": i, "$type", "$len"}), then the
 *   binary parts, each 8-byte aligned, in order.
 */
export const HEADER = 16;

type Ctor = { new (buffer: ArrayBuffer, offset: number, length: number): ArrayBufferView; BYTES_PER_ELEMENT: number };
const VIEWS: Record<string, Ctor> = {
  Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array,
  BigInt64Array: BigInt64Array as unknown as Ctor,
  BigUint64Array: BigUint64Array as unknown as Ctor,
};

const align8 = (n: number) => (n + 7) & ~7;

interface GrowableSab extends SharedArrayBuffer {
  grow(n: number): void;
  readonly maxByteLength: number;
}

export function createReplyBuffer(): SharedArrayBuffer {
  const Sab = SharedArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => SharedArrayBuffer;
  return new Sab(1 << 20, { maxByteLength: 1 << 30 });
}

/** ORT worker side: writes `reply` and wakes the waiter. */
export function writeReply(sab: SharedArrayBuffer, reply: unknown): void {
  const parts: ArrayBufferView[] = [];
  const json = JSON.stringify(reply, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v)) {
      parts.push(v);
      const ctor = v.constructor.name;
      return { $bin: parts.length - 1, $type: ctor, $len: v.byteLength / ((v as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1) };
    }
    if (typeof v === 'bigint') return Number(v);
    return v;
  });
  const head = new TextEncoder().encode(json);
  let size = HEADER + align8(head.byteLength);
  for (const p of parts) size += align8(p.byteLength);
  const g = sab as GrowableSab;
  if (size > sab.byteLength) {
    if (size > g.maxByteLength) throw new Error(`reply of ${size} bytes exceeds the ${g.maxByteLength}-byte shared buffer`);
    g.grow(size);
  }
  const bytes = new Uint8Array(sab);
  bytes.set(head, HEADER);
  let at = HEADER + align8(head.byteLength);
  for (const p of parts) {
    bytes.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
    at += align8(p.byteLength);
  }
  const ctl = new Int32Array(sab, 0, 4);
  Atomics.store(ctl, 1, head.byteLength);
  Atomics.store(ctl, 2, at - HEADER - align8(head.byteLength));
  Atomics.store(ctl, 0, 1);
  Atomics.notify(ctl, 0);
}

/** Caller side: decodes the reply into fresh (unshared) buffers. */
export function readReply(sab: SharedArrayBuffer): unknown {
  const ctl = new Int32Array(sab, 0, 4);
  const headBytes = Atomics.load(ctl, 1);
  const bytes = new Uint8Array(sab);
  const json = new TextDecoder().decode(bytes.slice(HEADER, HEADER + headBytes));
  const binStart = HEADER + align8(headBytes);
  const offsets: number[] = [];
  return JSON.parse(json, (_k, v: unknown) => {
    if (v && typeof v === 'object' && '$bin' in v) {
      const { $bin, $type, $len } = v as { $bin: number; $type: string; $len: number };
      const View = VIEWS[$type] ?? Uint8Array;
      // Parts were written in order; JSON.parse revives in the same (depth-first) order.
      let at = binStart;
      for (let i = 0; i < $bin; i++) at += align8(offsets[i]!);
      const byteLength = $len * View.BYTES_PER_ELEMENT;
      offsets[$bin] = byteLength;
      const copy = bytes.slice(at, at + byteLength).buffer;
      return new View(copy, 0, $len);
    }
    return v;
  });
}
