/**
 * The typed configuration (EdgeConfigInput, derived from the interface registry) against the
 * parsers, both ways: what compiles parses, what the parser rejects does not compile, and the keys
 * and enumerations of every object are the parser's. One TypeScript program holds every file
 * checked here (test/typecheck/program.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../src/core/validate.js';
import { parseConfig } from '../../src/host/config.js';
import { SimulatedSpiDevice } from '../../src/spi/index.js';
import { TYPECHECK_DIR, describeError, keysOf, literalsOf, typeCheck, type Checked } from '../typecheck/program.js';
import * as positive from '../typecheck/config-positive.js';
import * as negative from '../typecheck/config-negative.js';
import { committedConfigs } from './config-sources.js';
import { IGNORED_BY_PARSER, PROBES, SENSOR_KINDS, SENSOR_REQUIRED, TYPE_PRELUDE, type Probe } from './config-probes.js';
import { ROOT } from '../helpers/run-guest.js';

const UNKNOWN = 'notAKeyOrValueOfAnyConfig';
const IMPORTS = `import type { EdgeConfigInput } from '../../src/index.js';
import type { SpiBackend } from '../../src/spi/index.js';
import type { DeviceEnvironment, SensorDevice } from '../../src/sensor/index.js';
`;
const PLACEHOLDERS = 'declare const spiBackend: SpiBackend;\ndeclare const openDevice: (env: DeviceEnvironment) => SensorDevice;\n';

/**
 * A config as a TypeScript expression. What conformance fixtures build in code stands as a declared
 * constant of the type it must have where it is: a scripted SPI device, a sensor device's `open`.
 */
function literal(v: unknown): string {
  if (v instanceof SimulatedSpiDevice) return 'spiBackend';
  if (typeof v === 'function') return 'openDevice';
  if (Array.isArray(v)) return `[${v.map(literal).join(', ')}]`;
  if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
    return `{ ${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${literal(x)}`).join(', ')} }`;
  }
  if (v === undefined) return 'undefined';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  throw new Error(`no literal for ${String(v)}`);
}

/** The directives of config-negative.ts: the line each applies to, the error code and a part of the message. */
const NEGATIVE_SOURCE = readFileSync(join(TYPECHECK_DIR, 'config-negative.ts'), 'utf8');
const DIRECTIVES = NEGATIVE_SOURCE.split('\n').flatMap((text, i) => {
  const m = /^\s*\/\/ @ts-expect-error TS(\d+) (.+)$/.exec(text);
  return m ? [{ line: i + 2, code: Number(m[1]), fragment: m[2]!, at: NEGATIVE_SOURCE.split('\n')[i + 1]!.trim() }] : [];
});

const COMMITTED = (() => {
  const seen = new Set<string>();
  return committedConfigs().filter((c) => {
    const key = JSON.stringify(c.config) + c.baseDir;
    return !seen.has(key) && seen.add(key);
  });
})();
const committedFile = (i: number) => `committed-${i}.generated.ts`;
const PROBE_FILE = 'probes.generated.ts';
const CAMERA_KINDS = SENSOR_KINDS.filter((k) => k !== 'custom');
const formatsAlias = (kind: string) => `PixelFormatOf_${kind.replace('-', '_')}`;

let checked: Checked;
beforeAll(() => {
  const files: Record<string, string> = {
    'config-positive.ts': readFileSync(join(TYPECHECK_DIR, 'config-positive.ts'), 'utf8'),
    // Without the directives, so the errors they would silence are reported and can be read.
    'config-negative.ts': NEGATIVE_SOURCE.replaceAll('// @ts-expect-error', '// expected error:'),
    [PROBE_FILE]: IMPORTS + TYPE_PRELUDE + PROBES.map((p, i) => `export type P${i} = ${p.type};\n`).join('') +
      CAMERA_KINDS.map((k) => `export type ${formatsAlias(k)} = NonNullable<Kind<Device, '${k}'>['pixelFormat']>;\n`).join(''),
  };
  COMMITTED.forEach((c, i) => {
    files[committedFile(i)] = `// ${c.source}\n${IMPORTS}${PLACEHOLDERS}export const config: EdgeConfigInput = ${literal(c.config)};\n`;
  });
  checked = typeCheck(files);
});

function errorsIn(file: string) {
  return checked.errors.map(describeError).filter((e) => e.file === join(TYPECHECK_DIR, file));
}

