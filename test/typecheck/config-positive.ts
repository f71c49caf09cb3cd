// Realistic configurations, written as a user writes them in TypeScript: each must compile against
// the registry-derived EdgeConfigInput (`tsc -p test/typecheck`, test/host/wit.test.ts) and be
// accepted by parseConfig with the repository root as base directory (test/host/config-input.test.ts
// parses every export). Between them they use every section, every device and bus kind and every
// optional key at least once.
import { runComponent, type EdgeConfigInput } from '../../src/index.js';
import { SimulatedBus, Bme280 } from '../../src/i2c/index.js';
import { SimulatedSpiDevice, createSpiChip } from '../../src/spi/index.js';
import { TestPatternDevice, UnpluggableDevice } from '../../src/sensor/index.js';

/** fixtures/demo/edge.json as an object literal. */
export const demo: EdgeConfigInput = {
  description: 'The face-detection demo: two cameras playing fixtures/demo/camera once at 10 frames/s.',
  sensor: {
    devices: {
      'camera:0': { kind: 'image-fixture', directory: 'camera', loop: false, fps: [10, 1] },
      'test-pattern:0': { kind: 'test-pattern' },
      'ai-camera:0': { kind: 'ai-camera', directory: 'camera', loop: false, fps: [10, 1], model: '../models/blazeface-128.onnx' },
    },
  },
  wasi: { preopens: { '/out': '../../out' } },
};

/** docs/sensor.md, plus the kinds and keys it does not show. */
export const sensor: EdgeConfigInput = {
  $schema: '../docs/sensor.md',
  sensor: {
    clock: 'virtual',
    hostMemoryPools: ['*-hm', 'frames-*'],
    maxPoolBytes: 64 * 1024 * 1024,
    maxPools: 8,
    devices: {
      'test-pattern:0': {
        kind: 'test-pattern', width: 320, height: 240, pixelFormat: 'mjpeg', fps: [1, 2],
        formats: ['mjpeg', 'rgb24', 'gray'], maxWidth: 1920, maxHeight: 1080, minFps: 0.5, maxFps: 120,
      },
      'fixture:0': { kind: 'image-fixture', directory: 'fixtures/sensor/sequence', fps: [10, 1], loop: true, pixelFormat: 'bgr24', maxFps: 60 },
      'camera:0': {
        kind: 'ffmpeg', ffmpeg: '/usr/bin/ffmpeg', device: '/dev/video0', ringFrames: 4,
        width: 640, height: 480, pixelFormat: 'yuy2', formats: ['yuy2', 'rgb24'], fps: [30, 1],
      },
      // The conformance fixtures' live camera: ffmpeg's synthetic source in real time.
      'lavfi:0': {
        kind: 'ffmpeg',
        input: ['-re', '-f', 'lavfi', '-i', 'testsrc2=size={width}x{height}:rate={fps}', '-t', '1'],
        width: 64, height: 48, fps: [100, 1],
      },
      // A USB camera through the kernel's V4L2 interface directly (host-memory frames are its mmap'd buffers).
      'usb:0': { kind: 'v4l2', device: '/dev/video0', fourccs: ['YUYV', 'MJPG'], spareBuffers: 2, width: 640, height: 480, pixelFormat: 'yuy2', fps: [30, 1] },
      'webcam:0': { kind: 'webcam', device: 'webcam', ringFrames: 8, pixelFormat: 'rgb24', width: 1280, height: 720 },
      'ai-camera:0': {
        kind: 'ai-camera', directory: 'fixtures/demo/camera', loop: false, fps: [10, 1], pixelFormat: 'rgb24', granted: true,
        model: 'fixtures/models/blazeface-128.onnx', inputWidth: 128, inputHeight: 128, scale: 2 / 255, offset: -1, threads: 2,
      },
      'lab:0': { kind: 'test-pattern', granted: false },
      // docs/sensor.md "Devices of your own": a custom device with a cable that can be pulled.
      'custom:0': {
        kind: 'custom',
        granted: true,
        open: () => new UnpluggableDevice(new TestPatternDevice('custom:0', {
          layout: { width: 64, height: 48, strideBytes: 0, pixelFormat: 'rgb24' },
          rate: { numerator: 30, denominator: 1 },
          capabilities: { formats: ['rgb24'], maxWidth: 64, maxHeight: 48, minFps: 1, maxFps: 30, layoutSettable: false },
        })),
      },
    },
  },
};

