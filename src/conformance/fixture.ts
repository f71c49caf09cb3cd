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

/** Names of granted entries, or undefined when all are. */
function allowList(entries: Json[], names: string[]): string[] | undefined {
  return entries.some((e) => e.granted === false) ? names.filter((_, i) => entries[i]!.granted !== false) : undefined;
}

function i2cSection(raw: Json): unknown {
  only(raw, 'fixture.i2c', ['buses']);
  const buses: Record<string, unknown> = {};
  const entries = list(raw.buses, 'fixture.i2c.buses');
  const names = entries.map((b, i) => {
    const at = `fixture.i2c.buses[${i}]`;
    only(b, at, ['name', 'granted', 'addressing', 'allowedAddresses', 'devices', 'faults', 'limits', 'smbusOnly', 'unavailable']);
    const n = name(b, at);
    const common: Json = { tenBit: b.addressing === '10-bit' };
    if (b.allowedAddresses !== undefined) common.addresses = b.allowedAddresses;
    if (b.limits !== undefined) common.limits = b.limits;
    if (b.unavailable === true) {
      // A bus that is configured but cannot be opened: a Linux bus whose device file is missing.
      buses[n] = { kind: 'linux', device: `/nonexistent/conformance/${n}`, ...common };
      return n;
    }
    const devices = list(b.devices, `${at}.devices`).map((d, j) => {
      const { model, ...rest } = d;
      if (typeof model !== 'string') throw new ConfigError(`${at}.devices[${j}].model`, 'bme280, at24c32, at24c02, … or ads1115', model);
      if (model.startsWith('at24c')) return { chip: 'at24c', variant: model, ...rest };
      return { chip: model, ...rest };
    });
    const faults = list(b.faults, `${at}.faults`).map((f) => (f.kind === 'bus-stuck' ? { ...f, kind: 'stuck' } : f));
    buses[n] = { kind: 'simulated', devices, faults, smbusOnly: b.smbusOnly === true, ...common };
    return n;
  });
  const allow = allowList(entries, names);
  return allow ? { buses, allow } : { buses };
}

function spiSection(raw: Json): unknown {
  only(raw, 'fixture.spi', ['devices']);
  const devices: Record<string, unknown> = {};
  const entries = list(raw.devices, 'fixture.spi.devices');
  const names = entries.map((d, i) => {
    const at = `fixture.spi.devices[${i}]`;
    only(d, at, ['name', 'granted', 'model', 'size', 'jedecId', 'vref', 'vdd', 'inputs', 'faults', 'limits', 'unavailable']);
    const n = name(d, at);
    const limits = d.limits === undefined ? {} : { limits: d.limits };
    if (d.unavailable === true) {
      devices[n] = { kind: 'linux', device: `/nonexistent/conformance/${n}`, ...limits };
      return n;
    }
    const { name: _n, granted: _g, model, faults, limits: _l, unavailable: _u, ...chip } = d;
    const spec = { kind: 'simulated', chip: model, ...chip, ...limits };
    const faultList = list(faults, `${at}.faults`);
    if (faultList.length === 0) {
      devices[n] = spec;
      return n;
    }
    // Faults are scripted on a simulated device this host builds itself and hands over as a
    // custom backend (the config file format has no fault list for SPI).
    const device = new SimulatedSpiDevice(createSpiChip({ chip: model, ...chip } as SpiChipSpec));
    for (const f of faultList) device.inject(f as unknown as SpiFault);
    devices[n] = { kind: 'custom', device, ...limits };
    return n;
  });
  const allow = allowList(entries, names);
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
  const models: Record<string, unknown> = {};
  const entries = list(raw.models, 'fixture.nn.models');
  const names = entries.map((m, i) => {
    const at = `fixture.nn.models[${i}]`;
    only(m, at, ['name', 'file', 'encoding', 'target', 'granted']);
    const n = name(m, at);
    models[n] = { path: resolve(baseDir, String(m.file)), encoding: m.encoding ?? 'autodetect', target: m.target ?? 'cpu' };
    return n;
  });
  const out: Json = { models, allow: allowList(entries, names) ?? '*' };
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
