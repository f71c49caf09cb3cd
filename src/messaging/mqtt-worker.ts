/**
 * The MQTT client's thread. The guest runs synchronously on the host's main thread, whose event
 * loop therefore does not turn while the guest works: a client living there would send nothing
 * until the guest stopped. Here mqtt.js has an event loop of its own; the main thread's backend
 * (mqtt-backend.ts) calls `handle` through the blocking bridge to hand messages over and to
 * collect what happened (acknowledgements, received messages, the link's state).
 *
 * Messages are handed to mqtt.js at most `inFlight` at a time, in sequence order; mqtt.js resends
 * unacknowledged ones after a reconnection. A message not yet handed to mqtt.js can still be
 * forgotten (the queue dropped it). One worker per configured client.
 *
 * Messages and forgets arrive one way through the ring the backend attached (handover-ring.ts,
 * mqtt-backend.ts), taken on every turn of this thread's event loop that pumps, and before every
 * call is answered. While a PUBACK is due or a burst is being handed over, this thread looks at the
 * ring every couple of milliseconds, so the host's thread does not have to wake it for every send;
 * otherwise it says it is idle and the next hand-over wakes it (rest()). What happens goes back on
 * the channel as reports, a few milliseconds' worth at a time, and at once before a call that
 * reports events (connect, drain) is answered.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { connect, type IClientOptions, type IClientPublishOptions, type MqttClient } from 'mqtt';
import type { BackendEvents, LinkState, QueuedMessage, RetainedFetch, WireMessage } from './backend.js';
import { ENTRY_FORGET, ENTRY_MESSAGE, ENTRY_ON_PORT, RingReader, type RingMemory } from './handover-ring.js';
import { decodeBody } from './queue-log.js';

export interface WorkerConnect {
  url: string;
  options: {
    clientId: string;
    username?: string;
    password?: string;
    clean: boolean;
    keepaliveSeconds: number;
    reconnectMs: number;
    ca?: string;
    cert?: string;
    key?: string;
    rejectUnauthorized: boolean;
    servername?: string;
  };
  qos: 0 | 1 | 2;
  inFlight: number;
  maxInbox: number;
  waitMs: number;
}

/** One report on the channel: the events since the last one, and the link's state now. */
export type WorkerReport = BackendEvents;

/** Events are gathered this long before they are posted, so that a burst of PUBACKs is one report. */
const REPORT_MS = 5;

/** How often the ring is looked at while this thread is not waiting to be woken (rest()). */
const RING_LOOK_MS = 2;

/** A retained fetch in progress: messages on its topic go here, not to the guest. */
let fetching: { topic: string; got?: WireMessage } | undefined;

interface Waiter {
  topic: string;
  correlation: string;
  expected: number;
  replies: WireMessage[];
  done: () => void;
}

/**
 * MQTT 5 CONNACK reasons that only a new configuration can cure: unsupported protocol version,
 * client identifier not valid, bad user name or password, not authorized, banned, bad
 * authentication method. Any other reason (a protocol error — mqtt.js reports one itself for a
 * CONNACK repeated on a link that stalled —, server unavailable or busy, …) is a link that failed:
 * mqtt.js reconnects.
 */
const REFUSALS = new Set([0x84, 0x85, 0x86, 0x87, 0x8a, 0x8c]);

/** Node's codes for a certificate that does not verify (tls.TLSSocket's `authorizationError`). */
const TLS_REFUSAL = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

let client: MqttClient | undefined;
let settings: WorkerConnect | undefined;
let state: LinkState = 'connecting';
let reason: string | undefined;
let subscriptions: { filters: string[]; qos: 0 | 1 | 2 } | undefined;
/** Handed over, not yet given to mqtt.js: pending[pendingHead..] (an index, not shift(): bursts are long). */
let pending: QueuedMessage[] = [];
let pendingHead = 0;
let pumpScheduled = false;
const inflight = new Set<number>();
let events: BackendEvents = fresh();
const waiters = new Set<Waiter>();
let channel: MessagePort | undefined;
let ring: RingReader | undefined;
/** Whether this thread waits to be woken by the next hand-over, or has a timer to look at the ring. */
let sleeping = false;
/** Whether the ring held something since the timer last looked: the host is handing messages over. */
let handedOver = false;
let ringTimer: ReturnType<typeof setTimeout> | undefined;
let reportTimer: ReturnType<typeof setTimeout> | undefined;

/** Resolved whenever the link changes or an acknowledgement arrives: connect and drain wait on it. */
let changed: () => void = () => {};

