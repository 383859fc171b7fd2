// Starts a worker thread from a module URL. In development, tests and the CLI the worker is TypeScript
// source, run through tsx's loader (found from here, so it works whatever the current folder is); in the
// Electron build the worker is a bundled .js file and starts as it is.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

let tsxLoader: string | null = null;

function tsxLoaderUrl(): string {
  tsxLoader ??= pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return tsxLoader;
}

export function spawnWorker(url: URL, options: WorkerOptions = {}): Worker {
  const isTypeScript = url.pathname.endsWith('.ts');
  const execArgv = isTypeScript ? ['--import', tsxLoaderUrl()] : [];
  return new Worker(url, { ...options, execArgv: [...execArgv, ...(options.execArgv ?? [])] });
}
