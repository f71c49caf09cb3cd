/**
 * wasi:config from a retained message (a messaging client's `configTopic`), against the
 * in-process broker, through a real component (guests/c/config_store.c): the retained JSON's
 * values replace and extend the file's; a malformed one is reported and ignored as a whole; a
 * broker that is away leaves the file's values; and the store is a snapshot — a message retained
 * after the host started changes nothing until the next start (docs/spec-notes/config.md).
 */
import { describe, expect, it } from 'vitest';
import { createHost, instantiateComponent, loadComponent, type EdgeHost } from '../../src/index.js';
import { entryPoint, resultOf } from '../../src/host/runner.js';
import { parseConfig } from '../../src/host/config.js';
import { MemoryBroker } from '../../src/messaging/memory-backend.js';
import { componentPath } from '../helpers/run-guest.js';

const FILE = { device: 'cam-7', threshold: '0.75' };
const TOPIC = 'edge/cam-7/config';
const bytes = (s: string) => new TextEncoder().encode(s);

function configWith(broker: MemoryBroker, extra: Record<string, unknown> = {}) {
  return { config: FILE, messaging: { clients: { cloud: { kind: 'memory' as const, broker, configTopic: TOPIC, ...extra } } } };
}

/** Runs config_store on a host made from `config`; returns its lines and the host (disposed). */
async function readStore(config: Parameters<typeof createHost>[0], ...keys: string[]) {
  const out: Uint8Array[] = [];
  const host: EdgeHost = createHost({ ...config, wasi: { args: ['config_store', ...keys] } }, { stdio: { stdout: (c) => out.push(c), stderr: (c) => out.push(c) } });
  try {
    const exports = await instantiateComponent(await loadComponent(componentPath('config_store')), host);
    expect(resultOf(entryPoint(exports)!).code).toBe(0);
  } finally {
    host.dispose();
  }
  const lines = Buffer.concat(out).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
  return { lines, host };
}

const fileOnly = [{ get: 'threshold', value: '0.75' }, { get: 'extra', value: null }, { getAll: [['device', 'cam-7'], ['threshold', '0.75']] }];

describe('wasi:config from a retained message', () => {
  it('the retained JSON replaces the file\'s values and adds its own; get-all keeps the file\'s order, new keys after', async () => {
    const broker = new MemoryBroker();
    broker.publish({ topic: TOPIC, data: bytes('{"threshold":"0.5","extra":"from the operator"}') }, { retain: true });
    const { lines, host } = await readStore(configWith(broker), 'threshold', 'extra');
    expect(lines).toEqual([
      { get: 'threshold', value: '0.5' },
      { get: 'extra', value: 'from the operator' },
      { getAll: [['device', 'cam-7'], ['threshold', '0.5'], ['extra', 'from the operator']] },
    ]);
    expect(host.services.config).toEqual({ notices: [], retainedKeys: ['threshold', 'extra'] });
  });

  it('with nothing retained on the topic the file\'s values stand, and nothing is reported', async () => {
    const broker = new MemoryBroker();
    broker.publish({ topic: `${TOPIC}/other`, data: bytes('{"threshold":"0.1"}') }, { retain: true });
    broker.publish({ topic: TOPIC, data: bytes('{"threshold":"0.2"}') }); // not retained
    const { lines, host } = await readStore(configWith(broker), 'threshold', 'extra');
    expect(lines).toEqual(fileOnly);
    expect(host.services.config).toEqual({ notices: [], retainedKeys: [] });
  });

  it.each([
    ['not JSON', '{"threshold": 0.5', /is ignored \(not JSON: .+\); the configuration file's values stand$/],
    ['not UTF-8', '\u0000', /is ignored \(not JSON: .+\)/],
    ['a number where a string must be', '{"threshold":0.5,"extra":"x"}', /is ignored \(retained\.threshold should be a string \(wasi:config values are strings: write "0\.5"\), got number 0\.5\)/],
    ['an array', '["threshold","0.5"]', /is ignored \(retained should be an object, got an array\)/],
    ['an empty key', '{"":"x"}', /is ignored \(retained\. should be a key of 1 to 1024 bytes/],
  ])('a retained message that is %s is reported and ignored as a whole', async (_what, data, notice) => {
    const broker = new MemoryBroker();
    const payload = data === '\u0000' ? Uint8Array.of(0xff, 0xfe) : bytes(data);
    broker.publish({ topic: TOPIC, data: payload }, { retain: true });
    const { lines, host } = await readStore(configWith(broker), 'threshold', 'extra');
    expect(lines).toEqual(fileOnly);
    expect(host.services.config!.retainedKeys).toEqual([]);
    expect(host.services.config!.notices).toHaveLength(1);
    expect(host.services.config!.notices[0]).toMatch(/^wasi:config: the retained configuration on client "cloud", topic "edge\/cam-7\/config" /);
    expect(host.services.config!.notices[0]).toMatch(notice);
  });

  it('a broker that is away at start: reported, the file\'s values stand', async () => {
    const broker = new MemoryBroker();
    broker.publish({ topic: TOPIC, data: bytes('{"threshold":"0.5"}') }, { retain: true });
    broker.setOnline(false);
    const { lines, host } = await readStore(configWith(broker), 'threshold', 'extra');
    expect(lines).toEqual(fileOnly);
    expect(host.services.config!.notices).toEqual([
      'wasi:config: the retained configuration on client "cloud", topic "edge/cam-7/config" could not be read (the in-memory broker is offline); the configuration file\'s values stand',
    ]);
  });

  it('is read once, when the host starts: a change retained later reaches the next host, not the running one', async () => {
    const broker = new MemoryBroker();
    broker.publish({ topic: TOPIC, data: bytes('{"threshold":"0.5"}') }, { retain: true });
    const host = createHost(configWith(broker));
    try {
      const store = host.imports['wasi:config/store']! as { get(k: string): string | undefined };
      expect(store.get('threshold')).toBe('0.5');
      broker.publish({ topic: TOPIC, data: bytes('{"threshold":"0.9"}') }, { retain: true });
      expect(store.get('threshold')).toBe('0.5');
    } finally {
      host.dispose();
    }
    const { lines } = await readStore(configWith(broker), 'threshold');
    expect(lines[0]).toEqual({ get: 'threshold', value: '0.9' });
    // An empty retained message clears it (MQTT): back to the file's value.
    broker.publish({ topic: TOPIC, data: new Uint8Array() }, { retain: true });
    expect((await readStore(configWith(broker), 'threshold')).lines[0]).toEqual({ get: 'threshold', value: '0.75' });
  });

  it('configTopic: a topic name, on one client only', () => {
    const memory = (extra: Record<string, unknown>) => ({ kind: 'memory' as const, ...extra });
    expect(() => parseConfig({ messaging: { clients: { a: memory({ configTopic: 'edge/+/config' }) } } })).toThrow(
      'config: messaging.clients.a.configTopic should be an MQTT topic name (the topic "edge/+/config" contains a wildcard (+ or #), which only filters may), got "edge/+/config"',
    );
    expect(() => parseConfig({ messaging: { clients: { a: memory({ configTopic: 'x/1' }), b: memory({ configTopic: 'x/2' }) } } })).toThrow(
      'config: messaging.clients.b.configTopic should be absent: wasi:config reads one retained topic, and client "a" names one already, got "x/2"',
    );
  });
});
