// The recent-projects list: a small JSON file in the per-user data folder, newest first, written atomically.
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { RecentProject } from '../../shared/index.js';
import { writeFileAtomic } from './atomic-write.js';

export const RECENT_MAX = 12;

const RecentFileSchema = z.object({
  version: z.literal(1),
  projects: z.array(z.object({ path: z.string(), name: z.string(), savedAt: z.string() })),
});
type RecentEntry = z.infer<typeof RecentFileSchema>['projects'][number];

export class RecentProjects {
  readonly #file: string;
  /** Writes one at a time, in call order. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.#file = file;
  }

  async list(): Promise<RecentProject[]> {
    const entries = await this.#read();
    return Promise.all(
      entries.map(async (entry) => ({
        ...entry,
        exists: (await stat(entry.path).catch(() => null))?.isFile() ?? false,
      })),
    );
  }

  add(entry: RecentEntry): Promise<void> {
    return this.#update((entries) => [entry, ...entries.filter((e) => e.path !== entry.path)]);
  }

  async forget(path: string): Promise<boolean> {
    let found = false;
    await this.#update((entries) => {
      found = entries.some((e) => e.path === path);
      return entries.filter((e) => e.path !== path);
    });
    return found;
  }

  #update(change: (entries: RecentEntry[]) => RecentEntry[]): Promise<void> {
    const next = this.#queue.then(async () => {
      const entries = change(await this.#read()).slice(0, RECENT_MAX);
      await mkdir(dirname(this.#file), { recursive: true });
      const json = JSON.stringify({ version: 1, projects: entries }, null, 2);
      await writeFileAtomic(this.#file, new TextEncoder().encode(json));
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** A missing or unreadable list is an empty one: it is a convenience, never a reason to fail. */
  async #read(): Promise<RecentEntry[]> {
    try {
      const parsed = RecentFileSchema.safeParse(JSON.parse(await readFile(this.#file, 'utf8')));
      return parsed.success ? parsed.data.projects : [];
    } catch {
      return [];
    }
  }
}
