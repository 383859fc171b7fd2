import { defineConfig } from 'vitest/config';

// End-to-end: playwright-core drives Debian's chromium against the browser mode (`npm run web`'s server).
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/helpers/isolated-data.ts'],
    // Generous: the tests wait on states, and a loaded machine (issue 14.7) makes engine work slow.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
