/**
 * Limits per instance (docs/hardening.md "Limits per instance"): the memory bomb under a memory
 * cap, the endless loop under a time limit, a table that grows under a table cap, and what each
 * reports. The bomb's resident memory is measured in a process of its own, as a generous bound.
 */
import { describe, expect, it } from 'vitest';
import { execAsync } from '../helpers/spawn-async.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LIMIT_STATUS } from '../../src/host/limits.js';
import { parseConfig } from '../../src/host/config.js';
import { LimitsError } from '../../src/host/runner.js';
import { SimulatedBus } from '../../src/i2c/index.js';
import { runScenario } from '../../src/conformance/check.js';
import { readScenarioFile, resolveScenarios } from '../../src/conformance/scenarios.js';
import { componentPath, ROOT, runGuest } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';

const MiB = 2 ** 20;

/** Runs `guest` under `limits` in a fresh Node process; its result and its peak resident memory. */
async function runAlone(guest: string, limits: object, args: string[] = []) {
  const script = `const { runComponent } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/index.js')).href)});
    let stdout = '';
    const r = await runComponent(${JSON.stringify(componentPath(guest))}, { limits: ${JSON.stringify(limits)}, wasi: { args: ${JSON.stringify([guest, ...args])} } },
      { stdio: { stdout: (b) => (stdout += Buffer.from(b)), stderr: () => {} } });
    console.log(JSON.stringify({ ...r, stdout, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));`;
  const out = await execAsync(process.execPath, ['--input-type=module', '-e', script]);
  return JSON.parse(out.trim().split('\n').pop()!) as { code: number; limit?: { limit: string; message: string; guestCode?: number }; stdout: string; maxRssBytes: number };
}

