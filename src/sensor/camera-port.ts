/**
 * What wasi:sensor needs of the platform port: live cameras. A live camera is platform work —
 * an ffmpeg child process on Node, getUserMedia in a browser — so the sensor folder only says how
 * one is asked for, and each platform (src/platform/<name>/camera.ts) answers for the kinds it has.
 * Both deliver frames through the same ring (devices/frame-ring.ts).
 */
import type { Capabilities, Layout } from './pixels.js';
import type { FfmpegDeviceConfig, LiveCameraConfig, WebcamDeviceConfig } from './config.js';
import type { DeviceEnvironment, SensorDevice } from './devices/device.js';

export interface CameraRequest<C extends LiveCameraConfig> {
  /** For messages and `wasi-edge devices`: `<name>: <kind> <device>`. */
  description: string;
  config: C;
  /** The configured starting layout and what set-property may change it to. */
  layout: Layout;
  capabilities: Capabilities;
  env: DeviceEnvironment;
}

/** Opens one camera; throws (an Error saying why) when it cannot. */
export type CameraOpener<C extends LiveCameraConfig> = (request: CameraRequest<C>) => SensorDevice;

export interface CameraKinds {
  readonly ffmpeg?: CameraOpener<FfmpegDeviceConfig>;
  readonly webcam?: CameraOpener<WebcamDeviceConfig>;
  /** Which kinds this platform has, for the error when a config asks for another. */
  readonly describe: string;
}

export interface SensorPlatform {
  readonly cameras: CameraKinds;
}
