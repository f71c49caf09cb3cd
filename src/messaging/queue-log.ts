/**
 * The queue file's format: a log of records, each `[u32 length][u32 crc32][body]` (little
 * endian), where the body's first byte is its kind:
 *
 * - 4 `message`: u64 seq, u32 header length, header (message-header.ts: topic, content type,
 *   metadata, and for a reply its response topic and correlation data), data;
 * - 1 `message` as earlier versions wrote it, still read: the same with a JSON header (topic `t`,
 *   content type `c`, metadata `m`);
 * - 2 `done`: u8 why (0 acknowledged, 1 dropped by the overflow policy, 2 refused by the broker),
 *   u32 count, count × u64 seq — messages that are no longer waiting;
 * - 3 `state`: u64 next seq, u64 dropped, u64 refused — the first record of a compacted file.
 *
 * The file starts with the 8 bytes `WEMQLOG1`. Records are only ever appended (a compaction writes a new file and renames it over the old).
 * Reading stops at the first record that does not check: at the end of the file that is a write
 * the host was killed in the middle of (the send it belonged to never returned), and the file is
 * cut there; anywhere else the file is broken.
 */
import { crc32 } from './crc32.js';
import { getU32, putU32 } from './little-endian.js';
import { headerBytes, readHeader, writeHeader } from './message-header.js';
import type { WireMessage } from './backend.js';

export const KIND_MESSAGE_JSON = 1;
export const KIND_MESSAGE = 4;
export const KIND_DONE = 2;
export const KIND_STATE = 3;

/** The first 8 bytes of every queue file. */
export const MAGIC = new TextEncoder().encode('WEMQLOG1');
/** Largest record the queue writes (a maximal message and its header); a longer length is damage. */
export const MAX_RECORD_BYTES = 2 ** 28 + 2 ** 20;

export type DoneReason = 'acked' | 'dropped' | 'rejected';
const REASONS: readonly DoneReason[] = ['acked', 'dropped', 'rejected'];

export type LogRecord =
  | { kind: 'message'; seq: number; message: WireMessage; bytes: number }
  | { kind: 'done'; why: DoneReason; seqs: number[] }
  | { kind: 'state'; nextSeq: number; dropped: number; rejected: number };

const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The header of a kind-1 record. */
interface JsonHeader {
  t: string;
  c?: string;
  m?: [string, string][];
}

function frame(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length, true);
  view.setUint32(4, crc32(body), true);
  out.set(body, 8);
  return out;
}

/** A message record's sizes, computed once per send. */
export interface MessageLayout {
  headerBytes: number;
  /** The whole framed record: 8 bytes of frame, 13 of fixed fields, the header, the data. */
  recordBytes: number;
}

export function messageLayout(m: WireMessage): MessageLayout {
  const hl = headerBytes(m);
  return { headerBytes: hl, recordBytes: 8 + 13 + hl + m.data.length };
}

/**
 * Writes the framed record of message `seq` into `target` at `at` (layout.recordBytes bytes;
 * `target` may be shared memory): the send path encodes into a reused buffer, no allocation.
 */
export function writeMessage(target: Uint8Array, at: number, seq: number, m: WireMessage, layout: MessageLayout): void {
  const body = at + 8;
  const hl = layout.headerBytes;
  target[body] = KIND_MESSAGE;
  putU32(target, body + 1, seq >>> 0);
  putU32(target, body + 5, Math.floor(seq / 2 ** 32));
  putU32(target, body + 9, hl);
  writeHeader(target, body + 13, m);
  target.set(m.data, body + 13 + hl);
  putU32(target, at, layout.recordBytes - 8);
  putU32(target, at + 4, crc32(target, body, at + layout.recordBytes));
}

export function encodeMessage(seq: number, m: WireMessage): Uint8Array {
  const layout = messageLayout(m);
  const out = new Uint8Array(layout.recordBytes);
  writeMessage(out, 0, seq, m, layout);
  return out;
}

export function encodeDone(why: DoneReason, seqs: readonly number[]): Uint8Array {
  const body = new Uint8Array(1 + 1 + 4 + 8 * seqs.length);
  const view = new DataView(body.buffer);
  body[0] = KIND_DONE;
  body[1] = REASONS.indexOf(why);
  view.setUint32(2, seqs.length, true);
  seqs.forEach((s, i) => view.setBigUint64(6 + 8 * i, BigInt(s), true));
  return frame(body);
}

export function encodeState(nextSeq: number, dropped: number, rejected: number): Uint8Array {
  const body = new Uint8Array(1 + 24);
  const view = new DataView(body.buffer);
  body[0] = KIND_STATE;
  view.setBigUint64(1, BigInt(nextSeq), true);
  view.setBigUint64(9, BigInt(dropped), true);
  view.setBigUint64(17, BigInt(rejected), true);
  return frame(body);
}

