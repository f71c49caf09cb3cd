/**
 * The Go guests (guests/go/, committed builds in fixtures/components/go-*.wasm; no Go toolchain
 * needed): the face detector prints the C app's faces on the demo camera and writes the same PNGs,
 * the edge package turns each WIT error into a Go error value with its WIT code (never a panic or a
 * trap), the I2C/SPI example talks to the simulated chips, and `wasi-edge check` runs the face
 * detector through its fault scenarios.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkComponent } from '../../src/conformance/check.js';
import { builtinScenarioNames, resolveScenarios } from '../../src/conformance/scenarios.js';
import { componentPath, ROOT, runGuest } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';

const CAMERA_DIR = join(ROOT, 'fixtures/demo/camera');
// The first run of a 2.8 MB component transpiles it (later runs use the cache).
const FIRST_RUN_MS = 180_000;

async function runApp(name: string, opts: { out?: string; env?: Record<string, string>; args?: string[]; loop?: boolean } = {}) {
  const r = await runGuest(name, {
    sensor: { devices: { 'camera:0': { kind: 'image-fixture', directory: CAMERA_DIR, loop: opts.loop ?? false, fps: [20, 1] } } },
    wasi: { preopens: opts.out ? { '/out': opts.out } : {}, args: [name, ...(opts.args ?? [])], env: { OUT_DIR: opts.out ? '/out' : '-', ...opts.env } },
  });
  const lines = r.stdout.split('\n').filter((l) => l.trim());
  return { ...r, lines };
}

/** The frame lines without the camera's timestamps (each run has its own device clock). */
const frameLines = (lines: string[]) => lines.filter((l) => l.startsWith('{"frame"')).map((l) => l.replace(/"timestamp":\d+/, '"timestamp":0'));
const summary = (lines: string[]) => (JSON.parse(lines.find((l) => l.startsWith('{"summary"')) ?? '{}') as { summary?: Record<string, unknown> }).summary;

