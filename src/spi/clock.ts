// The device clock is shared with wasi:i2c; see src/host/device-clock.ts.
export { realClock, sleepMs, VirtualClock, type Clock } from '../host/device-clock.js';
