/**
 * The JavaScript face detector (guests/js/facedetect, fixtures/components/js-facedetect.wasm) gives
 * the C app's faces on the demo camera (astronaut, cat, coffee): the same JSON lines apart from the
 * camera's timestamps, and the same PNGs. And the JavaScript library turns WIT errors into
 * exceptions with a `code`, never a trap: an I2C NACK, a missing camera, a bad model.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EdgeHost } from '../../src/host/create-host.js';
import { ROOT, runGuest } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';

const CAMERA_DIR = join(ROOT, 'fixtures/demo/camera');
// The first run of a 15 MB JavaScript component transpiles it (later runs use the cache).
const FIRST_RUN_MS = 300_000;

async function runApp(name: string, opts: { out?: string; env?: Record<string, string>; args?: string[]; nn?: unknown } = {}) {
  let host: EdgeHost | undefined;
  const r = await runGuest(
    name,
    {
      sensor: { devices: { 'camera:0': { kind: 'image-fixture', directory: CAMERA_DIR, loop: false, fps: [20, 1] } } },
      ...(opts.nn ? { nn: opts.nn } : {}),
      wasi: { preopens: opts.out ? { '/out': opts.out } : {}, args: [name, ...(opts.args ?? [])], env: { OUT_DIR: opts.out ? '/out' : '-', ...opts.env } },
    },
    { onHost: (h) => (host = h) },
  );
  const lines = r.stdout.split('\n').filter((l) => l.trim());
  return { ...r, lines, lowered: host!.services.counters.pixelBytesLowered };
}

/** The frame lines without the camera's timestamps (each run has its own device clock). */
const frameLines = (lines: string[]) => lines.filter((l) => l.startsWith('{"frame"')).map((l) => l.replace(/"timestamp":\d+/, '"timestamp":0'));
const summary = (lines: string[]) => (JSON.parse(lines.find((l) => l.startsWith('{"summary"')) ?? '{}') as { summary?: Record<string, unknown> }).summary;

describe('js-facedetect on the demo camera, against the C app', () => {
  const jsOut = tempDir('js-facedetect');
  const cOut = tempDir('c-facedetect');
  let js: Awaited<ReturnType<typeof runApp>>;
  let c: Awaited<ReturnType<typeof runApp>>;

  beforeAll(async () => {
    js = await runApp('js-facedetect', { out: jsOut });
    c = await runApp('facedetect', { out: cOut });
  }, FIRST_RUN_MS);

  it('prints the C app\'s frame lines, character for character but the timestamps', () => {
    expect(js.code, js.stderr).toBe(0);
    expect(c.code, c.stderr).toBe(0);
    expect(frameLines(js.lines)).toHaveLength(3);
    expect(frameLines(js.lines)).toEqual(frameLines(c.lines));
    // Not vacuous: one face on the astronaut, none on the cat or the cup, 21.5 °C from the BME280.
    const faces = frameLines(js.lines).map((l) => (JSON.parse(l) as { faces: unknown[]; temperature: number }));
    expect(faces.map((f) => f.faces.length)).toEqual([1, 0, 0]);
    expect(faces.every((f) => f.temperature === 21.5)).toBe(true);
  });

  it('keeps the camera\'s 20 frames/s timestamps and ends with the same summary', () => {
    const ts = js.lines.filter((l) => l.startsWith('{"frame"')).map((l) => (JSON.parse(l) as { timestamp: number }).timestamp);
    expect(ts[1]! - ts[0]!).toBe(50_000_000);
    const { seconds: _js, app: jsApp, ...jsRest } = summary(js.lines)!;
    const { seconds: _c, app: cApp, ...cRest } = summary(c.lines)!;
    expect([jsApp, cApp]).toEqual(['js-facedetect', 'facedetect']);
    expect(jsRest).toEqual(cRest);
    expect(jsRest).toMatchObject({ camera: 'camera:0', frames: 3, faces: 1, images_written: 3 });
  });

  it('writes the very same PNGs (boxes drawn by the host, in the same places)', () => {
    const files = readdirSync(jsOut).sort();
    expect(files).toEqual(['frame-000000.png', 'frame-000001.png', 'frame-000002.png']);
    expect(readdirSync(cOut).sort()).toEqual(files);
    for (const f of files) expect(readFileSync(join(jsOut, f)).equals(readFileSync(join(cOut, f))), f).toBe(true);
  });

  it('takes the frames as host memory: no pixel is lowered into the JavaScript guest', () => {
    expect(js.lowered).toBe(0);
  });
});

