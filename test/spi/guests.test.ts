import { describe, expect, it } from 'vitest';
import { runGuest } from '../helpers/run-guest.js';
import { SimulatedSpiDevice } from '../../src/spi/simulated.js';
import { SpiNorFlash } from '../../src/spi/devices/spi-nor.js';

describe('spi_flash guest', () => {
  it('reads the JEDEC ID in one transaction, the array, and an MCP3008 channel; handles a missing device', async () => {
    const r = await runGuest('spi_flash');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^spi devices: spi-flash0 spi-adc0/);
    expect(r.stdout).toContain('flash JEDEC ID: ef 40 15 (results: 2, tags 1 0)');
    expect(r.stdout).toContain('flash[0..4]: ff ff ff ff');
    expect(r.stdout).toContain('mcp3008 ch0: 512 (1650 mV');
    expect(r.stdout).toMatch(/open-device\(no-such-device\): other: no SPI device named "no-such-device"/);
  });

  it('against a scripted flash: a different JEDEC ID, contents, and the chip-select log', async () => {
    const flash = new SpiNorFlash({ jedecId: [0xbf, 0x25, 0x41], size: 4096 });
    flash.memory.set([1, 2, 3, 4]);
    const dev = new SimulatedSpiDevice(flash);
    const r = await runGuest('spi_flash', { spi: { devices: { f: { kind: 'custom', device: dev } } }, wasi: { args: ['s', 'f', 'none'] } });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('flash JEDEC ID: bf 25 41');
    expect(r.stdout).toContain('flash[0..4]: 01 02 03 04');
    expect(r.stdout).toContain('open-device(none): other');
    expect(dev.log).toHaveLength(2); // one chip-select assertion per call
    expect(dev.log[0]!.settings).toEqual({ frequency: 10_000_000, mode: 0, lsbFirst: false });
  });
});
