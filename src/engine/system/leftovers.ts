// Nothing left behind (issue 14, point 2): saves and exports write temporary names and remove them when
// the write fails, but a crash or kill -9 cannot, so each start of the engine sweeps the folders Stir
// wrote to: the ones remembered in a small state file in the data folder, the default export and project
// folders, and the data folder itself. Only names Stir itself gives its temporary files are touched, and
// only those older than this process (a newer one belongs to a Stir running now) whose writer is not
// running (the name carries its process id: temp-owner.ts); never a link, never anything else.
import { lstat, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { SCRATCH_NAME } from '../export/encode.js';
import { EXPORT_TEMP_NAME } from '../export/staged-output.js';
import { SAVE_TEMP_NAME, writeFileAtomic } from '../project/atomic-write.js';
import { processAlive, tempNameOwner } from './temp-owner.js';

/** Every temporary name Stir writes beside a file it saves or exports. */
const STIR_TEMP_NAMES: readonly RegExp[] = [SAVE_TEMP_NAME, EXPORT_TEMP_NAME, SCRATCH_NAME];

export function isStirTempName(name: string): boolean {
  return STIR_TEMP_NAMES.some((pattern) => pattern.test(name));
}

export interface SweepReport {
  /** Paths removed. */
  removed: string[];
  bytes: number;
}

/** Whether another Stir that is running now wrote this temporary name (a long export's staged file). */
function heldByRunningStir(name: string): boolean {
  const owner = tempNameOwner(name);
  return owner !== null && owner !== process.pid && processAlive(owner);
}

/**
 * Removes Stir's temporary files and folders older than `before` (ms since the epoch; default: when this
 * process started) from each folder, except those of a Stir running now. A folder that is gone or
 * unreadable is skipped.
 */
export async function sweepLeftovers(
  folders: Iterable<string>,
  before: number = performance.timeOrigin,
): Promise<SweepReport> {
  const report: SweepReport = { removed: [], bytes: 0 };
  for (const folder of new Set([...folders].map((f) => resolve(f)))) {
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names) {
      if (!isStirTempName(name) || heldByRunningStir(name)) continue;
      const path = join(folder, name);
      const info = await lstat(path).catch(() => null);
      if (!info || info.isSymbolicLink() || info.mtimeMs >= before) continue;
      if (!info.isFile() && !info.isDirectory()) continue;
      const bytes = info.isDirectory() ? await folderBytes(path) : info.size;
      try {
        await rm(path, { recursive: info.isDirectory(), force: true });
        report.removed.push(path);
        report.bytes += bytes;
      } catch {
        // Not ours to force: a file we may not remove stays, and the next start tries again.
      }
    }
  }
  return report;
}

/** A sequence folder's frames: plain files, one level deep. */
async function folderBytes(folder: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    const info = await lstat(join(folder, name)).catch(() => null);
    if (info?.isFile()) total += info.size;
  }
  return total;
}

/** How many folders the state file keeps, most recent first. */
export const WRITTEN_FOLDERS_MAX = 32;

/**
 * The folders saves and exports wrote to, remembered (before writing) in a small JSON file so the next
 * start knows where to sweep. Writes are chained, so two at once never lose one.
 */
export class WrittenFolders {
  readonly #file: string;
  #queue: Promise<void> = Promise.resolve();

  constructor(file: string) {
    this.#file = file;
  }

  async list(): Promise<string[]> {
    try {
      const parsed = JSON.parse(await readFile(this.#file, 'utf8')) as unknown;
      const folders = (parsed as { folders?: unknown } | null)?.folders;
      return Array.isArray(folders) ? folders.filter((f): f is string => typeof f === 'string') : [];
    } catch {
      return [];
    }
  }

  /**
   * Puts `folder` first in the list; the file is rewritten only when that changes it. Never fails: the
   * list only guides the sweep, and a data folder that cannot be written must not stop a save or export.
   */
  remember(folder: string): Promise<void> {
    const absolute = resolve(folder);
    const next = this.#queue.then(async () => {
      const current = await this.list();
      if (current[0] === absolute) return;
      const folders = [absolute, ...current.filter((f) => f !== absolute)].slice(0, WRITTEN_FOLDERS_MAX);
      const json = `${JSON.stringify({ folders }, null, 2)}\n`;
      await mkdir(dirname(this.#file), { recursive: true });
      await writeFileAtomic(this.#file, new TextEncoder().encode(json));
    });
    this.#queue = next.catch(() => undefined);
    return this.#queue;
  }
}
