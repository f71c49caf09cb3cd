/**
 * The hand-over from the host's thread to an MQTT client's worker (mqtt-backend.ts →
 * mqtt-worker.ts): entries in a ring of shared memory, one writer and one reader, so a send costs
 * a copy into the ring and an atomic store — no structured clone and no message event per
 * message. The reader is woken (Atomics.notify, which it awaits with Atomics.waitAsync) only when
 * it said it is idle; while it is busy it takes what waits on its next turn.
 *
 * An entry is `[u32 length][u8 kind][length bytes]` (little endian). One that does not fit before
 * the end of the ring leaves a wrap mark (a length of 0xffffffff, or fewer than 4 bytes) and starts
 * again at 0. The writer never catches up with the reader (one byte stays free), so equal
 * positions mean an empty ring.
 */
import { waitAsync } from '../core/wait-async.js';
import { getU32, putU32 } from './little-endian.js';

/** The control cells: where the writer is, where the reader is, whether the reader waits for a wake. */
const WRITE = 0;
const READ = 1;
const IDLE = 2;
/** Bumped by the reader's side each time it posts something back (mqtt-backend.ts reads it before looking). */
const REPORTS = 3;
const CONTROL_CELLS = 4;

const HEADER_BYTES = 5;

/** What the MQTT backend hands over: a queue-log message record; a forget (f64 seq); a message that went on the channel instead. */
export const ENTRY_MESSAGE = 1;
export const ENTRY_FORGET = 2;
export const ENTRY_ON_PORT = 3;
const WRAP = 0xffffffff;

export interface RingMemory {
  control: SharedArrayBuffer;
  data: SharedArrayBuffer;
}

export function createRingMemory(bytes: number): RingMemory {
  return { control: new SharedArrayBuffer(4 * CONTROL_CELLS), data: new SharedArrayBuffer(bytes) };
}

/** What both ends see of the ring's memory. */
abstract class RingEnd {
  protected readonly control: Int32Array;
  readonly bytes: Uint8Array;
  readonly view: DataView;

  constructor(memory: RingMemory) {
    this.control = new Int32Array(memory.control);
    this.bytes = new Uint8Array(memory.data);
    this.view = new DataView(memory.data);
  }
}

export class RingWriter extends RingEnd {
  /** Where the next entry goes; published to the reader by commit(). */
  #write: number;

  constructor(memory: RingMemory) {
    super(memory);
    this.#write = Atomics.load(this.control, WRITE);
  }

  /** The largest payload an entry may have; a larger one travels another way (its kind says so). */
  get maxPayload(): number {
    return (this.bytes.length >> 2) - HEADER_BYTES;
  }

  /**
   * Room for an entry of `kind` with `length` payload bytes (at most maxPayload): the offset to
   * write the payload at, or -1 while the reader has not freed enough. Visible to the reader once
   * committed.
   */
  reserve(kind: number, length: number): number {
    const size = this.bytes.length;
    const need = HEADER_BYTES + length;
    const read = Atomics.load(this.control, READ);
    let at = this.#write;
    if (at >= read) {
      const fitsHere = at + need < size || (at + need === size && read !== 0);
      if (!fitsHere) {
        if (need >= read) return -1;
        if (size - at >= 4) putU32(this.bytes, at, WRAP);
        at = 0;
      }
    } else if (at + need >= read) return -1;
    putU32(this.bytes, at, length);
    this.bytes[at + 4] = kind;
    const next = at + need;
    this.#write = next === size ? 0 : next;
    return at + HEADER_BYTES;
  }

  /** Publishes the entries reserved so far, and wakes the reader if it is idle. */
  commit(): void {
    Atomics.store(this.control, WRITE, this.#write);
    if (Atomics.load(this.control, IDLE) === 1) {
      Atomics.store(this.control, IDLE, 0);
      Atomics.notify(this.control, WRITE);
    }
  }

  /** Waits (blocking, up to `ms`) for the reader to move on from where it was when reserve() failed. */
  waitForRoom(ms: number): void {
    Atomics.wait(this.control, READ, Atomics.load(this.control, READ), ms);
  }

  /** How many reports the reader's side has posted (it bumps the count after each). */
  reports(): number {
    return Atomics.load(this.control, REPORTS);
  }
}

export class RingReader extends RingEnd {
  #read: number;

  constructor(memory: RingMemory) {
    super(memory);
    this.#read = Atomics.load(this.control, READ);
  }

  /**
   * Takes every committed entry in order: `take(kind, offset, length)` reads the payload at
   * `bytes[offset..offset+length]` and must copy what it keeps (the room is reused once this
   * returns). Returns how many entries it took.
   */
  drain(take: (kind: number, offset: number, length: number) => void): number {
    const write = Atomics.load(this.control, WRITE);
    const size = this.bytes.length;
    let at = this.#read;
    let n = 0;
    while (at !== write) {
      if (size - at < 4 || getU32(this.bytes, at) === WRAP) {
        at = 0;
        continue;
      }
      const length = getU32(this.bytes, at);
      take(this.bytes[at + 4]!, at + HEADER_BYTES, length);
      at += HEADER_BYTES + length;
      if (at === size) at = 0;
      n++;
    }
    if (n || at !== this.#read) {
      this.#read = at;
      Atomics.store(this.control, READ, at);
      // A writer that found the ring full waits on READ.
      Atomics.notify(this.control, READ);
    }
    return n;
  }

  /**
   * Waits until the writer commits something not taken yet (at once, if it has): the reader is
   * idle meanwhile, and says so, so that the writer's next commit wakes it.
   */
  async sleep(): Promise<void> {
    Atomics.store(this.control, IDLE, 1);
    await waitAsync(this.control, WRITE, this.#read);
    Atomics.store(this.control, IDLE, 0);
  }

  /** Counts a report posted back (see RingWriter.reports). */
  reported(): void {
    Atomics.add(this.control, REPORTS, 1);
  }
}
