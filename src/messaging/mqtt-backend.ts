/**
 * The MQTT backend on the host's side: every call goes to the client's worker thread
 * (mqtt-worker.ts, mqtt.js) through the platform's blocking bridge, and returns as soon as the
 * worker answered — a publish never waits for the network. Secrets and certificates are read here,
 * from the files the configuration names, when the client starts.
 *
 * Besides the bridge, the backend and its worker share a ring of shared memory and a
 * MessageChannel of their own, so that a burst of sends costs no round trip and no message event
 * per message: messages (their queue-log records) and forgets are handed over one way through the
 * ring (handover-ring.ts; the guest's thread does not wait for the worker, unless the worker is
 * 4 MiB behind in taking what the ring holds), a message too large for the ring goes on the channel
 * with a mark in the ring where it belongs, and the worker posts what happened on the channel
 * (acknowledgements, received messages, the link's state), which `poll` takes without waiting,
 * and only when the worker's count of reports says there is one. The worker takes everything the
 * ring holds before it answers a call, so calls and hand-overs keep the order they were made in.
 * A call that reports events (connect, drain) has the worker post them before it answers.
 *
 * A worker that stops answering is stopped; the backend then reports the link `closed` with the
 * reason, and what was queued stays queued for the next start.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { SyncWorker, SyncWorkerFactory } from '../core/blocking-bridge.js';
import { noEvents, type BackendEvents, type MessagingBackend, type QueuedMessage, type RetainedFetch, type WireMessage } from './backend.js';
import type { MqttClientConfig } from './config.js';
import { fail } from './failure.js';
import { ENTRY_FORGET, ENTRY_MESSAGE, ENTRY_ON_PORT, RingWriter, createRingMemory } from './handover-ring.js';
import type { WorkerConnect, WorkerReport } from './mqtt-worker.js';
import { encodeMessage } from './queue-log.js';

/** How long an ordinary call (hand over, collect) may take before the worker is declared dead. */
const CALL_MS = 10_000;

/** The hand-over ring's size: tens of thousands of small messages, a few large ones. */
const RING_BYTES = 4 * 1024 * 1024;

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

/** Events of several reports as one: acknowledgements and arrivals add up, the newest state wins. */
function merge(into: BackendEvents, r: WorkerReport): void {
  into.state = r.state;
  if (r.reason !== undefined) into.reason = r.reason;
  else delete into.reason;
  into.acked.push(...r.acked);
  into.rejected.push(...r.rejected);
  into.incoming.push(...r.incoming);
  into.incomingDropped += r.incomingDropped;
}

export class MqttBackend implements MessagingBackend {
  readonly #worker: SyncWorker;
  /** Our end of the channel: large messages out, reports in. */
  #port: MessagePort | undefined;
  #ring: RingWriter | undefined;
  /** The worker's count of reports when we last took them. */
  #reportsTaken = 0;
  /** The link's state as the last report gave it (not to be modified: poll returns it when nothing happened). */
  #last: BackendEvents = noEvents('connecting');
  #dead: string | undefined;

  constructor(
    private readonly config: MqttClientConfig,
    private readonly clientId: string,
    spawn: SyncWorkerFactory,
  ) {
    this.#worker = spawn(SCRIPT, { entry: workerEntry() });
  }

  #call<T>(op: string, args: Record<string, unknown>, ms = CALL_MS, transfer: MessagePort[] = []): T | undefined {
    if (this.#dead) return undefined;
    try {
      // The bridge's transfer list is typed for buffers; Node's postMessage takes ports as well.
      return this.#worker.call(op, args, ms, transfer as unknown as ArrayBuffer[]) as T;
    } catch (e) {
      this.#died(`the MQTT client's worker stopped: ${(e as Error).message}`);
      return undefined;
    }
  }