/** docs/i2c-spi.md, plus every fault kind, the limits and the embedder's own bus and device. */
const labBus = new SimulatedBus();
labBus.attach(0x76, new Bme280({ temperature: 20 }));
export const i2cSpi: EdgeConfigInput = {
  i2c: {
    buses: {
      'i2c-sim0': {
        kind: 'simulated',
        devices: [
          { chip: 'bme280', address: 118, temperature: 22.5, pressure: 100000, humidity: 40 },
          { chip: 'at24c', address: 80, variant: 'at24c256', writeCycleMs: 10 },
          { chip: 'at24c', address: 81 },
          { chip: 'ads1115', address: 72, inputs: [1.2, 0, 0, 0] },
          { chip: 'ads1115', address: 73, inputs: [3.3] },
        ],
        faults: [
          { kind: 'nack-address', address: 80, count: 2 },
          { kind: 'nack-data', address: 80, afterBytes: 1 },
          { kind: 'arbitration-loss' },
          { kind: 'overrun', count: 1 },
          { kind: 'nack-unknown', address: 72 },
          { kind: 'stuck', count: 1000000000 },
          { kind: 'slow', delayMs: 20, address: 118 },
        ],
        smbusOnly: false,
      },
      'i2c-smbus': { kind: 'simulated', smbusOnly: true, devices: [{ chip: 'bme280', address: 0x77 }] },
      'i2c-1': { kind: 'linux', device: '/dev/i2c-1', addresses: [72, 80], limits: { maxRead: 256, maxTransactionBytes: 1024, maxOperations: 8 } },
      'i2c-10bit': { kind: 'linux', device: '/dev/i2c-1', tenBit: true },
      lab: { kind: 'custom', bus: labBus, addresses: [0x76] },
    },
    allow: ['i2c-sim0', 'i2c-1', 'lab'],
    maxHandles: 16,
  },
  spi: {
    devices: {
      flash: { kind: 'simulated', chip: 'spi-nor', jedecId: [239, 64, 24], size: 16777216, limits: { maxTransferBytes: 4096, maxOperations: 16 } },
      adc: { kind: 'simulated', chip: 'mcp3008', vref: 3.3, vdd: 5, inputs: [1.65] },
      'spi0.0': { kind: 'linux', device: '/dev/spidev0.0', maxMessageBytes: 65536 },
      scripted: { kind: 'custom', device: new SimulatedSpiDevice(createSpiChip({ chip: 'spi-nor' })) },
    },
    allow: ['flash', 'adc', 'scripted'],
    maxHandles: 4,
  },
};

/** docs/nn.md, plus the limits docs/hardening.md lists. */
export const nn: EdgeConfigInput = {
  nn: {
    backend: 'onnxruntime-web',
    threads: 1,
    models: {
      faces: { path: 'fixtures/models/blazeface-128.onnx', encoding: 'onnx', target: 'cpu' },
      cls: 'fixtures/models/ppocr-cls.onnx',
      gpu: { path: 'fixtures/models/blazeface-128.onnx', target: 'gpu' },
    },
    allow: ['faces', 'gpu'],
    allowLoad: false,
    cpuFallback: true,
    timeoutMs: 60000,
    limits: { modelBytes: 268435456, tensorBytes: 67108864, liveTensorBytes: 1 << 28, maxGraphs: 4, maxHandles: 64 },
  },
};

/** Every vision limit (docs/hardening.md), and `allow: "*"` with no named models. */
export const visionAndWasi: EdgeConfigInput = {
  nn: { models: {}, allow: '*' },
  vision: { maxPixels: 512 * 512, maxInputBytes: 1 << 20, maxImages: 16, maxLiveBytes: 1 << 24 },
  wasi: { preopens: { '/out': 'out' }, env: { LOG: '1' }, args: ['app', '--verbose'], network: false },
};

/** test/hardware/*\/config.json: real buses only. */
export const hardware: EdgeConfigInput = {
  i2c: { buses: { i2c0: { kind: 'linux', device: '/dev/i2c-0' } } },
  spi: { devices: { flash: { kind: 'linux', device: '/dev/spidev0.0' } } },
};

/** The public entry points take the same type: a literal passed straight to runComponent. */
export const viaRunComponent = (): ReturnType<typeof runComponent> =>
  runComponent('app.wasm', { sensor: { devices: { 'cam:0': { kind: 'test-pattern', fps: [5, 1] } } } });