function fromJsonHeader(bytes: Uint8Array, data: Uint8Array): WireMessage {
  const header = JSON.parse(fromUtf8.decode(bytes)) as JsonHeader;
  if (typeof header.t !== 'string') throw new Error('message without a topic');
  const message: WireMessage = { topic: header.t, data };
  if (header.c !== undefined) message.contentType = header.c;
  if (header.m !== undefined) message.metadata = header.m;
  return message;
}

/**
 * One record's body (after its frame), as scanLog reads it. The message's data is copied out,
 * unless `keep` says `body` is the caller's own to share (the MQTT worker's copy out of its ring).
 */
export function decodeBody(body: Uint8Array, frameBytes: number, keep = false): LogRecord {
  // Made only for the records that need one (not messages).
  const dataView = () => new DataView(body.buffer, body.byteOffset, body.byteLength);
  switch (body[0]) {
    case KIND_MESSAGE:
    case KIND_MESSAGE_JSON: {
      // By bytes, not a DataView: this runs for every message the MQTT worker is handed.
      const seq = getU32(body, 1) + getU32(body, 5) * 2 ** 32;
      const hl = getU32(body, 9);
      if (13 + hl > body.length) throw new Error('header runs past the record');
      // A copy in a plain Uint8Array: the file was read into a Buffer, which must not leak out.
      const raw = body.subarray(13 + hl);
      const data = keep ? raw : new Uint8Array(raw);
      const header = body.subarray(13, 13 + hl);
      const message = body[0] === KIND_MESSAGE ? readHeader(header, data) : fromJsonHeader(header, data);
      return { kind: 'message', seq, message, bytes: frameBytes };
    }
    case KIND_DONE: {
      const view = dataView();
      const why = REASONS[body[1]!];
      const n = view.getUint32(2, true);
      if (!why || body.length !== 6 + 8 * n) throw new Error('malformed done record');
      const seqs: number[] = [];
      for (let i = 0; i < n; i++) seqs.push(Number(view.getBigUint64(6 + 8 * i, true)));
      return { kind: 'done', why, seqs };
    }
    case KIND_STATE: {
      if (body.length !== 25) throw new Error('malformed state record');
      const view = dataView();
      return {
        kind: 'state',
        nextSeq: Number(view.getBigUint64(1, true)),
        dropped: Number(view.getBigUint64(9, true)),
        rejected: Number(view.getBigUint64(17, true)),
      };
    }
    default:
      throw new Error(`unknown record kind ${body[0]}`);
  }
}

export interface ScanResult {
  records: LogRecord[];
  /** Bytes of good records; the file is cut here when it is longer (a torn last write). */
  goodBytes: number;
  /** Set when a bad record is followed by more data: the file is broken, not merely torn. */
  broken?: string;
}

/**
 * Reads every record of `file`, stopping at the first bad one. A bad record is a torn last write
 * (cut here, nothing lost that a guest was told is queued) when it runs to the end of the file or
 * past it, or when only zeros follow (a power cut can leave the file longer than what reached the
 * disk); a bad record with more data after it means the file is broken.
 */
export function scanLog(file: Uint8Array): ScanResult {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const records: LogRecord[] = [];
  if (file.length < MAGIC.length) {
    // Only a file cut while its first bytes were written may be this short.
    const prefix = MAGIC.subarray(0, file.length);
    return file.every((b, i) => b === prefix[i]) ? { records, goodBytes: 0 } : { records, goodBytes: 0, broken: 'it does not start like a queue file' };
  }
  if (!MAGIC.every((b, i) => file[i] === b)) return { records, goodBytes: 0, broken: 'it does not start like a queue file' };
  let at = MAGIC.length;
  while (at < file.length) {
    const stop = (why: string, end: number): ScanResult =>
      end >= file.length || file.subarray(at).every((b) => b === 0)
        ? { records, goodBytes: at }
        : { records, goodBytes: at, broken: `${why} at byte ${at} of ${file.length}` };
    if (at + 8 > file.length) return stop('a record header cut short', file.length);
    const length = view.getUint32(at, true);
    const crc = view.getUint32(at + 4, true);
    const end = at + 8 + length;
    if (length === 0) return stop('an empty record', at + 8);
    if (length > MAX_RECORD_BYTES) return { records, goodBytes: at, broken: `a record length of ${length} bytes at byte ${at}` };
    if (end > file.length) return { records, goodBytes: at };
    const body = file.subarray(at + 8, end);
    if (crc32(body) !== crc) return stop('a record whose checksum does not match', end);
    try {
      records.push(decodeBody(body, 8 + length));
    } catch (e) {
      return { records, goodBytes: at, broken: `an unreadable record at byte ${at} (${(e as Error).message})` };
    }
    at = end;
  }
  return { records, goodBytes: at };
}
