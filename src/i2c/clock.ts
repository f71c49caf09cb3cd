// The device clock is shared with wasi:spi; see src/host/device-clock.ts.
export { realClock, sleepMs, VirtualClock, type Clock } from '../host/device-clock.js';
