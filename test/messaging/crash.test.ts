/**
 * Store-and-forward across a host crash: a host (test/messaging/crash-child.mjs) sends a burst
 * while its broker is away and is killed with SIGKILL in the middle; a new host on the same queue
 * folder delivers, in order and without a gap, at least every message whose `send` had returned.
 * Also the same through components and the in-process broker without a crash: a run while the
 * broker is away leaves the messages queued, and the next host delivers them.
 */
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHost } from '../../src/index.js';
import { MemoryBroker } from '../../src/messaging/memory-backend.js';
import { ROOT } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runSteps } from './helpers.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

function cloud(broker: MemoryBroker, dir: string) {
  return { messaging: { clients: { cloud: { kind: 'memory' as const, broker, publish: ['edge/#'], queue: { dir } } } } };
}

/** Runs the child until it reported `killAfter` sends, kills it, and returns the highest send it reported. */
async function killMidBurst(dir: string, count: number, killAfter: number, fsync: 'always' | 'none'): Promise<number> {
  const child = spawn(process.execPath, [join(ROOT, 'test/messaging/crash-child.mjs'), dir, String(count), fsync], { stdio: ['ignore', 'pipe', 'inherit'] });
  let last = -1;
  const lines = createInterface({ input: child.stdout });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  for await (const line of lines) {
    const m = /^\{"sent":(\d+)\}$/.exec(line);
    if (!m) continue;
    last = Number(m[1]);
    if (last + 1 >= killAfter) {
      child.kill('SIGKILL');
      break;
    }
  }
  expect(await exited).toBe('SIGKILL');
  return last;
}

describe('store-and-forward', () => {
  it.each(['always', 'none'] as const)('keeps every sent message through a SIGKILL mid-burst (fsync %s) and delivers them in order', async (fsync) => {
    const dir = tempDir('crash');
    const count = 20000;
    const last = await killMidBurst(dir, count, 300, fsync);
    expect(last).toBeGreaterThanOrEqual(299);
    const broker = new MemoryBroker();
    // The new host hands the queue to the broker as it starts: no guest needed.
    const host = createHost(cloud(broker, dir));
    try {
      const got = broker.published.map((m) => text(m.data));
      // In order and without a gap or a duplicate: 0, 1, 2, … ; at least up to the last send the
      // guest saw return, and not the whole burst (it was killed).
      expect(got).toEqual(Array.from({ length: got.length }, (_, i) => String(i)));
      expect(got.length).toBeGreaterThan(last);
      expect(got.length).toBeLessThan(count);
      expect(host.services.messaging!.stats().cloud).toMatchObject({ waiting: 0, dropped: 0, acked: got.length });
    } finally {
      host.dispose();
    }
  });

  it('a run while the broker is away leaves its messages queued; the next host delivers them first', async () => {
    const dir = tempDir('away');
    const broker = new MemoryBroker();
    broker.setOnline(false);
    const run = await runSteps(cloud(broker, dir), 'connect:cloud', 'burst:edge/a:5');
    expect(run.lines).toEqual([{ connect: 'cloud' }, { burst: 'edge/a', sent: 5 }]);
    expect(broker.published).toEqual([]);
    expect(run.stderr).toBe(`wasi-edge: messaging client "cloud": 5 messages not delivered (the in-memory broker is offline): they wait in ${dir} and go out when the broker can be reached\n`);
    broker.setOnline(true);
    const next = await runSteps(cloud(broker, dir), 'connect:cloud', 'send:edge/b:after');
    expect(next.code).toBe(0);
    expect(broker.published.map((m) => `${m.topic}:${text(m.data)}`)).toEqual(['edge/a:0', 'edge/a:1', 'edge/a:2', 'edge/a:3', 'edge/a:4', 'edge/b:after']);
  });

  it('a broken queue file is reported (a process warning) and moved aside, and the host starts', async () => {
    const dir = tempDir('broken');
    writeFileSync(join(dir, 'queue.log'), 'garbage');
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const broker = new MemoryBroker();
      const run = await runSteps(cloud(broker, dir), 'connect:cloud', 'send:edge/x:1');
      expect(run.lines).toEqual([{ connect: 'cloud' }, { send: 'edge/x', ok: true }]);
      expect(broker.published.map((m) => text(m.data))).toEqual(['1']);
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^messaging: the queue file of client "cloud" is broken \(it does not start like a queue file\); moved it to /);
      expect(readdirSync(dir).filter((f) => f.startsWith('queue.log.broken-'))).toHaveLength(1);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
