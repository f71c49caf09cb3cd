/**
 * wasi:messaging@0.2.0-draft for jco-transpiled components, over MQTT 5 (or the in-process
 * broker): the only file of src/messaging that knows WIT shapes. Choices the WIT leaves open:
 * docs/spec-notes/messaging.md.
 *
 * - `client.connect(name)` picks a configured client; the broker, TLS and credentials are the
 *   configuration's. One link per client name, shared by every handle.
 * - `send` checks the topic against the client's publish grants and the size limit, then returns
 *   once the message is in the client's queue (on disk, synced, when the queue has a folder); it
 *   goes to the broker as soon as the link is up, in order.
 * - Content type and metadata travel as MQTT 5 properties (content type, user properties).
 * - Received messages wait until the host calls the component's incoming-handler between its
 *   other calls (`MessagingService.deliver`).
 */
import type * as Types from '../generated/interfaces/wasi-messaging-types.js';
import type * as Producer from '../generated/interfaces/wasi-messaging-producer.js';
import type * as RequestReply from '../generated/interfaces/wasi-messaging-request-reply.js';
import type { SyncWorkerFactory } from '../core/blocking-bridge.js';
import { backendFailure } from '../core/backend-failure.js';
import { closeAll } from '../core/close-all.js';
import type { ProviderContext, ProviderInstance } from '../core/provider.js';
import type { HostServices, MessagingClientStats, MessagingDelivery, MessagingService } from '../core/services.js';
import { WitError } from '../core/wit-error.js';
import { messageSize, type MessagingBackend, type RetainedFetch, type WireMessage } from './backend.js';
import type { MessagingClientConfig, MessagingConfig } from './config.js';
import { MessagingFailure, fail } from './failure.js';
import { MemoryBackend, MemoryBroker } from './memory-backend.js';
import { createMqttBackend } from './mqtt-backend.js';
import { Outbox } from './outbox.js';
import { openQueue } from './queue.js';
import { GrantCache, topicNameProblem } from './topics.js';
import { utf8Length } from './utf8-length.js';

type MessagingError = Types.Error;

/** What the provider needs of the platform: a worker thread for the MQTT client (Node). */
export interface MessagingPlatform {
  readonly name: 'node' | 'browser';
  spawnSyncWorker: SyncWorkerFactory;
}

function toWitError(e: unknown): Error {
  if (e instanceof WitError) return e;
  if (e instanceof MessagingFailure) {
    const payload: MessagingError = e.code === 'timeout' ? { tag: 'timeout' } : { tag: e.code, val: e.message };
    return new WitError<MessagingError>(payload, e.message);
  }
  return backendFailure<MessagingError>(e, 'messaging failure', (val) => ({ tag: 'other', val }));
}

function guarded<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw toWitError(e);
  }
}

const MQTT_STRING_BYTES = 65535;
const utf8 = new TextEncoder();

/** Why an MQTT 5 string property cannot carry `s`, or undefined. */
function stringProblem(s: string, what: string): string | undefined {
  if (s.includes('\u0000')) return `${what} contains a NUL character, which MQTT strings may not`;
  if (utf8Length(s) > MQTT_STRING_BYTES) return `${what} is longer than ${MQTT_STRING_BYTES} bytes`;
  return undefined;
}

function randomHex(bytes: number): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

/** How long the retained-configuration fetch may take once connected (a stalled link must not hold the start for long). */
const RETAINED_FETCH_MIN_MS = 1000;

/**
 * For the client that names a `configTopic`: the broker's retained message there, read once, now
 * (the store is a snapshot: docs/spec-notes/config.md), for the wasi:config provider created next.
 */
function fetchRetainedConfig(config: MessagingConfig, outboxes: ReadonlyMap<string, Outbox>, services: HostServices): void {
  const entry = Object.entries(config.clients).find(([, c]) => c.configTopic !== undefined);
  if (!entry) return;
  const [name, c] = entry;
  const topic = c.configTopic!;
  const waitMs = c.kind === 'mqtt' ? c.connectWaitMs : 0;
  let r: RetainedFetch;
  try {
    r = outboxes.get(name)!.startWithRetained(topic, waitMs, Math.max(RETAINED_FETCH_MIN_MS, waitMs));
  } catch (e) {
    // A client this platform cannot run (MQTT in a browser): the file's values stand, as for a broker that is away.
    r = { unavailable: (e as Error).message };
  }
  const found = 'unavailable' in r ? { unavailable: r.unavailable } : r.message ? { data: r.message.data } : {};
  services.retainedConfig = { source: `client "${name}", topic "${topic}"`, ...found };
}