describe('go-facedetect on the demo camera (astronaut, cat, coffee), against the C app', () => {
  const goOut = tempDir('go-facedetect');
  const cOut = tempDir('c-facedetect');
  let go: Awaited<ReturnType<typeof runApp>>;
  let c: Awaited<ReturnType<typeof runApp>>;

  beforeAll(async () => {
    go = await runApp('go-facedetect', { out: goOut });
    c = await runApp('facedetect', { out: cOut });
  }, FIRST_RUN_MS);

  it("prints the C app's frame lines, character for character but the timestamps", () => {
    expect(go.code, go.stderr).toBe(0);
    expect(c.code, c.stderr).toBe(0);
    expect(frameLines(go.lines)).toHaveLength(3);
    expect(frameLines(go.lines)).toEqual(frameLines(c.lines));
    // Not vacuous: one face on the astronaut, none on the cat or the cup, 21.5 °C from the BME280.
    const frames = frameLines(go.lines).map((l) => JSON.parse(l) as { faces: { score: number }[]; temperature: number });
    expect(frames.map((f) => f.faces.length)).toEqual([1, 0, 0]);
    expect(frames[0]!.faces[0]!.score).toBeGreaterThan(0.85);
    expect(frames.every((f) => f.temperature === 21.5)).toBe(true);
  });

  it('ends with the C summary but its name, and writes the very same PNGs', () => {
    const { seconds: _g, app: goApp, ...goRest } = summary(go.lines)!;
    const { seconds: _c, app: cApp, ...cRest } = summary(c.lines)!;
    expect([goApp, cApp]).toEqual(['go-facedetect', 'facedetect']);
    expect(goRest).toEqual(cRest);
    expect(goRest).toMatchObject({ camera: 'camera:0', frames: 3, faces: 1, images_written: 3 });
    const files = readdirSync(goOut).sort();
    expect(files).toEqual(['frame-000000.png', 'frame-000001.png', 'frame-000002.png']);
    for (const f of files) expect(readFileSync(join(goOut, f)).equals(readFileSync(join(cOut, f))), f).toBe(true);
  });

  it('takes the frame count from argv on a looping camera, and FACEDETECT_TIMING adds the stage times', async () => {
    const r = await runApp('go-facedetect', { args: ['4'], loop: true, env: { FACEDETECT_TIMING: '1' } });
    expect(r.code, r.stderr).toBe(0);
    const frames = r.lines.filter((l) => l.startsWith('{"frame"')).map((l) => JSON.parse(l) as { faces: unknown[]; us: Record<string, number> });
    expect(frames.map((f) => f.faces.length)).toEqual([1, 0, 0, 1]);
    expect(Object.keys(frames[3]!.us)).toEqual(['wait', 'read', 'image', 'infer', 'tensor', 'compute', 'post', 'i2c', 'draw', 'encode', 'write', 'drop', 'print', 'total']);
    expect(frames[3]!.us.total).toBeGreaterThanOrEqual(frames[3]!.us.infer!);
  }, 60_000);

  it('names the cameras there are when the one asked for does not exist, and exits 1', async () => {
    const r = await runApp('go-facedetect', { env: { CAMERA: 'nope:0' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('go-facedetect: no camera "nope:0"; this host has: camera:0 (set CAMERA)\n');
  });

  it('runs without temperature when the I2C bus is not there', async () => {
    const r = await runApp('go-facedetect', { args: ['1'], env: { I2C_BUS: 'missing' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('go-facedetect: open-i2c(missing): not-found; continuing without temperature');
    expect(frameLines(r.lines)[0]).toContain('"temperature":null');
  });
});

describe('every edge package error is a Go error with its WIT code (guests/go/errors prints what it got)', () => {
  it('an I2C NACK, a missing bus, a missing camera, bytes that are no model, a missing SPI device, a broken image, a closed resource', async () => {
    const r = await runGuest('go-errors');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'i2c-nack: *edge.I2cError code=no-acknowledge: no-acknowledge(address)',
      'i2c-missing-bus: *edge.AccessError code=not-found: not-found',
      'camera-missing: edge.BufferError code=not-found: not-found',
      'model-by-name: ok',
      expect.stringMatching(/^model-bytes: \*edge\.NnError code=invalid-encoding: invalid-encoding: .*not an ONNX model/),
      expect.stringMatching(/^spi-missing: \*edge\.SpiError code=other: other: .*no-such-device/),
      expect.stringMatching(/^image-garbage: \*edge\.VisionError code=decode-failed: decode-failed: .+/),
      'closed: edge.closedError code=closed: edge: use of a closed resource',
      'done',
    ]);
  }, FIRST_RUN_MS);

  it('a configured model whose file is broken: load-by-name gives invalid-encoding', async () => {
    const r = await runGuest('go-errors', {
      nn: { models: { blazeface: { path: join(ROOT, 'conformance/nn/models/junk.bin'), encoding: 'onnx' } } },
      wasi: { args: ['go-errors', 'model-by-name'] },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^model-by-name: \*edge\.NnError code=invalid-encoding: invalid-encoding: .+\ndone\n$/);
  });
});

describe('go-i2c-spi on the default simulated chips', () => {
  it('writes and reads back an EEPROM page, reads the flash JEDEC ID and an ADC channel', async () => {
    const r = await runGuest('go-i2c-spi');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('eeprom: read back 16 bytes in 2 parts: a0 a3 a6 a9 ac af b2 b5 b8 bb be c1 c4 c7 ca cd\n');
    expect(r.stdout).toContain('eeprom round trip: match\n');
    expect(r.stdout).toMatch(/flash JEDEC ID: [0-9a-f]{2} [0-9a-f]{2} [0-9a-f]{2}\n/);
    expect(r.stdout).toMatch(/mcp3008 ch0: \d+ \(\d+ mV at Vref 3300 mV\)\n/);
  }, FIRST_RUN_MS);

  it('a missing bus is an error message and status 1, not a trap', async () => {
    const r = await runGuest('go-i2c-spi', { wasi: { args: ['go-i2c-spi', 'no-such-bus'] } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('go-i2c-spi: not-found\n');
  });
});

describe('wasi-edge check runs the Go face detector through its fault scenarios', () => {
  it('errors it cannot work around end it with status 1, faults it can live with do not; nothing traps', async () => {
    // 12 frames: more than the 10 the unplugged camera delivers. The test-pattern camera is the one
    // every scenario has.
    const report = await checkComponent(componentPath('go-facedetect'), resolveScenarios(builtinScenarioNames()), {
      env: { CAMERA: 'test-pattern:0', OUT_DIR: '-', FRAMES: '12' },
      timeoutMs: 6000,
    });
    const by = Object.fromEntries(report.scenarios.map((s) => [s.scenario, s]));
    expect(report.scenarios.filter((s) => s.outcome === 'trapped')).toEqual([]);
    expect(by.nominal).toMatchObject({ outcome: 'exited', stdout: expect.stringMatching(/"summary":\{"app":"go-facedetect".*"frames":12/) });
    expect(by['camera-unplugged']).toMatchObject({ outcome: 'error', exitCode: 1, stderr: 'go-facedetect: read-frames: hardware-error\n' });
    expect(by['model-load-fails']).toMatchObject({ outcome: 'error', exitCode: 1, stderr: expect.stringMatching(/^go-facedetect: load-by-name blazeface: invalid-encoding: /) });
    for (const s of ['i2c-nack-first', 'i2c-bus-stuck']) {
      // the chip-id read fails, so the app goes on without temperature
      expect(by[s], s).toMatchObject({ outcome: 'exited', stderr: expect.stringContaining('no BME280 at 0x76 on i2c-sim0; continuing without temperature') });
      expect(by[s]!.stdout).toContain('"temperature":null');
    }
    expect(by['pool-full']).toMatchObject({ outcome: 'exited' }); // gaps in the frame numbers, no error
    // Go's linker gives every wasm module 16 MiB of memory above its data to start with (the
    // runtime initialises without growing): more than the scenario's cap, so the host refuses it
    // before it starts (docs/guests/go.md).
    expect(by['memory-limit']).toMatchObject({ outcome: 'not-run', detail: expect.stringMatching(/linear memory starts at [\d.]+ MiB, above max-memory-size=16MiB/) });
    expect(by['slow-sensor']).toMatchObject({ outcome: 'hung' }); // 12 frames at one per 2 s
    expect(by['spi-overrun-first']).toMatchObject({ outcome: 'skipped' }); // it imports no wasi:spi
  }, 240_000);
});
