// A cloud-side service for the request-reply tests, in its own process (the guest's `request`
// blocks the test process's thread): answers every request on `topic` with `answers` replies
// "<answer>:<request data>" on the request's response topic, with its correlation data.
import mqtt from 'mqtt';

const [url, topic, ...answers] = process.argv.slice(2);
const client = mqtt.connect(url, { protocolVersion: 5 });
client.on('connect', () => {
  client.subscribe(topic, { qos: 1 }, () => console.log('ready'));
});
client.on('message', (_t, payload, packet) => {
  const { responseTopic, correlationData } = packet.properties ?? {};
  if (!responseTopic) return;
  for (const a of answers) client.publish(responseTopic, `${a}:${payload}`, { qos: 1, properties: { correlationData } });
});
