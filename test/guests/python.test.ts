/**
 * Python apps (guests/python/, CPython 3.11 built from Debian's sources with the `edge` module;
 * committed as fixtures/components/py-*.wasm): the face detector gives the C app's faces on the
 * demo camera; an exception that escapes the app ends the run with its traceback and status 1, not
 * a trap; a wrong argument type is a TypeError; WIT errors are their exception classes with `.code`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EdgeHost } from '../../src/host/create-host.js';
import { ROOT, runGuest } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';

const CAMERA_DIR = join(ROOT, 'fixtures/demo/camera');
// The first run of a 7 MB Python component transpiles it (later runs use the cache).
const FIRST_RUN_MS = 300_000;

async function runApp(name: string, opts: { out?: string; env?: Record<string, string> } = {}) {
  let host: EdgeHost | undefined;
  const r = await runGuest(
    name,
    {
      sensor: { devices: { 'camera:0': { kind: 'image-fixture', directory: CAMERA_DIR, loop: false, fps: [20, 1] } } },
      wasi: { preopens: opts.out ? { '/out': opts.out } : {}, args: [name], env: { OUT_DIR: opts.out ? '/out' : '-', ...opts.env } },
    },
    { onHost: (h) => (host = h) },
  );
  const lines = r.stdout.split('\n').filter((l) => l.trim());
  return { ...r, lines, lowered: host!.services.counters.pixelBytesLowered };
}

/** The frame lines without the camera's timestamps (each run has its own device clock). */
const frameLines = (lines: string[]) => lines.filter((l) => l.startsWith('{"frame"')).map((l) => l.replace(/"timestamp":\d+/, '"timestamp":0'));
const summary = (lines: string[]) => (JSON.parse(lines.find((l) => l.startsWith('{"summary"')) ?? '{}') as { summary?: Record<string, unknown> }).summary;

/** py-checks.wasm runs one case of guests/python/checks.py. */
const check = (name: string, args: string[] = []) => runGuest('py-checks', { wasi: { args: ['py-checks', name, ...args] } });

describe('py-facedetect on the demo camera, against the C app', () => {
  const pyOut = tempDir('py-facedetect');
  const cOut = tempDir('c-facedetect');
  let py: Awaited<ReturnType<typeof runApp>>;
  let c: Awaited<ReturnType<typeof runApp>>;

  beforeAll(async () => {
    py = await runApp('py-facedetect', { out: pyOut });
    c = await runApp('facedetect', { out: cOut });
  }, FIRST_RUN_MS);

  it("prints the C app's frame lines, character for character but the timestamps", () => {
    expect(py.code, py.stderr).toBe(0);
    expect(c.code, c.stderr).toBe(0);
    expect(frameLines(py.lines)).toHaveLength(3);
    expect(frameLines(py.lines)).toEqual(frameLines(c.lines));
    // Not vacuous: one face on the astronaut, none on the cat or the cup, 21.5 °C from the BME280.
    const faces = frameLines(py.lines).map((l) => JSON.parse(l) as { faces: unknown[]; temperature: number });
    expect(faces.map((f) => f.faces.length)).toEqual([1, 0, 0]);
    expect(faces.every((f) => f.temperature === 21.5)).toBe(true);
    const { seconds: _p, app: pyApp, topic: _t, published: _n, publish_errors: _e, ...pyRest } = summary(py.lines)!;
    expect(pyApp).toBe('py-facedetect');
    expect(pyRest).toEqual({ camera: 'camera:0', frames: 3, faces: 1, images_written: 3, out: '/out' });
  });

  it('writes the very same PNGs (boxes drawn by the host, in the same places)', () => {
    const files = readdirSync(pyOut).sort();
    expect(files).toEqual(['frame-000000.png', 'frame-000001.png', 'frame-000002.png']);
    for (const f of files) expect(readFileSync(join(pyOut, f)).equals(readFileSync(join(cOut, f))), f).toBe(true);
  });

  it('takes the frames as host memory: no pixel is lowered into the Python guest', () => {
    expect(py.lowered).toBe(0);
  });

  it('a missing camera: the app names the cameras there are and ends with status 1', async () => {
    const r = await runApp('py-facedetect', { env: { CAMERA: 'nope:0' } });
    expect(r.trap).toBeUndefined();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('py-facedetect: no camera "nope:0"; this host has: camera:0');
  }, FIRST_RUN_MS);
});

