// Workers started from source run a cached bundle of their entry (issue 13, point 1): it is rebuilt when
// the sources change, so a stale one never runs; several builders at once leave one whole bundle; and
// the real render worker started from its bundle renders the very frames it renders from source.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rasterize } from '../../../src/engine/eval/shapes.js';
import { resizeRgba } from '../../../src/engine/image/encode.js';
import type { PlanInput } from '../../../src/engine/motion/prepare.js';
import type { WorkerReply, WorkerRequest } from '../../../src/engine/motion/worker-protocol.js';
import { entryBundle } from '../../../src/engine/workers/bundle-cache.js';
import { spawnWorker, type SourceStart } from '../../../src/engine/workers/spawn.js';
import { loadPhoto } from '../../helpers/photos.js';
import { regionSpec } from '../../helpers/region-spec.js';

let root: string;

beforeEach(async () => {
  // A package of its own: the cache goes in its node_modules/.cache, as it does in Stir's.
  root = await mkdtemp(join(tmpdir(), 'stir-bundle-'));
  await mkdir(join(root, 'node_modules'));
  await mkdir(join(root, 'src'));
  await writeFile(
    join(root, 'src', 'entry.ts'),
    [
      "import { parentPort } from 'node:worker_threads';",
      "import { VALUE } from './value.js';",
      "parentPort!.on('message', (asked: string) => parentPort!.postMessage(`${asked}:${VALUE}`));",
    ].join('\n'),
  );
  await setValue('one');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function setValue(value: string, file = 'value.ts'): Promise<void> {
  return writeFile(join(root, 'src', file), `export const VALUE: string = ${JSON.stringify(value)};\n`);
}

const entryUrl = () => pathToFileURL(join(root, 'src', 'entry.ts'));
const cacheFiles = () => readdir(join(root, 'node_modules', '.cache', 'stir-bundles'));

/** Asks a worker started from the entry, and gives its answer. */
async function ask(worker: Worker, question: string): Promise<string> {
  try {
    // Posted before the worker has loaded anything: it waits in the worker's queue.
    worker.postMessage(question);
    return await new Promise<string>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

describe('a worker entry bundled from source', () => {
  it('runs the sources as they are now: an edit, or a new file an import now resolves to, rebuilds it', async () => {
    expect(await ask(spawnWorker(entryUrl()), 'a')).toBe('a:one');
    const first = (await entryBundle(entryUrl())).href;
    // Unchanged sources: the same bundle, no second build.
    expect((await entryBundle(entryUrl())).href).toBe(first);

    await setValue('two');
    expect(await ask(spawnWorker(entryUrl()), 'b')).toBe('b:two');
    expect((await entryBundle(entryUrl())).href).not.toBe(first);

    // './value.js' now names a file of its own, which wins over value.ts: no input changed, but what
    // the import resolves to did.
    await writeFile(join(root, 'src', 'value.js'), 'export const VALUE = "js";\n');
    expect(await ask(spawnWorker(entryUrl()), 'c')).toBe('c:js');

    // Back to the first sources: the first bundle serves again.
    await rm(join(root, 'src', 'value.js'));
    await setValue('one');
    expect((await entryBundle(entryUrl())).href).toBe(first);
    const files = await cacheFiles();
    expect(files.filter((name) => name.endsWith('.mjs'))).toHaveLength(3);
  });

  it("keeps each module's own import.meta.url, so it finds what lies beside its source", async () => {
    await writeFile(join(root, 'src', 'value.ts'), 'export const VALUE: string = import.meta.url;\n');
    const answer = await ask(spawnWorker(entryUrl()), 'where');
    expect(answer).toBe(`where:${pathToFileURL(join(root, 'src', 'value.ts')).href}`);
  });

  it('is built whole when several builders race, and leaves no temporary file', async () => {
    const built = await Promise.all(Array.from({ length: 4 }, () => entryBundle(entryUrl())));
    expect(new Set(built.map((url) => url.href)).size).toBe(1);
    expect(await cacheFiles()).toEqual([expect.stringMatching(/^src-entry-\w+\.mjs$/), 'src-entry.json']);
    expect(await ask(spawnWorker(entryUrl()), 'd')).toBe('d:one');
  });
});

describe('the render worker', () => {
  it('renders the same frames from its bundle as from source through tsx', async () => {
    const { image: photo } = await loadPhoto('grass.png');
    const size = { width: 160, height: 120 };
    const resized = await resizeRgba(photo, size.width, size.height);
    const shared = new Uint8Array(new SharedArrayBuffer(resized.data.length));
    shared.set(resized.data);
    const region = regionSpec({
      id: 'field',
      mask: rasterize(
        {
          kind: 'polygon',
          points: [
            [0, 0.4],
            [1, 0.4],
            [1, 1],
            [0, 1],
          ],
        },
        photo.width,
        photo.height,
      ),
      prompt: 'flow',
      strength: 2,
      seed: 5,
    });
    const input: PlanInput = {
      photo: shared,
      regions: [region],
      timing: { seconds: 1, fps: 8, loop: 'loop' },
      size,
      people: null,
      photoSize: { width: photo.width, height: photo.height },
    };
    const url = new URL('../../../src/engine/motion/worker.ts', import.meta.url);
    const frames = async (start: SourceStart): Promise<Uint8Array> => {
      const worker = spawnWorker(url, {}, start);
      const replies: WorkerReply[] = [];
      let failure: Error | null = null;
      let wake = () => {};
      worker.on('message', (reply: WorkerReply) => (replies.push(reply), wake()));
      worker.on('error', (error) => ((failure = error), wake()));
      /** The first reply of this type, waiting for it when it has not come yet. */
      const next = async (type: WorkerReply['type']): Promise<WorkerReply> => {
        for (;;) {
          if (failure) throw failure;
          const at = replies.findIndex((reply) => reply.type === type);
          if (at >= 0) return replies.splice(at, 1)[0]!;
          await new Promise<void>((resolve) => (wake = resolve));
        }
      };
      try {
        await next('ready');
        worker.postMessage({ type: 'prepare', input } satisfies WorkerRequest);
        const prepared = await next('prepared');
        if (prepared.type !== 'prepared') throw new Error(prepared.type);
        const epoch = new Int32Array(new SharedArrayBuffer(4));
        worker.postMessage({ type: 'plan', plan: prepared.plan, epoch } satisfies WorkerRequest);
        const out: number[] = [];
        for (const index of [0, 3, 6]) {
          worker.postMessage({ type: 'render', id: index, index, epoch: 0 } satisfies WorkerRequest);
          const frame = await next('frame');
          if (frame.type !== 'frame') throw new Error(frame.type);
          out.push(...new Uint8Array(frame.buffer));
        }
        return Uint8Array.from(out);
      } finally {
        await worker.terminate();
      }
    };
    const bundled = await frames('bundle');
    const fromSource = await frames('tsx');
    expect(bundled.length).toBe(size.width * size.height * 4 * 3);
    expect(Buffer.compare(bundled, fromSource)).toBe(0);
  });
});
