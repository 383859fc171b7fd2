import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config.js';

export default defineConfig({
  main: {
    build: {
      // Native addons and big runtime packages stay outside the bundle; electron-builder ships them.
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // The engine runs in a utilityProcess of its own (ARCHITECTURE.md).
          'engine-host': resolve('src/main/engine-host.ts'),
          // The built-in motion engine renders frames on worker threads started from this file.
          'motion-worker': resolve('src/engine/motion/worker.ts'),
          // Faces and bodies are found on a worker thread started from this file (src/engine/people).
          'people-worker': resolve('src/engine/people/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // Sandboxed preloads cannot require anything but electron: bundle the contract into one CJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
