// The device clock is shared with wasi:spi; see src/core/device-clock.ts.
export { realClock, sleepMs, VirtualClock, type Clock } from '../core/device-clock.js';
