/**
 * The `messaging` section (wasi:messaging over MQTT): named clients, their grants and queues.
 *
 * ```json
 * "messaging": {
 *   "clients": {
 *     "cloud": {
 *       "kind": "mqtt", "url": "mqtts://broker.example:8883",
 *       "username": "cam-7", "passwordFile": "secrets/mqtt-password",
 *       "tls": { "ca": "certs/ca.pem" },
 *       "publish": ["edge/cam-7/#"], "subscribe": ["edge/cam-7/config"],
 *       "queue": { "dir": "queue/cloud", "maxMessages": 1000, "overflow": "drop-oldest" }
 *     }
 *   }
 * }
 * ```
 * Embedders (and tests) may give `{ "kind": "memory", "broker": <MemoryBroker> }` in code.
 */
import { resolve } from 'node:path';
import { ConfigError, array, boolean, integer, object, oneOf, onlyKeys, optional, string } from '../core/validate.js';
import type { MemoryClientInput, MqttClientInput } from './config-input.js';
import { MemoryBroker } from './memory-backend.js';
import { topicFilterProblem, topicNameProblem } from './topics.js';

export interface QueueConfig {
  /** Absolute folder; undefined = in memory only. */
  dir?: string;
  maxMessages: number;
  maxBytes: number;
  overflow: 'drop-oldest' | 'reject';
  fsync: 'always' | 'none';
}

interface ClientCommon {
  publish: string[];
  subscribe: string[];
  qos: 0 | 1 | 2;
  maxMessageBytes: number;
  requestTimeoutMs: number;
  drainMs: number;
  maxInbox: number;
  queue: QueueConfig;
  /** Read once at start for wasi:config (its retained message); undefined = none. */
  configTopic?: string;
}

export interface TlsConfig {
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized: boolean;
  servername?: string;
}

/** The keys as written (config-input.ts), those with a default always set; files resolved to absolute paths. */
export interface MqttClientConfig
  extends ClientCommon,
    Pick<MqttClientInput, 'kind' | 'url' | 'clientId' | 'username' | 'password' | 'replyTopicPrefix'>,
    Required<Pick<MqttClientInput, 'keepaliveSeconds' | 'connectWaitMs' | 'reconnectMs' | 'clean' | 'inFlight'>> {
  /** Absolute path. */
  passwordFile?: string;
  tls?: TlsConfig;
}

export type MemoryClientConfig = ClientCommon & Pick<MemoryClientInput, 'kind' | 'broker' | 'username' | 'password'>;

export type MessagingClientConfig = MqttClientConfig | MemoryClientConfig;

export interface MessagingConfig {
  clients: Record<string, MessagingClientConfig>;
}

export const DEFAULT_QUEUE: Omit<QueueConfig, 'dir'> = { maxMessages: 1000, maxBytes: 16 * 1024 * 1024, overflow: 'drop-oldest', fsync: 'always' };
export const MESSAGING_DEFAULTS = {
  qos: 1,
  maxMessageBytes: 262144,
  requestTimeoutMs: 30000,
  drainMs: 2000,
  maxInbox: 1000,
  keepaliveSeconds: 30,
  connectWaitMs: 2000,
  reconnectMs: 1000,
  inFlight: 256,
} as const;

function common(publish: string[]): ClientCommon {
  return {
    publish,
    subscribe: [],
    qos: MESSAGING_DEFAULTS.qos,
    maxMessageBytes: MESSAGING_DEFAULTS.maxMessageBytes,
    requestTimeoutMs: MESSAGING_DEFAULTS.requestTimeoutMs,
    drainMs: MESSAGING_DEFAULTS.drainMs,
    maxInbox: MESSAGING_DEFAULTS.maxInbox,
    queue: { ...DEFAULT_QUEUE },
  };
}

export function defaultMessagingConfig(): MessagingConfig {
  return { clients: { local: { kind: 'memory', ...common(['#']) } } };
}

const URL_SCHEMES = ['mqtt:', 'mqtts:', 'tcp:', 'tls:', 'ws:', 'wss:'];
const COMMON_KEYS = ['kind', 'publish', 'subscribe', 'qos', 'maxMessageBytes', 'requestTimeoutMs', 'drainMs', 'maxInbox', 'queue', 'configTopic'];
const MQTT_KEYS = [...COMMON_KEYS, 'url', 'clientId', 'username', 'password', 'passwordFile', 'tls', 'keepaliveSeconds',
  'connectWaitMs', 'reconnectMs', 'clean', 'inFlight', 'replyTopicPrefix'];
