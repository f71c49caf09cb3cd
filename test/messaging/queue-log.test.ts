/**
 * The queue file's message records: every field of a message survives encoding and decoding
 * (binary header, kind 4), damage in a header is an error (so scanLog calls the file broken),
 * and a record as earlier versions wrote it (kind 1, JSON header) still reads.
 */
import { describe, expect, it } from 'vitest';
import type { WireMessage } from '../../src/messaging/backend.js';
import { crc32 } from '../../src/messaging/crc32.js';
import { MAGIC, decodeBody, encodeMessage, scanLog } from '../../src/messaging/queue-log.js';

const bytes = (s: string) => new TextEncoder().encode(s);

function roundTrip(m: WireMessage): WireMessage {
  const record = encodeMessage(2 ** 40 + 7, m);
  const r = decodeBody(record.subarray(8), record.length);
  if (r.kind !== 'message') throw new Error(`decoded a ${r.kind}`);
  expect(r.seq).toBe(2 ** 40 + 7);
  return r.message;
}

describe('queue-log message records', () => {
  it('keep every field: topic, data, content type, metadata (an empty list too), response topic, correlation data', () => {
    const full: WireMessage = {
      topic: 'edge/cam-7/détections',
      data: bytes('{"faces":1}'),
      contentType: 'application/json',
      metadata: [['seq', '41'], ['clé', 'värde 🎉'], ['seq', '42'], ['long', 'x'.repeat(300)]],
      responseTopic: 'wasi-edge/replies/a/b',
      correlationData: new Uint8Array([0, 255, 1, 254]),
    };
    expect(roundTrip(full)).toEqual(full);
    expect(roundTrip({ topic: 't', data: new Uint8Array() })).toEqual({ topic: 't', data: new Uint8Array() });
    const empty = roundTrip({ topic: 't', data: bytes('x'), metadata: [] });
    expect(empty.metadata).toEqual([]);
  });

  it('a damaged header is an error, not a wrong message', () => {
    const record = encodeMessage(1, { topic: 'edge/x', data: bytes('d'), metadata: [['k', 'v']] });
    const body = record.slice(8);
    // The topic's length, made longer than the header.
    body[13] = 200;
    expect(() => decodeBody(body, record.length)).toThrow(/header/);
  });

  it('reads a record as earlier versions wrote it (kind 1, JSON header)', () => {
    const header = bytes(JSON.stringify({ t: 'edge/old', c: 'text/plain', m: [['seq', '9']] }));
    const data = bytes('hello');
    const body = new Uint8Array(13 + header.length + data.length);
    const view = new DataView(body.buffer);
    body[0] = 1;
    view.setUint32(1, 9, true);
    view.setUint32(9, header.length, true);
    body.set(header, 13);
    body.set(data, 13 + header.length);
    const frame = new Uint8Array(8);
    new DataView(frame.buffer).setUint32(0, body.length, true);
    new DataView(frame.buffer).setUint32(4, crc32(body), true);
    const file = new Uint8Array([...MAGIC, ...frame, ...body]);
    const scan = scanLog(file);
    expect(scan.broken).toBeUndefined();
    expect(scan.records).toEqual([{ kind: 'message', seq: 9, bytes: 8 + body.length, message: { topic: 'edge/old', data, contentType: 'text/plain', metadata: [['seq', '9']] } }]);
  });
});