function fresh(): BackendEvents {
  return { state, acked: [], rejected: [], incoming: [], incomingDropped: 0 };
}

function notify(): void {
  scheduleReport();
  const c = changed;
  changed = () => {};
  c();
}

function nextChange(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    changed = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}

function hex(b: Uint8Array | undefined): string {
  return b ? Buffer.from(b).toString('hex') : '';
}

function properties(m: WireMessage): IClientPublishOptions['properties'] {
  const p: NonNullable<IClientPublishOptions['properties']> = {};
  if (m.contentType !== undefined) p.contentType = m.contentType;
  if (m.metadata?.length) {
    // mqtt.js takes user properties as an object: a key given twice becomes an array, in order.
    const user: Record<string, string | string[]> = {};
    for (const [k, v] of m.metadata) {
      const had = user[k];
      user[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
    }
    p.userProperties = user;
  }
  if (m.responseTopic !== undefined) p.responseTopic = m.responseTopic;
  if (m.correlationData !== undefined) p.correlationData = Buffer.from(m.correlationData);
  return p;
}

function received(topic: string, payload: Buffer, props: Record<string, unknown> | undefined): WireMessage {
  const m: WireMessage = { topic, data: new Uint8Array(payload) };
  if (typeof props?.contentType === 'string') m.contentType = props.contentType;
  const user = props?.userProperties as Record<string, string | string[]> | undefined;
  if (user) m.metadata = Object.entries(user).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]]));
  if (typeof props?.responseTopic === 'string') m.responseTopic = props.responseTopic;
  if (props?.correlationData instanceof Uint8Array) m.correlationData = new Uint8Array(props.correlationData);
  return m;
}

function setState(s: LinkState, why?: string): void {
  if (state === 'closed' || (state === 'refused' && s !== 'closed')) return;
  state = s;
  reason = why;
  notify();
}

function waitingCount(): number {
  return pending.length - pendingHead;
}

function pump(): void {
  if (!client || state !== 'online' || !settings) return;
  while (pendingHead < pending.length && inflight.size < settings.inFlight) {
    const q = pending[pendingHead++]!;
    if (pendingHead >= 1024 && pendingHead * 2 >= pending.length) {
      pending = pending.slice(pendingHead);
      pendingHead = 0;
    }
    inflight.add(q.seq);
    const opts: IClientPublishOptions = { qos: settings.qos, properties: properties(q.message) };
    const data = q.message.data;
    // The decoded data is this thread's own copy: a Buffer over it, not another copy.
    client.publish(q.message.topic, Buffer.from(data.buffer, data.byteOffset, data.byteLength), opts, (err) => {
      inflight.delete(q.seq);
      if (!err) events.acked.push(q.seq);
      else if (typeof (err as { code?: unknown }).code === 'number') events.rejected.push({ seq: q.seq, reason: err.message });
      // Any other error means the client was ended with the message unacknowledged: it stays queued.
      notify();
      // The last of a burst (nothing more in flight or waiting here): reported at once, not a few milliseconds later.
      if (inflight.size === 0 && waitingCount() === 0) report();
      schedulePump();
    });
  }
}

/**
 * Pumps once the current event-loop turn is over: the PUBACKs of one read, or the posts that
 * arrived together, then refill the window in one go — and mqtt.js writes what one turn
 * published as one write, not one system call per message.
 */
function schedulePump(): void {
  if (pumpScheduled) return;
  pumpScheduled = true;
  setImmediate(() => {
    pumpScheduled = false;
    takeHandovers();
    pump();
    rest();
  });
}

/** What the ring holds, into `pending` (or applied, for forgets), in the order it was handed over. */
function takeHandovers(): void {
  const r = ring;
  if (!r) return;
  const taken = r.drain((kind, at, length) => {
    // One copy out of the shared ring (its room is reused), which the message then keeps.
    if (kind === ENTRY_MESSAGE) pending.push(queued(r.bytes.slice(at, at + length)));
    else if (kind === ENTRY_FORGET) forget(r.view.getFloat64(at, true));
    else if (kind === ENTRY_ON_PORT) {
      const m = channel && receiveMessageOnPort(channel);
      if (!m) throw new Error('host bug: a message marked as sent on the channel is not there');
      pending.push(queued(m.message as Uint8Array));
    } else throw new Error(`host bug: unknown hand-over entry ${kind}`);
  });
  if (taken) {
    handedOver = true;
    schedulePump();
  }
}

