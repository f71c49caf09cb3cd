/**
 * The browser side of src/platform/node/wasi.ts (the same file name; the browser port uses it).
 * WASI 0.2 from preview2-shim's browser build, with what a synchronous host needs:
 *
 * - Bindings made without JSPI are synchronous, and the shim's browser `poll`/`pollable.block` return
 *   Promises (written for JSPI), which jco would lower to 0 without waiting. So monotonic-clock
 *   pollables and `poll` are replaced here by ones that wait with Atomics.wait. This file runs in
 *   the component's Web Worker (src/platform/browser/worker/), where Atomics.wait is allowed; the page's
 *   main thread never runs a component.
 * - `wasi:cli/exit` throws GuestExit; stdout/stderr go to JS callbacks, as in Node.
 */
import { WASIShim } from '@bytecodealliance/preview2-shim/instantiation';
import { cli, clocks, io } from '@bytecodealliance/preview2-shim';
import { InMemoryFilesystemAdapter } from '@bytecodealliance/preview2-shim/in-memory-filesystem';
import type { WasiConfig } from '../../core/wasi-config.js';
import { treeOf, type FileDataEntry } from './shims/fs.js';

import { GuestExit, type OutputSink, type StdioOptions } from '../../core/guest-exit.js';
import { capturedStream, hostCli, shimSandbox } from '../../core/wasi-cli.js';

export { GuestExit, type OutputSink, type StdioOptions };

interface ShimPollable {
  ready(): boolean;
  block(): unknown;
}
type PollableClass = new () => ShimPollable;

/** The shim's monotonic clock reads performance.now(); ours must agree with it. */
function nowNs(): bigint {
  return BigInt(Math.floor(performance.now() * 1e6));
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Sleeps until the monotonic clock reaches `deadline` (Atomics.wait: never spins). */
export function sleepUntilNs(deadline: bigint): void {
  for (;;) {
    const left = deadline - nowNs();
    if (left <= 0n) return;
    Atomics.wait(sleepCell, 0, 0, Number(left) / 1e6);
  }
}

const ShimPollableBase = (io as unknown as { poll: { Pollable: PollableClass } }).poll.Pollable;

/** A timer pollable of the shim's own class (jco checks instanceof), synchronous. */
class TimerPollable extends ShimPollableBase {
  deadline = 0n;
  override ready(): boolean {
    return nowNs() >= this.deadline;
  }
  override block(): void {
    sleepUntilNs(this.deadline);
  }
}

function timer(deadline: bigint): TimerPollable {
  const p = new TimerPollable();
  p.deadline = deadline;
  return p;
}

const monotonicClock = {
  resolution: (): bigint => 1000n,
  now: nowNs,
  subscribeInstant: (instant: bigint) => timer(instant),
  subscribeDuration: (duration: bigint) => timer(nowNs() + duration),
};

/** `poll`: returns the ready indexes; otherwise sleeps until the earliest timer. */
function poll(list: ShimPollable[]): Uint32Array {
  if (list.length === 0) throw new Error('poll list must not be empty');
  for (;;) {
    const ready: number[] = [];
    let earliest: bigint | undefined;
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      if (p.ready()) ready.push(i);
      else if (p instanceof TimerPollable && (earliest === undefined || p.deadline < earliest)) earliest = p.deadline;
    }
    if (ready.length) return new Uint32Array(ready);
    if (earliest === undefined) {
      throw new Error('poll: none of these pollables can become ready while the component blocks (browser host: asynchronous WASI streams are not supported)');
    }
    sleepUntilNs(earliest);
  }
}

const console_ = (globalThis as { console?: { log(s: string): void; error(s: string): void } }).console;
const decoder = new TextDecoder();
const toConsole = (method: 'log' | 'error'): OutputSink => (chunk) => console_?.[method](decoder.decode(chunk));

/** The preopened trees of the last host made in this worker (one run per worker): what the guest wrote. */
let lastPreopens: Record<string, FileDataEntry> = {};

/** Files under the preopened directories after a run, as [guest path, bytes]. */
export function preopenedFiles(): [string, Uint8Array][] {
  const out: [string, Uint8Array][] = [];
  const walk = (entry: FileDataEntry, path: string) => {
    if (entry.source instanceof Uint8Array) out.push([path, entry.source]);
    else if (typeof entry.source === 'string') out.push([path, new TextEncoder().encode(entry.source)]);
    for (const [name, child] of Object.entries(entry.dir ?? {})) walk(child, `${path}/${name}`);
  };
  for (const [guest, tree] of Object.entries(lastPreopens)) walk(tree, guest.replace(/\/$/, ''));
  return out;
}

export function createWasiImports(config: WasiConfig, stdio: StdioOptions = {}): Record<string, Record<string, unknown>> {
  // Writes never wait, so a captured stream's pollable is a timer that is already due.
  const capture = (sink: OutputSink) => capturedStream(io.streams.OutputStream, sink, () => timer(0n));
  const streams = { stdout: capture(stdio.stdout ?? toConsole('log')), stderr: capture(stdio.stderr ?? toConsole('error')) };
  const ioPoll = (io as unknown as { poll: Record<string, unknown> }).poll;
  const shim = new WASIShim({
    cli: hostCli(cli, config, streams),
    io: { ...io, poll: { ...ioPoll, poll, pollList: poll } },
    clocks: { ...clocks, monotonicClock },
    // Preopens: the host directory's files from the in-memory tree (src/platform/browser/shims/fs.ts),
    // served by the shim's in-memory filesystem; guest writes stay in that copy.
    browserFilesystem: {
      adapter: new InMemoryFilesystemAdapter(),
      preopens: (lastPreopens = Object.fromEntries(Object.entries(config.preopens).map(([guest, host]) => [guest, treeOf(host)]))),
    },
    sandbox: shimSandbox(config),
  } as unknown as ConstructorParameters<typeof WASIShim>[0]);
  return shim.getImportObject() as unknown as Record<string, Record<string, unknown>>;
}
