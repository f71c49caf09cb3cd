/**
 * The SpiBackend contract (spi-backend.contract.ts) on the simulated backend (an SPI NOR flash and
 * an MCP3008 ADC) and on the spidev backend over a stand-in kernel; the spidev backend on a real
 * kernel runs it inside the QEMU ARM suite (test/hardware/contracts.ts).
 */
import { VirtualClock } from '../../src/spi/clock.js';
import { Mcp3008 } from '../../src/spi/devices/mcp3008.js';
import { SpiNorFlash } from '../../src/spi/devices/spi-nor.js';
import type { SpiChip } from '../../src/spi/devices/chip.js';
import { LinuxSpiDevice } from '../../src/spi/linux.js';
import { SimulatedSpiDevice } from '../../src/spi/simulated.js';
import type { SpiProbe, SpiUnderTest } from './spi-backend.contract.js';
import { spiContract } from './spi-backend.contract.js';
import { spidevStandIn } from './spidev-stand-in.js';
import { describeContract } from './vitest.js';

const SETTINGS = { frequency: 1_000_000, mode: 0, lsbFirst: false } as const;

/** RDID (0x9f): the JEDEC ID follows the command byte. */
const flash = () => ({
  chip: new SpiNorFlash({ jedecId: [0xbf, 0x25, 0x41] }),
  probe: { tx: [0x9f, 0, 0, 0], rx: [null, 0xbf, 0x25, 0x41], command: 1 } satisfies SpiProbe,
});

/**
 * A single-ended conversion of CH0 (start bit, then SGL=1 D2..D0=0): byte 1 ends with the null
 * bit and B9 B8, byte 2 is B7..B0 (datasheet DS21295 fig. 6-1). CH0 holds 682.5/1024 of Vref, so
 * the code is 682 = 0b10_1010_1010 (the chip truncates).
 */
const adc = () => ({
  chip: new Mcp3008({ vref: 3.3, inputs: [(3.3 * 682.5) / 1024] }),
  probe: { tx: [0x01, 0x80, 0x00], rx: [null, 0b010, 0xaa], mask: [0, 0b111, 0xff], command: 1 } satisfies SpiProbe,
});

function simulated(label: string, make: () => { chip: SpiChip; probe: SpiProbe }) {
  return {
    label: `SimulatedSpiDevice (${label})`,
    make(): SpiUnderTest {
      const { chip, probe } = make();
      const clock = new VirtualClock();
      const backend = new SimulatedSpiDevice(chip, { clock });
      return { backend, settings: { ...SETTINGS }, probe, inject: (f) => backend.inject(f), now: () => clock.now() };
    },
    release: (t: SpiUnderTest) => t.backend.close(),
  };
}

function spidev(label: string, make: () => { chip: SpiChip; probe: SpiProbe }) {
  return {
    label: `LinuxSpiDevice over a stand-in spidev (${label})`,
    make(): SpiUnderTest {
      const { chip, probe } = make();
      const clock = new VirtualClock();
      const backend = new LinuxSpiDevice({ device: '/dev/spidev0.0', maxMessageBytes: 4096, open: () => spidevStandIn(chip, clock) });
      return { backend, settings: { ...SETTINGS }, probe, maxMessageBytes: 4096, now: () => clock.now() };
    },
    release: (t: SpiUnderTest) => t.backend.close(),
  };
}

describeContract(spiContract, simulated('SPI NOR flash', flash));
describeContract(spiContract, simulated('MCP3008', adc));
describeContract(spiContract, spidev('SPI NOR flash', flash));
describeContract(spiContract, spidev('MCP3008', adc));
