// Autosave and crash recovery. Each open document that has unsaved edits has a recovery copy in the data
// folder: <id>.stir (an ordinary project file) and <id>.json (what the recovery list shows). Both are written
// atomically, the project first, so a listed recovery always has its whole file. A save or a clean close
// deletes the copy; whatever is left when Stir starts again was not saved, and is offered back.
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { StirError, type Recovery } from '../../shared/index.js';
import { writeFileAtomic } from './atomic-write.js';

const MetaSchema = z.object({
  id: z.string(),
  name: z.string(),
  projectPath: z.string().nullable(),
  savedAt: z.string(),
  regionCount: z.int().min(0),
});

/** Ids are document ids (UUIDs); anything else could name a file outside the folder. */
const SAFE_ID = /^[A-Za-z0-9-]{1,64}$/;

export class RecoveryStore {
  readonly #dir: string;
  /** One write per document at a time; a newer autosave waits for the one before it. */
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  write(meta: Recovery, project: Uint8Array): Promise<void> {
    const id = checkedId(meta.id);
    return this.#enqueue(id, async () => {
      await mkdir(this.#dir, { recursive: true });
      await writeFileAtomic(this.#projectFile(id), project);
      await writeFileAtomic(this.#metaFile(id), new TextEncoder().encode(JSON.stringify(meta, null, 2)));
    });
  }

  async list(): Promise<Recovery[]> {
    const names = await readdir(this.#dir).catch(() => [] as string[]);
    const found: Recovery[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      try {
        const meta = MetaSchema.parse(JSON.parse(await readFile(join(this.#dir, name), 'utf8')));
        if (SAFE_ID.test(meta.id) && names.includes(`${meta.id}.stir`)) found.push(meta);
      } catch {
        // A damaged entry is skipped; the rest are still offered.
      }
    }
    return found.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }

  async read(id: string): Promise<{ meta: Recovery; project: Uint8Array }> {
    const safe = checkedId(id);
    try {
      const meta = MetaSchema.parse(JSON.parse(await readFile(this.#metaFile(safe), 'utf8')));
      return { meta, project: await readFile(this.#projectFile(safe)) };
    } catch (caught) {
      throw new StirError('NOT_FOUND', 'That autosaved copy is no longer there.', { cause: caught });
    }
  }

  /** Files a recovery under another id (the document it was reopened as). */
  rekey(from: string, to: string): Promise<void> {
    const a = checkedId(from);
    const b = checkedId(to);
    return this.#enqueue(b, async () => {
      const { meta } = await this.read(a);
      await rename(this.#projectFile(a), this.#projectFile(b));
      await writeFileAtomic(
        this.#metaFile(b),
        new TextEncoder().encode(JSON.stringify({ ...meta, id: b }, null, 2)),
      );
      await rm(this.#metaFile(a), { force: true });
    });
  }

  discard(id: string): Promise<boolean> {
    const safe = checkedId(id);
    return this.#enqueue(safe, async () => {
      const existed = (await readdir(this.#dir).catch(() => [] as string[])).includes(`${safe}.json`);
      // The list entry goes first: a half-discarded recovery is never offered.
      await rm(this.#metaFile(safe), { force: true });
      await rm(this.#projectFile(safe), { force: true });
      return existed;
    });
  }

  #enqueue<T>(id: string, work: () => Promise<T>): Promise<T> {
    const next = (this.#queues.get(id) ?? Promise.resolve()).then(work);
    const settled = next.catch(() => undefined);
    this.#queues.set(id, settled);
    void settled.then(() => {
      if (this.#queues.get(id) === settled) this.#queues.delete(id);
    });
    return next;
  }

  #projectFile(id: string): string {
    return join(this.#dir, `${id}.stir`);
  }

  #metaFile(id: string): string {
    return join(this.#dir, `${id}.json`);
  }
}

function checkedId(id: string): string {
  if (!SAFE_ID.test(id))
    throw new StirError('BAD_REQUEST', 'That is not a recovery id.', { details: { id } });
  return id;
}
