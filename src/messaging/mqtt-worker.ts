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
 */
import { connect, type IClientOptions, type IClientPublishOptions, type MqttClient } from 'mqtt';
import type { BackendEvents, LinkState, QueuedMessage, WireMessage } from './backend.js';

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

interface Waiter {
  topic: string;
  correlation: string;
  expected: number;
  replies: WireMessage[];
  done: () => void;
}

/** Node's codes for a certificate that does not verify (tls.TLSSocket's `authorizationError`). */
const TLS_REFUSAL = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

let client: MqttClient | undefined;
let settings: WorkerConnect | undefined;
let state: LinkState = 'connecting';
let reason: string | undefined;
let subscriptions: { filters: string[]; qos: 0 | 1 | 2 } | undefined;
let pending: QueuedMessage[] = [];
const inflight = new Set<number>();
let events: BackendEvents = fresh();
const waiters = new Set<Waiter>();
/** Resolved whenever the link changes or an acknowledgement arrives: connect and drain wait on it. */
let changed: () => void = () => {};

function fresh(): BackendEvents {
  return { state, acked: [], rejected: [], incoming: [], incomingDropped: 0 };
}

function notify(): void {
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

function pump(): void {
  if (!client || state !== 'online' || !settings) return;
  while (pending.length && inflight.size < settings.inFlight) {
    const q = pending.shift()!;
    inflight.add(q.seq);
    const opts: IClientPublishOptions = { qos: settings.qos, properties: properties(q.message) };
    client.publish(q.message.topic, Buffer.from(q.message.data), opts, (err) => {
      inflight.delete(q.seq);
      if (!err) events.acked.push(q.seq);
      else if (typeof (err as { code?: unknown }).code === 'number') events.rejected.push({ seq: q.seq, reason: err.message });
      // Any other error means the client was ended with the message unacknowledged: it stays queued.
      notify();
      pump();
    });
  }
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
    } else if (typeof code === 'number') {
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
    for (const w of waiters) {
      if (topic === w.topic && hex(m.correlationData) === w.correlation) {
        if (w.replies.length < w.expected) w.replies.push(m);
        if (w.replies.length >= w.expected) w.done();
        return;
      }
    }
    if (events.incoming.length >= c.maxInbox) events.incomingDropped++;
    else events.incoming.push(m);
  });
}

function report(): BackendEvents {
  const out = { ...events, state, ...(reason !== undefined ? { reason } : {}) };
  events = fresh();
  return out;
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
  switch (op) {
    case 'connect': {
      const c = args as unknown as WorkerConnect;
      if (!client) start(c);
      if (state === 'connecting' && c.waitMs > 0) await nextChange(c.waitMs);
      pump();
      return report();
    }
    case 'subscribe':
      subscriptions = { filters: args.filters as string[], qos: args.qos as 0 | 1 | 2 };
      if (state === 'online') subscribeAll();
      return null;
    case 'publish':
      pending.push(...(args.batch as QueuedMessage[]));
      pump();
      return null;
    case 'forget': {
      const seq = args.seq as number;
      pending = pending.filter((q) => q.seq > seq);
      return null;
    }
    case 'poll':
      return report();
    case 'request':
      return request(args.message as WireMessage, args.replyTopic as string, args.expected as number, args.timeoutMs as number);
    case 'drain': {
      const deadline = Date.now() + (args.ms as number);
      // A link that is down may come back before the deadline: wait for that too, not after a refusal.
      while ((pending.length || inflight.size) && state !== 'refused' && state !== 'closed' && Date.now() < deadline) await nextChange(deadline - Date.now());
      return report();
    }
    case 'close': {
      const cl = client;
      client = undefined;
      setState('closed');
      if (cl) await new Promise<void>((resolve) => cl.end(true, {}, () => resolve()));
      return null;
    }
    default:
      throw new Error(`unknown operation ${op}`);
  }
}
