/**
 * Our C guests run their constructors once (guests/c/include/start.c). Before, wasm-ld wrapped
 * every export of a command, `cabi_realloc` included, in the constructors, so each list the host
 * returned made wasi-libc register every preopen again: a dozen wasi:filesystem calls per frame.
 * Counted here from the host side: the preopen lookups must not grow with the number of frames.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runGuest, ROOT } from '../helpers/run-guest.js';
import type { EdgeHost } from '../../src/host/create-host.js';

async function preopenLookups(frames: number): Promise<number> {
  let lookups = 0;
  const run = await runGuest(
    'sensor_bench',
    {
      sensor: { clock: 'virtual', devices: { 'fixture:0': { kind: 'image-fixture', directory: join(ROOT, 'fixtures/demo/camera'), fps: [1000, 1], maxFps: 1000 } } },
      wasi: {
        preopens: { '/a': join(ROOT, 'fixtures'), '/b': join(ROOT, 'fixtures'), '/c': join(ROOT, 'fixtures') },
        args: ['sensor_bench', 'frames', 'fixture:0', 'bench', String(frames)],
      },
    },
    {
      onHost: (host: EdgeHost) => {
        for (const [name, entries] of Object.entries(host.imports)) {
          if (!name.startsWith('wasi:filesystem/preopens')) continue;
          const get = entries.getDirectories as (...a: unknown[]) => unknown;
          entries.getDirectories = (...a: unknown[]) => {
            lookups++;
            return get(...a);
          };
        }
      },
    },
  );
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).toMatch(/^ns_per_frame=/);
  return lookups;
}

describe('C guest start-up', () => {
  it('constructors run once: preopen lookups do not grow with the lists the host returns', async () => {
    const few = await preopenLookups(5);
    const many = await preopenLookups(60);
    expect(few).toBeGreaterThan(0); // the wrapper above sees the lookups at all
    expect(many).toBe(few);
  });
});
