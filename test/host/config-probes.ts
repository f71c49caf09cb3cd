/**
 * Points where the typed configuration (EdgeConfigInput) and the parsers must agree: each names a
 * type (an expression over EdgeConfigInput) and builds a config that puts a probe value at the
 * same place, so the parser's own error says what it accepts there. `keys` probes put an unknown
 * key in an object (the parser lists the known keys); `literals` probes put an unknown value in an
 * enumeration (the parser lists the cases).
 */

export interface Probe {
  name: string;
  what: 'keys' | 'literals';
  /** A TypeScript type over the aliases of TYPE_PRELUDE. */
  type: string;
  /** A config holding `probe` as a key (keys) or a value (literals) at the place `type` describes. */
  config: (probe: string) => unknown;
}

/** Aliases the probe types are written in (a generated file imports EdgeConfigInput and declares these). */
export const TYPE_PRELUDE = `
type Section<K extends keyof EdgeConfigInput> = NonNullable<EdgeConfigInput[K]>;
type Kind<U, K> = Extract<U, { kind: K }>;
type Sensor = Section<'sensor'>;
type Device = NonNullable<Sensor['devices']>[string];
type I2c = Section<'i2c'>;
type Bus = NonNullable<I2c['buses']>[string];
type Chip = NonNullable<Kind<Bus, 'simulated'>['devices']>[number];
type Fault = NonNullable<Kind<Bus, 'simulated'>['faults']>[number];
type Spi = Section<'spi'>;
type SpiDevice = NonNullable<Spi['devices']>[string];
type Nn = Section<'nn'>;
type NnModel = Exclude<NonNullable<Nn['models']>[string], string>;
`;

export const SENSOR_KINDS = ['test-pattern', 'image-fixture', 'ffmpeg', 'v4l2', 'webcam', 'ai-camera', 'custom'] as const;
/** What a device of each kind needs besides its kind to get as far as the probe. */
export const SENSOR_REQUIRED: Record<string, object> = { 'image-fixture': { directory: 'camera' }, 'ai-camera': { directory: 'camera' } };
/** A model file that exists relative to the repository root (parseConfig checks). */
export const MODEL = 'fixtures/models/blazeface-128.onnx';

const sensorDevice = (kind: string, extra: object) => ({ sensor: { devices: { d: { kind, ...SENSOR_REQUIRED[kind], ...extra } } } });
const simulatedBus = (extra: object) => ({ i2c: { buses: { b: { kind: 'simulated', ...extra } } } });
const spiDevice = (device: object) => ({ spi: { devices: { d: device } } });