/** What the parser accepts at a probe's place, from its own ConfigError. */
function parserList(p: Probe): string[] {
  try {
    parseConfig(p.config(UNKNOWN), ROOT);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    if (p.what === 'keys') {
      expect(e.field.endsWith(UNKNOWN), e.message).toBe(true);
      expect(e.expected).toMatch(/^one of the known keys: /);
      return e.expected.replace(/^one of the known keys: /, '').replace(/ \(did you mean .*\)$/, '').split(', ');
    }
    expect(e.got, e.message).toBe(UNKNOWN);
    expect(e.expected).toMatch(/^one of "/);
    return e.expected.replace(/^one of /, '').split(', ').map((s) => JSON.parse(s) as string);
  }
  throw new Error(`${p.name}: the parser accepted ${UNKNOWN}`);
}

const sorted = (a: readonly string[]) => [...a].sort();
/** The parser's list of a probe, by the probe's name. */
const parserListOf = (name: string) => parserList(PROBES.find((p) => p.name === name)!);

describe('typed configuration: realistic configs', () => {
  const examples = Object.entries(positive).filter(([, v]) => typeof v !== 'function');

  it('test/typecheck/config-positive.ts compiles', () => {
    expect(errorsIn('config-positive.ts')).toEqual([]);
  });

  it.each(examples)('%s is accepted by parseConfig', (_name, config) => {
    expect(() => parseConfig(config, ROOT)).not.toThrow();
  });

  it('they use every section, device kind, bus kind and chip', () => {
    const used = new Set<string>();
    const visit = (v: unknown, path: string) => {
      if (Array.isArray(v)) v.forEach((x) => visit(x, path));
      else if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
        for (const [k, x] of Object.entries(v)) {
          if ((k === 'kind' || k === 'chip') && typeof x === 'string') used.add(`${path} ${k} ${x}`);
          visit(x, path || k);
        }
      }
    };
    for (const [, config] of examples) visit(config, '');
    const expected = [
      ...parserListOf('sensor device kind').map((k) => `sensor kind ${k}`),
      ...parserListOf('i2c bus kind').map((k) => `i2c kind ${k}`),
      ...parserListOf('i2c chip').map((k) => `i2c chip ${k}`),
      ...parserListOf('i2c fault kind').map((k) => `i2c kind ${k}`),
      ...parserListOf('spi device kind').map((k) => `spi kind ${k}`),
      ...parserListOf('spi chip').map((k) => `spi chip ${k}`),
    ];
    expect(expected.filter((e) => !used.has(e))).toEqual([]);
    for (const section of ['sensor', 'i2c', 'spi', 'nn', 'vision', 'wasi']) {
      expect(examples.some(([, c]) => section in (c as object)), section).toBe(true);
    }
  });
});

describe('typed configuration: mistakes do not compile', () => {
  it('config-negative.ts has no error outside the lines its directives name', () => {
    const named = new Set(DIRECTIVES.map((d) => d.line));
    expect(errorsIn('config-negative.ts').filter((e) => !named.has(e.line))).toEqual([]);
    expect(DIRECTIVES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(DIRECTIVES)('line $line ($at) fails with TS$code "$fragment"', ({ line, code, fragment }) => {
    const errors = errorsIn('config-negative.ts').filter((e) => e.line === line);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e.code, e.message).toBe(code);
      expect(e.message).toContain(fragment);
    }
  });

  // What parseConfig says of each mistake at run time: the field it names, or `accepted` where the
  // type is stricter than the parser (the key is ignored; see IGNORED_BY_PARSER).
  const AT_RUN_TIME: Record<string, string> = {
    misspeltSection: 'sensr',
    misspeltWasiKey: 'wasi.preopen',
    misspeltSensorKey: 'sensor.devcies',
    wrongClock: 'sensor.clock',
    wrongSensorKind: 'sensor.devices.cam:0.kind',
    misspeltDeviceKey: 'sensor.devices.cam:0.pixelFromat',
    wrongPixelFormat: 'sensor.devices.cam:0.pixelFormat',
    // mjpeg is not among an ffmpeg camera's default formats, and the parser names the list.
    mjpegFromFfmpeg: 'sensor.devices.camera:0.formats',
    aiCameraInGray: 'sensor.devices.ai:0.pixelFormat',
    fpsAsANumber: 'sensor.devices.cam:0.fps',
    fpsOfThree: 'sensor.devices.cam:0.fps',
    fixtureWithoutDirectory: 'sensor.devices.fixture:0.directory',
    fixtureWithAWidth: 'accepted',
    customWithoutOpen: 'sensor.devices.mine:0.open',
    misspeltI2cKey: 'i2c.busses',
    wrongBusKind: 'i2c.buses.b.kind',
    linuxBusWithoutDevice: 'i2c.buses.i2c-1.device',
    wrongChip: 'i2c.buses.b.devices[0].chip',
    wrongEepromVariant: 'i2c.buses.b.devices[0].variant',
    fiveAdcInputs: 'i2c.buses.b.devices[0].inputs',
    conformanceFaultName: 'i2c.buses.b.faults[0].kind',
    slowWithoutDelay: 'i2c.buses.b.faults[0].delayMs',
    misspeltI2cLimit: 'i2c.buses.b.limits.maxReads',
    misspeltSpiKey: 'spi.device',
    wrongSpiKind: 'spi.devices.d.kind',
    wrongSpiChip: 'spi.devices.d.chip',
    jedecIdOfTwo: 'spi.devices.d.jedecId',
    adcKeyOnTheFlash: 'spi.devices.d.vref',
    misspeltNnKey: 'nn.allowload',
    wrongBackend: 'nn.backend',
    wrongEncoding: 'nn.models.faces.encoding',
    wrongTarget: 'nn.models.faces.target',
    allowAll: 'nn.allow',
    misspeltNnLimit: 'nn.limits.tensorByte',
    misspeltVisionKey: 'vision.maxPixel',
    visionLimitAsText: 'vision.maxImages',
  };

  it('every config of config-negative.ts has a run-time verdict here', () => {
    const configs = Object.entries(negative).filter(([, v]) => typeof v !== 'function').map(([k]) => k);
    expect(sorted(configs)).toEqual(sorted(Object.keys(AT_RUN_TIME)));
  });

  it.each(Object.entries(AT_RUN_TIME))('%s at run time: %s', (name, field) => {
    const config = (negative as Record<string, unknown>)[name];
    if (field === 'accepted') {
      expect(() => parseConfig(config, ROOT)).not.toThrow();
      return;
    }
    try {
      parseConfig(config, ROOT);
      expect.unreachable(`${name} was accepted`);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).field).toBe(field);
    }
  });
});

