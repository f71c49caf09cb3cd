/**
 * The `sensor` section of the host configuration: which devices exist and which a guest may
 * open, the clock, and the host limits that bound every pool.
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import {
  ConfigError, array, boolean, integer, number, object, onlyKeys, oneOf, optional, string, type Json,
} from '../core/validate.js';
import { PIXEL_FORMATS, type PixelFormat, type Rate } from './pixels.js';
import type { DeviceEnvironment, SensorDevice } from './devices/device.js';
import type { FrameNetworkOptions } from '../core/services.js';

interface DeviceCommon {
  /** False: configured (so `open` says permission-denied rather than not-found) but not for this guest. */
  granted: boolean;
  width: number;
  height: number;
  pixelFormat: PixelFormat;
  rate: Rate;
  /** What the device accepts through set-property. */
  formats: PixelFormat[];
  maxWidth: number;
  maxHeight: number;
  minFps: number;
  maxFps: number;
}

export interface TestPatternDeviceConfig extends DeviceCommon {
  kind: 'test-pattern';
}

export interface ImageFixtureDeviceConfig extends DeviceCommon {
  kind: 'image-fixture';
  directory: string;
  loop: boolean;
}

export interface FfmpegDeviceConfig extends DeviceCommon {
  kind: 'ffmpeg';
  ffmpegPath: string;
  /** ffmpeg input arguments with {device} {width} {height} {fps} placeholders. */
  input: string[];
  device: string;
  ringFrames: number;
}

/**
 * A V4L2 capture device read through the kernel interface itself (devices/v4l2/): what it can do
 * comes from the driver; `formats` and the maxima only narrow it.
 */
export interface V4l2DeviceConfig extends DeviceCommon {
  kind: 'v4l2';
  device: string;
  /** Driver formats (fourccs) it may use, best first; undefined: every one it reads. */
  fourccs?: string[];
  /** Driver buffers beyond the pool's buffer-num. */
  spareBuffers: number;
}

/**
 * A live camera of the browser (getUserMedia), opened by the browser platform: `device` is
 * `webcam` (the default camera) or a MediaDevices deviceId.
 */
export interface WebcamDeviceConfig extends DeviceCommon {
  kind: 'webcam';
  device: string;
  ringFrames: number;
}

/** An on-sensor-AI camera (devices/ai-camera.ts): images from a folder, a model run on each frame. */
export interface AiCameraDeviceConfig extends Omit<ImageFixtureDeviceConfig, 'kind'>, FrameNetworkOptions {
  kind: 'ai-camera';
}

/**
 * A device the embedder makes itself (programmatic configuration only, like i2c's and spi's
 * `custom`): `open` is called on every `device.open` and the device is closed on drop. The
 * device alone says what it supports; none of the common keys but `granted` apply.
 */
export interface CustomDeviceConfig {
  kind: 'custom';
  granted: boolean;
  open: (env: DeviceEnvironment) => SensorDevice;
}

export type DeviceConfig =
  | TestPatternDeviceConfig | ImageFixtureDeviceConfig | FfmpegDeviceConfig | WebcamDeviceConfig | AiCameraDeviceConfig | V4l2DeviceConfig
  | CustomDeviceConfig;

/** The device kinds whose frames come from a live camera the platform opens (camera-port.ts). */
export type LiveCameraConfig = FfmpegDeviceConfig | WebcamDeviceConfig;

export interface SensorConfig {
  /** `real` (default): frames follow the monotonic clock. `virtual`: time jumps to the next frame when a guest waits. */
  clock: 'real' | 'virtual';
  devices: Record<string, DeviceConfig>;
  /** Pool names matching one of these patterns (`*` = any run of characters) deliver host-memory frames. */
  hostMemoryPools: string[];
  /** Bytes one pool may hold (queued + lent); bounds buffering-unlimited and `size` × `buffer-num`. */
  maxPoolBytes: number;
  /** Pools one host instance may have at once. */
  maxPools: number;
}

const ALL_FORMATS = [...PIXEL_FORMATS];
const RAW_FORMATS = PIXEL_FORMATS.filter((f) => f !== 'mjpeg');

/** The folder of PNGs the default image-fixture camera plays (committed with the package). */
export function defaultFixtureDirectory(): string {
  return fileURLToPath(new URL('../../fixtures/sensor/sequence', import.meta.url));
}

/** The driver formats the V4L2 backend reads (devices/v4l2/formats.ts). */
export const V4L2_FOURCCS = ['YUYV', 'NV12', 'RGB3', 'BGR3', 'GREY', 'MJPG', 'JPEG'] as const;

export const DEFAULT_V4L2_INPUT = ['-f', 'v4l2', '-framerate', '{fps}', '-video_size', '{width}x{height}', '-i', '{device}'];

