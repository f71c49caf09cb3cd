/**
 * The `sensor` section as a user writes it (a JSON file, or an object literal in TypeScript):
 * every key the parser (config.ts) accepts, optional where it has a default, so the compiler
 * catches a misspelt key, a wrong `kind` or a pixel format that does not exist. Ranges (sizes,
 * rates) are the parser's to check. Key by key: docs/sensor.md.
 */
import type { PixelFormat } from './pixels.js';
import type { DeviceEnvironment, SensorDevice } from './devices/device.js';

/** A pixel format a camera delivers uncompressed (every format but `mjpeg`). */
export type RawPixelFormat = Exclude<PixelFormat, 'mjpeg'>;

/** Frames per second as `[numerator, denominator]`, each an integer ≥ 1 (`[30, 1]`, `[1, 2]`). */
export type FpsInput = readonly [numerator: number, denominator: number];

interface DeviceInputBase {
  /**
   * `false`: the device is listed (so `open` says `permission-denied` rather than not-found) but
   * this guest may not use it. Default `true`.
   */
  granted?: boolean;
  /** The starting frame rate. Default `[30, 1]`. */
  fps?: FpsInput;
  /** The highest rate `set-property` accepts, frames per second (0 to 1e6). Default 1000. */
  maxFps?: number;
}

/** The layout keys of a device that renders or captures at a configurable size. */
interface SettableLayoutInput<F extends PixelFormat> extends DeviceInputBase {
  /** The starting frame width in pixels (1 to 65535). Default 640. */
  width?: number;
  /** The starting frame height in pixels (1 to 65535). Default 480. */
  height?: number;
  /** The starting pixel format; must be one of `formats`. Default `rgb24`. */
  pixelFormat?: F;
  /** The formats `set-property` accepts. Default: every format the kind can deliver. */
  formats?: readonly F[];
  /** The widest frame `set-property` accepts (1 to 65535). Default 4096. */
  maxWidth?: number;
  /** The tallest frame `set-property` accepts (1 to 65535). Default 4096. */
  maxHeight?: number;
  /** The lowest rate `set-property` accepts, frames per second (0 to 1e6). Default 1/3600. */
  minFps?: number;
}

/** A synthetic moving pattern, rendered on demand in any format. */
export interface TestPatternDeviceInput extends SettableLayoutInput<PixelFormat> {
  kind: 'test-pattern';
}

/** The keys of a camera that plays a folder of images (the images decide the frame size). */
interface ImageFolderInput<F extends PixelFormat> extends DeviceInputBase {
  /** The folder of PNG/JPEG files, played in name order; relative to the config file. Required. */
  directory: string;
  /** Start again after the last image (`false`: the camera ends). Default `true`. */
  loop?: boolean;
  /** The pixel format of every frame. Default `rgb24`. */
  pixelFormat?: F;
}

/** A camera that plays a folder of images, all of one size. */
export interface ImageFixtureDeviceInput extends ImageFolderInput<RawPixelFormat> {
  kind: 'image-fixture';
}

/** A live camera read through an ffmpeg child process (V4L2 by default); raw formats only. */
export interface FfmpegDeviceInput extends SettableLayoutInput<RawPixelFormat> {
  kind: 'ffmpeg';
  /** The ffmpeg binary. Default `/usr/bin/ffmpeg`. */
  ffmpeg?: string;
  /**
   * ffmpeg's input arguments, with `{device}` `{width}` `{height}` `{fps}` placeholders.
   * Default `-f v4l2 -framerate {fps} -video_size {width}x{height} -i {device}`.
   */
  input?: readonly string[];
  /** What `{device}` stands for. Default `/dev/video0`. */
  device?: string;
  /** Frames buffered between the reader and the pool; the oldest is dropped (2 to 1024). Default 8. */
  ringFrames?: number;
}

