/**
 * Maps a manifest's host-neutral `fixture` (conformance/README.md, "Fixtures") to this host's
 * configuration. The neutral vocabulary names device models and faults by what they do on the
 * wire; how this host simulates them (simulated buses, injected SPI faults, ffmpeg's lavfi source
 * for a camera that goes away) is decided here and nowhere else. A section that is absent means
 * "nothing of this interface is configured". The fixture is checked against the README's
 * vocabulary first (fixture-schema.ts), so everything below may assume its keys and types.
 */
import type { Json } from '../core/validate.js';
import type { EdgeConfigInput } from '../host/config.js';
import { createSpiChip, SimulatedSpiDevice, type SpiChipSpec, type SpiFault } from '../spi/index.js';
import { resolve } from 'node:path';
import { openLiveCamera, type LiveCameraSpec } from './live-camera.js';
import { validateFixture } from './fixture-schema.js';


/** A list the schema has checked (absent = empty). */
function list(v: unknown): Json[] {
  return (v ?? []) as Json[];
}

/**
 * A section's list of named entries (`field` is its key: `buses`, `devices`, `models`), each
 * turned into this host's config by `make`; `allow` names the granted ones, or is undefined when
 * all are.
 */
function namedEntries(
  raw: Json,
  field: string,
  make: (entry: Json, name: string) => unknown,
): { named: Record<string, unknown>; allow: string[] | undefined } {
  const named: Record<string, unknown> = {};
  const entries = list(raw[field]);
  const names = entries.map((e) => {
    const n = e.name as string;
    named[n] = make(e, n);
    return n;
  });
  const allow = entries.some((e) => e.granted === false) ? names.filter((_, i) => entries[i]!.granted !== false) : undefined;
  return { named, allow };
}

function i2cSection(raw: Json): unknown {
  const { named: buses, allow } = namedEntries(raw, 'buses', (b, n) => {
    const common: Json = { tenBit: b.addressing === '10-bit' };
    if (b.allowedAddresses !== undefined) common.addresses = b.allowedAddresses;
    if (b.limits !== undefined) common.limits = b.limits;
    // A bus that is configured but cannot be opened: a Linux bus whose device file is missing.
    if (b.unavailable === true) return { kind: 'linux', device: `/nonexistent/conformance/${n}`, ...common };
    const devices = list(b.devices).map((d) => {
      const { model, ...rest } = d as { model: string };
      if (model.startsWith('at24c')) return { chip: 'at24c', variant: model, ...rest };
      return { chip: model, ...rest };
    });
    const faults = list(b.faults).map((f) => (f.kind === 'bus-stuck' ? { ...f, kind: 'stuck' } : f));
    return { kind: 'simulated', devices, faults, smbusOnly: b.smbusOnly === true, ...common };
  });
  return allow ? { buses, allow } : { buses };
}

function spiSection(raw: Json): unknown {
  const { named: devices, allow } = namedEntries(raw, 'devices', (d, n) => {
    const { name: _n, granted: _g, model, faults, limits, unavailable, frequency, mode, lsbFirst, ...chip } = d;
    // What every kind of device takes: the limits and the bus settings every handle starts with.
    const common = Object.fromEntries(Object.entries({ limits, frequency, mode, lsbFirst }).filter(([, v]) => v !== undefined));
    if (unavailable === true) return { kind: 'linux', device: `/nonexistent/conformance/${n}`, ...common };
    const faultList = list(faults);
    if (faultList.length === 0) return { kind: 'simulated', chip: model, ...chip, ...common };
    // Faults are scripted on a simulated device this host builds itself and hands over as a
    // custom backend (the config file format has no fault list for SPI).
    const device = new SimulatedSpiDevice(createSpiChip({ chip: model, ...chip } as SpiChipSpec));
    for (const f of faultList) device.inject(f as unknown as SpiFault);
    return { kind: 'custom', device, ...common };
  });
  return allow ? { devices, allow } : { devices };
}

function sensorSection(raw: Json, baseDir: string): unknown {
  const devices: Record<string, unknown> = {};
  list(raw.devices).forEach((d) => {
    const { name: key, source, framesBeforeUnplug, directory, ...rest } = d as Json & { name: string };
    if (source === 'test-pattern') devices[key] = { kind: 'test-pattern', ...rest };
    else if (source === 'image-sequence') {
      devices[key] = { kind: 'image-fixture', directory: resolve(baseDir, String(directory)), ...rest };
    } else if (source === 'camera') {
      // A live camera that is unplugged after `framesBeforeUnplug` frames (live-camera.ts).
      const { granted, ...spec } = rest;
      const camera = { ...spec, ...(typeof framesBeforeUnplug === 'number' ? { framesBeforeUnplug } : {}) } as LiveCameraSpec;
      devices[key] = { kind: 'custom', ...(granted === undefined ? {} : { granted }), open: () => openLiveCamera(key, camera) };
    }
  });
  const out: Json = { devices };
  if (raw.clock !== undefined) out.clock = raw.clock;
  out.hostMemoryPools = raw.hostMemoryPools ?? [];
  // The two limits by name: this host's sensor section has other keys at the same level.
  const limits = (raw.limits ?? {}) as Json;
  if (limits.maxPoolBytes !== undefined) out.maxPoolBytes = limits.maxPoolBytes;
  if (limits.maxPools !== undefined) out.maxPools = limits.maxPools;
  return out;
}

function nnSection(raw: Json, baseDir: string): unknown {
  const { named: models, allow } = namedEntries(raw, 'models', (m) => ({
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
  const limits = (raw.limits ?? {}) as Json;
  const out: Json = {};
  if (limits.maxPixels !== undefined) out.maxPixels = limits.maxPixels;
  if (limits.maxInputBytes !== undefined) out.maxInputBytes = limits.maxInputBytes;
  return out;
}

/**
 * This host's configuration for a fixture, without the `wasi` section (the invocation adds it).
 * Interfaces the fixture leaves out are configured empty.
 */
export function configForFixture(fixture: Json, baseDir: string): EdgeConfigInput {
  validateFixture(fixture);
  const section = (k: string) => (fixture[k] ?? {}) as Json;
  // JSON as a config file would hold it: parseConfig validates every section when the host is made.
  return {
    sensor: sensorSection(section('sensor'), baseDir),
    i2c: i2cSection(section('i2c')),
    spi: spiSection(section('spi')),
    nn: nnSection(section('nn'), baseDir),
    vision: visionSection(section('vision')),
  } as EdgeConfigInput;
}