describe('WIT errors are JavaScript exceptions with a code, never a trap', () => {
  it('an I2C NACK: write-read throws EdgeError no-acknowledge (address)', async () => {
    const ok = await runGuest('js-i2c-spi', {}, {}).then((r) => r);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('{"i2c":{"bus":"i2c-sim0","address":118,"chip":"bme280","temperature":21.5}}');
    // The C SPI guest reads the same flash: the JavaScript one prints its JEDEC ID.
    const cSpi = await runGuest('spi_flash');
    const id = /flash JEDEC ID: (\w\w) (\w\w) (\w\w)/.exec(cSpi.stdout)!.slice(1).join('');
    expect(ok.stdout).toContain(`{"spi":{"device":"spi-flash0","jedec_id":"${id}"}}`);

    const r = await runGuest('js-i2c-spi', { wasi: { env: { BME280_ADDRESS: '0x77' } } });
    expect(r.trap).toBeUndefined();
    expect(r.code).toBe(1);
    const last = JSON.parse(r.stdout.trim().split('\n').pop()!) as unknown;
    expect(last).toEqual({ error: { name: 'EdgeError', op: 'write-read', code: 'no-acknowledge', detail: 'address' } });
  }, FIRST_RUN_MS);

  it('a missing camera: device.open throws EdgeError not-found, and the app names the cameras there are', async () => {
    const r = await runApp('js-facedetect', { env: { CAMERA: 'nope:0' } });
    expect(r.trap).toBeUndefined();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('js-facedetect: device.open(nope:0): not-found: no camera "nope:0"; this host has: camera:0');
    expect(r.lines).toEqual([]);
  }, FIRST_RUN_MS);

  it('a bad model: load-by-name throws EdgeError invalid-encoding with the host\'s message', async () => {
    const junk = join(ROOT, 'conformance/nn/models/junk.bin');
    const r = await runApp('js-facedetect', { nn: { models: { blazeface: { path: junk, encoding: 'onnx' } } } });
    expect(r.trap).toBeUndefined();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^js-facedetect: load-by-name blazeface: invalid-encoding: .+/m);
    // Field mode lives through it as the C app does: frames without faces, the failures as events.
    const field = (app: string) => runApp(app, { env: { KEEP_GOING: '1' }, nn: { models: { blazeface: { path: junk, encoding: 'onnx' } } } });
    const [jsField, cField] = [await field('js-facedetect'), await field('facedetect')];
    expect(jsField.code, jsField.stderr).toBe(0);
    expect(JSON.parse(jsField.lines[0]!)).toMatchObject({ event: 'model-failed', frames: 0, error: expect.stringMatching(/^invalid-encoding: /) });
    expect(frameLines(jsField.lines).map((l) => JSON.parse(l) as { faces: unknown[]; model: boolean })).toEqual(
      Array.from({ length: 3 }, () => expect.objectContaining({ faces: [], model: false })),
    );
    const events = (lines: string[]) => lines.filter((l) => l.startsWith('{"event"'));
    expect(events(jsField.lines)).toHaveLength(2); // at start, and again at frame 0 (every 10 frames)
    expect(events(jsField.lines)).toEqual(events(cField.lines));
    expect(frameLines(jsField.lines)).toEqual(frameLines(cField.lines));
    const { seconds: _a, app: _b, ...jsSummary } = summary(jsField.lines)!;
    const { seconds: _c, app: _d, ...cSummary } = summary(cField.lines)!;
    expect(jsSummary).toEqual(cSummary);
  }, FIRST_RUN_MS);
});