describe('Python exceptions and WIT errors', () => {
  it('an exception escaping the app: its traceback on stderr, status 1, no trap', async () => {
    const r = await check('raise');
    expect(r.trap).toBeUndefined();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Traceback (most recent call last):');
    expect(r.stderr).toMatch(/File "checks\.py", line \d+, in deeper/);
    expect(r.stderr.trim().split('\n').pop()).toBe('RuntimeError: boom from python');
  }, FIRST_RUN_MS);

  it('sys.exit(0) ends the run with status 0, sys.exit(3) with 1 (WASI 0.2 exit carries success or failure), no traceback', async () => {
    const ok = await check('exit', ['0']);
    expect(ok.trap).toBeUndefined();
    expect([ok.code, ok.stdout.trim(), ok.stderr]).toEqual([0, 'exiting with 0', '']);
    const failed = await check('exit', ['3']);
    expect(failed.trap).toBeUndefined();
    expect([failed.code, failed.stdout.trim(), failed.stderr]).toEqual([1, 'exiting with 3', '']);
  }, FIRST_RUN_MS);

  it('an edge call given the wrong type raises TypeError, every one of them', async () => {
    const r = await check('types');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(13);
    for (const l of lines) expect(l).toMatch(/^TypeError /);
  }, FIRST_RUN_MS);

  it('an I2C NACK raises edge.i2c.I2CError with .code no-acknowledge and .detail address', async () => {
    const r = await check('nack');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('edge.i2c.I2CError code=no-acknowledge detail=address edge=True');
  }, FIRST_RUN_MS);

  it('a bus the host does not have raises AccessError not-found', async () => {
    const r = await check('access');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('AccessError code=not-found detail=no-such-bus');
  }, FIRST_RUN_MS);

  it('a missing camera raises edge.sensor.SensorError not-found', async () => {
    const r = await check('camera');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('SensorError code=not-found detail=no-such-camera');
  }, FIRST_RUN_MS);

  it('the other interfaces\' WIT errors raise their classes with their codes', async () => {
    const r = await check('errors');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      'vision.Image.from_encoded(junk): edge.vision.VisionError decode-failed',
      'nn.load(nope): edge.nn.NNError not-found',
      'spi.open(nope): edge.spi.SPIError other',
      'sensor.Pool(size 0): edge.sensor.PoolError invalid-argument',
      'image.crop(outside): edge.vision.VisionError out-of-bounds',
      'config.get(missing): None',
    ]);
  }, FIRST_RUN_MS);

  it('a `with` block closes the bus: closed is True and a later call raises ValueError', async () => {
    const r = await check('closed');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['chip 60', 'closed True', 'ValueError edge.i2c.Bus is closed']);
  }, FIRST_RUN_MS);

  it('garbage collection drops a bus the app never closed: 40 opened under a limit of 4 open', async () => {
    const config = { i2c: { maxHandles: 4 } };
    const r = await runGuest('py-checks', { ...config, wasi: { args: ['py-checks', 'gc'] } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('opened 40 buses, closed none');
    // Not vacuous: the same limit refuses the fifth bus when the app keeps them.
    const kept = await runGuest('py-checks', { ...config, wasi: { args: ['py-checks', 'keep'] } });
    expect(kept.code).toBe(1);
    expect(kept.stderr).toMatch(/edge\.i2c\.AccessError: unavailable: .*limit is 4/);
  }, FIRST_RUN_MS);

  it('the I2C example reads the chip id and reports the NACK at the other address', async () => {
    const r = await runGuest('py-i2c_example');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('i2c-sim0 0x76: chip id 0x60');
    expect(r.stdout).toContain('i2c-sim0 0x77: no-acknowledge (address)');
  }, FIRST_RUN_MS);
});

describe('MicroPython groundwork: setjmp/longjmp over binaryen asyncify, without wasm exceptions', () => {
  it('three setjmp → longjmp rounds from six to eight calls deep return 0, then 42, and run nothing after the longjmp', async () => {
    const r = await runGuest('asyncify_setjmp');
    expect(r.trap).toBeUndefined();
    expect(r.code, r.stderr).toBe(0);
    const expected = [0, 1, 2].flatMap((round) => [
      `round ${round}: setjmp returned 0, changed=${7 + round}`,
      'longjmp from the bottom',
      `round ${round}: setjmp returned 42 after longjmp, changed=${8 + round}`,
    ]);
    expect(r.stdout.trim().split('\n')).toEqual([...expected, 'done, code run after a longjmp: 0']);
  }, FIRST_RUN_MS);
});
