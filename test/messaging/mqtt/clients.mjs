/**
 * mqtt.js clients on the cloud's side of the tests and the bench: a subscriber that records, a
 * publisher, a responder in its own process. Plain JavaScript: the bench uses them too.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { connect } from 'mqtt';

const HERE = fileURLToPath(new URL('.', import.meta.url));

/** @typedef {{ topic: string, text: string, packet: import('mqtt').IPublishPacket }} Received */
/**
 * @typedef {object} Recorder
 * @property {import('mqtt').MqttClient} client
 * @property {Received[]} messages
 * @property {(n: number, ms?: number) => Promise<void>} waitFor resolves once `n` messages arrived (rejects after `ms`)
 * @property {() => Promise<void>} end
 */

/**
 * @param {string} url @param {string} filter @param {import('mqtt').IClientOptions} [options]
 * @returns {Promise<Recorder>}
 */
export async function record(url, filter, options = {}) {
  const client = connect(url, { protocolVersion: 5, reconnectPeriod: 100, ...options });
  /** @type {Received[]} */
  const messages = [];
  client.on('message', (topic, payload, packet) => messages.push({ topic, text: payload.toString('utf8'), packet }));
  await new Promise((resolve, reject) => {
    client.once('connect', () => resolve(undefined));
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

/** @param {string} url @returns {Promise<import('mqtt').MqttClient>} */
export async function publisher(url) {
  const client = connect(url, { protocolVersion: 5 });
  await new Promise((resolve, reject) => {
    client.once('connect', () => resolve(undefined));
    client.once('error', reject);
  });
  return client;
}

/**
 * The responder (responder.mjs) in its own process, subscribed and ready.
 * @param {string} url @param {string} topic @param {...string} answers
 */
export async function responder(url, topic, ...answers) {
  const child = spawn(process.execPath, [`${HERE}responder.mjs`, url, topic, ...answers], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) if (line === 'ready') break;
  return child;
}

/** Polls `ready` until it holds (the worker thread receives while the caller waits). */
export async function until(ready, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`not ready within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
