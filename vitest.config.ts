import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit and integration tests (Node). End-to-end tests have their own config (vitest.e2e.config.ts).
export default defineConfig({
  // The renderer's modules (tested here where they are pure logic) import the contract as @shared.
  resolve: { alias: { '@shared': fileURLToPath(new URL('./src/shared', import.meta.url)) } },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/helpers/isolated-data.ts'],
    // A safety net, not a wait: on a loaded machine (npm test with both cores busy) a whole CLI render can take minutes.
    testTimeout: 300_000,
    hookTimeout: 120_000,
    // Two cores: run test files two at a time; heavy files (ffmpeg, ONNX) mark themselves sequential.
    maxWorkers: 2,
    pool: 'forks',
    reporters: ['default'],
  },
});
