/**
 * The boundary fuzzer, short (issue 11 §1; the long run is `npm run fuzz`): the fuzz guest calls
 * every function of every interface with random well-typed arguments. The host must neither trap
 * nor throw: the run ends with status 0, every interface reports its calls, and the error codes it
 * provoked show the guest really reached the refusals (not just the happy path).
 */
import { describe, expect, it } from 'vitest';
import { runGuest } from '../helpers/run-guest.js';

const CALLS = 4000;

function histogram(stdout: string) {
  const calls = new Map<string, number>();
  const codes = new Map<string, Map<string, number>>();
  for (const line of stdout.split('\n')) {
    const c = /^calls (\S+) (\d+)$/.exec(line);
    if (c) calls.set(c[1]!, Number(c[2]));
    const e = /^err (\S+) (\S+) (\d+)$/.exec(line);
    if (e) {
      if (!codes.has(e[1]!)) codes.set(e[1]!, new Map());
      codes.get(e[1]!)!.set(e[2]!, Number(e[3]));
    }
  }
  return { calls, codes };
}

describe('fuzz guest (short run)', () => {
  for (const seed of [1, 2]) {
    it(`seed ${seed}: ${CALLS} calls per interface, no trap, the refusals reached`, async () => {
      // A time limit runs the guest in a worker (src/host/limits.ts): the long synchronous run stays
      // off this thread, whose event loop vitest needs for its own messages, and a hang fails the
      // test with the time-limit status instead of stalling the whole suite.
      const run = await runGuest('fuzz', { wasi: { args: ['fuzz', String(seed), String(CALLS)] }, limits: { timeoutMs: 170_000 } });
      expect(run.trap, run.stderr).toBeUndefined();
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^done$/m);
      const { calls, codes } = histogram(run.stdout);
      for (const iface of ['i2c', 'spi', 'nn', 'sensor', 'vision']) expect(calls.get(iface), iface).toBe(CALLS);
      const has = (iface: string, code: string) => expect(codes.get(iface)?.get(code) ?? 0, `${iface} ${code}`).toBeGreaterThan(0);
      for (const [iface, code] of [
        ['i2c', 'ok'], ['i2c', 'other'], ['i2c', 'not-found'], ['i2c', 'no-acknowledge'],
        ['spi', 'ok'], ['spi', 'other'],
        ['nn', 'ok'], ['nn', 'invalid-argument'], ['nn', 'not-found'], ['nn', 'invalid-encoding'],
        ['sensor', 'ok'], ['sensor', 'not-found'], ['sensor', 'resource-exhausted'],
        ['vision', 'ok'], ['vision', 'invalid-argument'], ['vision', 'decode-failed'],
      ] as const) has(iface, code);
    }, 180_000);
  }
});
