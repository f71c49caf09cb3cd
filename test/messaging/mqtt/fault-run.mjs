/**
 * The fault run, shared by the test (faults.mqtt.ts, which asserts on it) and the bench
 * (bench/mqtt.bench.mjs, figure mqtt_messages_lost): a guest in a host process of its own
 * (host-child.mjs, on dist/) sends `n` numbered messages through our TCP proxy to mosquitto
 * while the broker restarts three times, the proxy cuts every connection twice, and the host is
 * killed (SIGKILL) once and started again on the same queue folder, which sends what the first
 * left and then the rest. A persistent subscriber on the broker counts what arrives.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { record, until } from './clients.mjs';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * A host process running messaging_send with `steps` (its stdout as lines); `env` may hold
 * host-child.mjs's PAUSE_AT and CRASH_AT.
 */
export function host(config, steps, env = {}) {
  const child = spawn(process.execPath, [join(ROOT, 'test/messaging/mqtt/host-child.mjs'), JSON.stringify(config), ...steps], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  child.stdin.on('error', () => {}); // a child that died no longer reads
  return {
    /** The exit code, or the signal's name. */
    exit: new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code ?? -1))),
    /** Lets a paused guest go on. */
    resume: () => child.stdin.write('.'),
    lines: createInterface({ input: child.stdout }),
  };
}

/**
 * @param {{ broker: import('./broker.mjs').Mosquitto, proxy: import('./proxy.mjs').TcpProxy, dir: string, n?: number }} o
 * @returns the figures and what the caller should check: `lost` (sequence numbers that neither
 *   arrived nor were counted as dropped), `dropped` (counted by the queue), `duplicates`,
 *   `outOfOrder` (first arrivals after a later one), `cuts` (connections each cut broke),
 *   `crashedAfter` (the last send that had returned when the host was killed), the two exit
 *   statuses, and `badSeq` (messages whose metadata `seq` is not their data).
 */
export async function faultRun({ broker, proxy, dir, n = 10_000 }) {
  const sub = await record(broker.url, 'edge/seq', { clean: false, clientId: 'cloud-subscriber', properties: { sessionExpiryInterval: 3600 } });
  try {
    const queue = { dir: join(dir, 'queue'), maxMessages: 2 * n };
    const config = {
      messaging: {
        clients: {
          cloud: { kind: 'mqtt', url: proxy.url, clientId: 'cam-7', publish: ['edge/#'], reconnectMs: 100, drainMs: 60_000, queue },
        },
      },
    };
    // What happens when the guest has had so many sends return. Each cut records how many
    // connections it broke: a cut that found none tested nothing.
    const cuts = [];
    const cutNow = () => {
      cuts.push(proxy.connections);
      proxy.cut();
    };
    const at = (f) => Math.round(n * f);
    const faults = new Map([
      [at(0.15), () => broker.restart()],
      [at(0.3), cutNow],
      [at(0.45), () => broker.restart()],
      [at(0.6), cutNow],
      [at(0.75), () => broker.restart()],
    ]);
    const crashAt = at(0.85);
    const pending = [];
    // The guest waits at each fault until it has begun (host-child.mjs), and kills its host at crashAt.
    const first = host(config, ['connect:cloud', 'verbose', `burst:edge/seq:${n}`], { PAUSE_AT: [...faults.keys()].join(','), CRASH_AT: String(crashAt) });
    let last = -1;
    for await (const line of first.lines) {
      const m = /^\{"sent":(\d+)\}$/.exec(line);
      if (!m) continue;
      last = Number(m[1]);
      const fault = faults.get(last + 1);
      if (fault) {
        pending.push(fault());
        first.resume();
      }
    }
    const firstExit = await first.exit;
    await Promise.all(pending);
    // The host again, on the same queue: what the first left goes first, then the rest of the burst.
    const second = host(config, ['connect:cloud', `burst:edge/seq:${n - (last + 1)}:${last + 1}`]);
    for await (const _ of second.lines);
    const secondExit = await second.exit;

    const unique = () => new Set(sub.messages.map((m) => m.text)).size;
    await until(() => unique() >= n, 60_000).catch(() => {});
    const seen = new Set();
    let outOfOrder = 0;
    let highest = -1;
    let badSeq = 0;
    for (const m of sub.messages) {
      const seq = Number(m.text);
      if (m.packet.properties?.userProperties?.seq !== m.text) badSeq++;
      if (seen.has(seq)) continue;
      seen.add(seq);
      if (seq < highest) outOfOrder++;
      highest = Math.max(highest, seq);
    }
    // What the queue counted as dropped by its overflow policy (kept in its file, across runs).
    const { openQueue } = await import(pathToFileURL(join(ROOT, 'dist/messaging/queue.js')).href);
    const q = openQueue('cloud', { ...queue, maxBytes: 2 ** 32, overflow: 'drop-oldest', fsync: 'always' });
    const { dropped, waiting } = q.stats();
    q.close();
    const missing = [...Array(n).keys()].filter((i) => !seen.has(i));
    return {
      n,
      delivered: seen.size,
      missing,
      lost: Math.max(0, missing.length - dropped),
      dropped,
      waiting,
      duplicates: sub.messages.length - seen.size,
      outOfOrder,
      badSeq,
      cuts,
      crashedAfter: last,
      exits: [firstExit, secondExit],
    };
  } finally {
    await sub.end();
  }
}
