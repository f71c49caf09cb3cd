/**
 * Maps a manifest's host-neutral `fixture` (conformance/README.md, "Fixtures") to this host's
 * configuration. The neutral vocabulary names device models and faults by what they do on the
 * wire; how this host simulates them (simulated buses, injected SPI faults, ffmpeg's lavfi source
 * for a camera that goes away) is decided here and nowhere else. A section that is absent means
 * "nothing of this interface is configured".
 */
import { ConfigError, isObject, type Json } from '../core/validate.js';
import type { EdgeConfigInput } from '../host/config.js';
import { createSpiChip, SimulatedSpiDevice, type SpiChipSpec, type SpiFault } from '../spi/index.js';
import { resolve } from 'node:path';
import { openLiveCamera, type LiveCameraSpec } from './live-camera.js';


function list(v: unknown, at: string): Json[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((e) => !isObject(e))) throw new ConfigError(at, 'a list of objects', v);
  return v as Json[];
}

function name(o: Json, at: string): string {
  if (typeof o.name !== 'string' || !o.name) throw new ConfigError(`${at}.name`, 'a non-empty string', o.name);
  return o.name;
}

function only(o: Json, at: string, keys: string[]) {
  for (const k of Object.keys(o)) if (!keys.includes(k)) throw new ConfigError(`${at}.${k}`, `one of ${keys.join(', ')}`, k);
}

/**
 * A section's list of named entries (`field` is its path: `fixture.i2c.buses`, `fixture.spi.devices`,
 * `fixture.nn.models`): each is checked for its keys (`name` and `granted` besides `keys`) and
 * turned into this host's config by `make`; `allow` names the granted ones, or is undefined when
 * all are.
 */
function namedEntries(
  raw: Json,
  field: string,
  keys: string[],
  make: (entry: Json, at: string, name: string) => unknown,
): { named: Record<string, unknown>; allow: string[] | undefined } {
  const named: Record<string, unknown> = {};
  const entries = list(raw[field.slice(field.lastIndexOf('.') + 1)], field);
  const names = entries.map((e, i) => {
    const at = `${field}[${i}]`;
    only(e, at, ['name', 'granted', ...keys]);
    const n = name(e, at);
    named[n] = make(e, at, n);
    return n;
  });
  const allow = entries.some((e) => e.granted === false) ? names.filter((_, i) => entries[i]!.granted !== false) : undefined;
  return { named, allow };
}

function i2cSection(raw: Json): unknown {
  only(raw, 'fixture.i2c', ['buses']);
  const keys = ['addressing', 'allowedAddresses', 'devices', 'faults', 'limits', 'smbusOnly', 'unavailable'];
  const { named: buses, allow } = namedEntries(raw, 'fixture.i2c.buses', keys, (b, at, n) => {
    const common: Json = { tenBit: b.addressing === '10-bit' };
    if (b.allowedAddresses !== undefined) common.addresses = b.allowedAddresses;
    if (b.limits !== undefined) common.limits = b.limits;
    // A bus that is configured but cannot be opened: a Linux bus whose device file is missing.
    if (b.unavailable === true) return { kind: 'linux', device: `/nonexistent/conformance/${n}`, ...common };
    const devices = list(b.devices, `${at}.devices`).map((d, j) => {
      const { model, ...rest } = d;
      if (typeof model !== 'string') throw new ConfigError(`${at}.devices[${j}].model`, 'bme280, at24c32, at24c02, … or ads1115', model);
      if (model.startsWith('at24c')) return { chip: 'at24c', variant: model, ...rest };
      return { chip: model, ...rest };
    });
    const faults = list(b.faults, `${at}.faults`).map((f) => (f.kind === 'bus-stuck' ? { ...f, kind: 'stuck' } : f));
    return { kind: 'simulated', devices, faults, smbusOnly: b.smbusOnly === true, ...common };
  });
  return allow ? { buses, allow } : { buses };
}

