/**
 * Every key of a conformance fixture is checked against conformance/README.md's vocabulary before
 * this host maps it: nothing unknown reaches this host's configuration. Each refusal below names a
 * key the README does not define at that place (or a value outside its enumeration), and the
 * path in the message is written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { configForFixture } from '../../src/conformance/fixture.js';
import { validateFixture } from '../../src/conformance/fixture-schema.js';
import { loadSuite } from '../../src/conformance/manifest.js';
import { resolveScenarios } from '../../src/conformance/scenarios.js';
import { parseConfig } from '../../src/host/config.js';

describe('fixture vocabulary', () => {
  it('every fixture of the committed suite and of the built-in check scenarios uses it', () => {
    for (const c of loadSuite()) expect(() => validateFixture(c.fixture), c.id).not.toThrow();
    for (const s of resolveScenarios([])) expect(() => validateFixture(s.fixture), s.name).not.toThrow();
  });

  it.each([
    // The key that switched this host's clock when limits were copied unchecked.
    [{ sensor: { limits: { clock: 'virtual' } } }, 'fixture.sensor.limits.clock'],
    [{ sensor: { clock: 'virtual' } }, 'fixture.sensor.clock'],
    [{ sensor: { devices: [{ name: 'c', source: 'test-pattern', directory: 'x' }] } }, 'fixture.sensor.devices[0].directory'],
    [{ sensor: { devices: [{ name: 'c', source: 'test-pattern', pixelFormat: 'nv12' }] } }, 'fixture.sensor.devices[0].pixelFormat'],
    [{ sensor: { devices: [{ source: 'test-pattern' }] } }, 'fixture.sensor.devices[0].name'],
    [{ vision: { limits: { maxPixels: 10, maxWidth: 3 } } }, 'fixture.vision.limits.maxWidth'],
    [{ vision: { maxPixels: 10 } }, 'fixture.vision.maxPixels'],
    [{ nn: { limits: { modelBytes: 1, cpuFallback: true } } }, 'fixture.nn.limits.cpuFallback'],
    [{ nn: { models: [{ name: 'm', file: 'a.onnx', encoding: 'onnx2' }] } }, 'fixture.nn.models[0].encoding'],
    [{ nn: { models: [{ name: 'm' }] } }, 'fixture.nn.models[0].file'],
    [{ i2c: { buses: [{ name: 'b', devices: [{ model: 'bme280', address: 118, temperature: 20 }] }] } }, 'fixture.i2c.buses[0].devices[0].temperature'],
    [{ i2c: { buses: [{ name: 'b', devices: [{ model: 'bme280' }] }] } }, 'fixture.i2c.buses[0].devices[0].address'],
    [{ i2c: { buses: [{ name: 'b', faults: [{ kind: 'nack-address', afterBytes: 1 }] }] } }, 'fixture.i2c.buses[0].faults[0].afterBytes'],
    [{ i2c: { buses: [{ name: 'b', faults: [{ kind: 'stuck' }] }] } }, 'fixture.i2c.buses[0].faults[0].kind'],
    [{ i2c: { buses: [{ name: 'b', limits: { maxWrite: 1 } }] } }, 'fixture.i2c.buses[0].limits.maxWrite'],
    [{ i2c: { buses: [{ name: 'b', addressing: '8-bit' }] } }, 'fixture.i2c.buses[0].addressing'],
    [{ spi: { devices: [{ name: 'f', model: 'spi-nor', vref: 3.3 }] } }, 'fixture.spi.devices[0].vref'],
    [{ spi: { devices: [{ name: 'f', model: 'spi-nor', faults: [{ kind: 'overrun', when: 1 }] }] } }, 'fixture.spi.devices[0].faults[0].when'],
    [{ spi: { devices: [{ name: 'f', model: 'spi-nor', faults: [{ kind: 'timeout' }] }] } }, 'fixture.spi.devices[0].faults[0].kind'],
    [{ spi: { devices: [{ name: 'f', model: 'spi-nor', lsbFirst: 1 }] } }, 'fixture.spi.devices[0].lsbFirst'],
    [{ spi: { devices: [{ name: 'f' }] } }, 'fixture.spi.devices[0].model'],
    [{ spi: { devices: 'f' } }, 'fixture.spi.devices'],
    [{ gpio: {} }, 'fixture.gpio'],
  ])('%j is refused at %s', (fixture, path) => {
    expect(() => configForFixture(fixture, '/')).toThrow(expect.objectContaining({ message: expect.stringContaining(path) }));
  });

  it('what it accepts reaches this host: limits by name, the SPI bus settings, an unavailable device without a model', () => {
    const cfg = parseConfig(configForFixture({
      sensor: { limits: { maxPools: 3, maxPoolBytes: 4096 } },
      vision: { limits: { maxPixels: 100 } },
      spi: { devices: [{ name: 'f', model: 'spi-nor', mode: 3, frequency: 2_000_000, lsbFirst: true }, { name: 'g', unavailable: true, mode: 1 }] },
    }, '/'), '/');
    expect(cfg.sensor).toMatchObject({ maxPools: 3, maxPoolBytes: 4096, clock: 'real' });
    expect(cfg.vision).toMatchObject({ maxPixels: 100 });
    expect(cfg.spi.devices.f).toMatchObject({ kind: 'simulated', chip: 'spi-nor', settings: { frequency: 2_000_000, mode: 3, lsbFirst: true } });
    expect(cfg.spi.devices.g).toMatchObject({ kind: 'linux', settings: { frequency: 1_000_000, mode: 1, lsbFirst: false } });
  });
});
