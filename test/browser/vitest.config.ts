// The root vitest config excludes test/browser/ (its Chromium runner is not a vitest suite); the
// browser build's unit tests (pieces that run in Node too) run with this config from `npm run test:browser`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/browser/**/*.test.ts'],
  },
});
