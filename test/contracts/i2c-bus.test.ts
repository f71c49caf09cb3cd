/** The Bus contract (i2c-bus.contract.ts) on the simulated bus; `LinuxBus` runs it inside the QEMU suite (test/hardware/contracts.ts). */
import { VirtualClock } from '../../src/i2c/clock.js';
import { At24c } from '../../src/i2c/devices/at24c.js';
import { SimulatedBus } from '../../src/i2c/simulated.js';
import { busContract, type BusUnderTest } from './i2c-bus.contract.js';
import { describeContract } from './vitest.js';

function simulated(label: string, smbusOnly: boolean, variant: 'at24c32' | 'at24c02') {
  return {
    label,
    make(): BusUnderTest {
      const clock = new VirtualClock();
      const bus = new SimulatedBus({ clock, capabilities: { i2c: !smbusOnly } });
      const eeprom = bus.attach(0x50, new At24c({ clock, variant }));
      eeprom.memory.forEach((_, i) => (eeprom.memory[i] = (i * 7) & 0xff));
      return { bus, eeprom: 0x50, addressBytes: variant === 'at24c32' ? 2 : 1, absent: 0x13, writable: true, wait: (ms) => clock.advance(ms) };
    },
    release: (t: BusUnderTest) => t.bus.close(),
  };
}

describeContract(busContract, simulated('SimulatedBus (I2C, AT24C32)', false, 'at24c32'));
describeContract(busContract, simulated('SimulatedBus (I2C, AT24C02)', false, 'at24c02'));
describeContract(busContract, simulated('SimulatedBus (SMBus-only, AT24C02)', true, 'at24c02'));
describeContract(busContract, simulated('SimulatedBus (SMBus-only, AT24C32)', true, 'at24c32'));
