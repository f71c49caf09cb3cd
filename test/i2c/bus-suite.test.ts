import { VirtualClock } from '../../src/i2c/clock.js';
import { At24c } from '../../src/i2c/devices/at24c.js';
import { SimulatedBus } from '../../src/i2c/simulated.js';
import { busConformance } from './bus-suite.js';

function simulated(smbusOnly: boolean, variant: 'at24c32' | 'at24c02') {
  return () => {
    const clock = new VirtualClock();
    const bus = new SimulatedBus({ clock, capabilities: { i2c: !smbusOnly } });
    const eeprom = bus.attach(0x50, new At24c({ clock, variant }));
    eeprom.memory.forEach((_, i) => (eeprom.memory[i] = (i * 7) & 0xff));
    return { bus, eeprom: 0x50, addressBytes: variant === 'at24c32' ? (2 as const) : (1 as const), absent: 0x13, writable: true, wait: (ms: number) => clock.advance(ms) };
  };
}

busConformance('SimulatedBus (I2C, AT24C32)', simulated(false, 'at24c32'));
busConformance('SimulatedBus (SMBus-only, AT24C02)', simulated(true, 'at24c02'));
busConformance('SimulatedBus (SMBus-only, AT24C32)', simulated(true, 'at24c32'));
