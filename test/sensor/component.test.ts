/**
 * Real C guests (fixtures/components/sensor_*.wasm) through jco and the runner.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runGuest } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';
import { patternRgb } from '../../src/sensor/devices/test-pattern.js';

function parsePpm(bytes: Buffer): { width: number; height: number; pixels: Buffer } {
  const m = /^P6\n(\d+) (\d+)\n255\n/.exec(bytes.subarray(0, 32).toString('latin1'));
  if (!m) throw new Error('not a binary PPM');
  return { width: Number(m[1]), height: Number(m[2]), pixels: bytes.subarray(m[0].length) };
}

describe('sensor guests', () => {
  it('upstream flow (at 160x120): 60 PPM files whose pixels are frames 0..59 of the test pattern', async () => {
    const out = tempDir('sensor-flow');
    const r = await runGuest('sensor_flow', {
      sensor: { clock: 'virtual' },
      wasi: { preopens: { '/out': out }, args: ['sensor_flow', 'test-pattern:0', '160x120'] },
    });
    expect(r.stdout).toContain('devices: test-pattern:0 fixture:0\n');
    expect(r.stdout).toContain('rate before: 30/1\nrate: 60/1\n');
    expect(r.stdout).toContain('dimension: 160x120 stride 480 format 1\n');
    expect(r.stdout).toContain('statistics: enqueued 60 dropped 0 dequeued 60\n');
    expect(r.stdout.trimEnd().endsWith('ok')).toBe(true);
    expect(r.code).toBe(0);
    // Virtual clock at 60 fps: frame k at k * 16.666… ms.
    expect(r.stdout).toContain('frame 59 seq 59 ts 983333334\n');
    const files = readdirSync(out).sort();
    expect(files.length).toBe(60);
    for (let n = 0; n < 60; n++) {
      const ppm = parsePpm(readFileSync(join(out, files[n]!)));
      expect([ppm.width, ppm.height]).toEqual([160, 120]);
      expect(ppm.pixels.equals(Buffer.from(patternRgb(160, 120, n)))).toBe(true);
    }
  });
});

describe('sensor guests on the real clock', () => {
  it('overwrite mode: sequence gaps equal the frames dropped, enqueued = dequeued + dropped', async () => {
    const r = await runGuest('sensor_overwrite', {});
    expect(r.stdout).toMatch(/^round 0: read 3 \(seq \d+\.\.\d+\) enqueued \d+ dropped \d+ dequeued 3$/m);
    expect(r.stdout).toMatch(/^round 2: read 3 .* dequeued 9$/m);
    expect(r.stdout).toContain('second stop: invalid-operation\n');
    expect(r.stdout.trimEnd().endsWith('ok')).toBe(true);
    expect(r.code).toBe(0);
    const dropped = [...r.stdout.matchAll(/dropped (\d+)/g)].map((m) => Number(m[1]));
    expect(dropped.length).toBe(3);
    expect(dropped[0]).toBeGreaterThan(0);
  });

  it('poll with a frame pollable and a wasi:clocks timeout: whichever is ready first', async () => {
    const r = await runGuest('sensor_poll', {});
    expect(r.stdout).toBe(
      [
        'not started, ready: 0',
        'not started, 20 ms: timeout',
        'slow, first frame: frame',
        'slow, 20 ms: timeout',
        'fast, 60 s: frame',
        'block returned, ready: 1',
        'ok',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(0);
  });
});

describe('a guest of the upstream sensing world', () => {
  it('exports wasi:sensor/interface.main; the runner calls it', async () => {
    const r = await runGuest('sensor_main', { sensor: { clock: 'virtual' } });
    expect(r.stdout).toBe([0, 1, 2, 3, 4].map((n) => `main: seq ${n} pattern frame ${n}\n`).join(''));
    expect(r.code).toBe(0);
  });
});
