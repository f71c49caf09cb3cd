/**
 * The Rust guests (guests/rust/, committed builds in fixtures/components/rust-*.wasm; no Rust
 * toolchain needed): the face detector prints the C app's faces on the demo camera, the library
 * turns each WIT error into a Rust `Result` (never a panic or a trap), `wasi-edge check` runs the
 * face detector through its fault scenarios, and std's constructors run once.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkComponent } from '../../src/conformance/check.js';
import { builtinScenarioNames, resolveScenarios } from '../../src/conformance/scenarios.js';
import type { EdgeHost } from '../../src/host/create-host.js';
import { componentPath, ROOT, runGuest } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';

const CAMERA_DIR = join(ROOT, 'fixtures/demo/camera');

interface FrameLine { frame: number; faces: { score: number; box: Record<string, number> }[]; temperature: number | null }

function demoConfig(out: string | undefined, loop = false, preopens: Record<string, string> = {}) {
  return {
    sensor: { devices: { 'camera:0': { kind: 'image-fixture', directory: CAMERA_DIR, loop, fps: [20, 1] } } },
    wasi: { preopens: { ...preopens, ...(out ? { '/out': out } : {}) }, env: { OUT_DIR: out ? '/out' : '-' } },
  };
}

async function runDetector(name: string, opts: { out?: string; args?: string[]; env?: Record<string, string>; loop?: boolean } = {}) {
  const config = demoConfig(opts.out, opts.loop);
  const r = await runGuest(name, { ...config, wasi: { ...config.wasi, args: [name, ...(opts.args ?? [])], env: { ...config.wasi.env, ...opts.env } } });
  const lines = r.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    ...r,
    frames: lines.filter((l) => 'frame' in l) as unknown as FrameLine[],
    summary: lines.find((l) => 'summary' in l)?.summary as Record<string, unknown> | undefined,
  };
}

describe('the Rust face detector on the demo camera (astronaut, cat, coffee)', () => {
  it("prints the C app's faces and temperatures, frame by frame, and writes the same PNGs", async () => {
    const cOut = tempDir('facedetect-c');
    const rustOut = tempDir('facedetect-rust');
    const c = await runDetector('facedetect', { out: cOut });
    const rust = await runDetector('rust-facedetect', { out: rustOut });
    expect(c.code, c.stderr).toBe(0);
    expect(rust.code, rust.stderr).toBe(0);
    expect(rust.frames.map((f) => f.faces.length)).toEqual([1, 0, 0]); // the astronaut; not the cat or the cup
    expect(rust.frames[0]!.faces[0]!.score).toBeGreaterThan(0.85);
    const strip = (fs: FrameLine[]) => fs.map(({ frame, faces, temperature }) => ({ frame, faces, temperature }));
    expect(strip(rust.frames)).toEqual(strip(c.frames));
    expect(rust.summary).toMatchObject({ app: 'rust-facedetect', camera: 'camera:0', frames: 3, faces: 1, images_written: 3 });
    const pngs = readdirSync(rustOut).sort();
    expect(pngs).toEqual(['frame-000000.png', 'frame-000001.png', 'frame-000002.png']);
    for (const f of pngs) expect(readFileSync(join(rustOut, f)).equals(readFileSync(join(cOut, f))), f).toBe(true);
  }, 120_000);

  it('takes the frame count from argv on a looping camera, and FACEDETECT_TIMING adds the stage times', async () => {
    const r = await runDetector('rust-facedetect', { args: ['4'], loop: true, env: { FACEDETECT_TIMING: '1' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.frames.map((f) => f.faces.length)).toEqual([1, 0, 0, 1]);
    const us = (r.frames[3] as unknown as { us: Record<string, number> }).us;
    expect(Object.keys(us)).toEqual(['wait', 'read', 'image', 'infer', 'tensor', 'compute', 'post', 'i2c', 'draw', 'encode', 'write', 'drop', 'print', 'total']);
    expect(us.compute).toBeGreaterThan(0);
    expect(us.total).toBeGreaterThanOrEqual(us.infer!);
  }, 60_000);

  it('names the cameras there are when the one asked for does not exist, and exits 1', async () => {
    const r = await runDetector('rust-facedetect', { env: { CAMERA: 'nope:0' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rust-facedetect: no camera "nope:0"; this host has: camera:0');
  });

  it('runs without temperature when the I2C bus is not there', async () => {
    const r = await runDetector('rust-facedetect', { args: ['1'], env: { I2C_BUS: 'missing' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('open-i2c(missing): not-found');
    expect(r.frames[0]!.temperature).toBeNull();
  });
});

describe('every library error is a Rust Result (guests/rust/errors prints what it got)', () => {
  it('an I2C NACK, a missing bus, a missing camera, bytes that are no model, a missing SPI device, a broken image', async () => {
    const r = await runGuest('rust-errors');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      'i2c-nack: Err(NoAcknowledge(Address))',
      'i2c-missing-bus: Err(NotFound)',
      'camera-missing: Err(NotFound)',
      'model-by-name: Ok',
      expect.stringMatching(/^model-bytes: Err\(Error \{ code: InvalidEncoding, data: ".*not an ONNX model.*" \}\)$/),
      expect.stringMatching(/^spi-missing: Err\(Other\(".*no-such-device.*"\)\)$/),
      expect.stringMatching(/^image-garbage: Err\(DecodeFailed\(".+"\)\)$/),
      'done',
    ]);
  });

  it('a configured model whose file is broken: load-by-name is Err(invalid-encoding)', async () => {
    const r = await runGuest('rust-errors', {
      nn: { models: { blazeface: { path: join(ROOT, 'conformance/nn/models/junk.bin'), encoding: 'onnx' } } },
      wasi: { args: ['rust-errors', 'model-by-name'] },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^model-by-name: Err\(Error \{ code: InvalidEncoding, data: ".+" \}\)\ndone\n$/);
  });
});

describe('wasi-edge check runs the Rust face detector through its fault scenarios', () => {
  it('errors it cannot work around end it with status 1, faults it can live with do not; nothing traps', async () => {
    // 12 frames: more than the 10 the unplugged camera delivers. The test-pattern camera is the one
    // every scenario has.
    const report = await checkComponent(componentPath('rust-facedetect'), resolveScenarios(builtinScenarioNames()), {
      env: { CAMERA: 'test-pattern:0', OUT_DIR: '-', FRAMES: '12' },
      timeoutMs: 6000,
    });
    const by = Object.fromEntries(report.scenarios.map((s) => [s.scenario, s]));
    expect(report.scenarios.filter((s) => s.outcome === 'trapped')).toEqual([]);
    expect(by.nominal).toMatchObject({ outcome: 'exited', stdout: expect.stringMatching(/"summary":\{"app":"rust-facedetect".*"frames":12/) });
    expect(by['camera-unplugged']).toMatchObject({ outcome: 'error', exitCode: 1, stderr: 'rust-facedetect: read-frames: hardware-error\n' });
    expect(by['model-load-fails']).toMatchObject({ outcome: 'error', exitCode: 1, stderr: expect.stringMatching(/^rust-facedetect: load-by-name blazeface: invalid-encoding: /) });
    for (const s of ['i2c-nack-first', 'i2c-bus-stuck']) {
      // the chip-id read fails, so the app goes on without temperature
      expect(by[s], s).toMatchObject({ outcome: 'exited', stderr: expect.stringContaining('no BME280 at 0x76 on i2c-sim0; continuing without temperature') });
      expect(by[s]!.stdout).toContain('"temperature":null');
    }
    expect(by['pool-full']).toMatchObject({ outcome: 'exited' }); // gaps in the frame numbers, no error
    expect(by['memory-limit']).toMatchObject({ outcome: 'exited' }); // the app fits in the scenario's memory cap
    expect(by['slow-sensor']).toMatchObject({ outcome: 'hung' }); // 12 frames at one per 2 s
    expect(by['spi-overrun-first']).toMatchObject({ outcome: 'skipped' }); // it imports no wasi:spi
  }, 180_000);
});

describe('Rust guest start-up', () => {
  it("std's constructors run once: preopen lookups do not grow with the lists the host returns", async () => {
    const lookups = async (frames: number) => {
      let n = 0;
      const dirs = { '/a': join(ROOT, 'fixtures'), '/b': join(ROOT, 'fixtures'), '/c': join(ROOT, 'fixtures') };
      const config = demoConfig(undefined, true, dirs);
      const r = await runGuest('rust-facedetect', { ...config, wasi: { ...config.wasi, args: ['rust-facedetect', String(frames)] } }, {
        onHost: (host: EdgeHost) => {
          for (const [name, entries] of Object.entries(host.imports)) {
            if (!name.startsWith('wasi:filesystem/preopens')) continue;
            const get = entries.getDirectories as (...a: unknown[]) => unknown;
            entries.getDirectories = (...a: unknown[]) => {
              n++;
              return get(...a);
            };
          }
        },
      });
      expect(r.code, r.stderr).toBe(0);
      return n;
    };
    const few = await lookups(2);
    const many = await lookups(8);
    expect(few).toBeGreaterThan(0); // std links wasi-libc's preopen table: the wrapper above sees it
    expect(many).toBe(few);
  }, 120_000);
});
