// Starts a worker thread from a module URL. In the Electron build the worker is a bundled .js file and
// starts as it is. From TypeScript source (development, tests, the CLI through tsx) it starts from a
// one-line bootstrap that registers tsx's ESM hooks inside the worker and then imports the entry:
// `--import tsx` in execArgv does not reach a worker's entry module on Node 20 (ERR_UNKNOWN_FILE_EXTENSION).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

let tsxApi: string | null = null;

/** tsx's ESM API, found from here so it works whatever the current folder is. */
function tsxApiUrl(): string {
  tsxApi ??= pathToFileURL(
    join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
  ).href;
  return tsxApi;
}

export function spawnWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const bootstrap = `import(${JSON.stringify(tsxApiUrl())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
