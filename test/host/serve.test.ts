/**
 * `wasi-edge serve device.json` (docs/device.md): one JSON line per change of an app's state on
 * stdout, the apps' output on stderr prefixed with their names, the statuses of a bad command
 * line and a bad file. Runs the built CLI (`npm run build`).
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, UsageError } from '../../src/cli/args.js';
import { componentPath, ROOT } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';
import { execFile } from 'node:child_process';

const CLI = join(ROOT, 'dist/cli/main.js');

/** Runs `wasi-edge serve` without blocking this worker; its status and output. */
function serve(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, WASI_EDGE_CACHE_DIR: tempDir('serve-cache') };
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'serve', ...args], { env, timeout: 100_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('wasi-edge serve', () => {
  it('parses its options', () => {
    expect(parseArgs(['serve', 'd.json', '--for', '2s', '--status-every', '500ms'])).toMatchObject({ command: 'serve', device: 'd.json', forMs: 2000, statusEveryMs: 500 });
    expect(() => parseArgs(['serve'])).toThrowError(UsageError);
    expect(() => parseArgs(['serve', 'd.json', '--for', 'soon'])).toThrowError(/--for takes a duration/);
  });

  it('prints each app\'s state as JSON lines and its output prefixed, and ends when every app exited 0', async () => {
    const dir = tempDir('serve');
    const file = join(dir, 'device.json');
    const app = (frames: string) => ({ component: componentPath('device_app'), cameras: ['camera:0'], env: { FRAMES: frames } });
    writeFileSync(file, JSON.stringify({
      devices: { sensor: { devices: { 'camera:0': { kind: 'test-pattern', width: 32, height: 24 } } } },
      apps: { one: app('3'), two: app('5') },
    }));
    const r = await serve(file);
    expect(r.code).toBe(0);
    const states = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { app: string; status: string; exitCode?: number; time: string });
    for (const name of ['one', 'two']) {
      const mine = states.filter((s) => s.app === name);
      expect(mine.map((s) => s.status)).toEqual(expect.arrayContaining(['starting', 'running', 'stopped']));
      expect(mine.at(-1)).toMatchObject({ status: 'stopped', exitCode: 0 });
    }
    expect(Date.parse(states[0]!.time)).not.toBeNaN();
    expect(r.stderr).toContain('[one] {"done":3,');
    expect(r.stderr).toContain('[two] {"done":5,');
  }, 120_000);

  it('a file that is not a device configuration is one line and status 3', async () => {
    const dir = tempDir('serve-bad');
    const file = join(dir, 'device.json');
    writeFileSync(file, JSON.stringify({ apps: { a: { component: 'a.wasm', cameras: ['nope'] } } }));
    const r = await serve(file);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^wasi-edge: .*apps\.a\.cameras\[0\]/);
    const missing = await serve(join(dir, 'missing.json'));
    expect(missing).toMatchObject({ code: 3, stderr: expect.stringMatching(/cannot read device file .*no such file/) });
    expect((await serve()).code).toBe(64);
  }, 60_000);
});
