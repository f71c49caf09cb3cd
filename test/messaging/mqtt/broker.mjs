/**
 * Mosquitto for the tests and the bench (bench/mqtt.bench.mjs): started on 127.0.0.1 at a free
 * port with a config of our own (plain, TLS with a CA we make with openssl, a password file made
 * with mosquitto_passwd), persistence in its own folder so that a restart (SIGTERM, then start
 * again on the same port) keeps what it had acknowledged and the sessions of persistent
 * subscribers. Plain JavaScript so that the bench, which runs without a TypeScript loader, can
 * use it too.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';

export const MOSQUITTO = process.env.MOSQUITTO ?? '/usr/sbin/mosquitto';

/** Why the broker cannot be started here, or undefined when it can. */
export function mosquittoMissing() {
  return existsSync(MOSQUITTO) ? undefined : `${MOSQUITTO} not found: the MQTT suite needs Debian's mosquitto (apt-get install mosquitto)`;
}

export function requireMosquitto() {
  const missing = mosquittoMissing();
  if (missing) throw new Error(missing);
}

/** @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = /** @type {{ port: number }} */ (s.address()).port;
      s.close(() => resolve(port));
    });
  });
}

/** @param {number} port */
export async function waitForPort(port, ms = 5000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise((resolve) => {
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

/**
 * A CA and a server certificate for 127.0.0.1/localhost, made with openssl in `dir`.
 * @param {string} dir
 * @returns {{ ca: string, cert: string, key: string }}
 */
export function makeCerts(dir) {
  const run = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=wasi-edge test CA');
  run('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext');
  return { ca: join(dir, 'ca.pem'), cert: join(dir, 'server.pem'), key: join(dir, 'server.key') };
}

/**
 * A mosquitto password file with one user.
 * @param {string} dir @param {string} user @param {string} password
 */
export function makePasswordFile(dir, user, password) {
  const file = join(dir, 'passwords');
  execFileSync('mosquitto_passwd', ['-b', '-c', file, user, password], { stdio: 'ignore' });
  return file;
}

/** @typedef {{ tls?: { ca: string, cert: string, key: string }, passwordFile?: string }} BrokerOptions */

export class Mosquitto {
  /** @type {import('node:child_process').ChildProcess | undefined} */
  #child;

  /** @param {string} dir @param {number} port @param {BrokerOptions} options */
  constructor(dir, port, options) {
    this.dir = dir;
    this.port = port;
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

  /** @param {string} dir @param {BrokerOptions} [options] @returns {Promise<Mosquitto>} */
  static async start(dir, options = {}) {
    requireMosquitto();
    const m = new Mosquitto(dir, await freePort(), options);
    await m.start();
    return m;
  }

  get url() {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  async start() {
    const child = spawn(MOSQUITTO, ['-c', this.conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr.on('data', (d) => (log += d.toString()));
    this.#child = child;
    try {
      await waitForPort(this.port);
    } catch (e) {
      throw new Error(`mosquitto did not start: ${e.message}; its log: ${log}`);
    }
  }

  /** SIGTERM (mosquitto saves its persistence) and wait for the exit. */
  async stop() {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', () => resolve(undefined));
      child.kill('SIGTERM');
    });
  }

  async restart() {
    await this.stop();
    await this.start();
  }
}
