/**
 * The page side of the webcam device (src/platform/browser/camera.ts): opens the camera
 * with getUserMedia (only a window can), draws each video frame at the configured size onto a
 * canvas, converts RGBA to the configured pixel format with the host's one pixel module (the same
 * BT.601 as the sensor's and wasi:vision's) and writes it into the shared frame ring, which wakes
 * the component's worker. If the camera cannot be opened or its track ends, the ring is ended,
 * and the component's next read is `hardware-error`.
 */
import type { WebcamSession } from '../camera.js';
import { FrameRingWriter } from '../../../sensor/devices/frame-ring.js';
import { PIXEL_FORMATS, isRasterFormat, packedPlanes, writePixels } from '../../../core/pixels/index.js';

export interface WebcamOptions {
  /** Use this stream instead of calling getUserMedia (e.g. a canvas capture, or one you opened). */
  stream?: MediaStream;
  /** Called with each captured frame (for a preview). */
  onFrame?: (video: HTMLVideoElement) => void;
}

function nowNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e3)) * 1000n;
}

/** RGBA (a canvas's `width`×`height` pixels) → the component's raw pixel format, packed, into `out`. */
export function convertRgba(rgba: Uint8ClampedArray, width: number, height: number, format: string, out: Uint8Array): void {
  if (!isRasterFormat(format) || !(PIXEL_FORMATS as readonly string[]).includes(format)) {
    throw new Error(`webcam: unsupported pixel format ${format}`);
  }
  writePixels({ data: rgba, width, height, channels: 4 }, format, out, packedPlanes(format, width, height));
}

export class WebcamPump {
  private readonly sessions = new Map<number, () => void>();

  constructor(private readonly options: WebcamOptions = {}) {}

  async start(s: WebcamSession): Promise<void> {
    const writer = new FrameRingWriter(s.ring);
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
      writer.end(2); // getUserMedia refused or found no camera
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
        writer.end(1); // the stream ended
        return;
      }
      if (video.readyState >= 2) {
        ctx.drawImage(video, 0, 0, s.width, s.height);
        const rgba = ctx.getImageData(0, 0, s.width, s.height).data;
        convertRgba(rgba, s.width, s.height, s.pixelFormat, writer.nextSlot());
        writer.commit(nowNs());
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
