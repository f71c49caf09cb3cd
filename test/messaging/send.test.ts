/**
 * wasi:messaging sending through a real component (guests/c/messaging_send.c) against the
 * in-process broker: what reaches the broker (topic, data, content type and metadata as MQTT 5
 * properties, order), and every bad input as a wasi:messaging `error` value with its message.
 */
import { describe, expect, it } from 'vitest';
import { MemoryBroker } from '../../src/messaging/memory-backend.js';
import { runSteps } from './helpers.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

function cloud(broker: MemoryBroker, extra: Record<string, unknown> = {}) {
  return { messaging: { clients: { cloud: { kind: 'memory' as const, broker, publish: ['edge/cam-7/#', 'status/+/up'], ...extra } } } };
}

describe('wasi:messaging send', () => {
  it('delivers each message with its topic, data, content type and metadata, in order', async () => {
    const broker = new MemoryBroker();
    const run = await runSteps(cloud(broker), 'connect:cloud', 'ct:application/json', 'meta:device=cam-7', 'meta:frame=12', 'meta:device=cam-8',
      'send:edge/cam-7/detections:{"faces":1}', 'send:status/cam-7/up:yes');
    expect(run.code).toBe(0);
    expect(run.lines).toEqual([
      { connect: 'cloud' },
      { send: 'edge/cam-7/detections', ok: true },
      { send: 'status/cam-7/up', ok: true },
    ]);
    expect(broker.published.map((m) => [m.topic, text(m.data), m.contentType, m.metadata])).toEqual([
      ['edge/cam-7/detections', '{"faces":1}', 'application/json', [['device', 'cam-8'], ['frame', '12']]],
      ['status/cam-7/up', 'yes', 'application/json', [['device', 'cam-8'], ['frame', '12']]],
    ]);
  });

  it('a burst arrives complete and in order', async () => {
    const broker = new MemoryBroker();
    const run = await runSteps(cloud(broker), 'connect:cloud', 'burst:edge/cam-7/seq:500');
    expect(run.lines.at(-1)).toEqual({ burst: 'edge/cam-7/seq', sent: 500 });
    expect(broker.published.map((m) => text(m.data))).toEqual(Array.from({ length: 500 }, (_, i) => String(i)));
    expect(broker.published.every((m, i) => m.metadata?.[0]?.[1] === String(i))).toBe(true);
  });

  it('an unknown client name is an `other` error that lists the configured ones', async () => {
    const run = await runSteps(cloud(new MemoryBroker()), 'connect:clowd');
    expect(run.lines).toEqual([{ connect: 'clowd', error: 'other', message: 'no messaging client named "clowd" is configured (configured: cloud)' }]);
  });

  it('a topic outside the grants is `permission-denied`, checked on every send', async () => {
    const broker = new MemoryBroker();
    const run = await runSteps(cloud(broker), 'connect:cloud', 'send:edge/cam-8/detections:x', 'send:status/cam-7/down:x', 'send:edge/cam-7:x',
      'send:edge/cam-7/a/b/c:ok');
    const denied = (t: string) => ({
      send: t, error: 'permission-denied',
      message: `client "cloud" may not send to "${t}": it matches none of its publish grants (edge/cam-7/#, status/+/up)`,
    });
    // `edge/cam-7/#` also matches `edge/cam-7` itself (MQTT: # matches the parent level).
    expect(run.lines.slice(1)).toEqual([denied('edge/cam-8/detections'), denied('status/cam-7/down'), { send: 'edge/cam-7', ok: true }, { send: 'edge/cam-7/a/b/c', ok: true }]);
    expect(broker.published.map((m) => m.topic)).toEqual(['edge/cam-7', 'edge/cam-7/a/b/c']);
  });

  it('a client with no grants may send nothing; a wildcard topic is refused', async () => {
    const broker = new MemoryBroker();
    const run = await runSteps({ messaging: { clients: { ro: { kind: 'memory', broker } } } }, 'connect:ro', 'send:a:x');
    expect(run.lines[1]).toEqual({ send: 'a', error: 'permission-denied', message: 'client "ro" may not send to "a": it matches none of its publish grants (none)' });
    const wild = await runSteps(cloud(broker), 'connect:cloud', 'send:edge/cam-7/+:x');
    expect(wild.lines[1]).toEqual({ send: 'edge/cam-7/+', error: 'other', message: 'the topic "edge/cam-7/+" contains a wildcard (+ or #), which only filters may' });
    expect(broker.published).toEqual([]);
  });

  it('an oversized message is an `other` error naming the limit; one at the limit goes', async () => {
    const broker = new MemoryBroker();
    // The size counts data and topic: 1024 bytes + "edge/cam-7/big" (14) = 1038.
    const run = await runSteps(cloud(broker, { maxMessageBytes: 1038 }), 'connect:cloud', 'big:edge/cam-7/big:1024', 'big:edge/cam-7/big:1025');
    expect(run.lines.slice(1)).toEqual([
      { send: 'edge/cam-7/big', ok: true, bytes: 1024 },
      {
        send: 'edge/cam-7/big', error: 'other',
        message: 'the message is 1039 bytes (data, topic, content type and metadata); client "cloud" takes at most 1038 (messaging.clients.cloud.maxMessageBytes)',
      },
    ]);
    expect(broker.published.map((m) => m.data.length)).toEqual([1024]);
  });

  it('refused credentials are a `connection` error at connect, with the broker\'s reason', async () => {
    const broker = new MemoryBroker();
    broker.users = new Map([['cam-7', 'right']]);
    const run = await runSteps(cloud(broker, { username: 'cam-7', password: 'wrong' }), 'connect:cloud', 'send:edge/cam-7/x:1');
    expect(run.lines[0]).toEqual({ connect: 'cloud', error: 'connection', message: 'the broker refused the connection: Bad User Name or Password (MQTT reason 134)' });
    const ok = await runSteps(cloud(broker, { username: 'cam-7', password: 'right' }), 'connect:cloud', 'send:edge/cam-7/x:1');
    expect(ok.lines).toEqual([{ connect: 'cloud' }, { send: 'edge/cam-7/x', ok: true }]);
  });

  it('a disconnected handle is a `connection` error', async () => {
    const run = await runSteps(cloud(new MemoryBroker()), 'connect:cloud', 'disconnect', 'send:edge/cam-7/x:1', 'disconnect');
    expect(run.lines.slice(1)).toEqual([
      { disconnect: true },
      { send: 'edge/cam-7/x', error: 'connection', message: 'this client handle was disconnected' },
      { disconnect: true, error: 'connection', message: 'this client handle was already disconnected' },
    ]);
  });

  it('the default client `local` takes any topic', async () => {
    const run = await runSteps({}, 'connect:local', 'send:anything/at/all:1');
    expect(run.lines).toEqual([{ connect: 'local' }, { send: 'anything/at/all', ok: true }]);
  });
});
