/** MQTT topic matching (MQTT 5.0 §4.7) and the `messaging` section's parser. */
import { describe, expect, it } from 'vitest';
import { grantFor, topicFilterProblem, topicMatches, topicNameProblem } from '../../src/messaging/topics.js';
import { parseConfig } from '../../src/host/config.js';

describe('topic filters', () => {
  it.each([
    ['edge/cam-7/#', 'edge/cam-7/detections', true],
    ['edge/cam-7/#', 'edge/cam-7', true],
    ['edge/cam-7/#', 'edge/cam-70/x', false],
    ['edge/+/detections', 'edge/cam-7/detections', true],
    ['edge/+/detections', 'edge/cam-7/x/detections', false],
    ['edge/+', 'edge/', true],
    ['edge/+', 'edge', false],
    ['+/+', '/x', true],
    ['#', 'a/b/c', true],
    ['#', '$SYS/broker/load', false],
    ['+/broker/load', '$SYS/broker/load', false],
    ['$SYS/#', '$SYS/broker/load', true],
    ['a/b', 'a/b', true],
    ['a/b', 'a/b/', false],
    ['A/b', 'a/b', false],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });

  it('grantFor names the first matching filter', () => {
    expect(grantFor(['x/#', 'edge/+/d', 'edge/#'], 'edge/a/d')).toBe('edge/+/d');
    expect(grantFor([], 'edge/a/d')).toBeUndefined();
  });

  it('tells a bad filter and a bad topic name', () => {
    expect(topicFilterProblem('a/#/b')).toBe('# must be a whole level and the last one');
    expect(topicFilterProblem('a/b#')).toBe('# must be a whole level and the last one');
    expect(topicFilterProblem('a/+b')).toBe('+ must be a whole level');
    expect(topicFilterProblem('')).toBe('a filter cannot be empty');
    expect(topicFilterProblem('a/+/#')).toBeUndefined();
    expect(topicNameProblem('')).toBe('the topic is empty');
    expect(topicNameProblem('a\u0000b')).toBe('the topic contains a NUL character');
    expect(topicNameProblem('x'.repeat(65536))).toBe('the topic is longer than 65535 bytes');
    expect(topicNameProblem('a/b/c')).toBeUndefined();
  });
});

describe('the messaging section', () => {
  it('defaults to one in-process client `local` that may send anywhere, with an in-memory queue', () => {
    const c = parseConfig({}).messaging;
    expect(Object.keys(c.clients)).toEqual(['local']);
    expect(c.clients.local).toMatchObject({ kind: 'memory', publish: ['#'], subscribe: [], qos: 1, queue: { maxMessages: 1000, overflow: 'drop-oldest', fsync: 'always' } });
    expect(c.clients.local!.queue.dir).toBeUndefined();
  });

  it('reads an MQTT client, resolving its files against the config folder', () => {
    const c = parseConfig({
      messaging: { clients: { cloud: { kind: 'mqtt', url: 'mqtts://b:8883', passwordFile: 'pw', tls: { ca: 'ca.pem' }, queue: { dir: 'q' }, publish: ['e/#'] } } },
    }, '/etc/edge').messaging.clients.cloud;
    expect(c).toMatchObject({ kind: 'mqtt', url: 'mqtts://b:8883', passwordFile: '/etc/edge/pw', tls: { ca: '/etc/edge/ca.pem', rejectUnauthorized: true }, queue: { dir: '/etc/edge/q' }, clean: true, inFlight: 256 });
  });

  it.each([
    [{ clients: { c: { kind: 'mqtt', url: 'http://x' } } }, 'config: messaging.clients.c.url should be a URL of scheme mqtt, mqtts, tcp, tls, ws, wss, got "http://x"'],
    [{ clients: { c: { kind: 'mqtt', url: 'not a url' } } }, 'config: messaging.clients.c.url should be a broker URL such as mqtt://host:1883, got "not a url"'],
    [{ clients: { c: { kind: 'mqtt' } } }, 'config: messaging.clients.c.url should be a non-empty string, got nothing'],
    [{ clients: { c: { kind: 'mqqt' } } }, 'config: messaging.clients.c.kind should be one of "mqtt", "memory", got "mqqt"'],
    [{ clients: { c: { kind: 'memory', publsh: ['#'] } } }, 'config: messaging.clients.c.publsh should be one of the known keys: kind, publish, subscribe, qos, maxMessageBytes, requestTimeoutMs, drainMs, maxInbox, queue, configTopic, broker, username, password (did you mean "publish"?)'],
    [{ clients: { c: { kind: 'memory', subscribe: ['a/#/b'] } } }, 'config: messaging.clients.c.subscribe[0] should be an MQTT topic filter (# must be a whole level and the last one), got "a/#/b"'],
    [{ clients: { c: { kind: 'memory', qos: 3 } } }, 'config: messaging.clients.c.qos should be an integer from 0 to 2, got number 3'],
    [{ clients: { c: { kind: 'memory', queue: { overflow: 'drop-newest' } } } }, 'config: messaging.clients.c.queue.overflow should be one of "drop-oldest", "reject", got "drop-newest"'],
    [{ clients: { c: { kind: 'mqtt', url: 'mqtt://x', password: 'a', passwordFile: 'b' } } }, 'config: messaging.clients.c.passwordFile should be absent when password is given (one or the other), got "b"'],
    [{ clients: { c: { kind: 'mqtt', url: 'mqtt://x', tls: { cert: 'c.pem' } } } }, 'config: messaging.clients.c.tls.key should be given together with the other of cert and key, got nothing'],
    [{ clients: { c: { kind: 'memory', broker: {} } } }, 'config: messaging.clients.c.broker should be a MemoryBroker (from code), got an object'],
  ])('refuses %j', (section, message) => {
    expect(() => parseConfig({ messaging: section })).toThrow(message);
  });
});
