// The JS side of mqtt_publish_ratio (bench/mqtt.bench.mjs), in a worker thread of its own as the
// host's MQTT client is: a fresh thread, a fresh mqtt.js, a warm-up burst through the same client,
// then the timed burst. Each message as the guest's (messaging_send's burst): data and metadata
// `seq` the message's number, QoS 1, every PUBACK awaited. Posts back messages/s of the timed burst.
import { parentPort, workerData } from 'node:worker_threads';
import { publisher } from '../test/messaging/mqtt/clients.mjs';

const { url, warm, n, warmTopic, topic } = workerData;

async function burst(client, to, count) {
  const acks = [];
  for (let i = 0; i < count; i++) {
    const s = String(i);
    acks.push(client.publishAsync(to, Buffer.from(s), { qos: 1, properties: { userProperties: { seq: s } } }));
  }
  await Promise.all(acks);
}

const client = await publisher(url);
try {
  await burst(client, warmTopic, warm);
  const t0 = process.hrtime.bigint();
  await burst(client, topic, n);
  parentPort.postMessage(n / (Number(process.hrtime.bigint() - t0) / 1e9));
} finally {
  await client.endAsync();
}
