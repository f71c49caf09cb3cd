import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/hardware/**', 'test/browser/**', 'node_modules/**'],
    // Component tests transpile and instantiate real guests; the first transpile of a guest takes ~1 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: files run in parallel forks, tests inside a file in order.
    pool: 'forks',
  },
});