/**
 * A V4L2 camera read through the kernel interface itself (no child process; zero copy into
 * host-memory pools). What it can do comes from the driver; `formats`, `maxWidth`, `maxHeight`,
 * `minFps` and `maxFps` only narrow it.
 */
export interface V4l2DeviceInput extends SettableLayoutInput<PixelFormat> {
  kind: 'v4l2';
  /** The device node. Default `/dev/video0`. */
  device?: string;
  /** Driver pixel formats it may use, best first (YUYV, NV12, RGB3, BGR3, GREY, MJPG, JPEG). Default: all of them. */
  fourccs?: readonly ('YUYV' | 'NV12' | 'RGB3' | 'BGR3' | 'GREY' | 'MJPG' | 'JPEG')[];
  /** Driver buffers beyond the pool's buffer-num, filled while the pool holds its own (1 to 32). Default 2. */
  spareBuffers?: number;
}

/** A live camera of the browser (getUserMedia), opened by the browser platform; raw formats only. */
export interface WebcamDeviceInput extends SettableLayoutInput<RawPixelFormat> {
  kind: 'webcam';
  /** `webcam` (the default camera) or a MediaDevices deviceId. Default `webcam`. */
  device?: string;
  /** Frames buffered between the camera and the pool; the oldest is dropped (2 to 1024). Default 8. */
  ringFrames?: number;
}

/**
 * An on-sensor-AI camera: images from a folder, a model run on each frame, its output tensors
 * delivered with the frame (docs/spec-notes/sensor-ai.md).
 */
export interface AiCameraDeviceInput extends ImageFolderInput<'rgb24' | 'bgr24'> {
  kind: 'ai-camera';
  /** The ONNX model, relative to the config file. Default: the shipped BlazeFace (fixtures/models/blazeface-128.onnx). */
  model?: string;
  /** The model's input width in pixels (1 to 4096). Default 128. */
  inputWidth?: number;
  /** The model's input height in pixels (1 to 4096). Default 128. */
  inputHeight?: number;
  /** Input normalisation: each channel value `v` becomes `v * scale + offset`. Default 2/255. */
  scale?: number;
  /** Input normalisation offset (see `scale`). Default -1. */
  offset?: number;
  /** Threads of the camera's inference session (1 to 256). Default 1. */
  threads?: number;
}

/**
 * A device the embedder makes itself (a configuration built in code only): `open` runs on every
 * `device.open` and the device is closed when the guest drops its handle. The device alone says
 * what it supports, so no other key applies.
 */
export interface CustomDeviceInput {
  kind: 'custom';
  /** As for every device: `false` lists it without letting this guest open it. Default `true`. */
  granted?: boolean;
  open: (env: DeviceEnvironment) => SensorDevice;
}

export type SensorDeviceInput =
  | TestPatternDeviceInput
  | ImageFixtureDeviceInput
  | FfmpegDeviceInput
  | WebcamDeviceInput
  | AiCameraDeviceInput
  | V4l2DeviceInput
  | CustomDeviceInput;

export interface SensorConfigInput {
  /**
   * `real`: frames follow the monotonic clock. `virtual`: time jumps to the next frame when a guest
   * waits (deterministic tests). Default `real`.
   */
  clock?: 'real' | 'virtual';
  /**
   * The devices by the name a guest opens. Given, they replace the default set
   * (`test-pattern:0`, 640×480 rgb24 at 30 fps, and `fixture:0`, fixtures/sensor/sequence at 10 fps).
   */
  devices?: Record<string, SensorDeviceInput>;
  /** Pool-name patterns (`*` = any run of characters) whose pools deliver host-memory frames. Default `["*-hm"]`. */
  hostMemoryPools?: readonly string[];
  /** Bytes one pool may hold, queued + lent (1 to 2^32); bounds `size` × `buffer-num`. Default 256 MiB. */
  maxPoolBytes?: number;
  /** Pools one host instance may have at once (1 to 65536). Default 64. */
  maxPools?: number;
}
