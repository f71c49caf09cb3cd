/**
 * `npm run demo:stream` (scripts/demo-stream.mjs) end to end, where ffmpeg with libx264 is installed
 * (CI has it; `npm test` needs no Debian package, so elsewhere this is skipped with the reason): the
 * video plays as a live ffmpeg camera, the app boxes the astronaut's face in the first frames, the
 * status lines count the frames, the frames get their labels, and the annotated frames become a GIF. Uses dist/ (npm test builds it).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/vision/index.js';
import { ROOT } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';

const encoders = spawnSync('ffmpeg', ['-hide_banner', '-encoders'], { encoding: 'utf8' });
const noFfmpeg = encoders.status !== 0 ? 'ffmpeg is not installed' : /libx264/.test(encoders.stdout) ? undefined : 'ffmpeg has no libx264';

describe.skipIf(noFfmpeg !== undefined)(`demo:stream${noFfmpeg ? ` (${noFfmpeg})` : ''}`, () => {
  it('plays the video as a live camera, boxes faces, reports each frame and writes the GIF', () => {
    const out = join(tempDir('demo-stream'), 'stream');
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts/demo-stream.mjs')], {
      env: { ...process.env, FRAMES: '6', STREAM_OUT: out },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(0);
    // Not a terminal: the status line is printed for the last frame.
    expect(run.stdout).toMatch(/frame +\d+ +6\/6 +[\d.]+ fps +faces \d/);
    const summary = /^6 frames in [\d.]+ s \([\d.]+ frames\/s with start-up, [\d.]+ once running\), (\d+) faces/m.exec(run.stdout);
    expect(summary, run.stdout).not.toBeNull();
    // The first second is the astronaut: the app finds her face in at least one of these frames (which
    // frames it gets depends on how fast it runs: a live camera drops what the app has no time for).
    expect(Number(summary![1])).toBeGreaterThanOrEqual(1);
    const pngs = readdirSync(out).filter((f) => /^frame-\d{6}\.png$/.test(f));
    expect(pngs).toHaveLength(6);
    // Each frame carries its label in the top-left corner ("#<frame> <temperature>", white on black,
    // 2 px padding, scale 2): the '#' glyph's first row is ".#.#.", so (2,2) is black, (4,2) white.
    for (const f of pngs) {
      const img = decodeImage(readFileSync(join(out, f)), 1 << 20);
      const px = (x: number, y: number) => [...img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3)];
      expect([px(2, 2), px(4, 2)], f).toEqual([[0, 0, 0], [255, 255, 255]]);
    }
    expect(readFileSync(`${out}.gif`).subarray(0, 6).toString('latin1')).toBe('GIF89a');
  });
});