export function defaultSensorConfig(): SensorConfig {
  return {
    clock: 'real',
    hostMemoryPools: ['*-hm'],
    maxPoolBytes: 256 * 1024 * 1024,
    maxPools: 64,
    devices: {
      'test-pattern:0': {
        kind: 'test-pattern',
        granted: true,
        width: 640,
        height: 480,
        pixelFormat: 'rgb24',
        rate: { numerator: 30, denominator: 1 },
        formats: ALL_FORMATS,
        maxWidth: 4096,
        maxHeight: 4096,
        minFps: 1 / 3600,
        maxFps: 1000,
      },
      'fixture:0': {
        kind: 'image-fixture',
        granted: true,
        directory: defaultFixtureDirectory(),
        loop: true,
        width: 0,
        height: 0,
        pixelFormat: 'rgb24',
        rate: { numerator: 10, denominator: 1 },
        formats: ['rgb24'],
        maxWidth: 0,
        maxHeight: 0,
        minFps: 1 / 3600,
        maxFps: 1000,
      },
    },
  };
}

function rate(v: unknown, at: string): Rate {
  const a = array(v, at);
  if (a.length !== 2) throw new ConfigError(at, '[numerator, denominator]', v);
  return { numerator: integer(a[0], `${at}[0]`, 1, 0xffffffff), denominator: integer(a[1], `${at}[1]`, 1, 0xffffffff) };
}

function formats(v: unknown, at: string): PixelFormat[] {
  return array(v, at).map((f, i) => oneOf(f, `${at}[${i}]`, PIXEL_FORMATS));
}

/** The folder of images an image-fixture plays (the ai-camera too): in the one format given, looped by default. */
function imageFolder(o: Json, at: string, baseDir: string, pixelFormat: PixelFormat) {
  return {
    formats: [pixelFormat],
    directory: resolve(baseDir, string(o.directory, `${at}.directory`)),
    loop: optional(o, 'loop', at, boolean) ?? true,
  };
}

/** A camera that fills a frame ring with raw frames (ffmpeg, webcam) cannot offer mjpeg. */
function rawFramesOnly(o: Json, at: string, base: DeviceCommon, camera: string): void {
  if (base.formats.includes('mjpeg')) throw new ConfigError(`${at}.formats`, `raw pixel formats only (${camera} delivers raw frames)`, o.formats);
}

/** Frames buffered between the camera and the pool, the oldest dropped when full (2 to 1024); default 8. */
function ringFrames(o: Json, at: string): number {
  return optional(o, 'ringFrames', at, (v, a) => integer(v, a, 2, 1024)) ?? 8;
}

