/**
 * `wasi-edge-host/spi`: SPI building blocks for embedders — the backend interface, simulated
 * devices with chip models and faults, the Linux spidev backend, and the provider.
 */
export { SpiFailure, DEFAULT_SETTINGS, segmentTotals, type SpiBackend, type SpiFailureCode, type SpiMode, type SpiSegment, type SpiSettings } from './device.js';
export { realClock, sleepMs, VirtualClock, type Clock } from './clock.js';
export type { SpiChip } from './devices/chip.js';
export { SpiNorFlash, type SpiNorOptions } from './devices/spi-nor.js';
export { Mcp3008, type Mcp3008Options } from './devices/mcp3008.js';
export { SimulatedSpiDevice, type SimulatedSpiOptions, type SpiFault, type SpiFaultKind, type SpiLogEntry, type SpiLogSegment } from './simulated.js';
export { LinuxSpiDevice, spidevBufsiz, SPI_MAX_TRANSFERS, type LinuxSpiOptions, type SpidevLike, type SpidevTransfer } from './linux.js';
export { DEFAULT_SPI_LIMITS, defaultSpiConfig, parseSpiConfig, type SpiChipSpec, type SpiConfig, type SpiDeviceConfig, type SpiLimits } from './config.js';
export { createSpiChip, openSpiBackend } from './open-device.js';
export { createSpiProvider, SpiDeviceHandle, type SpiProvider } from './provider.js';
export { spiDefinition } from './definition.js';
