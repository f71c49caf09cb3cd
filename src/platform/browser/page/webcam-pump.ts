/**
 * The page side of the webcam device (src/platform/browser/camera.ts): opens the camera
 * with getUserMedia (only a window can), draws each video frame at the configured size onto a
 * canvas, converts RGBA to the configured pixel format and writes it into the shared ring, then
 * wakes the component's worker. If the camera cannot be opened or its track ends, the session is
 * marked ended, and the component's next read is `hardware-error`.
 */
import type { WebcamSession } from '../camera.js';

export interface WebcamOptions {
  /** Use this stream instead of calling getUserMedia (e.g. a canvas capture, or one you opened). */
  stream?: MediaStream;
  /** Called with each captured frame (for a preview). */
  onFrame?: (video: HTMLVideoElement) => void;
}

function nowNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e3)) * 1000n;
}

/** RGBA (canvas) → the component's pixel format, into `out`. */
export function convertRgba(rgba: Uint8ClampedArray, format: string, out: Uint8Array): void {
  const n = rgba.length >> 2;
  switch (format) {
    case 'rgb24':
      for (let i = 0, o = 0; i < n; i++, o += 3) { out[o] = rgba[i * 4]!; out[o + 1] = rgba[i * 4 + 1]!; out[o + 2] = rgba[i * 4 + 2]!; }
      return;
    case 'bgr24':
      for (let i = 0, o = 0; i < n; i++, o += 3) { out[o] = rgba[i * 4 + 2]!; out[o + 1] = rgba[i * 4 + 1]!; out[o + 2] = rgba[i * 4]!; }
      return;
    case 'gray':
      for (let i = 0; i < n; i++) out[i] = (77 * rgba[i * 4]! + 150 * rgba[i * 4 + 1]! + 29 * rgba[i * 4 + 2]!) >> 8;
      return;
    case 'argb32':
      for (let i = 0; i < n; i++) { out[i * 4] = 255; out[i * 4 + 1] = rgba[i * 4]!; out[i * 4 + 2] = rgba[i * 4 + 1]!; out[i * 4 + 3] = rgba[i * 4 + 2]!; }
      return;
    case 'abgr32':
      for (let i = 0; i < n; i++) { out[i * 4] = 255; out[i * 4 + 1] = rgba[i * 4 + 2]!; out[i * 4 + 2] = rgba[i * 4 + 1]!; out[i * 4 + 3] = rgba[i * 4]!; }
      return;
    case 'yuy2':
      for (let i = 0; i + 1 < n; i += 2) {
        const y = (j: number) => ((66 * rgba[j * 4]! + 129 * rgba[j * 4 + 1]! + 25 * rgba[j * 4 + 2]! + 128) >> 8) + 16;
        const r = (rgba[i * 4]! + rgba[i * 4 + 4]!) >> 1, g = (rgba[i * 4 + 1]! + rgba[i * 4 + 5]!) >> 1, b = (rgba[i * 4 + 2]! + rgba[i * 4 + 6]!) >> 1;
        out[i * 2] = y(i);
        out[i * 2 + 1] = ((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128;
        out[i * 2 + 2] = y(i + 1);
        out[i * 2 + 3] = ((112 * r - 94 * g - 18 * b + 128) >> 8) + 128;
      }
      return;
    default:
      throw new Error(`webcam: unsupported pixel format ${format}`);
  }
}

export class WebcamPump {
  private readonly sessions = new Map<number, () => void>();

  constructor(private readonly options: WebcamOptions = {}) {}

  async start(s: WebcamSession): Promise<void> {
    const meta = new Int32Array(s.meta);
    const wake = new Int32Array(s.wake);
    const ring = new Uint8Array(s.ring);
    const stamps = new BigInt64Array(s.stamps);
    const end = (code: number) => {
      Atomics.store(meta, 2, code);
      Atomics.store(meta, 1, 1);
      Atomics.notify(meta, 0); // a start() waiting for the first frame
      Atomics.add(wake, 0, 1);
      Atomics.notify(wake, 0);
    };
    let stream: MediaStream;
    try {
      stream =
        this.options.stream ??
        (await navigator.mediaDevices.getUserMedia({
          video: {
            width: { ideal: s.width },
            height: { ideal: s.height },
            frameRate: { ideal: s.fps },
            ...(s.device && s.device !== 'webcam' ? { deviceId: { exact: s.device } } : {}),
          },
          audio: false,
        }));
    } catch {
      end(2);
      return;
    }
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    await video.play().catch(() => undefined);
    const canvas = document.createElement('canvas');
    canvas.width = s.width;
    canvas.height = s.height;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    let stopped = false;
    const period = 1000 / Math.max(0.001, s.fps);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grab = () => {
      if (stopped) return;
      if (stream.getVideoTracks().every((t) => t.readyState === 'ended')) {
        end(1);
        return;
      }
      if (video.readyState >= 2) {
        ctx.drawImage(video, 0, 0, s.width, s.height);
        const rgba = ctx.getImageData(0, 0, s.width, s.height).data;
        const written = Atomics.load(meta, 0);
        const slot = written % s.slots;
        convertRgba(rgba, s.pixelFormat, ring.subarray(slot * s.frameBytes, (slot + 1) * s.frameBytes));
        stamps[slot] = nowNs();
        Atomics.add(meta, 0, 1);
        Atomics.notify(meta, 0);
        Atomics.add(wake, 0, 1);
        Atomics.notify(wake, 0);
        this.options.onFrame?.(video);
      }
      timer = setTimeout(grab, period);
    };
    grab();
    this.sessions.set(s.id, () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (!this.options.stream) for (const t of stream.getTracks()) t.stop();
      video.srcObject = null;
    });
  }

  stop(id: number): void {
    this.sessions.get(id)?.();
    this.sessions.delete(id);
  }

  stopAll(): void {
    for (const id of [...this.sessions.keys()]) this.stop(id);
  }
}