/** A queue-log message record (this thread's own copy) as the message and sequence number it holds. */
function queued(record: Uint8Array): QueuedMessage {
  const r = decodeBody(record.subarray(8), record.length, true);
  if (r.kind !== 'message') throw new Error(`host bug: a ${r.kind} record was handed over as a message`);
  return { seq: r.seq, message: r.message };
}

/**
 * After a turn: while a PUBACK is due (its turn takes the ring), or while the host is handing
 * messages over (a burst), look at the ring by timer; otherwise wait for the host's next
 * hand-over to wake this thread. Waking costs the host's thread a system call per wake, so a
 * burst wakes this thread once, not once per send; the timer bounds what a message waits in the
 * ring, and keeps the ring moving when a link has stalled with messages in flight.
 */
function rest(): void {
  if (!ring || sleeping) return;
  if ((client && state === 'online' && inflight.size > 0) || handedOver) {
    ringTimer ??= setTimeout(() => {
      ringTimer = undefined;
      handedOver = false;
      schedulePump();
    }, RING_LOOK_MS);
    return;
  }
  sleeping = true;
  void ring.sleep().then(() => {
    sleeping = false;
    schedulePump();
  });
}

function subscribeAll(): void {
  if (!client || !subscriptions?.filters.length) return;
  client.subscribe(subscriptions.filters, { qos: subscriptions.qos }, (err) => {
    if (err) reason = `subscribing to ${subscriptions!.filters.join(', ')} failed: ${err.message}`;
  });
}

function start(c: WorkerConnect): void {
  settings = c;
  const o = c.options;
  const options: IClientOptions = {
    protocolVersion: 5,
    clientId: o.clientId,
    clean: o.clean,
    keepalive: o.keepaliveSeconds,
    reconnectPeriod: o.reconnectMs,
    connectTimeout: Math.max(1000, c.waitMs),
    resubscribe: false,
    rejectUnauthorized: o.rejectUnauthorized,
    ...(o.username !== undefined ? { username: o.username } : {}),
    ...(o.password !== undefined ? { password: o.password } : {}),
    ...(o.ca !== undefined ? { ca: o.ca } : {}),
    ...(o.cert !== undefined ? { cert: o.cert } : {}),
    ...(o.key !== undefined ? { key: o.key } : {}),
    ...(o.servername !== undefined ? { servername: o.servername } : {}),
  };
  const cl = connect(c.url, options);
  client = cl;
  cl.on('connect', () => {
    setState('online');
    subscribeAll();
    pump();
  });
  cl.on('error', (err) => {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && TLS_REFUSAL.test(code)) {
      // The broker's certificate does not verify: retrying cannot help either.
      setState('refused', `the broker's TLS certificate was not accepted: ${err.message} (${code})`);
      cl.end(true);
    } else if (typeof code === 'number' && REFUSALS.has(code)) {
      // The broker answered CONNECT with a refusal (bad credentials, not authorized): mqtt.js stops
      // reconnecting, and so do we: the configuration has to change.
      setState('refused', `the broker refused the connection: ${err.message.replace(/^Connection refused: /, '')} (MQTT reason ${code})`);
      cl.end(true);
    } else {
      setState('offline', err.message);
    }
  });
  cl.on('close', () => setState('offline', reason ?? 'the connection closed'));
  cl.on('offline', () => setState('offline', reason ?? 'the broker is unreachable'));
  cl.on('message', (topic, payload, packet) => {
    const m = received(topic, payload, packet.properties as Record<string, unknown> | undefined);
    if (fetching && topic === fetching.topic && packet.retain) {
      // The host's reading, made before the guest's subscriptions (outbox.ts: startWithRetained).
      fetching.got = m;
      return;
    }
    for (const w of waiters) {
      if (topic === w.topic && hex(m.correlationData) === w.correlation) {
        if (w.replies.length < w.expected) w.replies.push(m);
        if (w.replies.length >= w.expected) w.done();
        return;
      }
    }
    if (events.incoming.length >= c.maxInbox) events.incomingDropped++;
    else events.incoming.push(m);
    scheduleReport();
  });
}

/**
 * The retained message on `topic`: subscribe, and once the SUBACK is in, a round trip the broker
 * can only answer after it (unsubscribing a topic nobody uses): the broker sends a retained message
 * as it takes the subscription, so by the second answer it has arrived if there is one. No timer
 * decides that there is none. The host's subscription is then removed; the guest's subscriptions
 * are made after (outbox.ts: startWithRetained), so a guest subscribed to the topic gets it once.
 */
