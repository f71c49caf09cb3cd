/**
 * The face-detection edge app (guests/c/facedetect.c) and its on-sensor-AI variant
 * (facedetect_ai.c) on real data: the demo camera plays astronaut, chelsea (a cat) and coffee.
 *
 * The reference is computed here, independently of the library: PNG decoded with fast-png, resized
 * with a bilinear written in this file, BlazeFace run directly through onnxruntime-node, anchors
 * decoded and NMS'd by a decoder written in this file.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EdgeHost } from '../../src/host/create-host.js';
import { decodeTensorBlob } from '../../src/sensor/devices/ai-camera.js';
import { parseSensorConfig } from '../../src/sensor/config.js';
import { ROOT, runGuest } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';

const CAMERA_DIR = join(ROOT, 'fixtures/demo/camera');
const MODEL = join(ROOT, 'fixtures/models/blazeface-128.onnx');

// ---------------------------------------------------------------- independent reference

interface Box { x: number; y: number; w: number; h: number }
interface Face { score: number; box: Box }

/** RGB image → [1,128,128,3] in [-1, 1]: bilinear with pixel centres aligned (half-pixel). */
function preprocess(rgb: Uint8Array, width: number, height: number, channels: number): Float32Array {
  const out = new Float32Array(128 * 128 * 3);
  for (let y = 0; y < 128; y++) {
    const sy = Math.min(Math.max((y + 0.5) * (height / 128) - 0.5, 0), height - 1);
    const y0 = Math.floor(sy), y1 = Math.min(y0 + 1, height - 1), fy = sy - y0;
    for (let x = 0; x < 128; x++) {
      const sx = Math.min(Math.max((x + 0.5) * (width / 128) - 0.5, 0), width - 1);
      const x0 = Math.floor(sx), x1 = Math.min(x0 + 1, width - 1), fx = sx - x0;
      for (let c = 0; c < 3; c++) {
        const p = (xx: number, yy: number) => rgb[(yy * width + xx) * channels + c]!;
        const v = (p(x0, y0) * (1 - fx) + p(x1, y0) * fx) * (1 - fy) + (p(x0, y1) * (1 - fx) + p(x1, y1) * fx) * fy;
        out[(y * 128 + x) * 3 + c] = v / 127.5 - 1;
      }
    }
  }
  return out;
}

/** MediaPipe BlazeFace front: 16x16x2 anchors then 8x8x6, centre + offset/128, size/128, sigmoid, greedy NMS. */
function decodeFaces(scores: Float32Array[], boxes: Float32Array[], width: number, height: number, minScore = 0.75, maxIou = 0.3): Face[] {
  const grids = [{ cells: 16, per: 2 }, { cells: 8, per: 6 }];
  const found: Face[] = [];
  grids.forEach(({ cells, per }, g) => {
    for (let i = 0; i < cells * cells * per; i++) {
      const score = 1 / (1 + Math.exp(-Math.max(-100, Math.min(100, scores[g]![i]!))));
      if (score < minScore) continue;
      const cell = Math.floor(i / per);
      const ax = ((cell % cells) + 0.5) / cells, ay = (Math.floor(cell / cells) + 0.5) / cells;
      const b = boxes[g]!.subarray(i * 16, i * 16 + 4);
      const cx = ax + b[0]! / 128, cy = ay + b[1]! / 128, w = b[2]! / 128, h = b[3]! / 128;
      found.push({ score, box: { x: (cx - w / 2) * width, y: (cy - h / 2) * height, w: w * width, h: h * height } });
    }
  });
  found.sort((a, b) => b.score - a.score);
  const kept: Face[] = [];
  for (const f of found) if (kept.every((k) => iou(k.box, f.box) <= maxIou)) kept.push(f);
  return kept;
}

function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  return (w * h) / (a.w * a.h + b.w * b.h - w * h);
}

async function referenceFaces(file: string): Promise<Face[]> {
  const ort = createRequire(import.meta.url)('onnxruntime-node') as typeof import('onnxruntime-node');
  const session = await ort.InferenceSession.create(MODEL, { logSeverityLevel: 3 });
  const png = decode(readFileSync(join(CAMERA_DIR, file)));
  const input = preprocess(png.data as Uint8Array, png.width, png.height, png.channels);
  const out = await session.run({ 'input:0': new ort.Tensor('float32', input, [1, 128, 128, 3]) });
  const f = (name: string) => out[name]!.data as Float32Array;
  await session.release();
  return decodeFaces([f('Identity:0'), f('Identity_1:0')], [f('Identity_2:0'), f('Identity_3:0')], png.width, png.height);
}

