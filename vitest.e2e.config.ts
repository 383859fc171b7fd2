import { defineConfig } from 'vitest/config';

// End-to-end: playwright-core drives Debian's chromium against the browser mode (`npm run web`'s server).
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
