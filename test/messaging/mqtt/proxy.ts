/**
 * A TCP proxy of ours on loopback between a host and the broker, to cut connections in the middle
 * of a burst (`cut`: every current connection is destroyed at once, both ways, as a dropped link
 * would) and to stall them (`stall`: bytes stop flowing, the sockets stay open, until `resume`).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export class TcpProxy {
  readonly #pairs = new Set<[Socket, Socket]>();
  #stalled = false;

  private constructor(
    readonly server: Server,
    readonly port: number,
  ) {}

  static start(targetPort: number): Promise<TcpProxy> {
    return new Promise((resolve, reject) => {
      let proxy: TcpProxy;
      const server = createServer((down) => {
        const up = createConnection({ host: '127.0.0.1', port: targetPort });
        const pair: [Socket, Socket] = [down, up];
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
        proxy = new TcpProxy(server, (server.address() as { port: number }).port);
        resolve(proxy);
      });
    });
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  get connections(): number {
    return this.#pairs.size;
  }

  /** Destroys every connection going through now; new ones are accepted. */
  cut(): void {
    for (const [a, b] of [...this.#pairs]) {
      a.destroy();
      b.destroy();
    }
    this.#pairs.clear();
  }

  stall(): void {
    this.#stalled = true;
    for (const [a, b] of this.#pairs) {
      a.unpipe(b);
      b.unpipe(a);
      a.pause();
      b.pause();
    }
  }

  resume(): void {
    this.#stalled = false;
    for (const [a, b] of this.#pairs) {
      a.pipe(b);
      b.pipe(a);
      a.resume();
      b.resume();
    }
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
