/**
 * The header of a queued message in binary (queue-log.ts, record kind 4): what the message is
 * besides its data. Every send encodes one and the MQTT worker decodes each it is handed, so it is
 * strings with their lengths, not JSON (JSON.stringify and JSON.parse cost a couple of
 * microseconds each per message, more than the rest of the record):
 *
 * `u32 topic length, topic, u8 flags (1 content type, 2 response topic, 4 correlation data, 8
 * metadata, even an empty list), [content type], u32 metadata pairs, pairs (key, value), [response
 * topic], [correlation data]`
 *
 * where each string and the correlation data is `u32 byte length, bytes` (UTF-8), little endian.
 */
import type { WireMessage } from './backend.js';
import { getU32, putU32 } from './little-endian.js';
import { utf8Length } from './utf8-length.js';

const HAS_CONTENT_TYPE = 1;
const HAS_RESPONSE_TOPIC = 2;
const HAS_CORRELATION = 4;
const HAS_METADATA = 8;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The header's length in bytes. */
export function headerBytes(m: WireMessage): number {
  let n = 4 + utf8Length(m.topic) + 1 + 4;
  if (m.contentType !== undefined) n += 4 + utf8Length(m.contentType);
  for (const [k, v] of m.metadata ?? []) n += 8 + utf8Length(k) + utf8Length(v);
  if (m.responseTopic !== undefined) n += 4 + utf8Length(m.responseTopic);
  if (m.correlationData !== undefined) n += 4 + m.correlationData.length;
  return n;
}

/** `s` as u32 length + UTF-8 at `at`; returns where the next field goes. ASCII (most topics and keys) byte by byte. */
function putString(b: Uint8Array, at: number, s: string): number {
  const n = utf8Length(s);
  putU32(b, at, n);
  at += 4;
  if (n === s.length) for (let i = 0; i < n; i++) b[at + i] = s.charCodeAt(i);
  else utf8.encodeInto(s, b.subarray(at, at + n));
  return at + n;
}

/** Writes the header of `m` at `at` (headerBytes(m) bytes). */
export function writeHeader(b: Uint8Array, at: number, m: WireMessage): void {
  at = putString(b, at, m.topic);
  b[at++] =
    (m.contentType !== undefined ? HAS_CONTENT_TYPE : 0) |
    (m.responseTopic !== undefined ? HAS_RESPONSE_TOPIC : 0) |
    (m.correlationData !== undefined ? HAS_CORRELATION : 0) |
    (m.metadata !== undefined ? HAS_METADATA : 0);
  if (m.contentType !== undefined) at = putString(b, at, m.contentType);
  const meta = m.metadata ?? [];
  putU32(b, at, meta.length);
  at += 4;
  for (const [k, v] of meta) at = putString(b, putString(b, at, k), v);
  if (m.responseTopic !== undefined) at = putString(b, at, m.responseTopic);
  if (m.correlationData !== undefined) {
    putU32(b, at, m.correlationData.length);
    b.set(m.correlationData, at + 4);
  }
}

/** The UTF-8 in b[at..at+n]; short ASCII (most topics, keys and values) without a decoder or a subarray. */
function textAt(b: Uint8Array, at: number, n: number): string {
  if (n <= 64) {
    let s = '';
    let i = 0;
    while (i < n && b[at + i]! < 0x80) s += String.fromCharCode(b[at + i++]!);
    if (i === n) return s;
  }
  return fromUtf8.decode(b.subarray(at, at + n));
}

/** Reads what writeHeader wrote in `b` (exactly the header); `data` becomes the message's data. Throws on damage. */
export function readHeader(b: Uint8Array, data: Uint8Array): WireMessage {
  let at = 0;
  /** The length of the next field, checked against the header's end; `at` moves past the length. */
  const field = (): number => {
    if (at + 4 > b.length) throw new Error('header cut short');
    const n = getU32(b, at);
    at += 4;
    if (at + n > b.length) throw new Error('header field runs past the header');
    return n;
  };
  const text = (): string => {
    const n = field();
    const s = textAt(b, at, n);
    at += n;
    return s;
  };
  const m: WireMessage = { topic: text(), data };
  if (at >= b.length) throw new Error('header cut short');
  const flags = b[at++]!;
  if (flags & HAS_CONTENT_TYPE) m.contentType = text();
  if (at + 4 > b.length) throw new Error('header cut short');
  const pairs = getU32(b, at);
  at += 4;
  if (flags & HAS_METADATA) m.metadata = [];
  else if (pairs) throw new Error('metadata pairs without the metadata flag');
  if (pairs > b.length) throw new Error('more metadata pairs than the header has bytes');
  for (let i = 0; i < pairs; i++) m.metadata!.push([text(), text()]);
  if (flags & HAS_RESPONSE_TOPIC) m.responseTopic = text();
  if (flags & HAS_CORRELATION) {
    const n = field();
    // A plain Uint8Array (b may be a Buffer: the file is read into one).
    m.correlationData = new Uint8Array(b.subarray(at, at + n));
    at += n;
  }
  if (at !== b.length) throw new Error('bytes after the header');
  return m;
}
