/**
 * Receiving and request-reply through real components against the in-process broker: the host
 * delivers messages on the subscribed topics to the exported incoming-handler between the
 * component's calls (guests/c/messaging_handler.c), a handler's error is reported and the next
 * message still goes, a received request is answered with `reply` on its response topic, and
 * a guest's `request` gets its replies, times out, or fails when the broker is away.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryBroker } from '../../src/messaging/memory-backend.js';
import { openHandler, runSteps, type HandlerGuest } from './helpers.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

let guest: HandlerGuest | undefined;
afterEach(() => {
  guest?.dispose();
  guest = undefined;
});

function handlerConfig(broker: MemoryBroker, extra: Record<string, unknown> = {}) {
  return {
    messaging: {
      clients: { cloud: { kind: 'memory' as const, broker, subscribe: ['edge/cam-7/config/#'], publish: ['replies/#'], ...extra } },
    },
  };
}

describe('the incoming-handler', () => {
  it('gets each message on a subscribed topic, with content type and metadata, only when the host delivers', async () => {
    const broker = new MemoryBroker();
    guest = await openHandler(handlerConfig(broker));
    broker.publish({ topic: 'edge/cam-7/config/threshold', data: bytes('0.8'), contentType: 'text/plain', metadata: [['by', 'ops'], ['rev', '3']] });
    broker.publish({ topic: 'edge/cam-8/config/threshold', data: bytes('not ours') });
    broker.publish({ topic: 'edge/cam-7/config', data: bytes('parent level') });
    expect(guest.take()).toEqual([]); // nothing is delivered behind the component's back
    expect(guest.messaging.pending()).toBe(2);
    expect(guest.messaging.deliver(guest.exports)).toEqual({ delivered: 2, failed: [] });
    expect(guest.take()).toEqual([
      { handled: 'edge/cam-7/config/threshold', data: '0.8', contentType: 'text/plain', metadata: [['by', 'ops'], ['rev', '3']] },
      { handled: 'edge/cam-7/config', data: 'parent level' },
    ]);
    expect(guest.messaging.pending()).toBe(0);
    expect(guest.messaging.stats().cloud).toMatchObject({ received: 2, inboxDropped: 0, state: 'online' });
  });

  it("reports a handler's error and still delivers the next message; `max` bounds one round", async () => {
    const broker = new MemoryBroker();
    guest = await openHandler(handlerConfig(broker));
    for (const d of ['a', 'fail', 'b']) broker.publish({ topic: 'edge/cam-7/config/x', data: bytes(d) });
    expect(guest.messaging.deliver(guest.exports, 1)).toEqual({ delivered: 1, failed: [] });
    expect(guest.messaging.deliver(guest.exports)).toEqual({
      delivered: 2,
      failed: [{ topic: 'edge/cam-7/config/x', error: JSON.stringify({ tag: 'other', val: 'this handler refuses "fail"' }) }],
    });
    expect(guest.take().map((l) => l.data)).toEqual(['a', 'fail', 'b']);
  });

  it('holds at most maxInbox messages and counts the ones it drops', async () => {
    const broker = new MemoryBroker();
    guest = await openHandler(handlerConfig(broker, { maxInbox: 3 }));
    for (let i = 0; i < 5; i++) broker.publish({ topic: 'edge/cam-7/config/n', data: bytes(String(i)) });
    expect(guest.messaging.deliver(guest.exports).delivered).toBe(3);
    expect(guest.take().map((l) => l.data)).toEqual(['0', '1', '2']);
    expect(guest.messaging.stats().cloud).toMatchObject({ received: 5, inboxDropped: 2 });
  });

  it('answers a received request on its response topic, with its correlation data', async () => {
    const broker = new MemoryBroker();
    guest = await openHandler(handlerConfig(broker));
    const correlationData = bytes('req-1');
    broker.publish({ topic: 'edge/cam-7/config/ping', data: bytes('ping?'), responseTopic: 'replies/ops/1', correlationData });
    guest.messaging.deliver(guest.exports);
    expect(guest.take()).toEqual([{ handled: 'edge/cam-7/config/ping', data: 'ping?', replied: true }]);
    guest.messaging.stats(); // the reply went through the queue: collect its acknowledgement
    const reply = broker.published.find((m) => m.topic === 'replies/ops/1');
    expect(reply && text(reply.data)).toBe('pong:ping?');
    expect(reply && text(reply.correlationData!)).toBe('req-1');
  });

  it('a reply to a topic outside the publish grants is refused', async () => {
    const broker = new MemoryBroker();
    guest = await openHandler(handlerConfig(broker));
    broker.publish({ topic: 'edge/cam-7/config/ping', data: bytes('ping'), responseTopic: 'elsewhere/1' });
    guest.messaging.deliver(guest.exports);
    expect(guest.take()).toEqual([{
      handled: 'edge/cam-7/config/ping', data: 'ping', replied: false, error: 'permission-denied',
      message: 'client "cloud" may not reply on "elsewhere/1": it matches none of its publish grants (replies/#)',
    }]);
  });

  it('a component that exports no handler is told so', async () => {
    guest = await openHandler(handlerConfig(new MemoryBroker()));
    expect(() => guest!.messaging.deliver({})).toThrow('the component does not export wasi:messaging/incoming-handler');
  });
});

describe('request-reply from a guest', () => {
  function requester(broker: MemoryBroker) {
    return { messaging: { clients: { cloud: { kind: 'memory' as const, broker, publish: ['rpc/#'] } } } };
  }

  it('returns the replies correlated with the request, at most the expected number', async () => {
    const broker = new MemoryBroker();
    broker.on('rpc/time', (m) => {
      for (const answer of ['12:00', '12:01', '12:02']) broker.publish({ topic: m.responseTopic!, data: bytes(answer), correlationData: m.correlationData! });
      broker.publish({ topic: m.responseTopic!, data: bytes('stray'), correlationData: bytes('another request') });
    });
    const run = await runSteps(requester(broker), 'connect:cloud', 'request:rpc/time:now?:500:2');
    expect(run.lines[1]).toEqual({ request: 'rpc/time', replies: ['12:00', '12:01'] });
    const req = broker.published.find((m) => m.topic === 'rpc/time')!;
    expect(req.responseTopic).toMatch(/^wasi-edge\/replies\/memory-cloud\/[0-9a-f]{32}$/);
  });

  it('is `timeout` when nobody answers, `connection` when the broker is away, `permission-denied` outside the grants', async () => {
    const broker = new MemoryBroker();
    const quiet = await runSteps(requester(broker), 'connect:cloud', 'request:rpc/nobody:x:50:1', 'request:other/x:x:50:1');
    expect(quiet.lines.slice(1)).toEqual([
      { request: 'rpc/nobody', error: 'timeout' },
      { request: 'other/x', error: 'permission-denied', message: 'client "cloud" may not send a request to "other/x": it matches none of its publish grants (rpc/#)' },
    ]);
    broker.setOnline(false);
    const away = await runSteps(requester(broker), 'connect:cloud', 'request:rpc/time:x:50:1');
    expect(away.lines.slice(1)).toEqual([
      { request: 'rpc/time', error: 'connection', message: 'client "cloud" is not connected to its broker (the in-memory broker is offline): a request is not queued' },
    ]);
  });
});
