/**
 * wasi:messaging over a real broker (Debian's mosquitto on loopback): MQTT 5 properties and QoS
 * as a cloud subscriber sees them, grants, the incoming-handler, request-reply both ways, a
 * password file, TLS, and a broker that is not there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-dir.js';
import { runGuest } from '../../helpers/run-guest.js';
import { openHandler, runSteps } from '../helpers.js';
import { Mosquitto, freePort, makeCerts, makePasswordFile } from './broker.mjs';
import { publisher, record, responder, until } from './clients.mjs';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = tempDir('mqtt-basic');
let broker: Mosquitto;
beforeAll(async () => {
  broker = await Mosquitto.start(join(dir, 'plain'));
});
afterAll(async () => {
  await broker?.stop();
});

function mqttClient(url: string, extra: Record<string, unknown> = {}) {
  return { messaging: { clients: { cloud: { kind: 'mqtt' as const, url, publish: ['edge/cam-7/#', 'rpc/#', 'replies/#'], ...extra } } } };
}

describe('over mosquitto', () => {
  it('delivers with content type and metadata as MQTT 5 properties, QoS 1, and nothing outside the grants', async () => {
    const sub = await record(broker.url, '#');
    try {
      const run = await runSteps(mqttClient(broker.url), 'connect:cloud', 'ct:application/json', 'meta:device=cam-7', 'meta:frame=3',
        'send:edge/cam-7/detections:{"faces":2}', 'send:edge/cam-8/detections:no');
      expect(run.lines[2]).toMatchObject({ send: 'edge/cam-8/detections', error: 'permission-denied' });
      await sub.waitFor(1);
      await new Promise((r) => setTimeout(r, 200)); // a message outside the grants would have arrived by now
      expect(sub.messages).toHaveLength(1);
      const [m] = sub.messages;
      expect(m!.topic).toBe('edge/cam-7/detections');
      expect(m!.text).toBe('{"faces":2}');
      expect(m!.packet.qos).toBe(1);
      expect(m!.packet.properties?.contentType).toBe('application/json');
      expect({ ...m!.packet.properties?.userProperties }).toEqual({ device: 'cam-7', frame: '3' });
    } finally {
      await sub.end();
    }
  });

  it('QoS is the client configuration\'s', async () => {
    const sub = await record(broker.url, 'edge/cam-7/q0');
    try {
      await runSteps(mqttClient(broker.url, { qos: 0 }), 'connect:cloud', 'send:edge/cam-7/q0:x');
      await sub.waitFor(1);
      expect(sub.messages[0]!.packet.qos).toBe(0);
    } finally {
      await sub.end();
    }
  });

  it('hands messages on the subscribed topics to the incoming-handler', async () => {
    const guest = await openHandler(mqttClient(broker.url, { subscribe: ['cmd/cam-7/#'] }));
    const pub = await publisher(broker.url);
    try {
      await until(() => guest.messaging.stats().cloud!.state === 'online');
      await pub.publishAsync('cmd/cam-7/threshold', '0.9', { qos: 1, properties: { contentType: 'text/plain', userProperties: { by: 'ops' } } });
      await pub.publishAsync('cmd/cam-8/threshold', 'not ours', { qos: 1 });
      await until(() => guest.messaging.pending() >= 1);
      expect(guest.messaging.deliver(guest.exports)).toEqual({ delivered: 1, failed: [] });
      expect(guest.take()).toEqual([{ handled: 'cmd/cam-7/threshold', data: '0.9', contentType: 'text/plain', metadata: [['by', 'ops']] }]);
    } finally {
      await pub.endAsync();
      guest.dispose();
    }
  });

  it("answers a cloud request through the handler's reply, with the correlation data", async () => {
    const guest = await openHandler(mqttClient(broker.url, { subscribe: ['cmd/cam-7/#'] }));
    const sub = await record(broker.url, 'replies/ops/#');
    const pub = await publisher(broker.url);
    try {
      await until(() => guest.messaging.stats().cloud!.state === 'online');
      await pub.publishAsync('cmd/cam-7/ping', 'ping 1', { qos: 1, properties: { responseTopic: 'replies/ops/42', correlationData: Buffer.from('corr-42') } });
      await until(() => guest.messaging.pending() >= 1);
      guest.messaging.deliver(guest.exports);
      expect(guest.take()).toEqual([{ handled: 'cmd/cam-7/ping', data: 'ping 1', replied: true }]);
      await sub.waitFor(1);
      expect(sub.messages[0]!.text).toBe('pong:ping 1');
      expect(Buffer.from(sub.messages[0]!.packet.properties!.correlationData!).toString()).toBe('corr-42');
    } finally {
      await pub.endAsync();
      await sub.end();
      guest.dispose();
    }
  });

  it("a guest's request gets the replies of a cloud service, and times out without one", async () => {
    const service = await responder(broker.url, 'rpc/clock', 'tick', 'tock');
    try {
      const run = await runSteps(mqttClient(broker.url), 'connect:cloud', 'request:rpc/clock:now?:5000:2', 'request:rpc/nobody:x:300:1');
      expect(run.lines.slice(1)).toEqual([{ request: 'rpc/clock', replies: ['tick:now?', 'tock:now?'] }, { request: 'rpc/nobody', error: 'timeout' }]);
    } finally {
      service.kill();
    }
  });

  it('wasi:config from the retained message on the configTopic, read at start; a guest subscribed to the same topic gets it too', async () => {
    const topic = 'edge/cam-7/config';
    const cloud = await publisher(broker.url);
    try {
      await cloud.publishAsync(topic, '{"threshold":"0.5","extra":"from the operator"}', { qos: 1, retain: true });
      const config = { config: { device: 'cam-7', threshold: '0.75' }, ...mqttClient(broker.url, { configTopic: topic }) };
      const run = await runGuest('config_store', { ...config, wasi: { args: ['config_store', 'threshold', 'extra', 'device'] } });
      expect(run.stderr).toBe('');
      expect(run.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
        { get: 'threshold', value: '0.5' },
        { get: 'extra', value: 'from the operator' },
        { get: 'device', value: 'cam-7' },
        { getAll: [['device', 'cam-7'], ['threshold', '0.5'], ['extra', 'from the operator']] },
      ]);
      // The host's reading does not take the message from a guest that subscribes to the topic itself.
      const guest = await openHandler({ ...config, messaging: mqttClient(broker.url, { configTopic: topic, subscribe: [topic] }).messaging });
      try {
        expect(guest.host.services.config).toEqual({ notices: [], retainedKeys: ['threshold', 'extra'] });
        await until(() => guest.messaging.pending() >= 1);
        guest.messaging.deliver(guest.exports);
        expect(guest.take()).toEqual([expect.objectContaining({ handled: topic, data: '{"threshold":"0.5","extra":"from the operator"}' })]);
      } finally {
        guest.dispose();
      }
    } finally {
      await cloud.publishAsync(topic, '', { qos: 1, retain: true }); // clears it for the other tests
      await cloud.endAsync();
    }
  });

  it('a broker that is not there: connect succeeds at once (ECONNREFUSED is an answer), sends wait in the queue', async () => {
    const port = await freePort();
    const started = Date.now();
    const run = await runSteps(mqttClient(`mqtt://127.0.0.1:${port}`, { drainMs: 0, connectWaitMs: 5000 }), 'connect:cloud', 'send:edge/cam-7/x:1', 'send:edge/cam-7/x:2');
    expect(run.lines).toEqual([{ connect: 'cloud' }, { send: 'edge/cam-7/x', ok: true }, { send: 'edge/cam-7/x', ok: true }]);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});

describe('credentials and TLS', () => {
  let secured: Mosquitto;
  let tlsBroker: Mosquitto;
  let ca: string;
  const secrets = join(dir, 'secrets');
  beforeAll(async () => {
    mkdirSync(secrets, { recursive: true });
    secured = await Mosquitto.start(join(dir, 'secured'), { passwordFile: makePasswordFile(secrets, 'cam-7', 's3cret') });
    const certs = makeCerts(secrets);
    ca = certs.ca;
    tlsBroker = await Mosquitto.start(join(dir, 'tls'), { tls: certs });
  });
  afterAll(async () => {
    await secured?.stop();
    await tlsBroker?.stop();
  });

  it('refused credentials are a `connection` error at connect, with the broker\'s reason', async () => {
    const run = await runSteps(mqttClient(secured.url, { username: 'cam-7', password: 'wrong' }), 'connect:cloud');
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatchObject({ connect: 'cloud', error: 'connection' });
    expect(String(run.lines[0]!.message)).toMatch(/^the broker refused the connection: .+ \(MQTT reason 13[45]\)$/);
    const anonymous = await runSteps(mqttClient(secured.url), 'connect:cloud');
    expect(anonymous.lines[0]).toMatchObject({ connect: 'cloud', error: 'connection' });
  });

  it('the password from a file is accepted', async () => {
    const pw = join(secrets, 'cam-7.password');
    writeFileSync(pw, 's3cret\n');
    const sub = await record(secured.url, 'edge/#', { username: 'cam-7', password: 's3cret' });
    try {
      const run = await runSteps(mqttClient(secured.url, { username: 'cam-7', passwordFile: pw }), 'connect:cloud', 'send:edge/cam-7/x:secure');
      expect(run.lines).toEqual([{ connect: 'cloud' }, { send: 'edge/cam-7/x', ok: true }]);
      await sub.waitFor(1);
      expect(sub.messages[0]!.text).toBe('secure');
    } finally {
      await sub.end();
    }
  });

  it('TLS with the CA delivers; without it the certificate is refused at connect', async () => {
    const url = `mqtts://127.0.0.1:${tlsBroker.port}`;
    const sub = await record(url, 'edge/#', { ca: readFileSync(ca) });
    try {
      const ok = await runSteps(mqttClient(url, { tls: { ca } }), 'connect:cloud', 'send:edge/cam-7/x:over tls');
      expect(ok.lines).toEqual([{ connect: 'cloud' }, { send: 'edge/cam-7/x', ok: true }]);
      await sub.waitFor(1);
      expect(sub.messages[0]!.text).toBe('over tls');
      const refused = await runSteps(mqttClient(url), 'connect:cloud');
      expect(refused.lines[0]).toMatchObject({ connect: 'cloud', error: 'connection' });
      expect(String(refused.lines[0]!.message)).toMatch(/^the broker's TLS certificate was not accepted: .*\((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)$/);
    } finally {
      await sub.end();
    }
  });
});
