/**
 * A camera the device owns once for all its apps. The device's main thread opens it, captures
 * each frame once into a frame ring in shared memory (src/sensor/devices/frame-ring.ts), and wakes
 * every app that has it open; each app's worker reads the same ring (shared-camera.ts). A slow
 * app costs no other app anything: the writer never waits for a reader, and each reader keeps its
 * own position.
 *
 * The main thread is free to run timers because no guest runs on it: clocked devices (test
 * pattern, image fixtures) are collected at their next frame's deadline, live cameras (ffmpeg) a
 * few milliseconds after their own writer signals.
 */
import type { DeviceConfig as SensorDeviceConfig } from '../../sensor/config.js';
import { createDevice as createSensorDevice, type DeviceHost } from '../../sensor/devices/create.js';
import type { SensorDevice } from '../../sensor/devices/device.js';
import { createHoldRow, HoldRegistry } from '../../sensor/devices/frame-holds.js';
import { createFrameRing, FrameRingWriter, type FrameRingBuffers } from '../../sensor/devices/frame-ring.js';
import { bytesPerPixel, type Capabilities, type Layout, type Rate } from '../../sensor/pixels.js';
import { createSensorClock } from '../../sensor/clock.js';

/** What an app's worker needs to read a shared camera (all of it crosses threads as it is). */
export interface SharedCameraGrant {
  description: string;
  ring: FrameRingBuffers;
  layout: Layout;
  rate: Rate;
  capabilities: Capabilities;
}

/** How often a live camera's own ring is looked at when it has no deadline. */
const LIVE_POLL_MS = 2;

export class CameraPump {
  private readonly device: SensorDevice;
  private readonly clock = createSensorClock('real');
  /** The device's own wake cell (live cameras bump it); apps have their own, in `wakes`. */
  private readonly wake = new Int32Array(new SharedArrayBuffer(4));
  private readonly writer: FrameRingWriter;
  /** The frames each app instance keeps in the ring (lent to its guest), by instance id. */
  private readonly holds = new HoldRegistry();
  readonly grant: SharedCameraGrant;
  /** Wake cells of the app instances that have this camera open, by instance id. */
  private readonly wakes = new Map<number, Int32Array>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  /** Frames written into the ring, and frames the device lost before they reached it. */
  written = 0;
  lostAtSource = 0;

  /**
   * `ringFrames` frames stay whole for every app; `spareFrames` more slots are for the frames apps
   * hold (the sum of their `frameHolds`), so that the camera never waits for an app.
   */
  constructor(readonly name: string, config: SensorDeviceConfig, host: DeviceHost, ringFrames: number, spareFrames = 0) {
    this.device = createSensorDevice(name, config, { wake: this.wake, clock: this.clock }, host);
    const layout = this.device.getLayout();
    if (layout.pixelFormat === 'mjpeg') throw new Error(`${name}: a shared camera needs a raw pixel format, not mjpeg`);
    const packed = layout.width * bytesPerPixel(layout.pixelFormat);
    if (layout.strideBytes !== packed) throw new Error(`${name}: a shared camera's rows must be packed (stride ${layout.strideBytes}, rows of ${packed})`);
    const ring = createFrameRing(packed * layout.height, ringFrames, this.wake, spareFrames);
    this.writer = new FrameRingWriter(ring, (frame) => this.holds.held(frame));
    const rate = this.device.getRate();
    const fps = rate.numerator / rate.denominator;
    this.grant = {
      description: `${this.device.description} (shared by the device's apps)`,
      ring,
      layout,
      rate,
      capabilities: { formats: [layout.pixelFormat], maxWidth: layout.width, maxHeight: layout.height, minFps: fps, maxFps: fps, layoutSettable: false },
    };
  }

  start(): void {
    this.device.start(this.clock.now());
    this.schedule();
  }

  /** An app instance opened the camera: it is woken for every frame from now on. */
  attach(instance: number, wake: Int32Array): void {
    this.wakes.set(instance, wake);
  }

  detach(instance: number): void {
    this.wakes.delete(instance);
  }

  /** Hold cells for an app instance, `cells` frames at most (its share of the spare slots). */
  openHolds(instance: number, cells: number): SharedArrayBuffer {
    const row = createHoldRow(cells);
    this.holds.add(instance, row);
    return row;
  }

  /** The instance ended: its frames go back to the ring at once (its thread may still be ending). */
  closeHolds(instance: number): void {
    this.holds.close(instance);
  }

  /** The instance's thread is gone: its row is forgotten. */
  removeHolds(instance: number): void {
    this.holds.remove(instance);
  }

  /** Frames the apps hold in the ring now. */
  get held(): number {
    return this.holds.count;
  }

  private schedule(): void {
    if (this.closed) return;
    const deadline = this.device.nextDeadline();
    const ms = deadline === undefined ? LIVE_POLL_MS : Math.max(0, Number(deadline - this.clock.now()) / 1e6);
    this.timer = setTimeout(() => this.pump(), ms);
  }

  /** Moves what the device captured into the ring, then wakes the apps. */
  private pump(): void {
    if (this.closed) return;
    let frames;
    try {
      frames = this.device.collect(this.clock.now());
    } catch {
      // The camera went away (hardware-error): every app's next read says so.
      this.writer.end(1);
      this.wakeApps();
      return;
    }
    const overrun = frames.overrun ?? 0;
    this.lostAtSource += overrun;
    // Monotonic time of the device clock's origin: ring stamps are process.hrtime readings.
    const origin = process.hrtime.bigint() - this.clock.now();
    for (let i = overrun; i < frames.count; i++) {
      // Undefined only when apps hold more than their budgets allow (they cannot): lost, not waited for.
      const slot = this.writer.tryNextSlot();
      if (!slot) {
        this.lostAtSource++;
        continue;
      }
      const pixels = frames.render(i, slot);
      if (pixels.length === 0) {
        this.lostAtSource++;
        continue;
      }
      if (pixels !== slot) slot.set(pixels);
      this.writer.commit(origin + frames.timestamp(i));
      this.written++;
    }
    if (frames.count > overrun) this.wakeApps();
    this.schedule();
  }

  private wakeApps(): void {
    for (const w of this.wakes.values()) {
      Atomics.add(w, 0, 1);
      Atomics.notify(w, 0);
    }
  }

  /** Stops the camera and ends the ring (a reader still attached sees the camera gone). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.device.close();
    this.writer.end(0);
    this.wakeApps();
    this.wakes.clear();
  }
}
