// The native V4L2 backend's figures, measured inside the QEMU suite on the kernel's vivid camera
// (this machine's kernel has no V4L2 camera): `npm run test:hardware` (x86 board) runs
// test/hardware/x86/v4l2-bench.mjs in the VM and keeps what it measured in
// test/hardware/.work/v4l2-bench.json; this folds that file into bench/results.json. Without the
// file (no hardware run here) the figures already in bench/results.json are kept as they are.
//   v4l2_copies_per_frame:     pixel copies per frame on the host-memory path, counted by the device
//                              (copies / frames dequeued, 640x360 YUYV at 30 fps, 90 frames after a warm-up of 15
//                              from the moment the device's own thread first signals a frame)
//   v4l2_vs_ffmpeg_cpu_ratio:  CPU time per frame, native backend / ffmpeg backend on the same stream
//                              (process.cpuUsage of the host process, plus the schedstat of every
//                              ffmpeg thread)
//   v4l2_capture_to_delivery_ms: median time from the driver's capture timestamp to the frame's
//                              delivery to a host-memory pool reader
//   v4l2_dequeue_to_delivery_ms: median host time from the moment DQBUF returned the frame's buffer
//                              to the moment pool.read gave the frame to its reader (native backend;
//                              the bench's wrapper around the device's kernel records DQBUF's time)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

const MEASURED = join(ROOT, 'test/hardware/.work/v4l2-bench.json');
const NAMES = ['v4l2_copies_per_frame', 'v4l2_vs_ffmpeg_cpu_ratio', 'v4l2_capture_to_delivery_ms', 'v4l2_dequeue_to_delivery_ms'];

/** " (main thread 11.2, other threads 6.3)": where the host process's CPU per frame went, when measured. */
function threads(side) {
  const t = side.threadMsPerFrame;
  if (!t || !('main' in t)) return '';
  const other = Object.entries(t).filter(([k]) => k !== 'main').reduce((n, [, v]) => n + v, 0);
  return ` (main thread ${t.main.toFixed(2)}, other threads ${other.toFixed(2)})`;
}

export default async function v4l2Bench() {
  if (!existsSync(MEASURED)) {
    process.stderr.write('bench: v4l2: no test/hardware/.work/v4l2-bench.json (run `npm run test:hardware`): keeping the recorded figures\n');
    const previous = JSON.parse(readFileSync(join(ROOT, 'bench/results.json'), 'utf8')).figures ?? {};
    return Object.fromEntries(NAMES.filter((n) => previous[n]).map((n) => [n, previous[n]]));
  }
  const m = JSON.parse(readFileSync(MEASURED, 'utf8'));
  const { v4l2, ffmpeg } = m;
  const where = `QEMU x86 (TCG) guest, vivid 640x360 YUYV 30 fps, ${v4l2.frames} frames, measured ${m.date.slice(0, 10)}`;
  return {
    v4l2_copies_per_frame: {
      value: v4l2.copiesPerFrame,
      goal: '0',
      what: `copies counted by V4l2Device.stats on a host-memory pool (${v4l2.held} frames lent as the driver's own buffer); ${where}`,
    },
    v4l2_vs_ffmpeg_cpu_ratio: {
      value: v4l2.cpuNsPerFrame / ffmpeg.cpuNsPerFrame,
      goal: '<= 0.5',
      what: `CPU per frame: native ${(v4l2.cpuNsPerFrame / 1e6).toFixed(2)} ms${threads(v4l2)} / ffmpeg backend ${(ffmpeg.cpuNsPerFrame / 1e6).toFixed(2)} ms (host process ${(ffmpeg.nodeNsPerFrame / 1e6).toFixed(2)}${threads(ffmpeg)} + ffmpeg ${(ffmpeg.childNsPerFrame / 1e6).toFixed(2)}, all its threads); ${where}`,
    },
    v4l2_capture_to_delivery_ms: {
      value: v4l2.latencyMedianMs,
      goal: 'report',
      what: `median ms from the driver's capture timestamp to delivery to the pool's reader (p95 ${v4l2.latencyP95Ms?.toFixed(2)} ms); ffmpeg backend: median ${ffmpeg.latencyMedianMs?.toFixed(2)} ms; vivid stamps a buffer with its nominal frame time (stream start + sequence × period), not the moment it filled it, so under TCG this can be negative: read it as a bound on delivery delay, not a latency; ${where}`,
    },
    // Recorded only by a bench that measured it (an older .work/v4l2-bench.json has no such field).
    ...(v4l2.dequeueMedianMs !== undefined && {
      v4l2_dequeue_to_delivery_ms: {
        value: v4l2.dequeueMedianMs,
        goal: 'report',
        what: `native backend: median ms (p95 ${v4l2.dequeueP95Ms.toFixed(3)} ms) of host CLOCK_MONOTONIC from the moment DQBUF returned a frame's buffer to the moment pool.read handed that frame to the reader, over ${v4l2.dequeueMatched} frames (${v4l2.dequeueUnmatched} unmatched); the device dequeues inside the reader's own pool.read (no thread between), so this is the host's work in that read (the batch's later DQBUFs, the pool, the lending), not the time a filled buffer waited in the driver for the read; ffmpeg backend, from the ring writer's commit of a frame (its timestamp) to delivery: median ${ffmpeg.latencyMedianMs?.toFixed(2)} ms, p95 ${ffmpeg.latencyP95Ms?.toFixed(2)} ms, which does include the frame's wait in the ring for the reader (not comparable: ffmpeg's capture and the pipe come before it); ${where}`,
      },
    }),
  };
}
