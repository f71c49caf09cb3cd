/**
 * A TCP proxy of ours on loopback between a host and the broker, to cut connections in the middle
 * of a burst (`cut`: every current connection is destroyed at once, both ways, as a dropped link
 * would) and to stall them (`stall`: bytes stop flowing, the sockets stay open, until `resume`).
 * Plain JavaScript: the bench uses it too.
 */
import { createConnection, createServer } from 'node:net';

export class TcpProxy {
  /** @type {Set<[import('node:net').Socket, import('node:net').Socket]>} */
  #pairs = new Set();
  #stalled = false;

  /** @param {import('node:net').Server} server @param {number} port */
  constructor(server, port) {
    this.server = server;
    this.port = port;
  }

  /** @param {number} targetPort @returns {Promise<TcpProxy>} */
  static start(targetPort) {
    return new Promise((resolve, reject) => {
      /** @type {TcpProxy} */
      let proxy;
      const server = createServer((down) => {
        const up = createConnection({ host: '127.0.0.1', port: targetPort });
        /** @type {[import('node:net').Socket, import('node:net').Socket]} */
        const pair = [down, up];
        proxy.#pairs.add(pair);
        const end = () => {
          proxy.#pairs.delete(pair);
          down.destroy();
          up.destroy();
        };
        for (const s of pair) {
          s.on('error', end);
          s.on('close', end);
        }
        down.pipe(up);
        up.pipe(down);
        if (proxy.#stalled) {
          down.pause();
          up.pause();
        }
      });
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => {
        proxy = new TcpProxy(server, /** @type {{ port: number }} */ (server.address()).port);
        resolve(proxy);
      });
    });
  }

  get url() {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  get connections() {
    return this.#pairs.size;
  }

  /** Destroys every connection going through now; new ones are accepted. */
  cut() {
    for (const [a, b] of [...this.#pairs]) {
      a.destroy();
      b.destroy();
    }
    this.#pairs.clear();
  }

  stall() {
    this.#stalled = true;
    for (const [a, b] of this.#pairs) {
      a.unpipe(b);
      b.unpipe(a);
      a.pause();
      b.pause();
    }
  }

  resume() {
    this.#stalled = false;
    for (const [a, b] of this.#pairs) {
      a.pipe(b);
      b.pipe(a);
      a.resume();
      b.resume();
    }
  }

  /** @returns {Promise<void>} */
  close() {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
