#!/usr/bin/env node
// `npm run demo:stream`: the face-detection app on a live camera. ffmpeg plays
// fixtures/demo/stream/pan-zoom.mp4 in real time (-re, looping) as camera:0, the app
// (fixtures/components/facedetect.wasm) boxes the faces of every frame into out/stream/, a status
// line shows frames, frames/s, faces and temperature as they come; at the end each frame gets its
// faces' scores and the temperature written on it (scripts/frame-labels.mjs) and ffmpeg turns the
// annotated frames into out/stream.gif. FRAMES=<n> sets how many frames (default 90: 3 s);
// STREAM_OUT=<dir> writes the frames to <dir>/ and the GIF to <dir>.gif instead of out/stream;
// VISION_BACKEND=auto|sharp|typescript picks wasi:vision's image backend (bench/stream.bench.mjs).
// Needs `npm run build` and ffmpeg with libx264 (Debian: apt-get install ffmpeg).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile, writeFile } from 'node:fs/promises';
import { runComponent } from '../dist/index.js';
import { decodeImage, encodePng } from '../dist/vision/index.js';
import { drawLabel, frameLabels } from './frame-labels.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VIDEO = join(ROOT, 'fixtures/demo/stream/pan-zoom.mp4');
const OUT = process.env.STREAM_OUT ?? join(ROOT, 'out/stream');
const GIF = `${OUT}.gif`;
const FRAMES = Number(process.env.FRAMES ?? 90);
const VISION_BACKEND = process.env.VISION_BACKEND ?? 'auto';

if (!Number.isInteger(FRAMES) || FRAMES < 1) {
  console.error(`demo:stream: FRAMES must be a positive integer, got ${process.env.FRAMES}`);
  process.exit(2);
}
if (!['auto', 'sharp', 'typescript'].includes(VISION_BACKEND)) {
  console.error(`demo:stream: VISION_BACKEND must be auto, sharp or typescript, got ${VISION_BACKEND}`);
  process.exit(2);
}
if (!existsSync(join(ROOT, 'dist/index.js'))) {
  console.error('demo:stream: dist/ is missing; run npm run build first');
  process.exit(2);
}
mkdirSync(OUT, { recursive: true });
for (const f of readdirSync(OUT)) if (/^frame-\d+\.png$/.test(f)) rmSync(join(OUT, f));

const tty = process.stdout.isTTY;
const arrivals = [];
let frames = 0, faces = 0, pending = '', firstArrival = 0, lastArrival = 0;
/** The app's JSON line of each frame, by the camera's frame number (its PNG is frame-<number>.png). */
const lines = new Map();
function status(line) {
  const f = JSON.parse(line);
  lines.set(f.frame, f);
  const now = performance.now();
  if (!firstArrival) firstArrival = now;
  lastArrival = now;
  arrivals.push(now);
  while (arrivals.length > 1 && now - arrivals[0] > 1000) arrivals.shift();
  frames++;
  faces += f.faces.length;
  const fps = arrivals.length > 1 ? ((arrivals.length - 1) * 1000) / (now - arrivals[0]) : 0;
  const best = f.faces.reduce((m, x) => Math.max(m, x.score), 0);
  const text = `frame ${String(f.frame).padStart(5)}  ${String(frames).padStart(4)}/${FRAMES}  ${fps.toFixed(1).padStart(5)} fps  ` +
    `faces ${f.faces.length}${f.faces.length ? ` (best ${best.toFixed(2)})` : '          '}  ${f.temperature === null ? 'temp n/a' : `${f.temperature.toFixed(2)} °C`}`;
  if (tty) process.stdout.write(`\r${text}`);
  else if (frames % 30 === 0 || frames === FRAMES) console.log(text);
}

const started = performance.now();
const result = await runComponent(join(ROOT, 'fixtures/components/facedetect.wasm'), {
  sensor: {
    devices: {
      'camera:0': { kind: 'ffmpeg', device: VIDEO, input: ['-re', '-stream_loop', '-1', '-i', '{device}'], width: 512, height: 512 },
    },
  },
  vision: { backend: VISION_BACKEND },
  wasi: { args: ['facedetect', String(FRAMES)], preopens: { '/out': OUT } },
}, {
  stdio: {
    stdout: (chunk) => {
      pending += Buffer.from(chunk).toString('utf8');
      for (let i; (i = pending.indexOf('\n')) >= 0; pending = pending.slice(i + 1)) {
        const line = pending.slice(0, i);
        if (line.startsWith('{"frame"')) status(line);
      }
    },
    stderr: (chunk) => process.stderr.write(chunk),
  },
});
if (tty) process.stdout.write('\n');
const seconds = (performance.now() - started) / 1000;
if (result.code !== 0) {
  console.error(`demo:stream: the app exited with ${result.trap ?? `code ${result.code}`}`);
  process.exit(1);
}
// Once running: from the first frame's line to the last, what the app keeps up with on this machine
// (at most the camera's 30 frames/s; start-up is the transpile and the model load).
const running = frames > 1 ? ((frames - 1) * 1000) / (lastArrival - firstArrival) : 0;
console.log(`${frames} frames in ${seconds.toFixed(1)} s (${(frames / seconds).toFixed(1)} frames/s with start-up, ` +
  `${running.toFixed(1)} once running), ${faces} faces; annotated frames in ${OUT}/`);

// The labels: sharp (an optional dependency) decodes and encodes where it is installed, the
// library's own codecs elsewhere; the pixels are drawn the same way on both.
const sharp = await import('sharp').then((m) => m.default, () => undefined);
async function label(file, line) {
  const png = await readFile(file);
  let raster;
  if (sharp) {
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    raster = { width: info.width, height: info.height, format: 'rgb24', data, planes: [{ offset: 0, stride: info.width * 3 }] };
  } else {
    raster = decodeImage(png, 1 << 24);
  }
  for (const l of frameLabels(line)) drawLabel(raster, l.x, l.y, l.text, l.color);
  const out = sharp
    ? await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 3 } }).png().toBuffer()
    : encodePng(raster);
  await writeFile(file, out);
}
let labelled = 0;
for (const f of readdirSync(OUT)) {
  const m = /^frame-(\d+)\.png$/.exec(f);
  const line = m && lines.get(Number(m[1]));
  if (!line) continue;
  await label(join(OUT, f), line);
  labelled++;
}
if (labelled !== frames) {
  console.error(`demo:stream: labelled ${labelled} of ${frames} frames (a frame's PNG or JSON line is missing)`);
  process.exit(1);
}

const gif = spawnSync('ffmpeg', [
  '-hide_banner', '-loglevel', 'error', '-y', '-framerate', '30', '-pattern_type', 'glob', '-i', join(OUT, 'frame-*.png'),
  '-vf', 'fps=15,scale=256:-1:flags=lanczos,split[a][b];[a]palettegen=max_colors=128[p];[b][p]paletteuse', GIF,
], { stdio: ['ignore', 'inherit', 'inherit'] });
if (gif.status !== 0) {
  console.error('demo:stream: ffmpeg could not make out/stream.gif');
  process.exit(1);
}
console.log(`${GIF}: the annotated frames at 15 frames/s, 256x256`);