export const PROBES: Probe[] = [
  { name: 'the top level', what: 'keys', type: 'EdgeConfigInput', config: (k) => ({ [k]: 1 }) },
  { name: 'wasi', what: 'keys', type: "Section<'wasi'>", config: (k) => ({ wasi: { [k]: 1 } }) },
  { name: 'limits', what: 'keys', type: "Section<'limits'>", config: (k) => ({ limits: { [k]: 1 } }) },

  { name: 'sensor', what: 'keys', type: 'Sensor', config: (k) => ({ sensor: { [k]: 1 } }) },
  ...SENSOR_KINDS.map((kind): Probe => ({
    name: `sensor device ${kind}`, what: 'keys', type: `Kind<Device, '${kind}'>`, config: (k) => sensorDevice(kind, { [k]: 1 }),
  })),
  { name: 'sensor device kind', what: 'literals', type: "Device['kind']", config: (v) => sensorDevice(v, {}) },
  { name: 'sensor clock', what: 'literals', type: "NonNullable<Sensor['clock']>", config: (v) => ({ sensor: { clock: v } }) },
  {
    name: 'sensor pixel format', what: 'literals', type: "NonNullable<Kind<Device, 'test-pattern'>['pixelFormat']>",
    config: (v) => sensorDevice('test-pattern', { pixelFormat: v }),
  },

  { name: 'i2c', what: 'keys', type: 'I2c', config: (k) => ({ i2c: { [k]: 1 } }) },
  ...(['simulated', 'linux', 'custom'] as const).map((kind): Probe => ({
    name: `i2c bus ${kind}`, what: 'keys', type: `Kind<Bus, '${kind}'>`, config: (k) => ({ i2c: { buses: { b: { kind, [k]: 1 } } } }),
  })),
  {
    name: 'i2c limits', what: 'keys', type: "NonNullable<Bus['limits']>",
    config: (k) => ({ i2c: { buses: { b: { kind: 'linux', device: '/dev/i2c-1', limits: { [k]: 1 } } } } }),
  },
  ...(['bme280', 'at24c', 'ads1115'] as const).map((chip): Probe => ({
    name: `i2c chip ${chip}`, what: 'keys', type: `Extract<Chip, { chip: '${chip}' }>`,
    config: (k) => simulatedBus({ devices: [{ chip, address: 1, [k]: 1 }] }),
  })),
  // One key list for every fault kind in the parser; the type's are per kind, so compare their union.
  { name: 'i2c fault', what: 'keys', type: 'Fault', config: (k) => simulatedBus({ faults: [{ kind: 'stuck', [k]: 1 }] }) },
  { name: 'i2c bus kind', what: 'literals', type: "Bus['kind']", config: (v) => ({ i2c: { buses: { b: { kind: v } } } }) },
  { name: 'i2c chip', what: 'literals', type: "Chip['chip']", config: (v) => simulatedBus({ devices: [{ chip: v, address: 1 }] }) },
  {
    name: 'i2c at24c variant', what: 'literals', type: "NonNullable<Extract<Chip, { chip: 'at24c' }>['variant']>",
    config: (v) => simulatedBus({ devices: [{ chip: 'at24c', address: 80, variant: v }] }),
  },
  { name: 'i2c fault kind', what: 'literals', type: "Fault['kind']", config: (v) => simulatedBus({ faults: [{ kind: v }] }) },

  { name: 'spi', what: 'keys', type: 'Spi', config: (k) => ({ spi: { [k]: 1 } }) },
  ...(['spi-nor', 'mcp3008'] as const).map((chip): Probe => ({
    name: `spi simulated ${chip}`, what: 'keys', type: `Extract<SpiDevice, { kind: 'simulated'; chip: '${chip}' }>`,
    config: (k) => spiDevice({ kind: 'simulated', chip, [k]: 1 }),
  })),
  ...(['linux', 'custom'] as const).map((kind): Probe => ({
    name: `spi ${kind}`, what: 'keys', type: `Kind<SpiDevice, '${kind}'>`, config: (k) => spiDevice({ kind, [k]: 1 }),
  })),
  {
    name: 'spi limits', what: 'keys', type: "NonNullable<SpiDevice['limits']>",
    config: (k) => spiDevice({ kind: 'linux', device: '/dev/spidev0.0', limits: { [k]: 1 } }),
  },
  { name: 'spi device kind', what: 'literals', type: "SpiDevice['kind']", config: (v) => spiDevice({ kind: v }) },
  {
    name: 'spi chip', what: 'literals', type: "Kind<SpiDevice, 'simulated'>['chip']",
    config: (v) => spiDevice({ kind: 'simulated', chip: v }),
  },

  { name: 'nn', what: 'keys', type: 'Nn', config: (k) => ({ nn: { [k]: 1 } }) },
  { name: 'nn model', what: 'keys', type: 'NnModel', config: (k) => ({ nn: { models: { m: { path: MODEL, [k]: 1 } } } }) },
  { name: 'nn limits', what: 'keys', type: "NonNullable<Nn['limits']>", config: (k) => ({ nn: { limits: { [k]: 1 } } }) },
  { name: 'nn backend', what: 'literals', type: "NonNullable<Nn['backend']>", config: (v) => ({ nn: { backend: v } }) },
  { name: 'nn encoding', what: 'literals', type: "NonNullable<NnModel['encoding']>", config: (v) => ({ nn: { models: { m: { path: MODEL, encoding: v } } } }) },
  { name: 'nn target', what: 'literals', type: "NonNullable<NnModel['target']>", config: (v) => ({ nn: { models: { m: { path: MODEL, target: v } } } }) },

  { name: 'vision', what: 'keys', type: "Section<'vision'>", config: (k) => ({ vision: { [k]: 1 } }) },
];

/**
 * Keys the parser accepts and ignores, which the type leaves out on purpose so that a config
 * naming them does not compile: an image camera's size is its images' and `set-property` cannot
 * change it, so the layout keys of the other cameras mean nothing there.
 */
export const IGNORED_BY_PARSER: Record<string, string[]> = {
  'sensor device image-fixture': ['formats', 'height', 'maxHeight', 'maxWidth', 'minFps', 'width'],
  'sensor device ai-camera': ['formats', 'height', 'maxHeight', 'maxWidth', 'minFps', 'width'],
};