function spiSection(raw: Json): unknown {
  only(raw, 'fixture.spi', ['devices']);
  const keys = ['model', 'size', 'jedecId', 'vref', 'vdd', 'inputs', 'faults', 'limits', 'unavailable'];
  const { named: devices, allow } = namedEntries(raw, 'fixture.spi.devices', keys, (d, at, n) => {
    const limits = d.limits === undefined ? {} : { limits: d.limits };
    if (d.unavailable === true) return { kind: 'linux', device: `/nonexistent/conformance/${n}`, ...limits };
    const { name: _n, granted: _g, model, faults, limits: _l, unavailable: _u, ...chip } = d;
    const faultList = list(faults, `${at}.faults`);
    if (faultList.length === 0) return { kind: 'simulated', chip: model, ...chip, ...limits };
    // Faults are scripted on a simulated device this host builds itself and hands over as a
    // custom backend (the config file format has no fault list for SPI).
    const device = new SimulatedSpiDevice(createSpiChip({ chip: model, ...chip } as SpiChipSpec));
    for (const f of faultList) device.inject(f as unknown as SpiFault);
    return { kind: 'custom', device, ...limits };
  });
  return allow ? { devices, allow } : { devices };
}

function sensorSection(raw: Json, baseDir: string): unknown {
  only(raw, 'fixture.sensor', ['clock', 'devices', 'hostMemoryPools', 'limits']);
  const devices: Record<string, unknown> = {};
  list(raw.devices, 'fixture.sensor.devices').forEach((d, i) => {
    const at = `fixture.sensor.devices[${i}]`;
    only(d, at, ['name', 'granted', 'source', 'width', 'height', 'pixelFormat', 'fps', 'formats', 'directory', 'loop', 'framesBeforeUnplug', 'maxWidth', 'maxHeight', 'minFps', 'maxFps']);
    const { name: n, source, framesBeforeUnplug, directory, ...rest } = d;
    const key = name(d, at);
    if (source === 'test-pattern') devices[key] = { kind: 'test-pattern', ...rest };
    else if (source === 'image-sequence') {
      devices[key] = { kind: 'image-fixture', directory: resolve(baseDir, String(directory)), ...rest };
    } else if (source === 'camera') {
      // A live camera that is unplugged after `framesBeforeUnplug` frames (live-camera.ts).
      const { granted, ...spec } = rest;
      const camera = { ...spec, ...(typeof framesBeforeUnplug === 'number' ? { framesBeforeUnplug } : {}) } as LiveCameraSpec;
      devices[key] = { kind: 'custom', ...(granted === undefined ? {} : { granted }), open: () => openLiveCamera(key, camera) };
    } else throw new ConfigError(`${at}.source`, 'test-pattern, image-sequence or camera', source);
    void n;
  });
  const out: Json = { devices };
  if (raw.clock !== undefined) out.clock = raw.clock;
  out.hostMemoryPools = raw.hostMemoryPools ?? [];
  if (isObject(raw.limits)) Object.assign(out, raw.limits);
  return out;
}

function nnSection(raw: Json, baseDir: string): unknown {
  only(raw, 'fixture.nn', ['models', 'loadFromBytes', 'cpuFallback', 'limits']);
  const { named: models, allow } = namedEntries(raw, 'fixture.nn.models', ['file', 'encoding', 'target'], (m) => ({
    path: resolve(baseDir, String(m.file)),
    encoding: m.encoding ?? 'autodetect',
    target: m.target ?? 'cpu',
  }));
  const out: Json = { models, allow: allow ?? '*' };
  if (raw.loadFromBytes !== undefined) out.allowLoad = raw.loadFromBytes;
  if (raw.cpuFallback !== undefined) out.cpuFallback = raw.cpuFallback;
  if (raw.limits !== undefined) out.limits = raw.limits;
  return out;
}

function visionSection(raw: Json): unknown {
  only(raw, 'fixture.vision', ['limits']);
  return isObject(raw.limits) ? { ...raw.limits } : {};
}

/**
 * This host's configuration for a fixture, without the `wasi` section (the invocation adds it).
 * Interfaces the fixture leaves out are configured empty.
 */
export function configForFixture(fixture: Json, baseDir: string): EdgeConfigInput {
  only(fixture, 'fixture', ['sensor', 'i2c', 'spi', 'nn', 'vision']);
  const section = (k: string) => {
    const v = fixture[k] ?? {};
    if (!isObject(v)) throw new ConfigError(`fixture.${k}`, 'an object', v);
    return v;
  };
  // JSON as a config file would hold it: parseConfig validates every section when the host is made.
  return {
    sensor: sensorSection(section('sensor'), baseDir),
    i2c: i2cSection(section('i2c')),
    spi: spiSection(section('spi')),
    nn: nnSection(section('nn'), baseDir),
    vision: visionSection(section('vision')),
  } as EdgeConfigInput;
}
