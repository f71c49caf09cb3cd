/**
 * `wasi-edge-host/sensor`: the wasi:sensor + wasi:buffer-pool building blocks for embedders —
 * the provider, the configuration, the device interface and the built-in devices, the pool, and
 * the test pattern's reference functions (for checking frames in tests).
 */
export { createSensorProvider, type SensorProvider } from './provider.js';
export { sensorDefinition } from './definition.js';
export {
  defaultSensorConfig, parseSensorConfig, matchesPattern, DEFAULT_V4L2_INPUT,
  type SensorConfig, type DeviceConfig, type TestPatternDeviceConfig, type ImageFixtureDeviceConfig, type FfmpegDeviceConfig,
  type CustomDeviceConfig,
} from './config.js';
export { RealSensorClock, VirtualSensorClock, createSensorClock, type SensorClock } from './clock.js';
export { SensorFailure, type SensorFailureCode } from './fault.js';
export { FramePool, type BufferingMode, type PoolOptions, type PoolSource, type PoolStatistics } from './pool.js';
export { FrameLending, type DeliveredFrame, type LentBuffer } from './lending.js';
export {
  PIXEL_FORMATS, bytesPerPixel, checkLayout, checkRate, fromRgb, frameBytes,
  type PixelFormat, type Layout, type Rate, type Capabilities,
} from './pixels.js';
export { Ticker, type SensorDevice, type CapturedFrames } from './devices/device.js';
export { TestPatternDevice, patternPixel, patternRgb, patternFrame, type TestPatternOptions } from './devices/test-pattern.js';
export { ImageFixtureDevice, decodeToRgb, listImages, type ImageFixtureOptions } from './devices/image-fixture.js';
export { UnpluggableDevice } from './devices/unpluggable.js';
export type { DeviceEnvironment } from './devices/create.js';
export { DeadlockError } from './waiter.js';
export type { HostFrame, HostFrameService } from '../core/services.js';
