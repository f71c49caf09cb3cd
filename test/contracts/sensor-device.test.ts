/**
 * The SensorDevice contract (sensor-device.contract.ts) against every device kind: the test
 * pattern, an image fixture, the on-sensor-AI camera (BlazeFace through the host's inference
 * service), the ffmpeg camera (lavfi's testsrc2 standing in for /dev/video0, each frame's number
 * written into its pixels), the unpluggable wrapper, and an embedder's own (`custom`) device.
 * Built through the same configuration path a host uses (parseSensorConfig → createDevice).
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInferenceService } from '../../src/host/inference.js';
import { defaultNnConfig } from '../../src/nn/config.js';
import { nodePlatform } from '../../src/platform/node/index.js';
import { parseSensorConfig } from '../../src/sensor/config.js';
import { createDevice } from '../../src/sensor/devices/create.js';
import type { DeviceEnvironment, SensorDevice } from '../../src/sensor/devices/device.js';
import { UnpluggableDevice } from '../../src/sensor/devices/unpluggable.js';
import { openV4l2Device } from '../../src/sensor/devices/v4l2/open.js';
import type { V4l2DeviceConfig } from '../../src/sensor/config.js';
import { V4l2StandIn } from './v4l2-stand-in.js';
import { tempDir } from '../helpers/temp-dir.js';
import { CounterCamera } from './custom-sensor-device.js';
import { sensorDeviceContract } from './sensor-device.contract.js';
import { grayFrameNumber, sensorDeviceSubject, stampedFrameNumber, type SensorDeviceKind } from './sensor-device-under-test.js';
import { describeContract } from './vitest.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const FFMPEG = '/usr/bin/ffmpeg';

/** A device as a host builds it from one configuration entry. */
function configured(entry: Record<string, unknown>) {
  const config = parseSensorConfig({ devices: { dut: entry } }, 'sensor', ROOT);
  return (env: DeviceEnvironment, inference = false): SensorDevice =>
    createDevice('dut', config.devices.dut!, env, {
      cameras: nodePlatform.cameras,
      inference: inference ? createInferenceService(defaultNnConfig(), nodePlatform) : undefined,
    });
}

const testPattern = configured({
  kind: 'test-pattern', width: 16, height: 8, pixelFormat: 'rgb24', fps: [10, 1],
  formats: ['rgb24', 'gray', 'yuy2', 'mjpeg'], maxWidth: 64, maxHeight: 32, minFps: 1, maxFps: 120,
});

function hasOnnxRuntime(): boolean {
  try {
    createRequire(import.meta.url).resolve('onnxruntime-node');
    return true;
  } catch {
    return false;
  }
}

/**
 * ffmpeg through a wrapper that records its pid, so the suite can pull the camera out (SIGKILL,
 * as a USB camera that goes away ends the capture process) without reaching into the device.
 */
function ffmpegWrapper(): { path: string; write(): void } {
  // The directory exists once the file's tests run (tempDir at file level), so the script is written then.
  const path = join(tempDir('sensor-contract-ffmpeg'), 'ffmpeg');
  return {
    path,
    write() {
      if (existsSync(path)) return;
      writeFileSync(path, `#!/bin/sh\necho $$ > "$0.pid"\nexec ${FFMPEG} "$@"\n`);
      chmodSync(path, 0o755);
    },
  };
}

