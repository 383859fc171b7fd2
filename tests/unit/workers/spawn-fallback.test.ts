// When a worker's bundle cannot be built or kept (here: its cache folder cannot be made), the worker
// still starts, from source through tsx, and the process says so once, not once per worker. A file of
// its own: the fallback lasts for the rest of the process.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { spawnWorker } from '../../../src/engine/workers/spawn.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stir-fallback-'));
  await writeFile(join(dir, 'a-file'), '');
  // A folder inside a file cannot be made.
  process.env.STIR_BUNDLE_CACHE = join(dir, 'a-file', 'cache');
});

afterAll(async () => {
  delete process.env.STIR_BUNDLE_CACHE;
  await rm(dir, { recursive: true, force: true });
});

it('starts the render worker from source when its bundle cannot be kept, and says so once', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const url = new URL('../../../src/engine/motion/worker.ts', import.meta.url);
  const workers = [spawnWorker(url), spawnWorker(url)];
  try {
    // The worker's first word once its entry has loaded.
    const said = await Promise.all(
      workers.map(
        (worker) =>
          new Promise((resolve, reject) => {
            worker.once('message', resolve);
            worker.once('error', reject);
          }),
      ),
    );
    expect(said).toEqual([{ type: 'ready' }, { type: 'ready' }]);
    const third = spawnWorker(url);
    workers.push(third);
    expect(await new Promise((resolve) => third.once('message', resolve))).toEqual({ type: 'ready' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/bundling the worker .*worker\.ts failed.*through tsx/);
  } finally {
    warn.mockRestore();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
});
