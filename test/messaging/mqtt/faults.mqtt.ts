/**
 * Nothing lost: 10^4 messages from a guest while the broker restarts three times, the connection
 * is cut twice by our TCP proxy, and the host is killed (SIGKILL) once and started again. A
 * persistent subscriber on the broker counts what arrives: every message, at least once (QoS 1
 * may repeat; the guest numbers its messages in metadata, `seq`, which is how an app
 * de-duplicates). The run itself is fault-run.mjs, which the bench shares. Prints the figures: lost (must be 0), duplicates, first arrivals out of order.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-dir.js';
import { Mosquitto } from './broker.mjs';
import { record } from './clients.mjs';
import { faultRun, host } from './fault-run.mjs';
import { TcpProxy } from './proxy.mjs';

const dir = tempDir('mqtt-faults');
let broker: Mosquitto;
let proxy: TcpProxy;
beforeAll(async () => {
  broker = await Mosquitto.start(join(dir, 'broker'));
  proxy = await TcpProxy.start(broker.port);
});
afterAll(async () => {
  await proxy?.close();
  await broker?.stop();
});

describe('faults', () => {
  it('10^4 messages through 3 broker restarts, 2 connection cuts and 1 host crash: none lost', async () => {
    const r = await faultRun({ broker, proxy, dir, n: 10_000 });
    console.log(`mqtt faults: ${r.n} messages, 3 broker restarts, 2 cuts, 1 host crash (after send ${r.crashedAfter}): lost ${r.lost}, duplicates ${r.duplicates}, first arrivals out of order ${r.outOfOrder}`);
    expect(r.exits).toEqual(['SIGKILL', 0]);
    expect(r.cuts).toHaveLength(2);
    expect(Math.min(...r.cuts)).toBeGreaterThan(0);
    expect(r.badSeq).toBe(0);
    // The queue holds 2n: nothing may have been dropped, so every message must have arrived.
    expect(r.dropped).toBe(0);
    expect(r.missing).toEqual([]);
    expect(r.delivered).toBe(r.n);
    expect(r.waiting).toBe(0);
  });

  it('a stalled link does not hold up the guest: sends return, and everything arrives once it flows again', async () => {
    const stallSub = await record(broker.url, 'edge/stall');
    try {
      const N = 500;
      const config = {
        messaging: { clients: { cloud: { kind: 'mqtt', url: proxy.url, publish: ['edge/#'], drainMs: 30_000, queue: { dir: join(dir, 'stall-queue') } } } },
      };
      // Bytes stop flowing through the proxy, though connections are accepted and stay open: the
      // broker never sees the host's CONNECT, the host never hears an answer.
      proxy.stall();
      const started = Date.now();
      const child = host(config, ['connect:cloud', `burst:edge/stall:${N}`]);
      const lines = child.lines[Symbol.asyncIterator]();
      expect((await lines.next()).value).toBe('{"connect":"cloud"}');
      expect((await lines.next()).value).toBe(`{"burst":"edge/stall","sent":${N}}`);
      const sendingMs = Date.now() - started;
      await new Promise((r) => setTimeout(r, 300));
      expect(stallSub.messages).toHaveLength(0);
      proxy.resume();
      expect(await child.exit).toBe(0);
      await stallSub.waitFor(N, 30_000);
      expect(stallSub.messages.map((m) => m.text)).toEqual(Array.from({ length: N }, (_, i) => String(i)));
      console.log(`mqtt stall: the guest's connect and ${N} sends returned in ${sendingMs} ms (host start included) while the link was stalled; all arrived, in order, after it resumed`);
    } finally {
      proxy.resume();
      await stallSub.end();
    }
  });
});
