// Judges the x86 board's camera checks (guest.sh): the hw-v4l2 component through `wasi-edge run`
// on vivid, the SensorDevice contract on the V4L2 backend, and the bench figures, which it keeps in
// .work/v4l2-bench.json for bench/v4l2.bench.mjs. Expected values are written here from what vivid
// is (its webcam sizes, 30 fps) and from the formats' sizes, not taken from the library.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes per pixel of the buffer-pool formats the guest asks for (wasi:buffer-pool data-types). */
const BPP = { gray: 1, rgb24: 3, bgr24: 3, yuy2: 2 };
const SIZES = [[320, 180], [640, 360]];
/** The rate the guest asks for and how far the measured one may be off (TCG, a busy machine). */
const FPS = 30;
const FPS_TOLERANCE = 0.15;

export function judgeV4l2(board, outDir, { report, readCheck, judgeGuest, judgeContracts, work }) {
  let ok = judgeV4l2Node(board, readCheck(outDir, 'v4l2-caps'), report);
  ok = judgeV4l2Guest(board, 'wasi-edge run hw-v4l2', readCheck(outDir, 'v4l2'), { report, judgeGuest }) && ok;
  ok = judgeContracts(board, readCheck(outDir, 'v4l2-contracts'), ['SensorDevice']) && ok;
  const bench = readCheck(outDir, 'v4l2-bench');
  const line = bench.out.split('\n').find((l) => l.startsWith('V4L2-BENCH '));
  let figures;
  try {
    figures = line && JSON.parse(line.slice('V4L2-BENCH '.length));
  } catch {
    figures = undefined;
  }
  const v = figures?.v4l2;
  ok = report(board, 'v4l2 host-memory path copies no pixel (counted by the device)', v?.frames > 0 && v.copiesPerFrame === 0, v ? `${v.frames} frames, ${v.copiesPerFrame} copies per frame, ${v.held} held` : bench.err.trim().slice(-300)) && ok;
  const f = figures?.ffmpeg;
  ok = report(board, 'v4l2 vs ffmpeg CPU per frame measured on the same vivid stream', v?.cpuNsPerFrame > 0 && f?.cpuNsPerFrame > 0,
    v && f?.cpuNsPerFrame ? `native ${(v.cpuNsPerFrame / 1e6).toFixed(2)} ms, ffmpeg ${(f.cpuNsPerFrame / 1e6).toFixed(2)} ms per frame: ratio ${(v.cpuNsPerFrame / f.cpuNsPerFrame).toFixed(3)}; latency median ${v.latencyMedianMs?.toFixed(2)} ms` : JSON.stringify(f ?? bench.err.trim().slice(-300))) && ok;
  // Every measured frame must have found its DQBUF (the bench's kernel wrapper): a frame that did
  // not means the stamps the wrapper keys by are not the ones the device delivers.
  ok = report(board, 'v4l2 dequeue-to-delivery time measured for every frame', v?.frames > 0 && v.dequeueMatched === v.frames,
    v ? `${v.dequeueMatched} of ${v.frames} frames matched (${v.dequeueUnmatched} not): median ${v.dequeueMedianMs?.toFixed(3)} ms, p95 ${v.dequeueP95Ms?.toFixed(3)} ms` : bench.err.trim().slice(-300)) && ok;
  if (v && f?.cpuNsPerFrame) {
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, 'v4l2-bench.json'), JSON.stringify({ date: new Date().toISOString(), ...figures }, null, 2) + '\n');
  }
  return ok;
}

/** The capture node the checks use is vivid's (instance 0, its webcam input). */
export function judgeV4l2Node(board, caps, report) {
  return report(board, 'video0 is vivid\'s capture node', /^vivid-000-vid-cap/.test(caps.out.trim()), caps.out.trim() || caps.err.trim());
}

/**
 * The hw-v4l2 component's run (guests/c/hw-v4l2.c) on vivid's webcam input, the same on every board:
 * every format at two sizes, the refusals, the rate, busy, the sequence numbers, unbind and rebind.
 */
export function judgeV4l2Guest(board, step, run, { report, judgeGuest }) {
  let ok = true;
  const expected = { open: 'ok' };
  for (const f of Object.keys(BPP)) {
    for (const [w, h] of SIZES) {
      const bytes = w * h * BPP[f];
      expected[`format ${f} ${w}x${h}`] = `ok 3 frames, 3 host-memory, ${bytes} bytes (expected ${bytes}), in order`;
    }
  }
  Object.assign(expected, {
    // vivid lists six webcam sizes; 334x222 is none of them.
    'unlisted-size': 'err not-supported',
    // vivid has no compressed format, and the host has no JPEG encoder on this path.
    mjpeg: 'err out-of-range',
    rate: /^ok \d+ mfps over \d+ frames$/,
    'second-user': 'err busy',
    sequence: /^ok largest jump \d+ \([\d ]+\), enqueued \d+ dequeued 5 dropped \d+$/,
    'nv12-to-rgb24': 'ok 320x180 rgb24 172800 bytes',
    unbind: 'request',
    unbound: /^err hardware-error after \d+ more frames$/,
    'start-while-unbound': 'err hardware-error',
    rebind: 'request',
    'after-rebind': 'ok 2 frames',
    done: 'ok',
  });
  ok = judgeGuest(board, step, run, expected) && ok;
  const lines = new Map(run.out.split('\n').map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
  const mfps = Number(/^ok (\d+) mfps/.exec(lines.get('rate') ?? '')?.[1]);
  ok = report(board, `v4l2 frame rate ${FPS} fps within ${FPS_TOLERANCE * 100}% (driver timestamps)`, Math.abs(mfps / 1000 - FPS) <= FPS * FPS_TOLERANCE, `${mfps / 1000} fps`) && ok;
  const seq = /^ok largest jump (\d+) .*, enqueued (\d+) dequeued (\d+) dropped (\d+)$/.exec(lines.get('sequence') ?? '');
  if (seq) {
    const [jump, enq, deq, drop] = seq.slice(1).map(Number);
    // 1 s unread at 30 fps: about 30 frames went by and the driver kept 4; the jump is the rest, and
    // the statistics count every frame (at most the pool's 2 still queued at the stop).
    ok = report(board, 'v4l2 sequence numbers jump by the frames the driver dropped, all counted', jump >= 15 && enq - deq - drop >= 0 && enq - deq - drop <= 2, lines.get('sequence')) && ok;
  }
  return ok;
}

