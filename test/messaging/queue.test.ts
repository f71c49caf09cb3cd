/**
 * The store-and-forward queue on its own: what survives a close and reopen, the overflow
 * policies and their counters, a torn last write (cut, nothing lost), a broken file (reported and
 * moved aside, the queue starts empty), compaction, and one host per queue folder.
 */
import { appendFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DurableQueue, MemoryQueue } from '../../src/messaging/queue.js';
import { DEFAULT_QUEUE, type QueueConfig } from '../../src/messaging/config.js';
import { MessagingFailure } from '../../src/messaging/failure.js';
import type { WireMessage } from '../../src/messaging/backend.js';
import { tempDir } from '../helpers/temp-dir.js';

const msg = (data: string, extra: Partial<WireMessage> = {}): WireMessage => ({ topic: 't/x', data: new TextEncoder().encode(data), ...extra });
const texts = (q: { waiting(): { message: WireMessage }[] }) => q.waiting().map((w) => Buffer.from(w.message.data).toString());

function durable(dir: string, over: Partial<QueueConfig> = {}): DurableQueue {
  return new DurableQueue('cloud', { ...DEFAULT_QUEUE, ...over, dir });
}

describe('DurableQueue', () => {
  it('keeps what waits across a close and reopen, in order, with topic, content type and metadata', () => {
    const dir = tempDir('queue');
    const q = durable(dir);
    const seqs = ['a', 'b', 'c', 'd'].map((d) => q.append(msg(d, { contentType: 'text/plain', metadata: [['k', d]] })).record.seq);
    expect(seqs).toEqual([1, 2, 3, 4]);
    q.done('acked', [1, 3]);
    q.close();
    const again = durable(dir);
    expect(again.waiting().map((w) => [w.seq, w.message])).toEqual([
      [2, msg('b', { contentType: 'text/plain', metadata: [['k', 'b']] })],
      [4, msg('d', { contentType: 'text/plain', metadata: [['k', 'd']] })],
    ]);
    // Numbering goes on after the highest number ever given.
    expect(again.append(msg('e')).record.seq).toBe(5);
    expect(again.notices).toEqual([]);
    again.close();
  });

  it("keeps a reply's response topic and correlation data across a reopen, and lends the record it wrote", () => {
    const dir = tempDir('queue');
    const q = durable(dir);
    const reply = msg('pong', { responseTopic: 'r/1', correlationData: new Uint8Array([0, 1, 0xfe, 0xff]) });
    const { record } = q.append(reply);
    // The record handed to the backend is the one in the file, byte for byte.
    const file = readFileSync(join(dir, 'queue.log'));
    expect(Buffer.from(record.encoded!).equals(file.subarray(file.length - record.encoded!.length))).toBe(true);
    q.close();
    const again = durable(dir);
    expect(again.waiting().map((w) => w.message)).toEqual([reply]);
    again.close();
  });

  it('drop-oldest drops the oldest waiting messages and counts them, for good', () => {
    const dir = tempDir('queue');
    const q = durable(dir, { maxMessages: 3 });
    const results = ['0', '1', '2', '3', '4'].map((d) => q.append(msg(d)));
    expect(results.map((r) => r.droppedUpTo)).toEqual([undefined, undefined, undefined, 1, 2]);
    expect(texts(q)).toEqual(['2', '3', '4']);
    expect(q.stats()).toMatchObject({ waiting: 3, dropped: 2 });
    q.close();
    const again = durable(dir, { maxMessages: 3 });
    expect(again.stats()).toMatchObject({ waiting: 3, dropped: 2, acked: 0 });
    again.close();
  });

  it('bounds bytes as well as messages', () => {
    const q = new MemoryQueue('cloud', { ...DEFAULT_QUEUE, maxBytes: 1024 });
    // Each costs 600 data + 3 topic bytes: two do not fit.
    q.append(msg('x'.repeat(600)));
    expect(q.append(msg('y'.repeat(600))).droppedUpTo).toBe(1);
    expect(q.stats()).toMatchObject({ waiting: 1, waitingBytes: 603, dropped: 1 });
    expect(() => q.append(msg('z'.repeat(2000)))).toThrow('a message of 2003 bytes cannot fit a queue of 1024 bytes (messaging.clients.cloud.queue.maxBytes)');
  });

  it('reject refuses the send when full and keeps what waits', () => {
    const q = new MemoryQueue('cloud', { ...DEFAULT_QUEUE, maxMessages: 2, overflow: 'reject' });
    q.append(msg('a'));
    q.append(msg('b'));
    let error: unknown;
    try {
      q.append(msg('c'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MessagingFailure);
    expect((error as MessagingFailure).code).toBe('other');
    expect((error as Error).message).toBe('the queue of client "cloud" is full (2 messages, 8 bytes waiting; limits 2 messages, 16777216 bytes): the message was not queued');
    expect(texts(q)).toEqual(['a', 'b']);
    expect(q.stats().dropped).toBe(0);
  });

  it('a write cut short at the end (the host died in it) is cut off; everything before it stays', () => {
    const dir = tempDir('queue');
    const q = durable(dir);
    for (const d of ['a', 'b', 'c']) q.append(msg(d));
    q.close();
    const file = join(dir, 'queue.log');
    const good = statSync(file).size;
    // The first 20 bytes of a record whose header promises 100 bytes of body.
    const torn = Buffer.alloc(20);
    torn.writeUInt32LE(100, 0);
    appendFileSync(file, torn);
    const again = durable(dir);
    expect(texts(again)).toEqual(['a', 'b', 'c']);
    expect(again.notices).toEqual([]);
    again.close();
    expect(statSync(file).size).toBe(good);
  });

  it('zeros after the last record (a power cut can leave them) are cut off too', () => {
    const dir = tempDir('queue');
    const q = durable(dir);
    q.append(msg('a'));
    q.close();
    appendFileSync(join(dir, 'queue.log'), Buffer.alloc(4096));
    const again = durable(dir);
    expect(texts(again)).toEqual(['a']);
    expect(again.notices).toEqual([]);
    again.close();
  });

  it('a broken file is moved aside and reported; the queue starts empty and works', () => {
    const dir = tempDir('queue');
    writeFileSync(join(dir, 'queue.log'), 'this is not a queue file at all\n');
    const q = durable(dir);
    expect(q.notices).toHaveLength(1);
    expect(q.notices[0]).toMatch(/^messaging: the queue file of client "cloud" is broken \(it does not start like a queue file\); moved it to .*queue\.log\.broken-[0-9T-]+Z and started an empty queue$/);
    const aside = readdirSync(dir).filter((f) => f.startsWith('queue.log.broken-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe('this is not a queue file at all\n');
    expect(q.waiting()).toEqual([]);
    q.append(msg('after'));
    q.close();
    expect(texts(durable(dir))).toEqual(['after']);
  });

  it('damage in the middle (a record that does not check, with more after it) is a broken file', () => {
    const dir = tempDir('queue');
    const q = durable(dir);
    for (const d of ['first', 'second', 'third']) q.append(msg(d));
    q.close();
    const file = join(dir, 'queue.log');
    const bytes = readFileSync(file);
    const at = bytes.indexOf(Buffer.from('second'));
    bytes[at] ^= 0xff;
    writeFileSync(file, bytes);
    const again = durable(dir);
    expect(again.notices[0]).toMatch(/is broken \(a record whose checksum does not match at byte \d+ of \d+\)/);
    expect(again.waiting()).toEqual([]);
    again.close();
  });

  it('compacts: a long run of sends and acknowledgements keeps the file small', () => {
    const dir = tempDir('queue');
    const q = durable(dir, { fsync: 'none' });
    const data = 'x'.repeat(1000);
    for (let i = 0; i < 3000; i++) {
      const { record } = q.append(msg(data));
      if (i % 10 !== 0) q.done('acked', [record.seq]);
    }
    const waiting = q.stats().waiting;
    expect(waiting).toBe(300);
    expect(statSync(join(dir, 'queue.log')).size).toBeLessThan(300 * 1100 + 2 * 1024 * 1024);
    q.close();
    const again = durable(dir);
    expect(again.stats().waiting).toBe(300);
    expect(again.waiting()[0]!.seq).toBe(1);
    expect(again.append(msg('next')).record.seq).toBe(3001);
    again.close();
  });

  it('one queue per folder: a second open in this process is refused until the first closes', () => {
    const dir = tempDir('queue');
    const q = durable(dir);
    expect(() => durable(dir)).toThrow(/the queue folder of client "cloud" is already open in this process/);
    q.close();
    durable(dir).close();
  });

  it('a lock left by a process that is gone is taken over', () => {
    const dir = tempDir('queue');
    // A pid that cannot be running: above Linux's pid_max.
    writeFileSync(join(dir, 'lock'), '4194305');
    const q = durable(dir);
    expect(readFileSync(join(dir, 'lock'), 'utf8')).toBe(String(process.pid));
    q.close();
  });
});
