/** Builds the backend a device configuration names (on its first `open`). */
import type { Clock } from './clock.js';
import type { SpiChipSpec, SpiDeviceConfig } from './config.js';
import type { SpiBackend } from './device.js';
import type { SpiChip } from './devices/chip.js';
import { Mcp3008 } from './devices/mcp3008.js';
import { SpiNorFlash } from './devices/spi-nor.js';
import { LinuxSpiDevice } from './linux.js';
import { SimulatedSpiDevice } from './simulated.js';

export function createSpiChip(spec: SpiChipSpec, clock?: Clock): SpiChip {
  switch (spec.chip) {
    case 'spi-nor':
      return new SpiNorFlash({ clock, size: spec.size, jedecId: spec.jedecId });
    case 'mcp3008':
      return new Mcp3008({ vref: spec.vref, vdd: spec.vdd, inputs: spec.inputs });
  }
}

export function openSpiBackend(config: SpiDeviceConfig): { backend: SpiBackend; owned: boolean } {
  switch (config.kind) {
    case 'simulated':
      return { backend: new SimulatedSpiDevice(createSpiChip(config)), owned: true };
    case 'linux':
      return { backend: new LinuxSpiDevice({ device: config.device, maxMessageBytes: config.maxMessageBytes }), owned: true };
    case 'custom':
      return { backend: config.device, owned: false };
  }
}
