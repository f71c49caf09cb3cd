/**
 * The MQTT backend on the host's side: every call goes to the client's worker thread
 * (mqtt-worker.ts, mqtt.js) through the platform's blocking bridge, and returns as soon as the
 * worker answered — a publish never waits for the network. Secrets and certificates are read here,
 * from the files the configuration names, when the client starts.
 *
 * A worker that stops answering is stopped; the backend then reports the link `closed` with the
 * reason, and what was queued stays queued for the next start.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SyncWorker, SyncWorkerFactory } from '../core/blocking-bridge.js';
import { noEvents, type BackendEvents, type MessagingBackend, type QueuedMessage, type WireMessage } from './backend.js';
import type { MqttClientConfig } from './config.js';
import { fail } from './failure.js';
import type { WorkerConnect } from './mqtt-worker.js';

/** How long an ordinary call (hand over, collect) may take before the worker is declared dead. */
const CALL_MS = 10_000;

/** The worker script: the compiled mqtt-worker.js, beside this module or (tests run the sources) in dist/. */
function workerEntry(): string {
  const here = new URL('./mqtt-worker.js', import.meta.url);
  if (here.protocol !== 'file:' || existsSync(fileURLToPath(here))) return here.href;
  const built = new URL('../../dist/messaging/mqtt-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built.href;
  return fail('connection', 'mqtt-worker.js not found: run `npm run build` first');
}

const SCRIPT = `
const __module = import(workerData.entry);
serve(async (op, args) => [await (await __module).handle(op, args), []]);
`;

function readSecret(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    return fail('connection', `cannot read the ${what} file ${path}: ${(e as Error).message}`);
  }
}

export class MqttBackend implements MessagingBackend {
  readonly #worker: SyncWorker;
  #dead: string | undefined;

  constructor(
    private readonly config: MqttClientConfig,
    private readonly clientId: string,
    spawn: SyncWorkerFactory,
  ) {
    this.#worker = spawn(SCRIPT, { entry: workerEntry() });
  }

  #call<T>(op: string, args: Record<string, unknown>, ms = CALL_MS): T | undefined {
    if (this.#dead) return undefined;
    try {
      return this.#worker.call(op, args, ms) as T;
    } catch (e) {
      this.#dead = `the MQTT client's worker stopped: ${(e as Error).message}`;
      this.#worker.terminate(this.#dead);
      return undefined;
    }
  }

  #events(e: BackendEvents | undefined): BackendEvents {
    return e ?? noEvents('closed', this.#dead);
  }

  connect(waitMs: number): BackendEvents {
    const c = this.config;
    const tls = c.tls;
    const password = c.passwordFile !== undefined ? readSecret(c.passwordFile, 'password').split(/\r?\n/)[0]! : c.password;
    const args: WorkerConnect = {
      url: c.url,
      options: {
        clientId: this.clientId,
        ...(c.username !== undefined ? { username: c.username } : {}),
        ...(password !== undefined ? { password } : {}),
        clean: c.clean,
        keepaliveSeconds: c.keepaliveSeconds,
        reconnectMs: c.reconnectMs,
        rejectUnauthorized: tls?.rejectUnauthorized ?? true,
        ...(tls?.ca !== undefined ? { ca: readSecret(tls.ca, 'CA certificate') } : {}),
        ...(tls?.cert !== undefined ? { cert: readSecret(tls.cert, 'client certificate') } : {}),
        ...(tls?.key !== undefined ? { key: readSecret(tls.key, 'client key') } : {}),
        ...(tls?.servername !== undefined ? { servername: tls.servername } : {}),
      },
      qos: c.qos,
      inFlight: c.inFlight,
      maxInbox: c.maxInbox,
      waitMs,
    };
    return this.#events(this.#call<BackendEvents>('connect', args as unknown as Record<string, unknown>, waitMs + CALL_MS));
  }

  subscribe(filters: readonly string[], qos: 0 | 1 | 2): void {
    this.#call('subscribe', { filters: [...filters], qos });
  }

  publish(batch: readonly QueuedMessage[]): void {
    this.#call('publish', { batch });
  }

  forget(seq: number): void {
    this.#call('forget', { seq });
  }

  poll(): BackendEvents {
    return this.#events(this.#call<BackendEvents>('poll', {}));
  }

  request(message: WireMessage, replyTopic: string, expected: number, timeoutMs: number): WireMessage[] | 'offline' {
    return this.#call<WireMessage[] | 'offline'>('request', { message, replyTopic, expected, timeoutMs }, timeoutMs + CALL_MS) ?? 'offline';
  }

  drain(ms: number): BackendEvents {
    return this.#events(this.#call<BackendEvents>('drain', { ms }, ms + CALL_MS));
  }

  close(): void {
    this.#call('close', {});
    this.#worker.terminate('the client was closed');
    this.#dead ??= 'the client was closed';
  }
}

export function createMqttBackend(config: MqttClientConfig, clientId: string, spawn: SyncWorkerFactory): MessagingBackend {
  return new MqttBackend(config, clientId, spawn);
}
