/**
 * Who owns an image's bytes. Crops share their parent's bytes, and an image made from a
 * host-memory frame borrows the pool's buffer, so the bytes are reference-counted: the last
 * image to let go releases them (for a frame: returns the buffer to its pool). Drawing copies
 * first when the bytes are shared or borrowed (copy on write), so no other image changes.
 */
export class Pixels {
  private refs = 1;
  private released = false;

  /**
   * @param fetch returns the bytes, or undefined when they are gone (a frame invalidated by its pool)
   * @param borrowed the bytes belong to someone else (never written in place)
   * @param onRelease called once, when the last reference goes
   */
  constructor(
    private readonly fetch: () => Uint8Array | undefined,
    readonly borrowed: boolean,
    private readonly onRelease: () => void = () => {},
  ) {}

  /** Bytes the image owns; `onRelease` (once the last image lets go) may hand the buffer on for reuse. */
  static owned(bytes: Uint8Array, onRelease?: () => void): Pixels {
    return new Pixels(() => bytes, false, onRelease);
  }

  /** The bytes, or undefined if released or gone. */
  bytes(): Uint8Array | undefined {
    return this.released ? undefined : this.fetch();
  }

  retain(): this {
    this.refs++;
    return this;
  }

  /** True if writing in place would be seen by another image or by the buffer's owner. */
  shared(): boolean {
    return this.borrowed || this.refs > 1;
  }

  release(): void {
    if (this.released) return;
    if (--this.refs > 0) return;
    this.released = true;
    this.onRelease();
  }
}