const MEMORY_KEYS = [...COMMON_KEYS, 'broker', 'username', 'password'];

function filters(v: unknown, at: string): string[] {
  return array(v, at).map((f, i) => {
    const filter = string(f, `${at}[${i}]`);
    const problem = topicFilterProblem(filter);
    if (problem) throw new ConfigError(`${at}[${i}]`, `an MQTT topic filter (${problem})`, filter);
    return filter;
  });
}

function parseQueue(raw: unknown, at: string, baseDir: string): QueueConfig {
  const o = object(raw, at);
  onlyKeys(o, at, ['dir', 'maxMessages', 'maxBytes', 'overflow', 'fsync']);
  const dir = optional(o, 'dir', at, string);
  return {
    ...(dir !== undefined ? { dir: resolve(baseDir, dir) } : {}),
    maxMessages: optional(o, 'maxMessages', at, (v, a) => integer(v, a, 1, 1e7)) ?? DEFAULT_QUEUE.maxMessages,
    maxBytes: optional(o, 'maxBytes', at, (v, a) => integer(v, a, 1024, 2 ** 32)) ?? DEFAULT_QUEUE.maxBytes,
    overflow: optional(o, 'overflow', at, (v, a) => oneOf(v, a, ['drop-oldest', 'reject'] as const)) ?? DEFAULT_QUEUE.overflow,
    fsync: optional(o, 'fsync', at, (v, a) => oneOf(v, a, ['always', 'none'] as const)) ?? DEFAULT_QUEUE.fsync,
  };
}

function parseCommon(o: Record<string, unknown>, at: string, baseDir: string): ClientCommon {
  const int = (key: string, min: number, max: number, fallback: number) => optional(o, key, at, (v, a) => integer(v, a, min, max)) ?? fallback;
  const configTopic = optional(o, 'configTopic', at, (v, a) => {
    const topic = string(v, a);
    const problem = topicNameProblem(topic);
    if (problem) throw new ConfigError(a, `an MQTT topic name (${problem})`, topic);
    return topic;
  });
  return {
    ...(configTopic !== undefined ? { configTopic } : {}),
    publish: optional(o, 'publish', at, filters) ?? [],
    subscribe: optional(o, 'subscribe', at, filters) ?? [],
    qos: int('qos', 0, 2, MESSAGING_DEFAULTS.qos) as 0 | 1 | 2,
    maxMessageBytes: int('maxMessageBytes', 1, 2 ** 28, MESSAGING_DEFAULTS.maxMessageBytes),
    requestTimeoutMs: int('requestTimeoutMs', 1, 3_600_000, MESSAGING_DEFAULTS.requestTimeoutMs),
    drainMs: int('drainMs', 0, 60_000, MESSAGING_DEFAULTS.drainMs),
    maxInbox: int('maxInbox', 1, 1e6, MESSAGING_DEFAULTS.maxInbox),
    queue: o.queue === undefined ? { ...DEFAULT_QUEUE } : parseQueue(o.queue, `${at}.queue`, baseDir),
  };
}

function parseTls(raw: unknown, at: string, baseDir: string): TlsConfig {
  const o = object(raw, at);
  onlyKeys(o, at, ['ca', 'cert', 'key', 'rejectUnauthorized', 'servername']);
  const file = (key: string) => {
    const p = optional(o, key, at, string);
    return p === undefined ? {} : { [key]: resolve(baseDir, p) };
  };
  if ((o.cert === undefined) !== (o.key === undefined)) throw new ConfigError(`${at}.${o.cert === undefined ? 'cert' : 'key'}`, 'given together with the other of cert and key', undefined);
  const servername = optional(o, 'servername', at, string);
  return {
    ...file('ca'),
    ...file('cert'),
    ...file('key'),
    rejectUnauthorized: optional(o, 'rejectUnauthorized', at, boolean) ?? true,
    ...(servername !== undefined ? { servername } : {}),
  };
}

