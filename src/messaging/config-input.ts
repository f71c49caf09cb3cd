/**
 * The `messaging` section as a user writes it: named clients, each a broker the host connects to
 * for the guest, with the topics the guest may use and its store-and-forward queue. The guest
 * names a client (`client.connect("cloud")`); where it is, how to authenticate and what it may
 * do are here, never in the guest. Key by key: docs/cloud.md; limits: docs/hardening.md.
 */
import type { MemoryBroker } from './memory-backend.js';

/** The on-disk (or, without `dir`, in-memory) queue that holds messages until the broker has them. */
export interface QueueInput {
  /**
   * Folder of the queue (relative to the config file); created if missing. Without it the queue
   * lives in memory only and a crash loses what it held.
   */
  dir?: string;
  /** Most messages waiting (1 to 10^7). Default 1000. */
  maxMessages?: number;
  /** Most bytes of messages waiting (1024 to 2^32). Default 16 MiB. */
  maxBytes?: number;
  /** When full: drop the oldest waiting message, counted (default), or refuse the send. */
  overflow?: 'drop-oldest' | 'reject';
  /**
   * `always` (default): `send` returns after the message is on the disk (fdatasync), so it
   * survives a power cut. `none`: after it is in the file (the kernel's cache): survives the host
   * being killed, not a power cut.
   */
  fsync?: 'always' | 'none';
}

interface ClientInputBase {
  /** Topic filters (MQTT wildcards `+`, `#`) the guest may send to. Default: none. */
  publish?: readonly string[];
  /** Topic filters the host subscribes to for the guest; messages go to its incoming-handler. Default: none. */
  subscribe?: readonly string[];
  /** MQTT QoS of the guest's messages and subscriptions (0 to 2). Default 1. */
  qos?: 0 | 1 | 2;
  /** Largest message (data + topic + content type + metadata), bytes (1 to 2^28). Default 262144. */
  maxMessageBytes?: number;
  /** Longest a `request` waits when the guest gives no timeout, ms (1 to 3600000). Default 30000. */
  requestTimeoutMs?: number;
  /** At shutdown, how long the host waits for queued messages to reach the broker, ms (0 to 60000). Default 2000. */
  drainMs?: number;
  /** Most received messages held for the incoming-handler (1 to 10^6); more are counted and dropped. Default 1000. */
  maxInbox?: number;
  queue?: QueueInput;
  /**
   * A topic (no wildcards) whose retained message — a JSON object of string values — the host
   * reads when it starts, over and beside the `config` section's values, for wasi:config. One
   * client at most. Default: none (wasi:config has the file's values only).
   */
  configTopic?: string;
}

/** A real broker over MQTT 5 (mqtt.js). */
export interface MqttClientInput extends ClientInputBase {
  kind: 'mqtt';
  /** `mqtt://host:1883`, `mqtts://host:8883`, `ws://…` or `wss://…`. Required. */
  url: string;
  /** MQTT client identifier. Default: `wasi-edge-` and random hex. */
  clientId?: string;
  username?: string;
  password?: string;
  /** A file holding the password (first line), so the secret stays out of the config. */
  passwordFile?: string;
  tls?: {
    /** CA certificate file (PEM) that signs the broker's certificate. */
    ca?: string;
    /** Client certificate and key files (PEM), for brokers that require them. */
    cert?: string;
    key?: string;
    /** Refuse a broker whose certificate does not verify. Default true. */
    rejectUnauthorized?: boolean;
    /** Name to verify the certificate against, when it differs from the URL's host. */
    servername?: string;
  };
  /** MQTT keep-alive, seconds (0 to 65535). Default 30. */
  keepaliveSeconds?: number;
  /** How long `connect` waits for the broker's first answer before it returns and keeps trying, ms (0 to 60000). Default 2000. */
  connectWaitMs?: number;
  /** Wait between reconnection attempts, ms (100 to 600000). Default 1000. */
  reconnectMs?: number;
  /** Start a clean MQTT session (default true); false keeps the broker-side session of `clientId`. */
  clean?: boolean;
  /** Messages sent but not yet acknowledged at once (1 to 65535). Default 64. */
  inFlight?: number;
  /** Topic prefix for request-reply responses. Default `wasi-edge/replies/<clientId>`. */
  replyTopicPrefix?: string;
}

/** An in-process broker: the default `local` client, and tests. */
export interface MemoryClientInput extends ClientInputBase {
  kind: 'memory';
  /** A broker shared with other hosts or a test (code only). Default: one of its own. */
  broker?: MemoryBroker;
  username?: string;
  password?: string;
}

export type MessagingClientInput = MqttClientInput | MemoryClientInput;

export interface MessagingConfigInput {
  /**
   * The clients by the name a guest connects to. Given, they replace the default `local` (an
   * in-process broker that takes any topic).
   */
  clients?: Record<string, MessagingClientInput>;
}