// ---------------------------------------------------------------- running the app

interface FrameLine { frame: number; timestamp: number; faces: Face[]; temperature: number | null }

function demoSensor(loop = false) {
  return {
    devices: {
      'camera:0': { kind: 'image-fixture', directory: CAMERA_DIR, loop, fps: [20, 1] },
      'ai-camera:0': { kind: 'ai-camera', directory: CAMERA_DIR, loop, fps: [20, 1], model: MODEL },
    },
  };
}

async function runApp(name: 'facedetect' | 'facedetect_ai', opts: { out?: string; args?: string[]; env?: Record<string, string>; loop?: boolean } = {}) {
  let host: EdgeHost | undefined;
  const r = await runGuest(
    name,
    {
      sensor: demoSensor(opts.loop),
      wasi: { preopens: opts.out ? { '/out': opts.out } : {}, args: [name, ...(opts.args ?? [])], env: { OUT_DIR: opts.out ? '/out' : '-', ...opts.env } },
    },
    { onHost: (h) => (host = h) },
  );
  const lines = r.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
  const frames = lines.filter((l) => 'frame' in l) as unknown as FrameLine[];
  const summary = lines.find((l) => 'summary' in l)?.summary as Record<string, unknown> | undefined;
  return {
    ...r,
    frames,
    summary,
    lowered: host!.services.counters.pixelBytesLowered,
    encoded: host!.services.counters.encodedBytesLowered,
  };
}

// ---------------------------------------------------------------- tests

describe('facedetect app on the demo camera (astronaut, cat, coffee)', () => {
  const out = tempDir('facedetect');
  let plain: Awaited<ReturnType<typeof runApp>>;
  let ai: Awaited<ReturnType<typeof runApp>>;
  let reference: Face[];

  beforeAll(async () => {
    plain = await runApp('facedetect', { out });
    ai = await runApp('facedetect_ai');
    reference = await referenceFaces('frame-0-astronaut.png');
  }, 180_000);

  it('the independent reference finds exactly one face on the astronaut', () => {
    expect(reference).toHaveLength(1);
    expect(reference[0]!.score).toBeGreaterThan(0.85);
  });

  it('plays the non-looping sequence once and stops at its end, with a summary', () => {
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.frames.map((f) => f.frame)).toEqual([0, 1, 2]);
    expect(plain.summary).toMatchObject({ app: 'facedetect', camera: 'camera:0', frames: 3, faces: 1, images_written: 3 });
    const ts = plain.frames.map((f) => f.timestamp);
    expect(ts[1]! - ts[0]!).toBe(50_000_000); // 20 frames/s
  });

  it('finds exactly one face on the astronaut, matching the reference box (IoU >= 0.7)', () => {
    const faces = plain.frames[0]!.faces;
    expect(faces).toHaveLength(1);
    expect(iou(faces[0]!.box, reference[0]!.box)).toBeGreaterThanOrEqual(0.7);
    expect(Math.abs(faces[0]!.score - reference[0]!.score)).toBeLessThan(0.05);
  });

  it('finds no face on the cat or the coffee cup', () => {
    expect(plain.frames[1]!.faces).toEqual([]);
    expect(plain.frames[2]!.faces).toEqual([]);
  });

  it('reads the simulated BME280 temperature over I2C (21.5 °C by default)', () => {
    for (const f of plain.frames) expect(f.temperature).toBeCloseTo(21.5, 1);
  });

  it('lowers no raw pixel into the guest: only the encoded PNGs it writes (host-memory frames end to end)', () => {
    const written = readdirSync(out).reduce((n, f) => n + statSync(join(out, f)).size, 0);
    expect(written).toBeGreaterThan(0);
    expect(plain.lowered).toBe(0);
    expect(plain.encoded).toBe(written);
    expect(ai.lowered).toBe(0); // nothing written, and the tensors are not pixels
    expect(ai.encoded).toBe(0);
  });

  it('writes one PNG per frame with the face box drawn in green', () => {
    expect(readdirSync(out).sort()).toEqual(['frame-000000.png', 'frame-000001.png', 'frame-000002.png']);
    const png = decode(readFileSync(join(out, 'frame-000000.png')));
    const { x, y, w } = plain.frames[0]!.faces[0]!.box;
    const at = (px: number, py: number) => Array.from(png.data.subarray((py * png.width + px) * png.channels, (py * png.width + px) * png.channels + 3));
    expect(at(x + Math.floor(w / 2), y + 1)).toEqual([0, 255, 0]);
    const source = decode(readFileSync(join(CAMERA_DIR, 'frame-1-chelsea.png')));
    expect(Buffer.from(decode(readFileSync(join(out, 'frame-000001.png'))).data).equals(Buffer.from(source.data))).toBe(true);
  });

  it('the on-sensor-AI variant prints the very same faces and temperatures', () => {
    expect(ai.code, ai.stderr).toBe(0);
    expect(ai.summary).toMatchObject({ app: 'facedetect_ai', camera: 'ai-camera:0', frames: 3, faces: 1, images_written: 0 });
    const strip = (fs: FrameLine[]) => fs.map(({ frame, faces, temperature }) => ({ frame, faces, temperature }));
    expect(strip(ai.frames)).toEqual(strip(plain.frames));
  });
});

