/** One line per device kind: configuration → device. */
import type { DeviceConfig } from '../config.js';
import type { Capabilities } from '../pixels.js';
import type { DeviceEnvironment, SensorDevice } from './device.js';
import type { CameraKinds, CameraOpener } from '../camera-port.js';
import type { InferenceService } from '../../core/services.js';
import { AiCameraDevice } from './ai-camera.js';
import { ImageFixtureDevice } from './image-fixture.js';
import { TestPatternDevice } from './test-pattern.js';
import { openV4l2Device } from './v4l2/open.js';

export type { DeviceEnvironment } from './device.js';

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

/** What devices may need of the host beyond their configuration. */
export interface DeviceHost {
  /** The platform's live cameras. */
  cameras: CameraKinds;
  /** The host's inference service (the ai-camera's network). */
  inference?: InferenceService;
}

export function createDevice(name: string, c: DeviceConfig, env: DeviceEnvironment, host: DeviceHost): SensorDevice {
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
      }, host.inference);
    case 'v4l2':
      return openV4l2Device(`${name}: V4L2 ${c.device}`, c, layout, env);
    case 'ffmpeg':
    case 'webcam': {
      // Live cameras belong to the platform (ffmpeg on Node, getUserMedia in a browser).
      const open = host.cameras[c.kind] as CameraOpener<typeof c> | undefined;
      if (!open) throw new Error(`${name}: a ${c.kind} camera cannot be opened on this platform (${host.cameras.describe})`);
      return open({ description: `${name}: ${c.kind} ${c.device}`, config: c, layout, capabilities: capabilities(c), env });
    }
  }
}
