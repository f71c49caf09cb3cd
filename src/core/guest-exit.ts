/**
 * What the WASI layer shares between Node (src/platform/node/wasi.ts) and the browser build
 * (src/platform/browser/wasi.ts): how `wasi:cli/exit` ends a guest and how stdio reaches the embedder.
 * No Node imports: the browser bundle uses this file as it is.
 */

/** Thrown through the guest's stack by `wasi:cli/exit`; the runner turns it into an exit status. */
export class GuestExit extends Error {
  constructor(readonly code: number) {
    super(`guest exited with status ${code}`);
    this.name = 'GuestExit';
  }
}

export type OutputSink = (chunk: Uint8Array) => void;

export interface StdioOptions {
  /** Receives the guest's stdout; by default it goes to the host's own stdout. */
  stdout?: OutputSink;
  stderr?: OutputSink;
}