async function fetchRetained(topic: string, timeoutMs: number): Promise<RetainedFetch> {
  const cl = client;
  if (!cl || state !== 'online') return { unavailable: reason ?? 'the broker is not connected' };
  const asked = { topic } as { topic: string; got?: WireMessage };
  fetching = asked;
  const ask = (f: (done: (err?: Error | null) => void) => void) => new Promise<void>((resolve, reject) => f((err) => (err ? reject(err) : resolve())));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer from the broker within ${timeoutMs} ms`)), timeoutMs)));
  try {
    await Promise.race([ask((done) => cl.subscribe(topic, { qos: 1 }, (err) => done(err))), timeout]);
    await Promise.race([ask((done) => cl.unsubscribe(`wasi-edge/none/${Math.random().toString(16).slice(2)}`, (err) => done(err ?? null))), timeout]);
    return asked.got ? { message: asked.got } : {};
  } finally {
    clearTimeout(timer);
    fetching = undefined;
    cl.unsubscribe(topic);
  }
}

/** Posts what happened since the last report (and the state now) to the backend. */
function report(): void {
  if (reportTimer) clearTimeout(reportTimer);
  reportTimer = undefined;
  if (!channel) return;
  const out: WorkerReport = { ...events, state, ...(reason !== undefined ? { reason } : {}) };
  events = fresh();
  channel.postMessage(out);
  ring?.reported();
}

function scheduleReport(): void {
  reportTimer ??= setTimeout(report, REPORT_MS);
}

function forget(seq: number): void {
  pending = pending.slice(pendingHead).filter((q) => q.seq > seq);
  pendingHead = 0;
}

function attach(port: MessagePort, memory: RingMemory): void {
  channel = port;
  ring = new RingReader(memory);
  rest();
}

async function request(message: WireMessage, replyTopic: string, expected: number, timeoutMs: number): Promise<WireMessage[] | 'offline'> {
  const cl = client;
  if (!cl || state !== 'online' || !settings) return 'offline';
  const qos = settings.qos;
  const w: Waiter = { topic: replyTopic, correlation: hex(message.correlationData), expected, replies: [], done: () => {} };
  const finished = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    w.done = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  waiters.add(w);
  try {
    await new Promise<void>((resolve, reject) => cl.subscribe(replyTopic, { qos }, (err) => (err ? reject(err) : resolve())));
    await new Promise<void>((resolve, reject) => cl.publish(message.topic, Buffer.from(message.data), { qos, properties: properties(message) }, (err) => (err ? reject(err) : resolve())));
    await finished;
    return w.replies;
  } finally {
    waiters.delete(w);
    cl.unsubscribe(replyTopic);
  }
}

/** The worker's one entry point (src/core/blocking-bridge.ts: one request, one answer). */
export async function handle(op: string, args: Record<string, unknown>): Promise<unknown> {
  // What was handed over before this call comes first (it travels through the ring).
  takeHandovers();
  switch (op) {
    case 'attach':
      attach(args.port as MessagePort, args.ring as RingMemory);
      return null;
    case 'connect': {
      const c = args as unknown as WorkerConnect;
      if (!client) start(c);
      if (state === 'connecting' && c.waitMs > 0) await nextChange(c.waitMs);
      pump();
      report();
      return null;
    }
    case 'subscribe':
      subscriptions = { filters: args.filters as string[], qos: args.qos as 0 | 1 | 2 };
      if (state === 'online') subscribeAll();
      return null;
    case 'retained':
      try {
        return await fetchRetained(args.topic as string, args.timeoutMs as number);
      } catch (e) {
        return { unavailable: (e as Error).message };
      }
    case 'request':
      return request(args.message as WireMessage, args.replyTopic as string, args.expected as number, args.timeoutMs as number);
    case 'drain': {
      const deadline = Date.now() + (args.ms as number);
      // A link that is down may come back before the deadline: wait for that too, not after a refusal.
      while ((waitingCount() || inflight.size) && state !== 'refused' && state !== 'closed' && Date.now() < deadline) await nextChange(deadline - Date.now());
      report();
      return null;
    }
    case 'close': {
      const cl = client;
      client = undefined;
      setState('closed');
      if (cl) await new Promise<void>((resolve) => cl.end(true, {}, () => resolve()));
      if (reportTimer) clearTimeout(reportTimer);
      if (ringTimer) clearTimeout(ringTimer);
      return null;
    }
    default:
      throw new Error(`unknown operation ${op}`);
  }
}
