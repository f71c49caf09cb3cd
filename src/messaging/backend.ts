/**
 * The backend interface: what the provider needs of a message broker, synchronous because guest
 * calls are. A backend that talks to a network does it on another thread (mqtt-backend.ts: a worker
 * running mqtt.js) and these calls hand work over or collect what happened; the in-process
 * MemoryBroker (memory-backend.ts) does everything at once. Backends know nothing of WIT or of the
 * durable queue: the outbox (outbox.ts) hands them queued messages by sequence number and records
 * what they report as acknowledged.
 */
import { utf8Length } from './utf8-length.js';

/** A message as backends carry it (MQTT 5: content type and user properties are PUBLISH properties). */
export interface WireMessage {
  topic: string;
  data: Uint8Array;
  contentType?: string;
  metadata?: [string, string][];
  /** Request-reply: where replies go, and the value that ties them to the request. */
  responseTopic?: string;
  correlationData?: Uint8Array;
}

/** A message from the queue, with the sequence number the backend reports back. */
export interface QueuedMessage {
  seq: number;
  message: WireMessage;
  /**
   * The message as a queue-log record (queue-log.ts), when the queue has just written one: lent for
   * the call it is handed over in (the queue reuses the bytes), so a backend that keeps it copies it.
   */
  encoded?: Uint8Array;
}

/** What a retained fetch found. */
export type RetainedFetch = { message?: WireMessage } | { unavailable: string };

/** `online`: connected; `offline`: not now, retrying; `refused`: the broker said no (credentials), not retrying. */
export type LinkState = 'connecting' | 'online' | 'offline' | 'refused' | 'closed';

/** What happened since the last call that reports events. */
export interface BackendEvents {
  state: LinkState;
  /** Why the link is offline or refused, in the broker's or the socket's words. */
  reason?: string;
  /** Sequence numbers the broker acknowledged (QoS 1/2) or took (QoS 0), any order. */
  acked: number[];
  /** Messages the broker refused (an error reason in its PUBACK): they will never be delivered. */
  rejected: { seq: number; reason: string }[];
  /** Messages received on the subscriptions. */
  incoming: WireMessage[];
  /** Received messages the backend had to drop (its inbox was full). */
  incomingDropped: number;
}

export interface MessagingBackend {
  /**
   * Starts connecting, and keeps reconnecting after a loss (except after a refusal). Returns when
   * the broker answered or `waitMs` passed, whichever comes first; the events say which.
   */
  connect(waitMs: number): BackendEvents;
  /** Topic filters to subscribe to now and after every reconnection. */
  subscribe(filters: readonly string[], qos: 0 | 1 | 2): void;
  /** Hands messages over, in sequence order; they go out when the link is up. Never waits for the network. */
  publish(batch: readonly QueuedMessage[]): void;
  /** Messages up to `seq` that were handed over but not yet sent must not be sent (the queue dropped them). */
  forget(seq: number): void;
  /** Events since the last report. */
  poll(): BackendEvents;
  /**
   * Sends `message` (its responseTopic and correlationData set) outside the queue and waits up to
   * `timeoutMs` for `expected` messages on `replyTopic` with the same correlation data. Returns
   * 'offline' at once when the link is down.
   */
  request(message: WireMessage, replyTopic: string, expected: number, timeoutMs: number): WireMessage[] | 'offline';
  /**
   * The message the broker retains on `topic` (an exact name), `{}` when it holds none:
   * subscribes, takes what the subscription brings, unsubscribes. `unavailable` (why) at once when
   * the link is down, or when the broker did not answer within `timeoutMs`.
   */
  retained(topic: string, timeoutMs: number): RetainedFetch;
  /** Waits up to `ms` for every handed-over message to be acknowledged; returns the events. */
  drain(ms: number): BackendEvents;
  /** Ends the connection; messages not acknowledged stay the queue's. Idempotent. */
  close(): void;
}

export function noEvents(state: LinkState, reason?: string): BackendEvents {
  return { state, ...(reason !== undefined ? { reason } : {}), acked: [], rejected: [], incoming: [], incomingDropped: 0 };
}

/** What a message costs: data, topic, content type and metadata, in bytes (the size limit and the queue's byte bound). */
export function messageSize(m: WireMessage): number {
  let n = m.data.length + utf8Length(m.topic) + (m.contentType ? utf8Length(m.contentType) : 0);
  for (const [k, v] of m.metadata ?? []) n += utf8Length(k) + utf8Length(v);
  return n;
}
