// Mistakes in a TypeScript configuration that must not compile. Each case is one export whose
// mistake sits on the line after its `@ts-expect-error` directive; the directive names the error
// code and a part of the message it must produce. `tsc -p test/typecheck` fails when a directive is
// not needed (test/host/wit.test.ts); test/host/config-input.test.ts takes the directives out and
// checks that each line has exactly the error its directive names, and that parseConfig rejects
// the same value at run time (or, where the type is stricter than the parser, that it does not).
import { runComponent, type EdgeConfigInput } from '../../src/index.js';

// ── the top level and wasi ──────────────────────────────────────────────────────────────────────
export const misspeltSection: EdgeConfigInput = {
  // @ts-expect-error TS2561 'sensr' does not exist in type 'EdgeConfigInput'. Did you mean to write 'sensor'?
  sensr: {},
};

export const misspeltWasiKey: EdgeConfigInput = {
  // @ts-expect-error TS2561 Did you mean to write 'preopens'?
  wasi: { preopen: { '/out': 'out' } },
};

// ── sensor ──────────────────────────────────────────────────────────────────────────────────────
export const misspeltSensorKey: EdgeConfigInput = {
  sensor: {
    // @ts-expect-error TS2561 Did you mean to write 'devices'?
    devcies: {},
  },
};

export const wrongClock: EdgeConfigInput = {
  // @ts-expect-error TS2322 Type '"simulated"' is not assignable to type '"real" | "virtual" | undefined'.
  sensor: { clock: 'simulated' },
};

export const wrongSensorKind: EdgeConfigInput = {
  sensor: {
    devices: {
      // @ts-expect-error TS2322 Type '"camera"' is not assignable to type
      'cam:0': { kind: 'camera' },
    },
  },
};

export const misspeltDeviceKey: EdgeConfigInput = {
  sensor: {
    devices: {
      // @ts-expect-error TS2561 Did you mean to write 'pixelFormat'?
      'cam:0': { kind: 'test-pattern', pixelFromat: 'rgb24' },
    },
  },
};

export const wrongPixelFormat: EdgeConfigInput = {
  sensor: {
    devices: {
      // @ts-expect-error TS2322 Type '"rgb"' is not assignable to type
      'cam:0': { kind: 'test-pattern', pixelFormat: 'rgb' },
    },
  },
};

export const mjpegFromFfmpeg: EdgeConfigInput = {
  sensor: {
    devices: {
      // @ts-expect-error TS2322 Type '"mjpeg"' is not assignable to type 'RawPixelFormat | undefined'.
      'camera:0': { kind: 'ffmpeg', pixelFormat: 'mjpeg' },
    },
  },
};

export const aiCameraInGray: EdgeConfigInput = {
  sensor: {
    devices: {
      // @ts-expect-error TS2322 Type '"gray"' is not assignable to type '"rgb24" | "bgr24" | undefined'.
      'ai:0': { kind: 'ai-camera', directory: 'camera', pixelFormat: 'gray' },
    },
  },
};

export const fpsAsANumber: EdgeConfigInput = {
  sensor: {
    devices: {
      // @ts-expect-error TS2322 Type 'number' is not assignable to type 'readonly [numerator: number, denominator: number]'.
      'cam:0': { kind: 'test-pattern', fps: 30 },
    },
  },
};

// A tuple too long: TypeScript names the element it has no room for.
export const fpsOfThree: EdgeConfigInput = {
  sensor: {
    devices: {
      // @ts-expect-error TS2322 Type 'number' is not assignable to type 'undefined'.
      'cam:0': { kind: 'test-pattern', fps: [30, 1, 0] },
    },
  },
};

export const fixtureWithoutDirectory: EdgeConfigInput = {
  sensor: {
    devices: {
      // @ts-expect-error TS2322 Property 'directory' is missing
      'fixture:0': { kind: 'image-fixture', loop: true },
    },
  },
};

// Stricter than the parser, which accepts the key and ignores it: the images decide the size.
export const fixtureWithAWidth: EdgeConfigInput = {
  sensor: {
    devices: {
      // @ts-expect-error TS2353 'width' does not exist in type 'ImageFixtureDeviceInput'.
      'fixture:0': { kind: 'image-fixture', directory: 'camera', width: 320 },
    },
  },
};

export const customWithoutOpen: EdgeConfigInput = {
  sensor: {
    devices: {
      // @ts-expect-error TS2322 Property 'open' is missing
      'mine:0': { kind: 'custom' },
    },
  },
};

// ── i2c ─────────────────────────────────────────────────────────────────────────────────────────
export const misspeltI2cKey: EdgeConfigInput = {
  i2c: {
    // @ts-expect-error TS2561 Did you mean to write 'buses'?
    busses: {},
  },
};

export const wrongBusKind: EdgeConfigInput = {
  i2c: {
    buses: {
      // @ts-expect-error TS2322 Type '"sim"' is not assignable to type
      b: { kind: 'sim' },
    },
  },
};

export const linuxBusWithoutDevice: EdgeConfigInput = {
  i2c: {
    buses: {
      // @ts-expect-error TS2322 Property 'device' is missing
      'i2c-1': { kind: 'linux' },
    },
  },
};

export const wrongChip: EdgeConfigInput = {
  i2c: {
    buses: {
      // @ts-expect-error TS2820 Type '"bme680"' is not assignable to type
      b: { kind: 'simulated', devices: [{ chip: 'bme680', address: 118 }] },
    },
  },
};

