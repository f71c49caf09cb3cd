// The host that test/messaging/crash.test.ts kills with SIGKILL in the middle of a burst: the
// messaging_send guest sends `count` messages to a client whose broker is away, so each one only
// reaches the on-disk queue, and prints {"sent":i} after each send returned. Runs the built host
// (dist/), as an installed one would.
import { fileURLToPath } from 'node:url';
import { runComponent } from '../../dist/index.js';
import { MemoryBroker } from '../../dist/messaging/memory-backend.js';

const [dir, count, fsync] = process.argv.slice(2);
const broker = new MemoryBroker();
broker.setOnline(false);
const guest = fileURLToPath(new URL('../../fixtures/components/messaging_send.wasm', import.meta.url));
const { code } = await runComponent(guest, {
  messaging: { clients: { cloud: { kind: 'memory', broker, publish: ['edge/#'], queue: { dir, maxMessages: 1_000_000, fsync } } } },
  wasi: { args: ['messaging_send', 'connect:cloud', 'verbose', `burst:edge/seq:${count}`] },
});
process.exit(code);
