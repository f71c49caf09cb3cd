/**
 * Large byte buffers reused instead of allocated afresh: a tensor that wasi:vision's `to-tensor`
 * writes, or whose bytes the guest passed to the tensor constructor (the bindings lift large byte
 * lists into buffers from here: src/host/transpile-rewrite.ts, HOST_BUFFERS_IMPORT), is handed back
 * when wasi:nn is done with it (the compute consumed it, or the guest dropped it), and the next
 * frame's tensor is written into it. One recycler serves a whole host (HostServices.buffers).
 *
 * Why: a guest runs as one long synchronous call. V8 frees dead ArrayBuffers on a helper thread but
 * counts the freed memory only in a task of the main thread, which never runs during that call; so a
 * fresh 196 KB buffer per frame keeps raising the external-memory count until V8 runs full garbage
 * collections (docs/nn.md, "Where the rest of the time goes"). Reusing the buffer allocates nothing.
 *
 * Only buffers this recycler handed out come back (a buffer the guest or another part of the host
 * may still hold is never reused), a detached buffer (transferred to a worker) is let go, and it keeps
 * a few buffers of each size, within a byte bound.
 */
/**
 * The key of the import-object entry through which the runner hands a component's bindings the
 * host's recycler: not an interface (no component imports it), so jco never reads it; only the
 * host's rewrite of the byte-list lift does (src/host/transpile-rewrite.ts). Without it, the
 * bindings slice every list afresh.
 */
export const HOST_BUFFERS_IMPORT = 'wasi-edge-host:buffers';

export interface RecyclerLimits {
  /** Buffers kept per size. */
  perSize: number;
  /** Bytes kept in all. */
  totalBytes: number;
  /** Smaller buffers are not worth keeping (allocating them does not add up). */
  minBytes: number;
}

const DEFAULT_LIMITS: RecyclerLimits = { perSize: 2, totalBytes: 8 * 2 ** 20, minBytes: 16 * 1024 };

export class BufferRecycler {
  private readonly free = new Map<number, ArrayBuffer[]>();
  private readonly issued = new WeakSet<ArrayBuffer>();
  private kept = 0;
  /** Buffers handed out again instead of allocated, and allocated because none was free. */
  readonly counts = { reused: 0, allocated: 0 };

  constructor(private readonly limits: RecyclerLimits = DEFAULT_LIMITS) {}

  /** Buffers smaller than this are never kept: callers allocate them as they always did. */
  get minBytes(): number {
    return this.limits.minBytes;
  }

  /** A buffer of exactly `byteLength` bytes (contents unspecified: the caller writes all of it). */
  take(byteLength: number): ArrayBuffer {
    const list = this.free.get(byteLength);
    const reused = list?.pop();
    if (reused) {
      this.kept -= byteLength;
      this.counts.reused++;
      return reused;
    }
    const fresh = new ArrayBuffer(byteLength);
    this.counts.allocated++;
    if (byteLength >= this.limits.minBytes) this.issued.add(fresh);
    return fresh;
  }

  /** Whether `buffer` came from `take` (and may be given back once its holder is done with it). */
  owns(buffer: ArrayBufferLike): boolean {
    return buffer instanceof ArrayBuffer && this.issued.has(buffer);
  }

  /**
   * `give` for bytes a holder kept as a view: the buffer comes back only when the view covers all
   * of it (a view of part of a buffer says nothing about the rest).
   */
  giveView(bytes: Uint8Array): void {
    if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) this.give(bytes.buffer);
  }

  /** The holder of a buffer from `take` is done with it: no reference to it may be left anywhere. */
  give(buffer: ArrayBufferLike): void {
    if (!this.owns(buffer)) return;
    const b = buffer as ArrayBuffer;
    const n = b.byteLength;
    // Transferred to a worker meanwhile (byteLength 0), or over the bounds: let it go.
    if (n === 0 || this.kept + n > this.limits.totalBytes) return;
    const list = this.free.get(n) ?? [];
    if (list.length >= this.limits.perSize || list.includes(b)) return;
    list.push(b);
    this.free.set(n, list);
    this.kept += n;
  }
}