export const wrongEepromVariant: EdgeConfigInput = {
  i2c: {
    buses: {
      // @ts-expect-error TS2820 Type '"at24c16"' is not assignable to type 'At24cVariant | undefined'.
      b: { kind: 'simulated', devices: [{ chip: 'at24c', address: 80, variant: 'at24c16' }] },
    },
  },
};

// AIN0..AIN3 only: TypeScript names the fifth element, which has no room.
export const fiveAdcInputs: EdgeConfigInput = {
  i2c: {
    buses: {
      // @ts-expect-error TS2322 Type 'number' is not assignable to type 'undefined'.
      b: { kind: 'simulated', devices: [{ chip: 'ads1115', address: 72, inputs: [1, 2, 3, 4, 5] }] },
    },
  },
};

// The conformance vocabulary's name for the fault, not the host's.
export const conformanceFaultName: EdgeConfigInput = {
  i2c: {
    buses: {
      // @ts-expect-error TS2322 Type '"bus-stuck"' is not assignable to type
      b: { kind: 'simulated', faults: [{ kind: 'bus-stuck' }] },
    },
  },
};

export const slowWithoutDelay: EdgeConfigInput = {
  i2c: {
    buses: {
      // @ts-expect-error TS2322 Property 'delayMs' is missing
      b: { kind: 'simulated', faults: [{ kind: 'slow' }] },
    },
  },
};

export const misspeltI2cLimit: EdgeConfigInput = {
  i2c: {
    buses: {
      // @ts-expect-error TS2561 Did you mean to write 'maxRead'?
      b: { kind: 'linux', device: '/dev/i2c-1', limits: { maxReads: 256 } },
    },
  },
};

// ── spi ─────────────────────────────────────────────────────────────────────────────────────────
export const misspeltSpiKey: EdgeConfigInput = {
  spi: {
    // @ts-expect-error TS2561 Did you mean to write 'devices'?
    device: {},
  },
};

export const wrongSpiKind: EdgeConfigInput = {
  spi: {
    devices: {
      // @ts-expect-error TS2322 Type '"spidev"' is not assignable to type
      d: { kind: 'spidev' },
    },
  },
};

export const wrongSpiChip: EdgeConfigInput = {
  spi: {
    devices: {
      // @ts-expect-error TS2322 Type '"w25q16"' is not assignable to type
      d: { kind: 'simulated', chip: 'w25q16' },
    },
  },
};

export const jedecIdOfTwo: EdgeConfigInput = {
  spi: {
    devices: {
      // @ts-expect-error TS2322 Source has 2 element(s) but target requires 3.
      d: { kind: 'simulated', chip: 'spi-nor', jedecId: [239, 64] },
    },
  },
};

export const adcKeyOnTheFlash: EdgeConfigInput = {
  spi: {
    devices: {
      // @ts-expect-error TS2353 'vref' does not exist in type 'SpiNorInput'.
      d: { kind: 'simulated', chip: 'spi-nor', vref: 3.3 },
    },
  },
};

// ── nn ──────────────────────────────────────────────────────────────────────────────────────────
export const misspeltNnKey: EdgeConfigInput = {
  nn: {
    // @ts-expect-error TS2561 Did you mean to write 'allowLoad'?
    allowload: false,
  },
};

export const wrongBackend: EdgeConfigInput = {
  // @ts-expect-error TS2322 Type '"onnxruntime"' is not assignable to type
  nn: { backend: 'onnxruntime' },
};

export const wrongEncoding: EdgeConfigInput = {
  nn: {
    models: {
      // @ts-expect-error TS2322 Type '"tflite"' is not assignable to type
      faces: { path: 'fixtures/models/blazeface-128.onnx', encoding: 'tflite' },
    },
  },
};

export const wrongTarget: EdgeConfigInput = {
  nn: {
    models: {
      // @ts-expect-error TS2322 Type '"npu"' is not assignable to type
      faces: { path: 'fixtures/models/blazeface-128.onnx', target: 'npu' },
    },
  },
};

export const allowAll: EdgeConfigInput = {
  // @ts-expect-error TS2322 Type '"all"' is not assignable to type
  nn: { allow: 'all' },
};

export const misspeltNnLimit: EdgeConfigInput = {
  nn: {
    // @ts-expect-error TS2561 Did you mean to write 'tensorBytes'?
    limits: { tensorByte: 1024 },
  },
};

// ── vision ──────────────────────────────────────────────────────────────────────────────────────
export const misspeltVisionKey: EdgeConfigInput = {
  vision: {
    // @ts-expect-error TS2561 Did you mean to write 'maxPixels'?
    maxPixel: 1024,
  },
};

export const visionLimitAsText: EdgeConfigInput = {
  vision: {
    // @ts-expect-error TS2322 Type 'string' is not assignable to type 'number'.
    maxImages: '16',
  },
};

// ── the public entry point takes the same type (two signatures: input or parsed config, and a
// literal fits neither) ─────────────────────────────────────────────────────────────────────────
export const viaRunComponent = (): ReturnType<typeof runComponent> =>
  runComponent('app.wasm', {
    sensor: {
      devices: {
        // @ts-expect-error TS2769 Type '"camera"' is not assignable to type
        'cam:0': { kind: 'camera' },
      },
    },
  });