function parseDevice(raw: unknown, at: string, baseDir: string): DeviceConfig {
  const o = object(raw, at);
  const kind = oneOf(o.kind, `${at}.kind`, ['test-pattern', 'image-fixture', 'ffmpeg', 'webcam', 'ai-camera', 'v4l2', 'custom'] as const);
  if (kind === 'custom') {
    onlyKeys(o, at, ['kind', 'granted', 'open']);
    if (typeof o.open !== 'function') throw new ConfigError(`${at}.open`, 'a function (env) => SensorDevice', o.open);
    return { kind, granted: optional(o, 'granted', at, boolean) ?? true, open: o.open as CustomDeviceConfig['open'] };
  }
  const common = ['kind', 'granted', 'width', 'height', 'pixelFormat', 'fps', 'formats', 'maxWidth', 'maxHeight', 'minFps', 'maxFps'];
  const extra = kind === 'image-fixture' ? ['directory', 'loop'] : kind === 'ffmpeg' ? ['ffmpeg', 'input', 'device', 'ringFrames']
    : kind === 'webcam' ? ['device', 'ringFrames']
    : kind === 'v4l2' ? ['device', 'fourccs', 'spareBuffers']
    : kind === 'ai-camera' ? ['directory', 'loop', 'model', 'inputWidth', 'inputHeight', 'scale', 'offset', 'threads'] : [];
  onlyKeys(o, at, [...common, ...extra]);
  const pixelFormat = optional(o, 'pixelFormat', at, (v, a) => oneOf(v, a, PIXEL_FORMATS)) ?? (kind === 'v4l2' ? 'yuy2' : 'rgb24');
  const defaultFormats = kind === 'test-pattern' || kind === 'v4l2' ? ALL_FORMATS : kind === 'ffmpeg' || kind === 'webcam' ? RAW_FORMATS : [pixelFormat];
  const base: DeviceCommon = {
    granted: optional(o, 'granted', at, boolean) ?? true,
    width: optional(o, 'width', at, (v, a) => integer(v, a, 1, 65535)) ?? 640,
    height: optional(o, 'height', at, (v, a) => integer(v, a, 1, 65535)) ?? 480,
    pixelFormat,
    rate: optional(o, 'fps', at, rate) ?? { numerator: 30, denominator: 1 },
    formats: optional(o, 'formats', at, formats) ?? defaultFormats,
    maxWidth: optional(o, 'maxWidth', at, (v, a) => integer(v, a, 1, 65535)) ?? 4096,
    maxHeight: optional(o, 'maxHeight', at, (v, a) => integer(v, a, 1, 65535)) ?? 4096,
    minFps: optional(o, 'minFps', at, (v, a) => number(v, a, 0, 1e6)) ?? 1 / 3600,
    maxFps: optional(o, 'maxFps', at, (v, a) => number(v, a, 0, 1e6)) ?? 1000,
  };
  if (!base.formats.includes(pixelFormat)) throw new ConfigError(`${at}.formats`, `a list that includes pixelFormat "${pixelFormat}"`, o.formats);
  switch (kind) {
    case 'test-pattern':
      return { kind, ...base };
    case 'image-fixture':
      if (pixelFormat === 'mjpeg') throw new ConfigError(`${at}.pixelFormat`, 'a raw pixel format', pixelFormat);
      return { kind, ...base, ...imageFolder(o, at, baseDir, pixelFormat) };
    case 'ai-camera':
      if (pixelFormat !== 'rgb24' && pixelFormat !== 'bgr24') throw new ConfigError(`${at}.pixelFormat`, 'rgb24 or bgr24', pixelFormat);
      return {
        kind,
        ...base,
        ...imageFolder(o, at, baseDir, pixelFormat),
        // Defaults: BlazeFace (fixtures/models), 128x128, x * 2/255 - 1.
        model: resolve(baseDir, optional(o, 'model', at, string) ?? fileURLToPath(new URL('../../fixtures/models/blazeface-128.onnx', import.meta.url))),
        inputWidth: optional(o, 'inputWidth', at, (v, a) => integer(v, a, 1, 4096)) ?? 128,
        inputHeight: optional(o, 'inputHeight', at, (v, a) => integer(v, a, 1, 4096)) ?? 128,
        scale: optional(o, 'scale', at, (v, a) => number(v, a, -1e6, 1e6)) ?? 2 / 255,
        offset: optional(o, 'offset', at, (v, a) => number(v, a, -1e6, 1e6)) ?? -1,
        threads: optional(o, 'threads', at, (v, a) => integer(v, a, 1, 256)) ?? 1,
      };
    case 'ffmpeg':
      rawFramesOnly(o, at, base, 'the ffmpeg camera');
      return {
        kind,
        ...base,
        ffmpegPath: optional(o, 'ffmpeg', at, string) ?? '/usr/bin/ffmpeg',
        input: optional(o, 'input', at, (v, a) => array(v, a).map((s, i) => string(s, `${a}[${i}]`))) ?? DEFAULT_V4L2_INPUT,
        device: optional(o, 'device', at, string) ?? '/dev/video0',
        ringFrames: ringFrames(o, at),
      };
    case 'v4l2':
      return {
        kind,
        ...base,
        device: optional(o, 'device', at, string) ?? '/dev/video0',
        fourccs: optional(o, 'fourccs', at, (v, a) => array(v, a).map((s, i) => oneOf(s, `${a}[${i}]`, V4L2_FOURCCS))),
        spareBuffers: optional(o, 'spareBuffers', at, (v, a) => integer(v, a, 1, 32)) ?? 2,
      };
    case 'webcam':
      rawFramesOnly(o, at, base, 'the webcam');
      return { kind, ...base, device: optional(o, 'device', at, string) ?? 'webcam', ringFrames: ringFrames(o, at) };
  }
}

export function parseSensorConfig(raw: unknown, at: string, baseDir: string): SensorConfig {
  const o = object(raw, at);
  onlyKeys(o, at, ['clock', 'devices', 'hostMemoryPools', 'maxPoolBytes', 'maxPools']);
  const defaults = defaultSensorConfig();
  let devices = defaults.devices;
  if (o.devices !== undefined) {
    devices = {};
    for (const [name, d] of Object.entries(object(o.devices, `${at}.devices`))) {
      devices[name] = parseDevice(d, `${at}.devices.${name}`, baseDir);
    }
  }
  return {
    clock: optional(o, 'clock', at, (v, a) => oneOf(v, a, ['real', 'virtual'] as const)) ?? defaults.clock,
    devices,
    hostMemoryPools: optional(o, 'hostMemoryPools', at, (v, a) => array(v, a).map((s, i) => string(s, `${a}[${i}]`))) ?? defaults.hostMemoryPools,
    maxPoolBytes: optional(o, 'maxPoolBytes', at, (v, a) => integer(v, a, 1, 2 ** 32)) ?? defaults.maxPoolBytes,
    maxPools: optional(o, 'maxPools', at, (v, a) => integer(v, a, 1, 65536)) ?? defaults.maxPools,
  };
}

/** `*` matches any run of characters; everything else literally. */
export function matchesPattern(name: string, pattern: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return re.test(name);
}
