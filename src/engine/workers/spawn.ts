// Starts a worker thread from a module URL. In the Electron build the worker is a bundled .js file and
// starts as it is. From TypeScript source (the CLI, the browser mode, tests) it starts from a bundle of
// the entry built for the sources as they are now (bundle-cache.ts); when bundling fails, from the source
// itself through tsx's ESM hooks, registered inside the worker: `--import tsx` in execArgv does not reach
// a worker's entry module on Node 20 (ERR_UNKNOWN_FILE_EXTENSION).
//
// The Worker is returned at once, as callers expect; a small bootstrap inside it waits, on a port of its
// own, for the module to import while the bundle is checked or built. Messages posted to the worker
// meanwhile wait in its queue for the entry's listener, as they do while any worker loads.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type WorkerOptions } from 'node:worker_threads';
import { entryBundle } from './bundle-cache.js';

/** How a worker from source starts: its cached bundle (falling back to tsx), or tsx on the source. */
export type SourceStart = 'bundle' | 'tsx';

/** The module the bootstrap imports, and tsx's API when that module is TypeScript source. */
interface WorkerStart {
  entry: string;
  tsx: string | null;
}

/** The key in workerData under which the bootstrap gets its port. */
const START_PORT = 'stirWorkerStart';

/** Runs inside the worker (CommonJS, from a string): waits for its WorkerStart, then imports. */
const BOOTSTRAP = `
const port = require('node:worker_threads').workerData.${START_PORT};
port.once('message', ({ entry, tsx }) => {
  port.close();
  if (!tsx) return import(entry);
  return import(tsx).then((api) => { api.register(); return import(entry); });
});
`;

let tsxApi: string | null = null;
/** Set when bundling failed once: this process starts its workers through tsx from then on. */
let bundlingFailed = false;
/** Bundles being checked or built, so the workers of one render share one build. */
const checking = new Map<string, Promise<WorkerStart>>();

/** tsx's ESM API, found from here so it works whatever the current folder is. */
function tsxApiUrl(): string {
  tsxApi ??= pathToFileURL(
    join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
  ).href;
  return tsxApi;
}

function fromSource(url: URL): WorkerStart {
  return { entry: url.href, tsx: tsxApiUrl() };
}

function bundledStart(url: URL): Promise<WorkerStart> {
  if (bundlingFailed) return Promise.resolve(fromSource(url));
  let pending = checking.get(url.href);
  if (!pending) {
    pending = entryBundle(url)
      .then(
        (bundle): WorkerStart => ({ entry: bundle.href, tsx: null }),
        (caught: unknown): WorkerStart => {
          if (!bundlingFailed) {
            bundlingFailed = true;
            const reason = caught instanceof Error ? caught.message : String(caught);
            console.warn(
              `stir: bundling the worker ${url.pathname} failed (${reason}); workers start from source through tsx for the rest of this run, which is slower.`,
            );
          }
          return fromSource(url);
        },
      )
      .finally(() => checking.delete(url.href));
    checking.set(url.href, pending);
  }
  return pending;
}

/** The worker's options, less those the bootstrap sets itself. */
export type SpawnOptions = Omit<WorkerOptions, 'eval' | 'workerData' | 'transferList'>;

export function spawnWorker(url: URL, options: SpawnOptions = {}, start: SourceStart = 'bundle'): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(BOOTSTRAP, {
    ...options,
    eval: true,
    workerData: { [START_PORT]: port2 },
    transferList: [port2],
  });
  const ready = start === 'tsx' ? Promise.resolve(fromSource(url)) : bundledStart(url);
  void ready.then((how) => {
    port1.postMessage(how);
    port1.close();
  });
  return worker;
}
