// The renderer's Vite config, used by electron-vite (the desktop app) and on its own by `npm run web`
// (browser mode): one build of the editor serves both.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { UserConfig } from 'vite';

const root = fileURLToPath(new URL('./src/renderer', import.meta.url));

export const rendererConfig: UserConfig = {
  root,
  // Relative asset URLs: the same build loads from file:// in Electron and under /<token>/ in browser mode.
  base: './',
  plugins: [svelte()],
  resolve: { alias: { '@shared': resolve(root, '../shared') } },
  build: {
    outDir: resolve(root, '../../out/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2048,
  },
};

export default rendererConfig;
