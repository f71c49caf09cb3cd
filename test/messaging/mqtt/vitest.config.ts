import { defineConfig } from 'vitest/config';

// `npm run test:mqtt`: the messaging tests that need a real broker (Debian's mosquitto, started by
// the tests on loopback). Named *.mqtt.ts so that `npm test`, which needs only Node and npm,
// never picks them up.
export default defineConfig({
  test: {
    include: ['test/messaging/mqtt/**/*.mqtt.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One broker at a time is plenty for two cores, and the fault tests time their restarts.
    fileParallelism: false,
  },
});
