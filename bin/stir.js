#!/usr/bin/env node
// The `stir` command. It runs the TypeScript sources with no build step: from a bundle of them kept for
// the sources as they are now (src/engine/workers/bundle-cache.ts rebuilds it when they change), so the
// CLI, the browser mode and the tests run the very same code; through tsx where it cannot be bundled.
import { register, tsImport } from 'tsx/esm/api';

const source = new URL('../src/cli/index.ts', import.meta.url);
let bundle = null;
try {
  const { entryBundle } = await tsImport('../src/engine/workers/bundle-cache.ts', import.meta.url);
  bundle = await entryBundle(source);
} catch (caught) {
  const reason = caught instanceof Error ? caught.message : String(caught);
  console.warn(`stir: bundling the sources failed (${reason}); running them through tsx, which is slower.`);
}
// Stack traces name the source files (the bundle carries its source map).
process.setSourceMapsEnabled(true);
if (bundle) {
  await import(bundle.href);
} else {
  register();
  await import(source.href);
}
