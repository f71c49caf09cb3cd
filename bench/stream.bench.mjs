// The live stream demo's frame rate (issue figure "the stream demo's fps", report): scripts/demo-stream.mjs
// plays the 30 frames/s fixture video as a live ffmpeg camera and the face-detection app runs on it;
// the figure is frames processed per second once running (first frame's line to the last), so at most
// the camera's 30. Run with wasi:vision on sharp and on the TypeScript fallback, alternately, 3 times
// each; the median is reported. Needs ffmpeg with libx264 (it is skipped with a message otherwise).
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT, benchTempDir, median } from './lib.mjs';

const FRAMES = 150;

function once(backend, dir) {
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts/demo-stream.mjs')], {
    env: { ...process.env, FRAMES: String(FRAMES), STREAM_OUT: join(dir, `${backend}-${Date.now()}`), VISION_BACKEND: backend },
    encoding: 'utf8',
    timeout: 300_000,
  });
  const m = /\(([\d.]+) frames\/s with start-up, ([\d.]+) once running\)/.exec(run.stdout);
  if (run.status !== 0 || !m) throw new Error(`demo:stream (${backend}) failed: ${run.stderr || run.stdout}`);
  return Number(m[2]);
}

export default async function streamBench() {
  const encoders = spawnSync('ffmpeg', ['-hide_banner', '-encoders'], { encoding: 'utf8' });
  if (encoders.status !== 0 || !/libx264/.test(encoders.stdout)) {
    process.stderr.write('bench: stream skipped (needs ffmpeg with libx264)\n');
    return {};
  }
  const dir = benchTempDir('bench-stream-');
  const fps = { sharp: [], typescript: [] };
  for (let i = 0; i < 3; i++) for (const backend of ['sharp', 'typescript']) fps[backend].push(once(backend, dir));
  const load = loadavg()[0].toFixed(1);
  const what = (backend) => `npm run demo:stream, ${FRAMES} frames of the 30 fps fixture video as a live ffmpeg camera, ` +
    `vision.backend ${backend}: frames/s once running (median of 3: ${fps[backend].map((v) => v.toFixed(1)).join(', ')}; ` +
    `the camera drops what the app has no time for; PNG encode and write included), load average ${load}`;
  return {
    stream_demo_fps: { value: median(fps.sharp), goal: 'report', what: what('sharp') },
    stream_demo_fps_ts: { value: median(fps.typescript), goal: 'report', what: what('typescript') },
  };
}
