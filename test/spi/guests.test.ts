import { describe, expect, it } from 'vitest';
import { execAsync } from '../helpers/spawn-async.js';
import { join } from 'node:path';
import { ROOT, runGuest } from '../helpers/run-guest.js';
import { SimulatedSpiDevice } from '../../src/spi/simulated.js';
import { SpiNorFlash } from '../../src/spi/devices/spi-nor.js';

describe('spi_flash guest (the current wasi:spi, a4797e2)', () => {
  it('reads the JEDEC ID in one transaction, the array, and an MCP3008 channel; handles a missing device', async () => {
    const r = await runGuest('spi_flash');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('flash JEDEC ID: ef 40 15 (results: 2, tags 1 0)');
    expect(r.stdout).toContain('flash[0..4]: ff ff ff ff');
    expect(r.stdout).toContain('mcp3008 ch0: 512 (1650 mV');
    expect(r.stdout).toMatch(/open\(no-such-device\): other: no SPI device named "no-such-device"/);
  });

  it('against a scripted flash: a different JEDEC ID, contents, the chip-select log, the settings from the host config', async () => {
    const flash = new SpiNorFlash({ jedecId: [0xbf, 0x25, 0x41], size: 4096 });
    flash.memory.set([1, 2, 3, 4]);
    const dev = new SimulatedSpiDevice(flash);
    const r = await runGuest('spi_flash', {
      spi: { devices: { f: { kind: 'custom', device: dev, frequency: 10_000_000 } } },
      wasi: { args: ['s', 'f', 'none'] },
    });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('flash JEDEC ID: bf 25 41');
    expect(r.stdout).toContain('flash[0..4]: 01 02 03 04');
    expect(r.stdout).toContain('open(none): other');
    expect(dev.log).toHaveLength(2); // one chip-select assertion per call
    expect(dev.log[0]!.settings).toEqual({ frequency: 10_000_000, mode: 0, lsbFirst: false });
  });
});

describe('spi_3fe70d6 guest (the previous wasi:spi, 3fe70d6)', () => {
  it('links and runs: get-device-names, open-device, configure per handle, frequency 0 refused', async () => {
    const r = await runGuest('spi_3fe70d6');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'get-device-names: spi-flash0 spi-adc0',
      'configure: ok',
      // ef 40 15, each byte bit-reversed
      'lsb-first handle: ok f7 02 a8',
      'other handle: ok ef 40 15',
      'configure(0 Hz): err other',
      'open-device(no-such-device): err other',
      '',
    ]);
  });
});

/**
 * The wasi:spi functions a committed component's core module imports, from its text (in a child:
 * the WIT tooling's preview2-shim preopen setting must not leak into this process).
 */
async function spiImportsOf(name: string): Promise<string[]> {
  const script = `import { print } from ${JSON.stringify(join(ROOT, 'scripts/wasm-tools.mjs'))};
    import { readFileSync } from 'node:fs';
    const text = await print(readFileSync(${JSON.stringify(join(ROOT, 'fixtures/components', `${name}.wasm`))}));
    console.log([...text.matchAll(/\\(import "wasi:spi\\/spi" "([^"]+)" \\(func/g)].map((m) => m[1]).sort().join('\\n'));`;
  return (await execAsync(process.execPath, ['--input-type=module', '-e', script])).trim().split('\n');
}

describe('each test guest imports its own revision only', () => {
  it.each([
    ['spi_flash', ['[method]spi-device.transaction', '[method]spi-device.transfer', '[resource-drop]spi-device', 'open']],
    ['spi_3fe70d6', ['[method]spi-device.configure', '[method]spi-device.transfer', '[resource-drop]spi-device', 'get-device-names', 'open-device']],
  ])('%s', async (name, expected) => {
    expect(await spiImportsOf(name)).toEqual(expected);
  });
});