describe('facedetect app: frame count, camera choice, errors', () => {
  it('takes the frame count from argv, then from FRAMES, on a looping camera', async () => {
    const a = await runApp('facedetect', { args: ['4'], loop: true });
    expect(a.code, a.stderr).toBe(0);
    expect(a.frames.map((f) => f.faces.length)).toEqual([1, 0, 0, 1]);
    const b = await runApp('facedetect_ai', { env: { FRAMES: '2' }, loop: true });
    expect(b.frames).toHaveLength(2);
    expect(b.summary).toMatchObject({ frames: 2 });
  });

  it('names the cameras there are when the one asked for does not exist', async () => {
    const r = await runApp('facedetect', { env: { CAMERA: 'nope:0' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no camera "nope:0"; this host has: camera:0 ai-camera:0');
  });

  it('the AI variant refuses a camera that delivers no tensors', async () => {
    const r = await runApp('facedetect_ai', { args: ['1', 'camera:0'] });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no tensor entry');
  });

  it('runs without temperature when the I2C bus is not there', async () => {
    const r = await runApp('facedetect', { args: ['1'], env: { I2C_BUS: 'missing' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('open-i2c(missing): not-found');
    expect(r.frames[0]!.temperature).toBeNull();
  });
});

describe('ai-camera device configuration and tensor blob', () => {
  it('defaults to BlazeFace at 128x128 and rejects what it cannot feed a model', () => {
    const c = parseSensorConfig({ devices: { ai: { kind: 'ai-camera', directory: CAMERA_DIR } } }, 'sensor', ROOT);
    expect(c.devices.ai).toMatchObject({ kind: 'ai-camera', model: MODEL, inputWidth: 128, inputHeight: 128, offset: -1, threads: 1 });
    expect(() => parseSensorConfig({ devices: { ai: { kind: 'ai-camera', directory: CAMERA_DIR, pixelFormat: 'gray' } } }, 'sensor', ROOT))
      .toThrow(/sensor\.devices\.ai\.pixelFormat/);
    expect(() => parseSensorConfig({ devices: { ai: { kind: 'ai-camera', directory: CAMERA_DIR, modle: 'x' } } }, 'sensor', ROOT))
      .toThrow(/modle/);
  });

  it('a model that cannot be loaded makes device.open fail with hardware-error', async () => {
    const r = await runGuest('facedetect_ai', {
      sensor: { devices: { 'ai-camera:0': { kind: 'ai-camera', directory: CAMERA_DIR, model: join(CAMERA_DIR, 'frame-0-astronaut.png') } } },
      wasi: { args: ['facedetect_ai', '1'], env: { OUT_DIR: '-' } },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('device.open: hardware-error');
  });

  it('blob round trip: names, types, dims and data survive, 4-byte aligned', async () => {
    const { encodeTensorBlob } = await import('../../src/sensor/devices/ai-camera.js');
    const a = new Uint8Array(new Float32Array([1.5, -2]).buffer);
    const blob = encodeTensorBlob([
      { name: 'x', type: 'FP32', dims: [1, 2], data: a },
      { name: 'abcde', type: 'U8', dims: [3], data: new Uint8Array([7, 8, 9]) },
    ]);
    expect(blob.length % 4).toBe(0);
    const back = decodeTensorBlob(blob);
    expect(back.map((t) => [t.name, t.type, t.dims])).toEqual([['x', 1, [1, 2]], ['abcde', 4, [3]]]);
    expect(Array.from(back[0]!.data)).toEqual(Array.from(a));
    expect(Array.from(back[1]!.data)).toEqual([7, 8, 9]);
    expect(() => decodeTensorBlob(new Uint8Array(12))).toThrow(/not a version-1 tensor blob/);
  });
});
