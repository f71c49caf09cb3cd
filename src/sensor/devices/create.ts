/** One line per device kind: configuration → device. */
import type { SensorClock } from '../clock.js';
import type { DeviceConfig } from '../config.js';
import type { Capabilities } from '../pixels.js';
import type { SensorDevice } from './device.js';
import { AiCameraDevice } from './ai-camera.js';
import { FfmpegCameraDevice } from './ffmpeg-camera.js';
import { ImageFixtureDevice } from './image-fixture.js';
import { TestPatternDevice } from './test-pattern.js';

export interface DeviceEnvironment {
  /** Cell that asynchronous devices bump (Atomics.notify) when a frame arrives. */
  wake: Int32Array;
  clock: SensorClock;
}

function capabilities(c: Exclude<DeviceConfig, { kind: 'custom' }>): Capabilities {
  return {
    formats: c.formats,
    maxWidth: c.maxWidth,
    maxHeight: c.maxHeight,
    minFps: c.minFps,
    maxFps: c.maxFps,
    layoutSettable: c.kind !== 'image-fixture' && c.kind !== 'ai-camera',
  };
}

export function createDevice(name: string, c: DeviceConfig, env: DeviceEnvironment): SensorDevice {
  if (c.kind === 'custom') return c.open(env);
  const layout = { width: c.width, height: c.height, strideBytes: 0, pixelFormat: c.pixelFormat };
  switch (c.kind) {
    case 'test-pattern':
      return new TestPatternDevice(`${name}: test pattern`, { layout, rate: c.rate, capabilities: capabilities(c) });
    case 'image-fixture':
      return new ImageFixtureDevice(`${name}: images in ${c.directory}`, {
        directory: c.directory,
        rate: c.rate,
        loop: c.loop,
        pixelFormat: c.pixelFormat,
        maxFps: c.maxFps,
      });
    case 'ai-camera':
      return new AiCameraDevice(`${name}: on-sensor AI, ${c.model} on images in ${c.directory}`, {
        directory: c.directory, rate: c.rate, loop: c.loop, pixelFormat: c.pixelFormat, maxFps: c.maxFps,
        model: c.model, inputWidth: c.inputWidth, inputHeight: c.inputHeight, scale: c.scale, offset: c.offset, threads: c.threads,
      });
    case 'ffmpeg':
      return new FfmpegCameraDevice(
        `${name}: ffmpeg ${c.device}`,
        { ffmpegPath: c.ffmpegPath, input: c.input, device: c.device, layout, rate: c.rate, capabilities: capabilities(c), ringFrames: c.ringFrames },
        env.wake,
        (hr) => env.clock.fromMonotonic(hr),
      );
  }
}