describe('typed configuration: every committed config', () => {
  it('is found: the JSON files, the docs examples and the doc comments', () => {
    const sources = COMMITTED.map((c) => c.source);
    for (const expected of ['fixtures/demo/edge.json', 'test/hardware/arm/config.json', 'docs/nn.md:', 'docs/sensor.md:',
      'docs/i2c-spi.md:', 'docs/demo.md:', 'docs/device.md:', 'fixtures/demo/device.json', 'README.md:', 'src/i2c/config.ts:', 'src/nn/config.ts:', 'conformance/scenarios/', 'conformance/spi/']) {
      expect(sources.some((s) => s.startsWith(expected)), expected).toBe(true);
    }
  });

  it.each(COMMITTED.map((c, i) => [c.source, i] as const))('%s parses and compiles as EdgeConfigInput', (_source, i) => {
    const c = COMMITTED[i]!;
    expect(() => parseConfig(c.config, c.baseDir)).not.toThrow();
    expect(errorsIn(committedFile(i)).map((e) => e.message)).toEqual([]);
  });
});

describe('typed configuration: the keys and enumerations are the parser\'s', () => {
  it('there is a key probe for every kind and chip the parser knows', () => {
    const names = new Set(PROBES.map((p) => p.name));
    const needed = [
      ...parserListOf('sensor device kind').map((k) => `sensor device ${k}`),
      ...parserListOf('i2c bus kind').map((k) => `i2c bus ${k}`),
      ...parserListOf('i2c chip').map((k) => `i2c chip ${k}`),
      ...parserListOf('spi chip').map((c) => `spi simulated ${c}`),
      ...parserListOf('spi device kind').filter((k) => k !== 'simulated').map((k) => `spi ${k}`),
    ];
    expect(needed.filter((n) => !names.has(n))).toEqual([]);
  });

  it.each(PROBES.map((p, i) => [p.name, p.what, i] as const))('%s: %s', (_name, what, i) => {
    const p = PROBES[i]!;
    expect(errorsIn(PROBE_FILE)).toEqual([]);
    const parser = parserList(p);
    const typed = what === 'keys' ? keysOf(checked, PROBE_FILE, `P${i}`) : literalsOf(checked, PROBE_FILE, `P${i}`);
    expect(sorted(typed.filter((k) => !parser.includes(k))), 'in the type, refused by the parser').toEqual([]);
    expect(sorted(parser.filter((k) => !typed.includes(k))), 'accepted by the parser, not in the type').toEqual(IGNORED_BY_PARSER[p.name] ?? []);
  });

  // Some kinds take only some pixel formats; the parser says so with its own checks, not a list.
  it.each(CAMERA_KINDS)('the pixel formats a %s device takes', (kind) => {
    const all = parserListOf('sensor pixel format');
    const accepted = all.filter((pixelFormat) => {
      try {
        parseConfig({ sensor: { devices: { d: { kind, ...SENSOR_REQUIRED[kind], pixelFormat } } } }, ROOT);
        return true;
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        return false;
      }
    });
    const typed = literalsOf(checked, PROBE_FILE, formatsAlias(kind));
    expect(sorted(typed)).toEqual(sorted(accepted));
  });
});
