/**
 * The writer thread of an ffmpeg camera (camera.ts): owns the ffmpeg child process and cuts its
 * stdout into frames in the shared frame ring. It runs apart from the component's thread because
 * that thread may be blocked in a synchronous import while frames arrive, and then its event loop
 * (which would read the pipe) does not run.
 */
import { workerData } from 'node:worker_threads';
import { spawn } from 'node:child_process';
import { FrameRingWriter, type FrameRingBuffers } from '../../sensor/devices/frame-ring.js';

export interface FfmpegWorkerData {
  ffmpeg: string;
  args: string[];
  ring: FrameRingBuffers;
}

const { ffmpeg, args, ring } = workerData as FfmpegWorkerData;
const writer = new FrameRingWriter(ring);
const now = () => process.hrtime.bigint();
try {
  const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  if (child.pid) writer.setPid(child.pid);
  child.stdout.on('data', (chunk: Buffer) => writer.append(chunk, now));
  child.on('error', () => writer.end(-1));
  child.on('close', (code) => writer.end(code ?? -1));
} catch {
  writer.end(-1);
}
