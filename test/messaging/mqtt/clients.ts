/** mqtt.js clients on the cloud's side of the tests: a subscriber that records, a publisher. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { connect, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { ROOT } from '../../helpers/run-guest.js';

export interface Received {
  topic: string;
  text: string;
  packet: IPublishPacket;
}

export interface Recorder {
  client: MqttClient;
  messages: Received[];
  /** Resolves once `n` messages arrived (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<void>;
  end(): Promise<void>;
}

export async function record(url: string, filter: string, options: IClientOptions = {}): Promise<Recorder> {
  const client = connect(url, { protocolVersion: 5, reconnectPeriod: 100, ...options });
  const messages: Received[] = [];
  client.on('message', (topic, payload, packet) => messages.push({ topic, text: payload.toString('utf8'), packet }));
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync(filter, { qos: 1 });
  return {
    client,
    messages,
    async waitFor(n, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (messages.length < n) {
        if (Date.now() > deadline) throw new Error(`${messages.length} of ${n} messages arrived within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    end: () => client.endAsync(),
  };
}

export async function publisher(url: string): Promise<MqttClient> {
  const client = connect(url, { protocolVersion: 5 });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

/** The responder (responder.mjs) in its own process, subscribed and ready. */
export async function responder(url: string, topic: string, ...answers: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'test/messaging/mqtt/responder.mjs'), url, topic, ...answers], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) if (line === 'ready') break;
  return child;
}

/** Polls `ready` until it holds (the worker thread receives while the test waits). */
export async function until(ready: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`not ready within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