const kinds: SensorDeviceKind[] = [
  {
    label: 'test-pattern (16x8 rgb24, 10 fps)',
    open: (env) => testPattern(env),
    clock: 'virtual',
    frameNumber: stampedFrameNumber,
  },
  {
    label: 'image-fixture (fixtures/sensor/sequence, looped)',
    open: configured({ kind: 'image-fixture', directory: 'fixtures/sensor/sequence', loop: true, fps: [10, 1] }),
    clock: 'virtual',
  },
  {
    label: 'ai-camera (BlazeFace on fixtures/demo/camera)',
    open: (env) => configured({ kind: 'ai-camera', directory: 'fixtures/demo/camera', loop: true, fps: [10, 1] })(env, true),
    clock: 'virtual',
    unavailable: hasOnnxRuntime() ? undefined : 'onnxruntime-node (an optional dependency) is not installed',
  },
  (() => {
    const have = existsSync(FFMPEG);
    const wrapper = ffmpegWrapper();
    const camera = configured({
        kind: 'ffmpeg', ffmpeg: wrapper.path, width: 32, height: 24, pixelFormat: 'gray', formats: ['gray', 'rgb24'], fps: [25, 1], ringFrames: 4,
        input: ['-re', '-f', 'lavfi', '-i', "testsrc2=size={width}x{height}:rate={fps},format=gray,geq=lum='mod(N,256)'"],
      });
    return {
      label: 'ffmpeg camera (lavfi testsrc2, frame numbers in the pixels, ring of 4)',
      open: (env) => {
        wrapper.write();
        return camera(env);
      },
      clock: 'real',
      frameNumber: grayFrameNumber,
      frameNumberModulo: 256,
      ringFrames: 4,
      unplug: () => process.kill(Number(readFileSync(`${wrapper.path}.pid`, 'utf8')), 'SIGKILL'),
      unavailable: have ? undefined : `${FFMPEG} is not installed (apt-get install ffmpeg)`,
    } satisfies SensorDeviceKind;
  })(),
  (() => {
    // One stand-in kernel per device under test (the devices of one environment share it, as two
    // opens of one /dev/video0 share a driver), so an unplug never outlives its property.
    const kernels = new WeakMap<object, V4l2StandIn>();
    const kernelOf = (key: object) => {
      let k = kernels.get(key);
      if (!k) {
        k = new V4l2StandIn([
          { fourcc: 'GREY', sizes: [[32, 24], [16, 12]], fps: [25, 10, 5] },
          { fourcc: 'YUYV', sizes: [[32, 24], [16, 12]], fps: [25, 10, 5] },
          { fourcc: 'NV12', sizes: [[32, 24], [16, 12]], fps: [25, 10, 5] },
        ]);
        kernels.set(key, k);
      }
      return k;
    };
    const entry = parseSensorConfig({ devices: { dut: { kind: 'v4l2', width: 32, height: 24, pixelFormat: 'gray', fps: [25, 1] } } }, 'sensor', ROOT).devices.dut as V4l2DeviceConfig;
    const devices = new WeakMap<SensorDevice, V4l2StandIn>();
    return {
      label: 'v4l2 (a stand-in kernel: GREY, YUYV, NV12; 4 driver buffers)',
      open: (env) => {
        const kernel = kernelOf(env.wake);
        const d = openV4l2Device('dut', entry, { width: 32, height: 24, strideBytes: 0, pixelFormat: 'gray' }, env, kernel);
        devices.set(d, kernel);
        return d;
      },
      clock: 'real',
      frameNumber: grayFrameNumber,
      frameNumberModulo: 256,
      driverQueue: 4,
      unplug: (d) => devices.get(d)!.unplug(),
      replug: (d) => devices.get(d)!.replug(),
    } satisfies SensorDeviceKind;
  })(),
  {
    label: 'unpluggable wrapper (around the test pattern)',
    open: (env) => new UnpluggableDevice(testPattern(env)),
    clock: 'virtual',
    frameNumber: stampedFrameNumber,
    unplug: (d) => (d as UnpluggableDevice).unplug(),
    replug: (d) => (d as UnpluggableDevice).replug(),
  },
  {
    label: 'custom (an embedder\'s counter camera)',
    open: configured({ kind: 'custom', open: () => new CounterCamera() }),
    clock: 'virtual',
    frameNumber: grayFrameNumber,
    frameNumberModulo: 256,
  },
];

for (const kind of kinds) describeContract(sensorDeviceContract, sensorDeviceSubject(kind));
