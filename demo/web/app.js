// The demo page: runs facedetect.wasm in a worker (wasi-edge-host's browser build) on the fixture
// images or the webcam, and draws each frame with the boxes the component printed, the frame rate
// and the inference time (the component's own per-stage timing, FACEDETECT_TIMING=1).
// Query: ?source=images|webcam&frames=N (0 = until stopped) &autostart=0 to wait for the button.
import { startComponent } from '/dist/web/wasi-edge-host.js';

const IMAGES = ['frame-0-astronaut.png', 'frame-1-chelsea.png', 'frame-2-coffee.png'].map((f) => `/fixtures/demo/camera/${f}`);
const MODEL = '/fixtures/models/blazeface-128.onnx';
const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);
const canvas = $('view');
const ctx = canvas.getContext('2d');
const state = (window.demoState = { frames: 0, boxesDrawn: 0, lastImage: '', fps: 0, inferMs: 0, error: '' });

const images = await Promise.all(IMAGES.map((src) => new Promise((resolve, reject) => {
  const img = new Image();
  img.onload = () => resolve(img);
  img.onerror = () => reject(new Error(`cannot load ${src}`));
  img.src = src;
})));

let running;
let video;
const times = [];

function log(text) {
  const el = $('log');
  el.textContent = (el.textContent + text).split('\n').slice(-200).join('\n');
  el.scrollTop = el.scrollHeight;
}

function draw(source, width, height, line) {
  canvas.width = width;
  canvas.height = height;
  ctx.drawImage(source, 0, 0, width, height);
  ctx.lineWidth = Math.max(2, width / 200);
  ctx.font = `${Math.max(12, width / 40)}px system-ui`;
  for (const f of line.faces) {
    ctx.strokeStyle = '#3f3';
    ctx.strokeRect(f.box.x, f.box.y, f.box.w, f.box.h);
    ctx.fillStyle = '#3f3';
    ctx.fillText(f.score.toFixed(2), f.box.x, Math.max(12, f.box.y - 4));
    state.boxesDrawn++;
  }
}

function onLine(line, source) {
  if (!line.startsWith('{"frame"')) return;
  const r = JSON.parse(line);
  state.frames++;
  const now = performance.now();
  times.push(now);
  while (times.length > 1 && now - times[0] > 3000) times.shift();
  state.fps = times.length > 1 ? ((times.length - 1) * 1000) / (now - times[0]) : 0;
  state.inferMs = r.us ? r.us.infer / 1000 : 0;
  $('frames').textContent = state.frames;
  $('fps').textContent = state.fps.toFixed(1);
  $('infer').textContent = state.inferMs.toFixed(1);
  $('faces').textContent = r.faces.length;
  $('temp').textContent = r.temperature === null ? '–' : `${r.temperature.toFixed(1)} °C`;
  if (source === 'images') {
    const img = images[r.frame % images.length];
    state.lastImage = img.src;
    draw(img, img.naturalWidth, img.naturalHeight, r);
  } else if (video) {
    state.lastImage = 'webcam';
    draw(video, 640, 480, r);
  }
}

function start() {
  const source = $('source').value;
  const frames = params.get('frames') ?? '0';
  const camera = source === 'images'
    ? { kind: 'image-fixture', directory: '/fixtures/demo/camera', loop: true, fps: [5, 1] }
    : { kind: 'webcam', width: 640, height: 480, fps: [15, 1] };
  const config = {
    sensor: { devices: { 'camera:0': camera } },
    wasi: { preopens: { '/out': '/out' }, env: { FACEDETECT_TIMING: '1' }, args: ['facedetect', frames] },
  };
  const files = { [MODEL]: MODEL };
  for (const src of IMAGES) files[src] = src;
  let pending = '';
  $('start').disabled = true;
  $('stop').disabled = false;
  state.error = '';
  const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  running = startComponent('/dist/web/components/facedetect/', config, {
    files,
    stdio: {
      stdout: (bytes) => {
        const text = decoders.stdout.decode(bytes, { stream: true });
        log(text);
        pending += text;
        const lines = pending.split('\n');
        pending = lines.pop();
        for (const l of lines) onLine(l, source);
      },
      stderr: (bytes) => log(decoders.stderr.decode(bytes, { stream: true })),
    },
    webcam: { onFrame: (v) => (video = v) },
  });
  running.done.then(
    (r) => log(`\n[exit ${r.code}${r.trap ? ` trap: ${r.trap}` : ''}]\n`),
    (e) => {
      if (e.message !== 'terminated') {
        state.error = e.message;
        log(`\n[error] ${e.message}\n`);
      }
    },
  ).finally(() => {
    $('start').disabled = false;
    $('stop').disabled = true;
  });
}

$('start').onclick = start;
$('stop').onclick = () => running?.terminate();
if (params.get('source')) $('source').value = params.get('source');
if (params.get('autostart') !== '0') start();
