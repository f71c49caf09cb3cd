// The device clock is shared with wasi:i2c; see src/core/device-clock.ts.
export { realClock, sleepMs, VirtualClock, type Clock } from '../core/device-clock.js';
