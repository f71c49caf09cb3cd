// A minimal QMP (QEMU Machine Protocol) client: enough to set a device property while the VM runs.
// QEMU listens on a unix socket (-qmp unix:PATH,server=on,wait=off); messages are JSON objects,
// one per line; asynchronous {"event": …} messages are skipped.
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export class Qmp {
  #socket;
  #buffer = '';
  #waiting = [];

  static async connect(path, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(path)) {
      if (Date.now() > deadline) throw new Error(`QMP socket ${path} did not appear`);
      await sleep(20);
    }
    const q = new Qmp();
    await new Promise((resolve, reject) => {
      q.#socket = createConnection(path, resolve);
      q.#socket.once('error', reject);
    });
    q.#socket.on('data', (d) => q.#onData(d.toString()));
    q.#socket.on('error', () => {});
    await q.#next(); // greeting
    await q.execute('qmp_capabilities');
    return q;
  }

  #onData(s) {
    this.#buffer += s;
    let nl;
    while ((nl = this.#buffer.indexOf('\n')) >= 0) {
      const line = this.#buffer.slice(0, nl).trim();
      this.#buffer = this.#buffer.slice(nl + 1);
      if (!line) continue;
      const msg = JSON.parse(line);
      if (msg.event) continue;
      this.#waiting.shift()?.(msg);
    }
  }

  #next() {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Runs one command; resolves with its `return` value, rejects with QEMU's error. */
  async execute(command, args) {
    const reply = this.#next();
    this.#socket.write(JSON.stringify(args ? { execute: command, arguments: args } : { execute: command }) + '\n');
    const msg = await reply;
    if (msg.error) throw new Error(`QMP ${command}: ${msg.error.class}: ${msg.error.desc}`);
    return msg.return;
  }

  close() {
    this.#socket?.destroy();
  }
}
