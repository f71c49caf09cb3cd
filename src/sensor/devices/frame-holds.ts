/**
 * Frame holds: the frames of a frame ring (frame-ring.ts) that readers keep in their slots instead
 * of copying them out: a device's shared camera lends a host-memory frame to each app's guest
 * straight from the ring (docs/device.md). Each reader (an app instance) has one row of its own,
 * a SharedArrayBuffer of Int32 cells:
 *   cell 0       closed: 1 once the ring's owner gave the row up (the instance ended)
 *   cells 1..n   a held frame number each, -1 when free
 * The row's length is the reader's budget: a reader that needs more holds copies instead, so the
 * readers together never hold more than the ring's spare slots, and the writer never waits.
 * The reader writes its cells; the owner reads every row (HoldRegistry.held) when it picks the slot
 * for the next frame, and clears a row when it closes it. Nothing here imports anything.
 */
const CLOSED = 0;
const FREE = -1;

/** A row of `cells` holds for one reader. */
export function createHoldRow(cells: number): SharedArrayBuffer {
  const row = new Int32Array(new SharedArrayBuffer(4 * (1 + cells)));
  row.fill(FREE, 1);
  return row.buffer as SharedArrayBuffer;
}

/** The reader's side of its row. */
export class FrameHolds {
  private readonly cells: Int32Array;
  /** Cells this reader has not taken (only this reader takes and gives them). */
  private readonly free: number[] = [];

  constructor(row: SharedArrayBuffer) {
    this.cells = new Int32Array(row);
    for (let c = this.cells.length - 1; c >= 1; c--) this.free.push(c);
  }

  /** True once the ring's owner closed the row: holds taken now are given back at once. */
  get closed(): boolean {
    return Atomics.load(this.cells, CLOSED) === 1;
  }

  /** Frames held now. */
  get count(): number {
    return this.cells.length - 1 - this.free.length;
  }

  /** Marks `frame` held in a free cell and returns the cell, or -1 when the budget is used up. */
  take(frame: number): number {
    const cell = this.free.pop();
    if (cell === undefined) return -1;
    Atomics.store(this.cells, cell, frame);
    return cell;
  }

  give(cell: number): void {
    Atomics.store(this.cells, cell, FREE);
    this.free.push(cell);
  }
}

/** The ring owner's side: every reader's row, by reader. */
export class HoldRegistry {
  private readonly rows = new Map<number, Int32Array>();

  add(reader: number, row: SharedArrayBuffer): void {
    this.rows.set(reader, new Int32Array(row));
  }

  /**
   * The reader is gone or going (its thread may still run until it is terminated): its holds are
   * dropped and any hold it takes from now on is given back by itself (FrameHolds.closed).
   */
  close(reader: number): void {
    const row = this.rows.get(reader);
    if (!row) return;
    Atomics.store(row, CLOSED, 1);
    for (let c = 1; c < row.length; c++) Atomics.store(row, c, FREE);
  }

  /** Forgets a closed reader's row once its thread has ended. */
  remove(reader: number): void {
    this.rows.delete(reader);
  }

  /** Whether some reader holds `frame`. */
  held(frame: number): boolean {
    for (const row of this.rows.values()) {
      for (let c = 1; c < row.length; c++) if (Atomics.load(row, c) === frame) return true;
    }
    return false;
  }

  /** Frames held now, over all readers (for counters and tests). */
  get count(): number {
    let n = 0;
    for (const row of this.rows.values()) for (let c = 1; c < row.length; c++) if (Atomics.load(row, c) !== FREE) n++;
    return n;
  }
}
