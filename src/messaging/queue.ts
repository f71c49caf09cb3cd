/**
 * The store-and-forward queue: messages wait here from the moment `send` accepts them until the
 * broker acknowledges them, in sequence order. Bounded in messages and bytes; when full, the
 * overflow policy either drops the oldest waiting messages — counted, persistently — or refuses
 * the send. DurableQueue keeps it in a file (queue-log.ts) and survives the host being killed
 * (and, with fsync "always", a power cut); MemoryQueue is the same without the file.
 */
import { closeSync, existsSync, fdatasyncSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { messageSize, type QueuedMessage, type WireMessage } from './backend.js';
import type { QueueConfig } from './config.js';
import { fail } from './failure.js';
import { MAGIC, encodeDone, encodeMessage, encodeState, messageLayout, scanLog, writeMessage, type DoneReason } from './queue-log.js';

export interface QueueStats {
  /** Messages waiting for the broker. */
  waiting: number;
  waitingBytes: number;
  /** Dropped by the overflow policy, ever (persisted with the queue). */
  dropped: number;
  /** Refused by the broker, ever (persisted). */
  rejected: number;
  /** Acknowledged by the broker since this host started. */
  acked: number;
}

export interface AppendResult {
  /** The message, its sequence number and (DurableQueue) its record as written, lent until the next append. */
  record: QueuedMessage;
  /** The highest sequence number this append dropped to make room, if it dropped any. */
  droppedUpTo?: number;
}

export interface MessageQueue {
  /** Takes a message (durably, for DurableQueue) and gives it the next sequence number; `size` is its messageSize. */
  append(message: WireMessage, size?: number): AppendResult;
  /** Messages that no longer wait: acknowledged, or refused by the broker. */
  done(why: Exclude<DoneReason, 'dropped'>, seqs: readonly number[]): void;
  /** The waiting messages, oldest first. */
  waiting(): QueuedMessage[];
  stats(): QueueStats;
  /** What opening found worth telling (a broken file moved aside). */
  readonly notices: readonly string[];
  close(): void;
}

interface Live {
  message: WireMessage;
  size: number;
}

/** makeRoom's answer on almost every send (not to be modified). */
const NO_DROPS: number[] = [];

/** The bookkeeping both queues share: what waits, the bounds, the counters. */
class QueueBook {
  protected readonly live = new Map<number, Live>();
  protected nextSeq = 1;
  protected bytes = 0;
  protected dropped = 0;
  protected rejected = 0;
  protected acked = 0;
  readonly notices: string[] = [];

  constructor(
    protected readonly name: string,
    protected readonly config: QueueConfig,
  ) {}

  /** The sequence numbers to drop so that a message of `size` fits, or a refusal. */
  protected makeRoom(size: number): number[] {
    const { maxMessages, maxBytes, overflow } = this.config;
    if (size > maxBytes) fail('other', `a message of ${size} bytes cannot fit a queue of ${maxBytes} bytes (messaging.clients.${this.name}.queue.maxBytes)`);
    const full = () => this.live.size + 1 > maxMessages || this.bytes + size > maxBytes;
    if (!full()) return NO_DROPS;
    if (overflow === 'reject') {
      fail('other', `the queue of client "${this.name}" is full (${this.live.size} messages, ${this.bytes} bytes waiting; limits ${maxMessages} messages, ${maxBytes} bytes): the message was not queued`);
    }
    const drop: number[] = [];
    const order = this.live.keys();
    let bytes = this.bytes;
    let count = this.live.size;
    while (count + 1 > maxMessages || bytes + size > maxBytes) {
      const seq = order.next().value as number;
      drop.push(seq);
      bytes -= this.live.get(seq)!.size;
      count--;
    }
    return drop;
  }

  protected forget(seqs: readonly number[], why: DoneReason): void {
    for (const seq of seqs) {
      const l = this.live.get(seq);
      if (!l) continue;
      this.live.delete(seq);
      this.bytes -= l.size;
      if (why === 'dropped') this.dropped++;
      else if (why === 'rejected') this.rejected++;
      else this.acked++;
    }
  }

  protected take(seq: number, message: WireMessage, size = messageSize(message)): void {
    this.live.set(seq, { message, size });
    this.bytes += size;
  }

  waiting(): QueuedMessage[] {
    return [...this.live].map(([seq, l]) => ({ seq, message: l.message }));
  }

  stats(): QueueStats {
    return { waiting: this.live.size, waitingBytes: this.bytes, dropped: this.dropped, rejected: this.rejected, acked: this.acked };
  }
}

export class MemoryQueue extends QueueBook implements MessageQueue {
  append(message: WireMessage, size = messageSize(message)): AppendResult {
    const drop = this.makeRoom(size);
    this.forget(drop, 'dropped');
    const seq = this.nextSeq++;
    this.take(seq, message, size);
    return { record: { seq, message }, ...(drop.length ? { droppedUpTo: drop[drop.length - 1]! } : {}) };
  }

  done(why: Exclude<DoneReason, 'dropped'>, seqs: readonly number[]): void {
    this.forget(seqs, why);
  }

  close(): void {}
}

/** Rewrite the file once it holds this much more than what waits. */
const COMPACT_SLACK = 1024 * 1024;

export class DurableQueue extends QueueBook implements MessageQueue {
  readonly file: string;
  readonly #lock: string;
  #fd: number;
  #fileBytes = 0;
  /** Each waiting message's record length in the file, and their sum (compaction compares it with the file's). */
  #liveFileBytes = new Map<number, number>();
  #liveFileTotal = 0;
  #scratch = new Uint8Array(4096);
  #closed = false;

  constructor(name: string, config: QueueConfig & { dir: string }) {
    super(name, config);
    mkdirSync(config.dir, { recursive: true });
    this.file = join(config.dir, 'queue.log');
    this.#lock = join(config.dir, 'lock');
    takeLock(this.#lock, name);
    try {
      this.#fd = this.#open();
    } catch (e) {
      releaseLock(this.#lock);
      throw e;
    }
  }

  /** Reads what the file holds, moves a broken file aside, cuts a torn tail; returns the append fd. */
  #open(): number {
    if (existsSync(this.file)) {
      const bytes = readFileSync(this.file);
      const scan = scanLog(bytes);
      if (scan.broken) {
        const aside = `${this.file}.broken-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        renameSync(this.file, aside);
        this.notices.push(`messaging: the queue file of client "${this.name}" is broken (${scan.broken}); moved it to ${aside} and started an empty queue`);
      } else {
        for (const r of scan.records) {
          if (r.kind === 'state') {
            this.nextSeq = Math.max(this.nextSeq, r.nextSeq);
            this.dropped = r.dropped;
            this.rejected = r.rejected;
          } else if (r.kind === 'message') {
            this.take(r.seq, r.message);
            this.#fileHolds(r.seq, r.bytes);
            this.nextSeq = Math.max(this.nextSeq, r.seq + 1);
          } else {
            this.forget(r.seqs, r.why);
            for (const s of r.seqs) this.#fileDone(s);
          }
        }
        this.acked = 0; // acknowledgements are counted per run; drops and refusals for good
        const fd = openSync(this.file, 'r+');
        if (scan.goodBytes < bytes.length) {
          // The last write was cut (the host died in it): its send never returned, so nothing is lost.
          ftruncateSync(fd, scan.goodBytes);
          fsyncSync(fd);
        }
        closeSync(fd);
        if (scan.goodBytes >= MAGIC.length) {
          this.#fileBytes = scan.goodBytes;
          return openSync(this.file, 'a');
        }
      }
    }
    this.#rewrite();
    return openSync(this.file, 'a');
  }

  append(message: WireMessage, size = messageSize(message)): AppendResult {
    if (this.#closed) fail('other', 'the queue is closed');
    const drop = this.makeRoom(size);
    const seq = this.nextSeq;
    const layout = messageLayout(message);
    // One write holds the drop and the message, so a crash keeps both or neither.
    const done = drop.length ? encodeDone('dropped', drop) : undefined;
    const at = done?.length ?? 0;
    const bytes = this.#scratchFor(at + layout.recordBytes);
    if (done) bytes.set(done);
    writeMessage(bytes, at, seq, message, layout);
    this.#write(bytes, at + layout.recordBytes);
    if (this.config.fsync === 'always') fdatasyncSync(this.#fd);
    this.nextSeq++;
    this.forget(drop, 'dropped');
    for (const s of drop) this.#fileDone(s);
    this.take(seq, message, size);
    this.#fileHolds(seq, layout.recordBytes);
    const result: AppendResult = { record: { seq, message, encoded: bytes.subarray(at, at + layout.recordBytes) } };
    if (drop.length) result.droppedUpTo = drop[drop.length - 1]!;
    return result;
  }

  /** The append buffer, reused from send to send (grown when a record needs more). */
  #scratchFor(bytes: number): Uint8Array {
    if (this.#scratch.length < bytes) this.#scratch = new Uint8Array(Math.max(bytes, 2 * this.#scratch.length));
    return this.#scratch;
  }

  done(why: Exclude<DoneReason, 'dropped'>, seqs: readonly number[]): void {
    const known = seqs.filter((s) => this.live.has(s));
    if (!known.length || this.#closed) return;
    // Not synced: losing it to a crash only means these are sent again (QoS 1 allows duplicates).
    this.#write(encodeDone(why, known));
    this.forget(known, why);
    for (const s of known) this.#fileDone(s);
    this.#maybeCompact();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      fsyncSync(this.#fd);
    } finally {
      closeSync(this.#fd);
      releaseLock(this.#lock);
    }
  }

  #fileHolds(seq: number, bytes: number): void {
    this.#liveFileBytes.set(seq, bytes);
    this.#liveFileTotal += bytes;
  }

  #fileDone(seq: number): void {
    this.#liveFileTotal -= this.#liveFileBytes.get(seq) ?? 0;
    this.#liveFileBytes.delete(seq);
  }

  #write(bytes: Uint8Array, length = bytes.length): void {
    let off = 0;
    while (off < length) off += writeSync(this.#fd, bytes, off, length - off);
    this.#fileBytes += length;
  }

  #maybeCompact(): void {
    if (this.#fileBytes - this.#liveFileTotal < COMPACT_SLACK) return;
    closeSync(this.#fd);
    this.#rewrite();
    this.#fd = openSync(this.file, 'a');
  }

  /** Writes a fresh file (state + what waits) beside the old one and renames it over: atomic. */
  #rewrite(): void {
    const parts: Uint8Array[] = [MAGIC, encodeState(this.nextSeq, this.dropped, this.rejected)];
    this.#liveFileBytes.clear();
    this.#liveFileTotal = 0;
    for (const [seq, l] of this.live) {
      const r = encodeMessage(seq, l.message);
      this.#fileHolds(seq, r.length);
      parts.push(r);
    }
    const bytes = concat(...parts);
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, bytes);
    const fd = openSync(tmp, 'r+');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.file);
    syncDir(this.config.dir!);
    this.#fileBytes = bytes.length;
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A rename is durable only once the directory is synced (Linux); elsewhere this may be refused, harmlessly. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Directories cannot be opened for fsync on every platform.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * One host per queue folder: a second would interleave its records with ours. The lock file holds
 * the owner's pid; a lock left by a process that is gone (killed) is taken over.
 */
function takeLock(lock: string, name: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        fail('other', `the queue folder of client "${name}" is in use by process ${pid} (${lock})`);
      }
      if (pid === process.pid) fail('other', `the queue folder of client "${name}" is already open in this process (${lock})`);
      writeFileSync(lock, String(process.pid));
      return;
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseLock(lock: string): void {
  try {
    if (readFileSync(lock, 'utf8').trim() === String(process.pid)) unlinkSync(lock);
  } catch {
    // Gone already.
  }
}

export function openQueue(name: string, config: QueueConfig): MessageQueue {
  return config.dir ? new DurableQueue(name, { ...config, dir: config.dir }) : new MemoryQueue(name, config);
}