export interface MessagingProvider extends ProviderInstance {
  readonly service: MessagingService;
  /** The links by client name (tests). */
  readonly outboxes: ReadonlyMap<string, Outbox>;
}

export function createMessagingProvider(config: MessagingConfig, ctx: ProviderContext<MessagingPlatform>): MessagingProvider {
  const notices: string[] = [];
  const outboxes = new Map<string, Outbox>();
  const replyPrefixes = new Map<string, string>();

  function backendFor(name: string, c: MessagingClientConfig, clientId: string): MessagingBackend {
    if (c.kind === 'memory') {
      return new MemoryBackend(c.broker ?? privateBrokers.get(name)!, {
        ...(c.username !== undefined ? { username: c.username } : {}),
        ...(c.password !== undefined ? { password: c.password } : {}),
        maxInbox: c.maxInbox,
      });
    }
    if (ctx.platform.name !== 'node') fail('connection', `client "${name}": MQTT clients need the Node host (this is ${ctx.platform.name})`);
    return createMqttBackend(c, clientId, ctx.platform.spawnSyncWorker);
  }

  const privateBrokers = new Map<string, MemoryBroker>();
  try {
    for (const [name, c] of Object.entries(config.clients)) {
      if (c.kind === 'memory' && !c.broker) privateBrokers.set(name, new MemoryBroker());
      const clientId = c.kind === 'mqtt' ? c.clientId ?? `wasi-edge-${randomHex(6)}` : `memory-${name}`;
      replyPrefixes.set(name, (c.kind === 'mqtt' ? c.replyTopicPrefix : undefined) ?? `wasi-edge/replies/${clientId}`);
      const queue = openQueue(name, c.queue);
      notices.push(...queue.notices);
      const outbox = new Outbox(name, c, queue, () => backendFor(name, c, clientId));
      outboxes.set(name, outbox);
      // Messages a previous run left queued go out as soon as the broker can be reached, and
      // subscriptions are the host's to make: neither waits for the guest to connect.
      // (A client that reads the retained configuration starts below, reading it first.)
      if ((queue.stats().waiting > 0 || c.subscribe.length) && c.configTopic === undefined) outbox.start(0);
    }
  } catch (e) {
    for (const o of outboxes.values()) o.close();
    throw e;
  }
  for (const n of notices) globalThis.process?.emitWarning?.(n, 'WasiEdgeMessaging');
  fetchRetainedConfig(config, outboxes, ctx.services);

  const syncAll = () => {
    for (const o of outboxes.values()) o.sync();
  };

  /** Per grant list (a client's `publish`), the topics it was found to allow. */
  const grantCaches = new Map<readonly string[], GrantCache>();

  /** The message a guest built, as the wire carries it to `topic`, checked against every limit; with its messageSize. */
  function outgoing(outbox: Outbox, topic: string, m: MessageResource, grants: readonly string[], verb: string): [WireMessage, number] {
    if (typeof topic !== 'string') fail('other', 'the topic is not a string');
    const cache = grantCaches.get(grants) ?? grantCaches.set(grants, new GrantCache(grants)).get(grants)!;
    if (!cache.known(topic)) {
      const problem = topicNameProblem(topic);
      if (problem) fail('other', problem);
      if (!cache.allows(topic)) {
        fail('permission-denied', `client "${outbox.name}" may not ${verb} "${topic}": it matches none of its publish grants (${grants.length ? grants.join(', ') : 'none'})`);
      }
    }
    const wire = m.toWire(topic);
    if (wire.contentType !== undefined) {
      const p = stringProblem(wire.contentType, 'the content type');
      if (p) fail('other', p);
    }
    for (const [k, v] of wire.metadata ?? []) {
      const p = stringProblem(k, `metadata key ${JSON.stringify(k.slice(0, 40))}`) ?? stringProblem(v, `the value of metadata key ${JSON.stringify(k.slice(0, 40))}`);
      if (p) fail('other', p);
    }
    const size = messageSize(wire);
    const limit = outbox.config.maxMessageBytes;
    if (size > limit) fail('other', `the message is ${size} bytes (data, topic, content type and metadata); client "${outbox.name}" takes at most ${limit} (messaging.clients.${outbox.name}.maxMessageBytes)`);
    return [wire, size];
  }

  class MessageResource {
    #data: Uint8Array;
    #contentType: string | undefined;
    #metadata: [string, string][] | undefined;
    #topic: string | undefined;
    /** Where a received request wants its replies, and what ties them to it. */
    #replyTo: { outbox: Outbox; topic: string; correlation?: Uint8Array } | undefined;

    // jco lifts a list<u8> into a fresh array (a copy of guest memory): ours to keep, no second copy.
    constructor(data: Uint8Array) {
      this.#data = data instanceof Uint8Array ? data : new Uint8Array();
    }

    static received(w: WireMessage, outbox: Outbox): MessageResource {
      const m = new MessageResource(w.data);
      m.#topic = w.topic;
      m.#contentType = w.contentType;
      m.#metadata = w.metadata?.map(([k, v]) => [k, v]);
      if (w.responseTopic !== undefined) {
        m.#replyTo = { outbox, topic: w.responseTopic, ...(w.correlationData ? { correlation: w.correlationData } : {}) };
      }
      return m;
    }

    get replyTo() {
      return this.#replyTo;
    }

    toWire(topic: string): WireMessage {
      return {
        topic,
        data: this.#data,
        ...(this.#contentType !== undefined ? { contentType: this.#contentType } : {}),
        // A copy of the list (the guest may change it after sending); pairs are replaced, never changed, so they are shared.
        ...(this.#metadata !== undefined ? { metadata: [...this.#metadata] } : {}),
      };
    }

    topic(): string | undefined {
      return this.#topic;
    }

    contentType(): string | undefined {
      return this.#contentType;
    }

    setContentType(contentType: string): void {
      this.#contentType = contentType;
    }

    data(): Uint8Array {
      return this.#data;
    }

    setData(data: Uint8Array): void {
      this.#data = data;
    }

    metadata(): [string, string][] | undefined {
      return this.#metadata?.map(([k, v]) => [k, v]);
    }

    addMetadata(key: string, value: string): void {
      const meta = (this.#metadata ??= []);
      const i = meta.findIndex(([k]) => k === key);
      if (i >= 0) meta[i] = [key, value];
      else meta.push([key, value]);
    }

    setMetadata(meta: [string, string][]): void {
      this.#metadata = meta.map(([k, v]) => [k, v]);
    }

    removeMetadata(key: string): void {
      if (this.#metadata) this.#metadata = this.#metadata.filter(([k]) => k !== key);
    }
  }

  class ClientResource {
    #outbox: Outbox | undefined;

    private constructor(outbox: Outbox) {
      this.#outbox = outbox;
    }

    static connect(name: string): ClientResource {
      return guarded(() => {
        const outbox = outboxes.get(name);
        if (!outbox) {
          const known = [...outboxes.keys()];
          fail('other', `no messaging client named ${JSON.stringify(name)} is configured (configured: ${known.length ? known.join(', ') : 'none'})`);
        }
        outbox.start(outbox.config.kind === 'mqtt' ? outbox.config.connectWaitMs : 0);
        if (outbox.state === 'refused') fail('connection', outbox.reason ?? `the broker of client "${name}" refused the connection`);
        return new ClientResource(outbox);
      });
    }

    /** The link; a disconnected handle can do nothing more. */
    get outbox(): Outbox {
      if (!this.#outbox) fail('connection', 'this client handle was disconnected');
      return this.#outbox;
    }

    disconnect(): void {
      // The link itself stays up while the host runs: queued messages still have to go out.
      guarded(() => {
        if (!this.#outbox) fail('connection', 'this client handle was already disconnected');
        this.#outbox = undefined;
      });
    }
  }

  class RequestOptionsResource {
    timeoutMs: number | undefined;
    expected = 1;

    setTimeoutMs(timeoutMs: number): void {
      this.timeoutMs = timeoutMs;
    }

    setExpectedReplies(expected: number): void {
      this.expected = expected;
    }
  }

  function asMessage(m: unknown, what: string): MessageResource {
    if (!(m instanceof MessageResource)) fail('other', `${what} is not a message of this host`);
    return m;
  }

  function asClient(c: unknown): ClientResource {
    if (!(c instanceof ClientResource)) fail('other', 'the client is not a client of this host');
    return c;
  }

  const send: typeof Producer.send = (c, topic, message) =>
    guarded(() => {
      const outbox = asClient(c).outbox;
      const [wire, size] = outgoing(outbox, topic, asMessage(message, 'the message'), outbox.config.publish, 'send to');
      outbox.send(wire, size);
    });

  const request: typeof RequestReply.request = (c, topic, message, options) =>
    guarded(() => {
      const outbox = asClient(c).outbox;
      const [wire] = outgoing(outbox, topic, asMessage(message, 'the message'), outbox.config.publish, 'send a request to');
      const o = options instanceof RequestOptionsResource ? options : undefined;
      const expected = Math.max(1, o?.expected ?? 1);
      const timeoutMs = Math.min(o?.timeoutMs ?? outbox.config.requestTimeoutMs, outbox.config.requestTimeoutMs);
      const id = randomHex(16);
      const replyTopic = `${replyPrefixes.get(outbox.name)!}/${id}`;
      const correlationData = utf8.encode(id);
      const replies = outbox.request({ ...wire, responseTopic: replyTopic, correlationData }, replyTopic, expected, timeoutMs);
      return replies.map((r) => MessageResource.received(r, outbox) as unknown as Types.Message);
    });

  const reply: typeof RequestReply.reply = (replyTo, message) =>
    guarded(() => {
      const to = asMessage(replyTo, 'reply-to').replyTo;
      if (!to) fail('other', 'the message to reply to carries no response topic (it was not sent as an MQTT 5 request)');
      const [wire, size] = outgoing(to.outbox, to.topic, asMessage(message, 'the reply'), to.outbox.config.publish, 'reply on');
      to.outbox.send({ ...wire, ...(to.correlation ? { correlationData: to.correlation } : {}) }, size);
    });

  const service: MessagingService = {
    notices,
    pending() {
      syncAll();
      let n = 0;
      for (const o of outboxes.values()) n += o.inboxSize;
      return n;
    },
    deliver(exports, max = Infinity): MessagingDelivery {
      const handler = Object.entries(exports).find(([k]) => k.startsWith('wasi:messaging/incoming-handler'))?.[1] as { handle?: (m: unknown) => unknown } | undefined;
      if (typeof handler?.handle !== 'function') throw new Error('the component does not export wasi:messaging/incoming-handler');
      const out: MessagingDelivery = { delivered: 0, failed: [] };
      for (const outbox of outboxes.values()) {
        for (const w of outbox.takeInbox(max - out.delivered)) {
          out.delivered++;
          try {
            handler.handle(MessageResource.received(w, outbox));
          } catch (e) {
            // The handler's own `err`: reported, the next message still goes. A trap is not ours to hide.
            if (e instanceof Error && 'payload' in e) out.failed.push({ topic: w.topic, error: JSON.stringify((e as { payload: unknown }).payload) });
            else throw e;
          }
        }
      }
      return out;
    },
    stats() {
      const out: Record<string, MessagingClientStats> = {};
      for (const [name, o] of outboxes) out[name] = o.stats();
      return out;
    },
  };
  ctx.services.messaging = service;

  /**
   * What the user must know when the host stops: messages still waiting (kept for the next start
   * with a queue folder, lost without one) and messages dropped by the overflow policy during this
   * run. Written to the guest's stderr stream, after the guest's own last words.
   */
  const droppedAtStart = new Map([...outboxes].map(([name, o]) => [name, o.queue.stats().dropped]));
  function closingReport(): string[] {
    const lines: string[] = [];
    for (const [name, o] of outboxes) {
      const s = o.stats();
      const dropped = s.dropped - (droppedAtStart.get(name) ?? 0);
      if (s.waiting === 0 && dropped === 0) continue;
      const why = s.reason ? ` (${s.reason})` : '';
      const kept = o.config.queue.dir ? `they wait in ${o.config.queue.dir} and go out when the broker can be reached` : 'the queue is in memory, so they are lost';
      const parts = [s.waiting ? `${s.waiting} message${s.waiting === 1 ? '' : 's'} not delivered${why}: ${kept}` : '', dropped ? `${dropped} dropped because the queue was full` : ''];
      lines.push(`wasi-edge: messaging client "${name}": ${parts.filter(Boolean).join('; ')}\n`);
    }
    return lines;
  }

  function writeStderr(text: string): void {
    const cli = ctx.wasi['wasi:cli/stderr'] as { getStderr?: () => { blockingWriteAndFlush(b: Uint8Array): void } } | undefined;
    try {
      cli?.getStderr?.().blockingWriteAndFlush(utf8.encode(text));
    } catch {
      // A closed stream (the embedder's sink is gone): the counts stay in services.messaging.stats().
    }
  }

  let disposed = false;
  return {
    service,
    outboxes,
    imports: {
      'wasi:messaging/types': { Client: ClientResource, Message: MessageResource },
      'wasi:messaging/producer': { send },
      'wasi:messaging/request-reply': { RequestOptions: RequestOptionsResource, request, reply },
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      try {
        closeAll(outboxes.values(), (o) => o.close(), 'messaging clients');
      } finally {
        for (const line of closingReport()) writeStderr(line);
      }
    },
  };
}
