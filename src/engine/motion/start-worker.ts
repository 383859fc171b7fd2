// Starts a render worker. Bundled builds run worker.js through spawnWorker (src/engine/workers/spawn.ts).
// From TypeScript source (development, tests, the CLI through tsx) spawnWorker's `--import tsx` does not
// reach a worker's entry module on Node 20 (ERR_UNKNOWN_FILE_EXTENSION), so the worker starts from a
// one-line bootstrap that registers tsx's ESM hooks in the worker and then imports the entry.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { spawnWorker } from '../workers/spawn.js';

let tsxApi: string | null = null;

function tsxApiUrl(): string {
  tsxApi ??= pathToFileURL(
    join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
  ).href;
  return tsxApi;
}

export function startWorker(url: URL): Worker {
  if (!url.pathname.endsWith('.ts')) return spawnWorker(url);
  const code = `import(${JSON.stringify(tsxApiUrl())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(code, { eval: true });
}
