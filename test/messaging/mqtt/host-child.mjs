// A host in its own process for the fault run (fault-run.mjs), so that the test can restart the
// broker, cut connections and kill the host while the guest sends: runs messaging_send with the
// steps given after the configuration (JSON), on the built host (dist/).
//
// With PAUSE_AT (comma-separated numbers) the guest stops, mid-burst, right after printing
// {"sent":k-1} for each k listed, until a byte arrives on stdin: the caller has started its fault
// by then, so the fault lands exactly there however far the caller is behind in reading. With
// CRASH_AT the process kills itself (SIGKILL) right after {"sent":CRASH_AT-1}: the host dies in the
// middle of the burst, with that send returned and the next one not made.
import { readSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runComponent } from '../../../dist/index.js';

const [config, ...steps] = process.argv.slice(2);
const pauseAt = new Set((process.env.PAUSE_AT ?? '').split(',').filter(Boolean).map(Number));
const crashAt = process.env.CRASH_AT === undefined ? -1 : Number(process.env.CRASH_AT);
const nap = new Int32Array(new SharedArrayBuffer(4));
/** Blocks until a byte (or the end) arrives on stdin. The pipes Node gives a child are non-blocking: EAGAIN means wait. */
function waitForByte() {
  for (;;) {
    try {
      readSync(0, Buffer.alloc(1));
      return;
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
    }
    Atomics.wait(nap, 0, 0, 5);
  }
}
/** All of `bytes` to `fd`, waiting while the pipe is full (the test reads at its own pace). */
function writeAll(fd, bytes) {
  for (let off = 0; off < bytes.length; ) {
    try {
      off += writeSync(fd, bytes, off, bytes.length - off);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
      Atomics.wait(nap, 0, 0, 5);
    }
  }
}
let partial = '';
function stdout(chunk) {
  writeAll(1, chunk);
  partial += Buffer.from(chunk).toString('utf8');
  for (let nl = partial.indexOf('\n'); nl >= 0; nl = partial.indexOf('\n')) {
    const m = /^\{"sent":(\d+)\}$/.exec(partial.slice(0, nl));
    partial = partial.slice(nl + 1);
    if (!m) continue;
    const next = Number(m[1]) + 1;
    if (next === crashAt) process.kill(process.pid, 'SIGKILL');
    if (pauseAt.has(next)) waitForByte();
  }
}
const guest = fileURLToPath(new URL('../../../fixtures/components/messaging_send.wasm', import.meta.url));
const { code } = await runComponent(guest, { ...JSON.parse(config), wasi: { args: ['messaging_send', ...steps] } }, { stdio: { stdout, stderr: (c) => writeAll(2, c) } });
process.exit(code);
