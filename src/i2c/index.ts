/**
 * `wasi-edge-host/i2c`: the I2C building blocks for embedders — the Bus interface, the
 * simulated bus with its chip models and faults, the Linux backend, and the provider.
 */
export { I2cFailure, I2C_FAILURE_CODES, isI2cFailure, type Bus, type BusCapabilities, type I2cFailureCode, type Segment, type TransferOptions } from './bus.js';
export { realClock, sleepMs, VirtualClock, type Clock } from './clock.js';
export { SimulatedBus, type I2cFault, type I2cLogEntry, type LoggedSegment, type SimulatedBusOptions } from './simulated.js';
export { RegisterDevice, type I2cDevice, type DeviceContext } from './devices/device.js';
export { Bme280, bme280Compensate, BME280_DEFAULT_CALIBRATION, type Bme280Calibration, type Bme280Environment, type Bme280Options } from './devices/bme280.js';
export { At24c, AT24C_VARIANTS, type At24cGeometry, type At24cOptions } from './devices/at24c.js';
export { Ads1115, type Ads1115Options } from './devices/ads1115.js';
export { planSmbus, ALL_SMBUS, SMBUS_BLOCK_MAX, type SmbusFuncs, type SmbusOp, type SmbusPlan } from './smbus.js';
export { LinuxBus, openDevFileKoffi, I2C, type I2cDevFile, type KernelMsg, type LinuxBusOptions, type SmbusDriver } from './linux.js';
export { errnoName, failureCodeForErrno, i2cFailureFromErrno } from './linux-errors.js';
export { DEFAULT_LIMITS, defaultI2cConfig, parseI2cConfig, type I2cBusConfig, type I2cConfig, type I2cDeviceSpec, type I2cLimits } from './config.js';
export { createI2cChip, createSimulatedBus } from './open-bus.js';
export { createI2cProvider, errorCodeFor, I2cHandle, DelayHandle, type I2cProvider } from './provider.js';
export { i2cDefinition } from './definition.js';
