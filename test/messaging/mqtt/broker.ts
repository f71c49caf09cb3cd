/**
 * Mosquitto for the tests: started on 127.0.0.1 at a free port with a config of our own (plain,
 * TLS with a CA we make with openssl, a password file made with mosquitto_passwd), persistence in
 * its own folder so that a restart (SIGTERM, then start again on the same port) keeps what it had
 * acknowledged and the sessions of persistent subscribers.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';

export const MOSQUITTO = process.env.MOSQUITTO ?? '/usr/sbin/mosquitto';

export function requireMosquitto(): void {
  if (!existsSync(MOSQUITTO)) throw new Error(`${MOSQUITTO} not found: the MQTT suite needs Debian's mosquitto (apt-get install mosquitto)`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = createConnection({ host: '127.0.0.1', port });
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Certs {
  ca: string;
  cert: string;
  key: string;
}

/** A CA and a server certificate for 127.0.0.1/localhost, made with openssl in `dir`. */
export function makeCerts(dir: string): Certs {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=wasi-edge test CA');
  run('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext');
  return { ca: join(dir, 'ca.pem'), cert: join(dir, 'server.pem'), key: join(dir, 'server.key') };
}

/** A mosquitto password file with one user. */
export function makePasswordFile(dir: string, user: string, password: string): string {
  const file = join(dir, 'passwords');
  execFileSync('mosquitto_passwd', ['-b', '-c', file, user, password], { stdio: 'ignore' });
  return file;
}

export interface BrokerOptions {
  tls?: Certs;
  passwordFile?: string;
}

export class Mosquitto {
  #child: ChildProcess | undefined;
  readonly conf: string;

  private constructor(
    readonly dir: string,
    readonly port: number,
    options: BrokerOptions,
  ) {
    mkdirSync(join(dir, 'data'), { recursive: true });
    this.conf = join(dir, 'mosquitto.conf');
    const lines = [
      `listener ${port} 127.0.0.1`,
      options.passwordFile ? `password_file ${options.passwordFile}` : 'allow_anonymous true',
      ...(options.passwordFile ? ['allow_anonymous false'] : []),
      ...(options.tls ? [`cafile ${options.tls.ca}`, `certfile ${options.tls.cert}`, `keyfile ${options.tls.key}`] : []),
      // A persistent subscriber that is away (its broker restarting) must not lose what waits for it.
      'max_queued_messages 0',
      'persistence true',
      `persistence_location ${join(dir, 'data')}/`,
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      // Run as the user we are (as root mosquitto would switch to "mosquitto" and lose our files).
      ...(process.getuid?.() === 0 ? ['user root'] : []),
    ];
    writeFileSync(this.conf, lines.join('\n') + '\n');
  }

  static async start(dir: string, options: BrokerOptions = {}): Promise<Mosquitto> {
    requireMosquitto();
    const m = new Mosquitto(dir, await freePort(), options);
    await m.start();
    return m;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(MOSQUITTO, ['-c', this.conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    this.#child = child;
    try {
      await waitForPort(this.port);
    } catch (e) {
      throw new Error(`mosquitto did not start: ${(e as Error).message}; its log: ${log}`);
    }
  }

  /** SIGTERM (mosquitto saves its persistence) and wait for the exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}
