/**
 * An in-process broker and its backend: the default `local` client, and a broker tests can
 * watch and script — take it offline and back, require credentials, answer requests, refuse a
 * topic. Everything happens at once (no thread, no wait), in the order of the calls, so a test
 * sees exactly what went out when.
 */
import { noEvents, type BackendEvents, type LinkState, type MessagingBackend, type QueuedMessage, type RetainedFetch, type WireMessage } from './backend.js';
import { topicMatches } from './topics.js';

type Listener = (message: WireMessage) => void;

export class MemoryBroker {
  /** Every message the broker accepted, in order (requests and replies included). */
  readonly published: WireMessage[] = [];
  /** When set, a client must present one of these username → password pairs. */
  users: Map<string, string> | undefined;
  /** Topic filters whose messages the broker refuses (as an MQTT 5 PUBACK "not authorized"). */
  readonly denied: string[] = [];
  #online = true;
  readonly #listeners: { filter: string; listener: Listener }[] = [];
  /** Retained messages by topic (MQTT: one per topic; an empty one clears it). */
  readonly #retained = new Map<string, WireMessage>();

  get online(): boolean {
    return this.#online;
  }

  /** Takes the broker away (every client goes offline) or brings it back. */
  setOnline(online: boolean): void {
    this.#online = online;
  }

  /** Calls `listener` for each accepted message matching `filter` (a test's subscriber or responder). */
  on(filter: string, listener: Listener): () => void {
    const entry = { filter, listener };
    this.#listeners.push(entry);
    return () => {
      const i = this.#listeners.indexOf(entry);
      if (i >= 0) this.#listeners.splice(i, 1);
    };
  }

  /**
   * Publishes as a client outside any host would (a test, the "cloud"). With `retain` the broker
   * also keeps it for later subscribers to the topic, as MQTT's retain flag asks; an empty retained
   * message removes the one kept.
   */
  publish(message: WireMessage, options: { retain?: boolean } = {}): void {
    this.accept(message);
    if (!options.retain) return;
    if (message.data.length === 0) this.#retained.delete(message.topic);
    else this.#retained.set(message.topic, copyMessage(message));
  }

  /** @internal The message retained on `topic`, a copy. */
  retainedOn(topic: string): WireMessage | undefined {
    const m = this.#retained.get(topic);
    return m && copyMessage(m);
  }

  /** @internal Refusal reason, or undefined when accepted and delivered. */
  accept(message: WireMessage): string | undefined {
    if (this.denied.some((f) => topicMatches(f, message.topic))) return 'not authorized (MQTT reason 135)';
    const copy = copyMessage(message);
    this.published.push(copy);
    for (const { filter, listener } of [...this.#listeners]) if (topicMatches(filter, copy.topic)) listener(copyMessage(copy));
    return undefined;
  }

  /** @internal Why these credentials are refused, or undefined. */
  authenticate(username: string | undefined, password: string | undefined): string | undefined {
    if (!this.users) return undefined;
    if (username === undefined || this.users.get(username) !== password) return 'Bad User Name or Password (MQTT reason 134)';
    return undefined;
  }
}

function copyMessage(m: WireMessage): WireMessage {
  return {
    topic: m.topic,
    data: m.data.slice(),
    ...(m.contentType !== undefined ? { contentType: m.contentType } : {}),
    ...(m.metadata !== undefined ? { metadata: m.metadata.map(([k, v]) => [k, v] as [string, string]) } : {}),
    ...(m.responseTopic !== undefined ? { responseTopic: m.responseTopic } : {}),
    ...(m.correlationData !== undefined ? { correlationData: m.correlationData.slice() } : {}),
  };
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return !!a && !!b && a.length === b.length && a.every((x, i) => x === b[i]);
}

export interface MemoryBackendOptions {
  username?: string;
  password?: string;
  maxInbox: number;
}

export class MemoryBackend implements MessagingBackend {
  #state: LinkState = 'connecting';
  #reason: string | undefined;
  #pending: QueuedMessage[] = [];
  #events: BackendEvents = noEvents('connecting');
  #unsubscribe: (() => void)[] = [];

  constructor(
    readonly broker: MemoryBroker,
    private readonly options: MemoryBackendOptions,
  ) {}

  connect(): BackendEvents {
    this.#attach();
    return this.poll();
  }

  subscribe(filters: readonly string[]): void {
    for (const filter of filters) {
      this.#unsubscribe.push(
        this.broker.on(filter, (m) => {
          if (this.#state !== 'online') return;
          if (this.#events.incoming.length >= this.options.maxInbox) this.#events.incomingDropped++;
          else this.#events.incoming.push(m);
        }),
      );
    }
  }

  publish(batch: readonly QueuedMessage[]): void {
    this.#pending.push(...batch);
    this.#flush();
  }

  forget(seq: number): void {
    this.#pending = this.#pending.filter((q) => q.seq > seq);
  }

  poll(): BackendEvents {
    this.#attach();
    this.#flush();
    const events = this.#events;
    this.#events = noEvents(this.#state, this.#reason);
    return { ...events, state: this.#state, ...(this.#reason !== undefined ? { reason: this.#reason } : {}) };
  }

  request(message: WireMessage, replyTopic: string, expected: number): WireMessage[] | 'offline' {
    this.#attach();
    if (this.#state !== 'online') return 'offline';
    const replies: WireMessage[] = [];
    const off = this.broker.on(replyTopic, (m) => {
      if (sameBytes(m.correlationData, message.correlationData) && replies.length < expected) replies.push(m);
    });
    try {
      this.broker.accept(message);
    } finally {
      off();
    }
    return replies;
  }

  retained(topic: string): RetainedFetch {
    this.#attach();
    if (this.#state !== 'online') return { unavailable: this.#reason ?? 'the in-memory broker is offline' };
    const message = this.broker.retainedOn(topic);
    return message ? { message } : {};
  }

  drain(): BackendEvents {
    return this.poll();
  }

  close(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#state = 'closed';
  }

  /** Follows the broker: online when it is (and the credentials pass), offline when it is not. */
  #attach(): void {
    if (this.#state === 'closed' || this.#state === 'refused') return;
    if (!this.broker.online) {
      this.#state = 'offline';
      this.#reason = 'the in-memory broker is offline';
      return;
    }
    const refused = this.broker.authenticate(this.options.username, this.options.password);
    if (refused) {
      this.#state = 'refused';
      this.#reason = `the broker refused the connection: ${refused}`;
      return;
    }
    this.#state = 'online';
    this.#reason = undefined;
  }

  #flush(): void {
    if (this.#state !== 'online') return;
    while (this.#pending.length && this.broker.online) {
      const q = this.#pending.shift()!;
      const refused = this.broker.accept(q.message);
      if (refused) this.#events.rejected.push({ seq: q.seq, reason: refused });
      else this.#events.acked.push(q.seq);
    }
  }
}
