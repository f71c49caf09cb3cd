/**
 * Nothing lost: 10^4 messages from a guest while the broker restarts three times, the connection
 * is cut twice by our TCP proxy, and the host is killed (SIGKILL) once and started again. A
 * persistent subscriber on the broker counts what arrives: every message, at least once (QoS 1
 * may repeat; the guest numbers its messages in metadata, `seq`, which is how an app
 * de-duplicates). Prints the figures: lost (must be 0), duplicates, first arrivals out of order.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/run-guest.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { Mosquitto } from './broker.js';
import { record, until, type Recorder } from './clients.js';
import { TcpProxy } from './proxy.js';

const dir = tempDir('mqtt-faults');
let broker: Mosquitto;
let proxy: TcpProxy;
let sub: Recorder;
beforeAll(async () => {
  broker = await Mosquitto.start(join(dir, 'broker'));
  proxy = await TcpProxy.start(broker.port);
  sub = await record(broker.url, 'edge/seq', { clean: false, clientId: 'cloud-subscriber', properties: { sessionExpiryInterval: 3600 } });
});
afterAll(async () => {
  await sub?.end();
  await proxy?.close();
  await broker?.stop();
});

interface Child {
  /** Resolves with the exit code, or the signal's name. */
  exit: Promise<number | string>;
  kill(): void;
  /** Calls `onSent(i)` for each {"sent":i} the guest prints. */
  lines: AsyncIterable<string>;
}

function host(config: unknown, ...steps: string[]): Child {
  const child = spawn(process.execPath, [join(ROOT, 'test/messaging/mqtt/host-child.mjs'), JSON.stringify(config), ...steps], { stdio: ['ignore', 'pipe', 'inherit'] });
  return {
    exit: new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code ?? -1))),
    kill: () => child.kill('SIGKILL'),
    lines: createInterface({ input: child.stdout }),
  };
}

describe('faults', () => {
  it('10^4 messages through 3 broker restarts, 2 connection cuts and 1 host crash: none lost', async () => {
    const N = 10_000;
    const config = {
      messaging: {
        clients: {
          cloud: {
            kind: 'mqtt', url: proxy.url, clientId: 'cam-7', publish: ['edge/#'], reconnectMs: 100, drainMs: 60_000,
            queue: { dir: join(dir, 'queue'), maxMessages: 2 * N },
          },
        },
      },
    };
    // What happens when the guest has had so many sends return.
    // Each cut records how many connections it broke: a cut that found none tested nothing.
    const cut: number[] = [];
    const cutNow = () => {
      cut.push(proxy.connections);
      proxy.cut();
    };
    const faults = new Map<number, () => Promise<void> | void>([
      [1500, () => broker.restart()],
      [3000, cutNow],
      [4500, () => broker.restart()],
      [6000, cutNow],
      [7500, () => broker.restart()],
    ]);
    const crashAt = 8500;
    const pending: (Promise<void> | void)[] = [];
    const first = host(config, 'connect:cloud', 'verbose', `burst:edge/seq:${N}`);
    let last = -1;
    for await (const line of first.lines) {
      const m = /^\{"sent":(\d+)\}$/.exec(line);
      if (!m) continue;
      last = Number(m[1]);
      const fault = faults.get(last + 1);
      if (fault) pending.push(fault());
      if (last + 1 >= crashAt) {
        first.kill();
        break;
      }
    }
    expect(await first.exit).toBe('SIGKILL');
    expect(cut).toHaveLength(2);
    expect(Math.min(...cut)).toBeGreaterThan(0);
    await Promise.all(pending);
    // The host again, on the same queue: what the first left goes first, then the rest of the burst.
    const second = host(config, 'connect:cloud', `burst:edge/seq:${N - (last + 1)}:${last + 1}`);
    for await (const _ of second.lines);
    expect(await second.exit).toBe(0);

    const unique = () => new Set(sub.messages.map((m) => m.text)).size;
    await until(() => unique() >= N, 60_000).catch(() => {});
    const seen = new Set<number>();
    let outOfOrder = 0;
    let highest = -1;
    for (const m of sub.messages) {
      const seq = Number(m.text);
      expect(m.packet.properties?.userProperties?.seq).toBe(m.text);
      if (seen.has(seq)) continue;
      seen.add(seq);
      if (seq < highest) outOfOrder++;
      highest = Math.max(highest, seq);
    }
    const lost = [...Array(N).keys()].filter((i) => !seen.has(i));
    const duplicates = sub.messages.length - seen.size;
    console.log(`mqtt faults: ${N} messages, 3 broker restarts, 2 cuts, 1 host crash (after send ${last}): lost ${lost.length}, duplicates ${duplicates}, first arrivals out of order ${outOfOrder}`);
    expect(lost).toEqual([]);
    expect(seen.size).toBe(N);
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
      const child = host(config, 'connect:cloud', `burst:edge/stall:${N}`);
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
