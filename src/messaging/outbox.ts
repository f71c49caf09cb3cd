/**
 * One configured client's link: its queue, its backend, and the messages received for the
 * guest. `send` puts a message in the queue (durably, for a queue with a folder) and hands it to
 * the backend; acknowledgements the backend reports take messages out of the queue. Whatever
 * has not been acknowledged when the host stops stays queued and is handed over again, in order,
 * the next time the client starts — so a message is delivered, or counted as dropped (overflow) or
 * refused (by the broker), and QoS 1 may deliver it twice.
 */
import type { BackendEvents, LinkState, MessagingBackend, RetainedFetch, WireMessage } from './backend.js';
import type { MessagingClientConfig } from './config.js';
import { fail } from './failure.js';
import type { MessageQueue, QueueStats } from './queue.js';

export interface OutboxStats extends QueueStats {
  state: LinkState | 'idle';
  /** Why the link is offline or refused. */
  reason?: string;
  /** Messages that arrived for the guest, and those of them dropped because the inbox was full. */
  received: number;
  inboxDropped: number;
  /** The broker's words for the last message it refused. */
  lastRejection?: string;
}

export class Outbox {
  #backend: MessagingBackend | undefined;
  #state: LinkState | 'idle' = 'idle';
  #reason: string | undefined;
  #inbox: WireMessage[] = [];
  #received = 0;
  #inboxDropped = 0;
  #lastRejection: string | undefined;
  #closed = false;

  constructor(
    readonly name: string,
    readonly config: MessagingClientConfig,
    readonly queue: MessageQueue,
    private readonly makeBackend: () => MessagingBackend,
  ) {}

  get state(): LinkState | 'idle' {
    return this.#state;
  }

  get reason(): string | undefined {
    return this.#reason;
  }

  /** Starts the link (once): connects, subscribes, hands over what the queue holds. */
  start(waitMs: number): void {
    if (this.#closed) fail('connection', `client "${this.name}" is closed`);
    if (this.#backend) return;
    const backend = this.#open();
    if (this.config.subscribe.length) backend.subscribe(this.config.subscribe, this.config.qos);
    this.#apply(backend.connect(waitMs));
  }

  /**
   * Starts the link reading the broker's retained message on `topic` first (wasi:config's, at
   * start), waiting up to `waitMs` for the broker as a guest's `connect` would: before the
   * subscriptions are made, so that an app subscribed to the same topic gets the message once, from
   * its own subscription. A link that is not up says why.
   */
  startWithRetained(topic: string, waitMs: number, timeoutMs: number): RetainedFetch {
    if (this.#closed) fail('connection', `client "${this.name}" is closed`);
    if (this.#backend) fail('other', `host bug: client "${this.name}" started before its retained configuration was read`);
    const backend = this.#open();
    this.#apply(backend.connect(waitMs));
    const found = this.#state === 'online' ? backend.retained(topic, timeoutMs) : { unavailable: this.#reason ?? `the link of client "${this.name}" is ${this.#state}` };
    if (this.config.subscribe.length) backend.subscribe(this.config.subscribe, this.config.qos);
    this.sync();
    return found;
  }

  /** The backend, with what the queue holds handed over. */
  #open(): MessagingBackend {
    const backend = this.makeBackend();
    this.#backend = backend;
    const waiting = this.queue.waiting();
    if (waiting.length) backend.publish(waiting);
    return backend;
  }

  /** Collects what the backend reports. Cheap; called on every guest call and between calls. */
  sync(): void {
    if (this.#backend && !this.#closed) this.#apply(this.#backend.poll());
  }

  /** Queues `message` (of messageSize `size`) and hands it over. Returns once it is queued (durably, with a folder). */
  send(message: WireMessage, size?: number): void {
    const backend = this.#live();
    const { record, droppedUpTo } = this.queue.append(message, size);
    if (droppedUpTo !== undefined) backend.forget(droppedUpTo);
    backend.publish([record]);
  }

  /** A request: sent outside the queue (it is worth nothing once the link is down), replies awaited. */
  request(message: WireMessage, replyTopic: string, expected: number, timeoutMs: number): WireMessage[] {
    const backend = this.#live();
    const replies = backend.request(message, replyTopic, expected, timeoutMs);
    if (replies === 'offline') fail('connection', `client "${this.name}" is not connected to its broker${this.#reason ? ` (${this.#reason})` : ''}: a request is not queued`);
    this.sync();
    if (!replies.length) fail('timeout', `no reply to the request on "${message.topic}" within ${timeoutMs} ms`);
    return replies;
  }

  /** Up to `max` received messages, oldest first, taken out of the inbox. */
  takeInbox(max = Infinity): WireMessage[] {
    this.sync();
    return this.#inbox.splice(0, Math.min(max, this.#inbox.length));
  }

  get inboxSize(): number {
    return this.#inbox.length;
  }

  stats(): OutboxStats {
    this.sync();
    return {
      ...this.queue.stats(),
      state: this.#state,
      ...(this.#reason !== undefined ? { reason: this.#reason } : {}),
      received: this.#received,
      inboxDropped: this.#inboxDropped,
      ...(this.#lastRejection !== undefined ? { lastRejection: this.#lastRejection } : {}),
    };
  }

  /**
   * Gives queued messages up to `drainMs` to reach the broker — a link that is down may come back
   * meanwhile — then ends the link and closes the queue; what is still waiting stays queued.
   */
  close(): void {
    if (this.#closed) return;
    const backend = this.#backend;
    try {
      if (backend) {
        const live = this.#state !== 'refused' && this.#state !== 'closed';
        if (this.queue.stats().waiting > 0 && this.config.drainMs > 0 && live) this.#apply(backend.drain(this.config.drainMs));
        else this.#apply(backend.poll());
      }
    } finally {
      this.#closed = true;
      this.#state = 'closed';
      try {
        backend?.close();
      } finally {
        this.queue.close();
      }
    }
  }

  /** The backend, started; a refusal of the credentials fails every call (retrying cannot help). */
  #live(): MessagingBackend {
    if (this.#closed) fail('connection', `client "${this.name}" is closed`);
    if (!this.#backend) this.start(0);
    this.sync();
    if (this.#state === 'refused') fail('connection', this.#reason ?? `the broker of client "${this.name}" refused the connection`);
    return this.#backend!;
  }

  #apply(events: BackendEvents): void {
    this.#state = events.state;
    this.#reason = events.reason;
    if (events.acked.length) this.queue.done('acked', events.acked);
    if (events.rejected.length) {
      this.queue.done('rejected', events.rejected.map((r) => r.seq));
      this.#lastRejection = events.rejected[events.rejected.length - 1]!.reason;
    }
    this.#inboxDropped += events.incomingDropped;
    this.#received += events.incomingDropped;
    for (const m of events.incoming) {
      this.#received++;
      if (this.#inbox.length >= this.config.maxInbox) this.#inboxDropped++;
      else this.#inbox.push(m);
    }
  }
}