  #died(why: string): void {
    this.#dead = why;
    this.#worker.terminate(why);
  }

  /** The ring and the channel, opened with the first call that needs them (the worker starts taking then). */
  #channel(): RingWriter | undefined {
    if (!this.#ring && !this.#dead) {
      const { port1, port2 } = new MessageChannel();
      // Reports are taken with receiveMessageOnPort: no listener, and the port must not keep the process alive.
      port1.unref();
      const ring = createRingMemory(RING_BYTES);
      if (this.#call('attach', { port: port2, ring }, CALL_MS, [port2]) === undefined) return undefined;
      this.#port = port1;
      this.#ring = new RingWriter(ring);
    }
    return this.#ring;
  }

  /**
   * Room in the ring for an entry, waiting for the worker to take what fills it (it takes the
   * ring on every turn of its event loop, whatever the link does); a worker that takes nothing for
   * CALL_MS is stopped.
   */
  #reserve(ring: RingWriter, kind: number, length: number): number {
    let at = ring.reserve(kind, length);
    if (at >= 0) return at;
    ring.commit();
    const deadline = performance.now() + CALL_MS;
    for (let left = CALL_MS; left > 0; left = deadline - performance.now()) {
      ring.waitForRoom(left);
      at = ring.reserve(kind, length);
      if (at >= 0) return at;
    }
    this.#died(`the MQTT client's worker took nothing from its hand-over ring for ${CALL_MS} ms`);
    return -1;
  }

  /** Every report the worker has posted, merged; the link's last known state when there is none. */
  #take(): BackendEvents {
    const ring = this.#ring;
    const reports = ring?.reports() ?? 0;
    if (!this.#port || reports === this.#reportsTaken) return this.#last;
    this.#reportsTaken = reports;
    const out: BackendEvents = { ...noEvents(this.#last.state, this.#last.reason) };
    for (let m = receiveMessageOnPort(this.#port); m; m = receiveMessageOnPort(this.#port)) merge(out, m.message as WorkerReport);
    this.#last = noEvents(out.state, out.reason);
    return out;
  }

  /** The events after a call that reports them (the worker posted them before it answered). */
  #events(answered: unknown): BackendEvents {
    const e = this.#take();
    return answered === undefined ? { ...e, state: 'closed', ...(this.#dead !== undefined ? { reason: this.#dead } : {}) } : e;
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
    if (!this.#channel()) return this.#events(undefined);
    return this.#events(this.#call<null>('connect', args as unknown as Record<string, unknown>, waitMs + CALL_MS));
  }

  subscribe(filters: readonly string[], qos: 0 | 1 | 2): void {
    this.#call('subscribe', { filters: [...filters], qos });
  }

  publish(batch: readonly QueuedMessage[]): void {
    const ring = this.#channel();
    if (!ring) return;
    for (const q of batch) {
      const record = q.encoded ?? encodeMessage(q.seq, q.message);
      if (record.length > ring.maxPayload) {
        // Too large for the ring: on the channel (a copy of its own: the record is lent), marked in the ring.
        if (this.#reserve(ring, ENTRY_ON_PORT, 0) < 0) return;
        this.#port!.postMessage(record.slice());
        continue;
      }
      const at = this.#reserve(ring, ENTRY_MESSAGE, record.length);
      if (at < 0) return;
      ring.bytes.set(record, at);
    }
    ring.commit();
  }

  forget(seq: number): void {
    const ring = this.#channel();
    if (!ring) return;
    const at = this.#reserve(ring, ENTRY_FORGET, 8);
    if (at < 0) return;
    ring.view.setFloat64(at, seq, true);
    ring.commit();
  }

  /** What the worker has posted: no round trip, so a send can afford it every time. */
  poll(): BackendEvents {
    if (this.#dead) return this.#events(undefined);
    return this.#take();
  }

  request(message: WireMessage, replyTopic: string, expected: number, timeoutMs: number): WireMessage[] | 'offline' {
    return this.#call<WireMessage[] | 'offline'>('request', { message, replyTopic, expected, timeoutMs }, timeoutMs + CALL_MS) ?? 'offline';
  }

  retained(topic: string, timeoutMs: number): RetainedFetch {
    return this.#call<RetainedFetch>('retained', { topic, timeoutMs }, timeoutMs + CALL_MS) ?? { unavailable: this.#dead ?? 'the MQTT client has stopped' };
  }

  drain(ms: number): BackendEvents {
    return this.#events(this.#call<null>('drain', { ms }, ms + CALL_MS));
  }

  close(): void {
    this.#call('close', {});
    this.#worker.terminate('the client was closed');
    this.#port?.close();
    this.#dead ??= 'the client was closed';
  }
}

export function createMqttBackend(config: MqttClientConfig, clientId: string, spawn: SyncWorkerFactory): MessagingBackend {
  return new MqttBackend(config, clientId, spawn);
}