describe('memory cap', () => {
  it('with a 64 MiB cap the bomb\'s first 64 MiB malloc fails, the run ends with the memory limit\'s status, the host stays small', async () => {
    const r = await runAlone('memory_bomb', { maxMemoryBytes: 64 * MiB });
    expect(r.stdout).toContain('memory_bomb: malloc of 64 MiB failed after 0 MiB');
    expect(r.code).toBe(LIMIT_STATUS['max-memory-size']);
    expect(r.limit).toMatchObject({ limit: 'max-memory-size', guestCode: 1 });
    expect(r.limit!.message).toMatch(/^memory limit: memory\.grow to [\d.]+ MiB failed at max-memory-size=64MiB \(limits\.maxMemoryBytes\); the guest then exited with status 1$/);
    // Without the cap the bomb fills 4 GiB; a generous bound, not a measurement.
    expect(r.maxRssBytes).toBeLessThan(1024 * MiB);
  }, 120_000);

  it('with a larger cap the bomb gets as far as the cap allows, and no further', async () => {
    const r = await runAlone('memory_bomb', { maxMemoryBytes: 300 * MiB });
    // Four 64 MiB blocks fit in 300 MiB with the guest's own few hundred KiB; a fifth does not.
    expect(r.stdout).toContain('memory_bomb: 256 MiB\n');
    expect(r.stdout).toContain('malloc of 64 MiB failed after 256 MiB');
    expect(r.code).toBe(LIMIT_STATUS['max-memory-size']);
    expect(r.maxRssBytes).toBeGreaterThan(256 * MiB); // the blocks were really filled
    expect(r.maxRssBytes).toBeLessThan(1024 * MiB);
  }, 120_000);

  it('a guest that stays within the cap, or copes, exits as it chose', async () => {
    // Its own bound of 128 MiB fits in a 256 MiB cap: no grow is refused.
    const r = await runGuest('memory_bomb', { limits: { maxMemoryBytes: 256 * MiB }, wasi: { args: ['memory_bomb', '128'] } });
    expect(r.stdout).toContain('stopped at its own bound of 128 MiB');
    expect(r).toMatchObject({ code: 0 });
    expect(r.limit).toBeUndefined();
  });

  it('a component whose memory starts above the cap does not start, and says so', async () => {
    const r = await runGuest('hello', { limits: { maxMemoryBytes: 65536 } });
    expect(r.code).toBe(LIMIT_STATUS['max-memory-size']);
    expect(r.limit?.message).toMatch(/^memory limit: the component's linear memory starts at [\d.]+ (KiB|MiB), above max-memory-size=64KiB .*not started$/);
    expect(r.stdout).toBe('');
  });
});

describe('table cap', () => {
  it('table.grow fails at the cap; the run ends with the table limit\'s status', async () => {
    const r = await runGuest('table_grow', { limits: { maxTableElements: 5000 } });
    // The table starts with 1 element and grows by 1000: 5001 is the first size above 5000.
    expect(r.code).toBe(LIMIT_STATUS['max-table-elements']);
    expect(r.limit?.message).toBe(
      'table limit: table.grow to 5001 elements failed at max-table-elements=5000 (limits.maxTableElements); the guest then returned an error: its entry point returned err',
    );
  });

  it('a component whose table starts above the cap does not start', async () => {
    const r = await runGuest('hello', { limits: { maxTableElements: 1 } });
    expect(r.code).toBe(LIMIT_STATUS['max-table-elements']);
    expect(r.limit?.message).toMatch(/^table limit: the component's table starts with \d+ elements, above max-table-elements=1/);
  });
});

describe('time limit', () => {
  it('stops a guest looping in wasm code with the time limit\'s status', async () => {
    const started = performance.now();
    const r = await runGuest('endless', { limits: { timeoutMs: 2000 } });
    expect(r.code).toBe(LIMIT_STATUS.timeout);
    expect(r.limit?.message).toBe('time limit: the guest was still running after 2 s (timeout=2s, limits.timeoutMs); stopped');
    // Not before its time (the limit counts from when the host exists, after loading).
    expect(performance.now() - started).toBeGreaterThanOrEqual(2000);
  }, 60_000);

  it('a guest that ends in time runs in the worker as it would here: output, status, caps', async () => {
    const r = await runGuest('memory_bomb', { limits: { timeoutMs: 60_000, maxMemoryBytes: 64 * MiB } });
    expect(r.stdout).toBe('memory_bomb: malloc of 64 MiB failed after 0 MiB\n');
    expect(r.code).toBe(LIMIT_STATUS['max-memory-size']);
    const hello = await runGuest('hello', { limits: { timeoutMs: 60_000 } });
    expect(hello).toMatchObject({ code: 0 });
    expect(hello.stdout).toContain('hello from a wasi-edge guest\n');
  }, 120_000);

  it('what cannot cross to the worker is refused by name, before anything runs', async () => {
    const bus = new SimulatedBus([]);
    await expect(runGuest('hello', { limits: { timeoutMs: 1000 }, i2c: { buses: { b: { kind: 'custom', bus } } } })).rejects.toThrowError(
      /limits\.timeoutMs runs the guest and its host in a worker thread, and config\.i2c\.buses\.b\.bus cannot go there: it is an object of class SimulatedBus/,
    );
    await expect(runGuest('hello', { limits: { timeoutMs: 1000 } }, { onHost: () => {} })).rejects.toThrowError(LimitsError);
  });

  it('errors from the worker reach the caller as they would in-process', async () => {
    await expect(runGuest('does-not-exist', { limits: { timeoutMs: 1000 } })).rejects.toMatchObject({ name: 'ComponentFileError', message: expect.stringMatching(/ENOENT/) });
  });
});

describe('the limits section', () => {
  it('parses, with the defaults off', () => {
    expect(parseConfig({}).limits).toEqual({});
    expect(parseConfig({ limits: { maxMemoryBytes: 1 << 26, maxTableElements: 100, timeoutMs: 2000 } }).limits).toEqual({
      maxMemoryBytes: 1 << 26, maxTableElements: 100, timeoutMs: 2000,
    });
  });
  it.each([
    [{ maxMemoryBytes: 1000 }, /limits\.maxMemoryBytes should be an integer from 65536 to 4294967296/],
    [{ maxTableElements: -1 }, /limits\.maxTableElements should be an integer/],
    [{ timeoutMs: 0 }, /limits\.timeoutMs should be a number from 1/],
    [{ timeout: 2 }, /limits\.timeout should be one of the known keys: maxMemoryBytes, maxTableElements, timeoutMs \(did you mean "timeoutMs"\?\)/],
  ])('rejects %j', (limits, message) => {
    expect(() => parseConfig({ limits })).toThrowError(message);
  });
});

describe('wasi-edge check: a scenario for each limit', () => {
  const scenario = (name: string) => resolveScenarios([name])[0]!;
  it('memory-limit: the bomb fails with an error at 16 MiB, and the detail names the limit', async () => {
    const r = await runScenario(componentPath('memory_bomb'), scenario('memory-limit'));
    expect(r).toMatchObject({ outcome: 'error', exitCode: 1 });
    expect(r.detail).toMatch(/^exit status 1 \(memory limit: memory\.grow to [\d.]+ MiB failed at max-memory-size=16MiB/);
    expect(r.stdout).toBe('memory_bomb: malloc of 64 MiB failed after 0 MiB\n');
  });
  it('table-limit: the growing table is refused at 10000 elements', async () => {
    const r = await runScenario(componentPath('table_grow'), scenario('table-limit'));
    expect(r).toMatchObject({ outcome: 'error', exitCode: 1 });
    expect(r.detail).toContain('table limit: table.grow to 10001 elements failed at max-table-elements=10000');
  });
  it('time-limit: the endless loop is stopped after 5 s and counts as hung', async () => {
    const r = await runScenario(componentPath('endless'), scenario('time-limit'));
    expect(r.outcome).toBe('hung');
    expect(r.detail).toBe('time limit: the guest was still running after 5 s (timeout=5s, limits.timeoutMs); stopped');
  }, 60_000);
  it('a scenario file gives its time limit once, and its limits are checked as the configuration\'s', () => {
    const dir = tempDir('limit-scenarios');
    writeFileSync(join(dir, 'both.json'), JSON.stringify({ timeoutSeconds: 3, limits: { timeoutMs: 3000 } }));
    writeFileSync(join(dir, 'small.json'), JSON.stringify({ limits: { maxMemoryBytes: 100 } }));
    writeFileSync(join(dir, 'ms.json'), JSON.stringify({ limits: { timeoutMs: 1500, maxTableElements: 7 } }));
    expect(() => readScenarioFile(join(dir, 'both.json'))).toThrowError(/give the time limit once/);
    expect(() => readScenarioFile(join(dir, 'small.json'))).toThrowError(/limits\.maxMemoryBytes should be an integer from 65536/);
    expect(readScenarioFile(join(dir, 'ms.json'))[0]).toMatchObject({ timeoutMs: 1500, limits: { maxTableElements: 7 } });
  });
});