function credentials(o: Record<string, unknown>, at: string): { username?: string; password?: string } {
  const username = optional(o, 'username', at, string);
  const password = optional(o, 'password', at, (v, a) => {
    if (typeof v !== 'string') throw new ConfigError(a, 'a string', v);
    return v;
  });
  return { ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}) };
}

function parseMqtt(o: Record<string, unknown>, at: string, baseDir: string): MqttClientConfig {
  onlyKeys(o, at, MQTT_KEYS);
  const url = string(o.url, `${at}.url`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${at}.url`, 'a broker URL such as mqtt://host:1883', url);
  }
  if (!URL_SCHEMES.includes(parsed.protocol)) throw new ConfigError(`${at}.url`, `a URL of scheme ${URL_SCHEMES.map((s) => s.slice(0, -1)).join(', ')}`, url);
  if (o.password !== undefined && o.passwordFile !== undefined) throw new ConfigError(`${at}.passwordFile`, 'absent when password is given (one or the other)', o.passwordFile);
  const int = (key: string, min: number, max: number, fallback: number) => optional(o, key, at, (v, a) => integer(v, a, min, max)) ?? fallback;
  const clientId = optional(o, 'clientId', at, string);
  const passwordFile = optional(o, 'passwordFile', at, string);
  const replyTopicPrefix = optional(o, 'replyTopicPrefix', at, (v, a) => {
    const p = string(v, a);
    if (p.includes('+') || p.includes('#')) throw new ConfigError(a, 'a topic prefix without wildcards', p);
    return p;
  });
  const tls = optional(o, 'tls', at, (v, a) => parseTls(v, a, baseDir));
  return {
    kind: 'mqtt',
    ...parseCommon(o, at, baseDir),
    url,
    ...(clientId !== undefined ? { clientId } : {}),
    ...credentials(o, at),
    ...(passwordFile !== undefined ? { passwordFile: resolve(baseDir, passwordFile) } : {}),
    ...(tls ? { tls } : {}),
    keepaliveSeconds: int('keepaliveSeconds', 0, 65535, MESSAGING_DEFAULTS.keepaliveSeconds),
    connectWaitMs: int('connectWaitMs', 0, 60_000, MESSAGING_DEFAULTS.connectWaitMs),
    reconnectMs: int('reconnectMs', 100, 600_000, MESSAGING_DEFAULTS.reconnectMs),
    clean: optional(o, 'clean', at, boolean) ?? true,
    inFlight: int('inFlight', 1, 65535, MESSAGING_DEFAULTS.inFlight),
    ...(replyTopicPrefix !== undefined ? { replyTopicPrefix } : {}),
  };
}

function parseMemory(o: Record<string, unknown>, at: string, baseDir: string): MemoryClientConfig {
  onlyKeys(o, at, MEMORY_KEYS);
  if (o.broker !== undefined && !(o.broker instanceof MemoryBroker)) throw new ConfigError(`${at}.broker`, 'a MemoryBroker (from code)', o.broker);
  return {
    kind: 'memory',
    ...parseCommon(o, at, baseDir),
    ...(o.broker instanceof MemoryBroker ? { broker: o.broker } : {}),
    ...credentials(o, at),
  };
}

export function parseMessagingConfig(raw: unknown, at: string, baseDir: string): MessagingConfig {
  const o = object(raw, at);
  onlyKeys(o, at, ['clients']);
  if (o.clients === undefined) return defaultMessagingConfig();
  const clients: Record<string, MessagingClientConfig> = {};
  for (const [name, value] of Object.entries(object(o.clients, `${at}.clients`))) {
    const cat = `${at}.clients.${name}`;
    const c = object(value, cat);
    const kind = oneOf(c.kind, `${cat}.kind`, ['mqtt', 'memory'] as const);
    clients[name] = kind === 'mqtt' ? parseMqtt(c, cat, baseDir) : parseMemory(c, cat, baseDir);
  }
  const withConfig = Object.keys(clients).filter((name) => clients[name]!.configTopic !== undefined);
  if (withConfig.length > 1) {
    throw new ConfigError(`${at}.clients.${withConfig[1]}.configTopic`, `absent: wasi:config reads one retained topic, and client "${withConfig[0]}" names one already`, clients[withConfig[1]!]!.configTopic);
  }
  return { clients };
}
