/**
 * The host-neutral fixture vocabulary of conformance/README.md ("Fixtures"), as data, and its
 * check: every key of every object, the enumerations, and the JSON type of every value. A fixture
 * is checked whole before this host maps it to its own configuration (fixture.ts), so a key the
 * README does not define is an error naming its path, never something passed through to this
 * host's config (where, say, `sensor.limits.clock` would have switched the clock).
 * Ranges of numbers are the host's business: this host's config parser checks them.
 */
import { ConfigError, isObject, type Json } from '../core/validate.js';

type Check =
  | 'string'
  | 'boolean'
  | 'integer'
  | 'number'
  | { enum: readonly string[] }
  | { list: Check }
  | { object: Fields; required?: readonly string[] }
  | { variant: string; common: Fields; cases: Record<string, Fields>; required?: readonly string[]; optionalWhen?: string };
type Fields = Record<string, Check>;

const int = 'integer' as const;
const obj = (fields: Fields, required: readonly string[] = []): Check => ({ object: fields, required });
const list = (of: Check): Check => ({ list: of });

const I2C_FAULT = {
  variant: 'kind',
  common: { address: int, count: int },
  cases: {
    'nack-address': {},
    'nack-data': { afterBytes: int },
    'nack-unknown': {},
    'arbitration-loss': {},
    overrun: {},
    'bus-stuck': {},
    slow: { delayMs: 'number' },
  },
} as const satisfies Check;

const AT24C = ['at24c01', 'at24c02', 'at24c32', 'at24c64', 'at24c128', 'at24c256', 'at24c512'];
const I2C_DEVICE: Check = {
  variant: 'model',
  common: { address: int },
  required: ['address'],
  cases: { bme280: {}, ads1115: { inputs: list('number') }, ...Object.fromEntries(AT24C.map((m) => [m, {}])) },
};

const I2C: Check = obj({
  buses: list(obj({
    name: 'string', granted: 'boolean', addressing: { enum: ['7-bit', '10-bit'] }, allowedAddresses: list(int),
    devices: list(I2C_DEVICE), faults: list(I2C_FAULT),
    limits: obj({ maxRead: int, maxTransactionBytes: int, maxOperations: int }),
    smbusOnly: 'boolean', unavailable: 'boolean',
  }, ['name'])),
});

const SPI: Check = obj({
  devices: list({
    variant: 'model',
    // A device that cannot be opened needs no model.
    optionalWhen: 'unavailable',
    required: ['name'],
    common: {
      name: 'string', granted: 'boolean', unavailable: 'boolean',
      frequency: int, mode: int, lsbFirst: 'boolean',
      faults: list(obj({ kind: { enum: ['overrun', 'mode-fault', 'frame-format', 'chip-select-fault'] }, afterBytes: int, count: int }, ['kind'])),
      limits: obj({ maxTransferBytes: int, maxOperations: int }),
    },
    cases: { 'spi-nor': { size: int, jedecId: list(int) }, mcp3008: { vref: 'number', vdd: 'number', inputs: list('number') } },
  }),
});

const FPS = list(int);
const SENSOR: Check = obj({
  clock: { enum: ['real'] },
  hostMemoryPools: list('string'),
  limits: obj({ maxPoolBytes: int, maxPools: int }),
  devices: list({
    variant: 'source',
    required: ['name'],
    common: { name: 'string', granted: 'boolean', fps: FPS },
    cases: {
      'test-pattern': {
        width: int, height: int, pixelFormat: { enum: ['gray', 'rgb24', 'bgr24', 'argb32', 'abgr32', 'yuy2', 'mjpeg'] },
        maxWidth: int, maxHeight: int, maxFps: int,
      },
      'image-sequence': { directory: 'string', loop: 'boolean' },
      camera: { width: int, height: int, pixelFormat: { enum: ['gray', 'rgb24', 'bgr24', 'yuy2', 'mjpeg'] }, framesBeforeUnplug: int },
    },
  }),
});

const NN: Check = obj({
  models: list(obj({
    name: 'string', file: 'string', granted: 'boolean',
    encoding: { enum: ['openvino', 'onnx', 'tensorflow', 'pytorch', 'tensorflowlite', 'ggml', 'autodetect'] },
    target: { enum: ['cpu', 'gpu', 'tpu'] },
  }, ['name', 'file'])),
  loadFromBytes: 'boolean',
  cpuFallback: 'boolean',
  limits: obj({ modelBytes: int, tensorBytes: int }),
});

const VISION: Check = obj({ limits: obj({ maxPixels: int, maxInputBytes: int }) });

/** The whole vocabulary: conformance/README.md, "Fixtures". */
export const FIXTURE_SCHEMA: Check = obj({ sensor: SENSOR, i2c: I2C, spi: SPI, nn: NN, vision: VISION });

function describe(c: Check): string {
  if (typeof c === 'string') return c === 'integer' ? 'an integer' : `a ${c}`;
  if ('enum' in c) return `one of ${c.enum.map((e) => JSON.stringify(e)).join(', ')}`;
  if ('list' in c) return 'a list';
  return 'an object';
}

function checkFields(v: Json, fields: Fields, required: readonly string[], at: string): void {
  for (const k of Object.keys(v)) {
    if (!(k in fields)) throw new ConfigError(`${at}.${k}`, `one of ${Object.keys(fields).join(', ')} (conformance/README.md, Fixtures)`, k);
  }
  for (const k of required) if (v[k] === undefined) throw new ConfigError(`${at}.${k}`, describe(fields[k]!), undefined);
  for (const [k, c] of Object.entries(fields)) if (v[k] !== undefined) check(v[k], c, `${at}.${k}`);
}

function check(v: unknown, c: Check, at: string): void {
  const wrong = () => {
    throw new ConfigError(at, describe(c), v);
  };
  if (c === 'string') return void (typeof v === 'string' && v !== '' ? 0 : wrong());
  if (c === 'boolean') return void (typeof v === 'boolean' ? 0 : wrong());
  if (c === 'integer') return void (Number.isInteger(v) ? 0 : wrong());
  if (c === 'number') return void (typeof v === 'number' && Number.isFinite(v) ? 0 : wrong());
  if ('enum' in c) return void (c.enum.includes(v as string) ? 0 : wrong());
  if ('list' in c) {
    if (!Array.isArray(v)) wrong();
    return (v as unknown[]).forEach((e, i) => check(e, c.list, `${at}[${i}]`));
  }
  if (!isObject(v)) return wrong();
  if ('object' in c) return checkFields(v, c.object, c.required ?? [], at);
  const tag = v[c.variant];
  if (tag === undefined && c.optionalWhen && v[c.optionalWhen] === true) return checkFields(v, c.common, c.required ?? [], at);
  const cases = Object.keys(c.cases);
  if (typeof tag !== 'string' || !cases.includes(tag)) {
    throw new ConfigError(`${at}.${c.variant}`, `one of ${cases.map((e) => JSON.stringify(e)).join(', ')}`, tag);
  }
  checkFields(v, { ...c.common, [c.variant]: 'string', ...c.cases[tag]! }, c.required ?? [], at);
}

/** Throws ConfigError (with the fixture path) unless `fixture` uses the README's vocabulary only. */
export function validateFixture(fixture: unknown): void {
  check(fixture, FIXTURE_SCHEMA, 'fixture');
}
