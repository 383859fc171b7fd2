// The file (or folder) an export writes appears only when complete: ffmpeg writes a hidden temporary
// name beside the target, in the same folder so the final rename stays on one file system (atomic), and a
// cancelled or failed export removes it. Creating the temporary name first proves the folder writable
// before any frame is rendered.
import { access, constants, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { StirError } from '../../shared/index.js';
import { OWNED_TOKEN, ownedToken } from '../system/temp-owner.js';
import { fileSystemFailure, unwritable } from './failures.js';

/**
 * The temporary names of exports: ".clip.stir-partial-p4242-1a2b3c4d.mp4" (the writer's process id,
 * system/temp-owner.ts), a sequence folder ".clip.stir-partial-p4242-1a2b3c4d", and the old sequence moved
 * aside while it is replaced ("...-old"); earlier versions wrote the same without "p4242-". An export cut
 * short by a crash or kill -9 leaves one; the next start's sweep (system/leftovers.ts) removes it.
 */
export const EXPORT_TEMP_NAME = new RegExp(
  `^\\..+\\.stir-partial-${OWNED_TOKEN(8)}(-old)?(\\.[A-Za-z0-9]+)?$`,
);

/** The sidecar a PNG sequence carries; its presence marks a folder Stir may replace. */
export const SEQUENCE_SIDECAR = 'sequence.json';

export class StagedOutput {
  /** Where ffmpeg writes; a file, or a folder for image sequences. */
  readonly tempPath: string;
  readonly finalPath: string;
  readonly folder: boolean;
  #done = false;

  private constructor(tempPath: string, finalPath: string, folder: boolean) {
    this.tempPath = tempPath;
    this.finalPath = finalPath;
    this.folder = folder;
  }

  /** Checks the target and creates the temporary file or folder beside it. */
  static async create(
    finalPath: string,
    options: { folder: boolean; overwrite: boolean },
  ): Promise<StagedOutput> {
    await checkTarget(finalPath, options);
    const extension = options.folder ? '' : extname(finalPath);
    const stem = basename(finalPath, extension);
    const tempPath = join(dirname(finalPath), `.${stem}.stir-partial-${ownedToken(4)}${extension}`);
    try {
      if (options.folder) await mkdir(tempPath);
      else await (await open(tempPath, 'wx')).close();
    } catch (caught) {
      throw fileSystemFailure(caught, finalPath);
    }
    return new StagedOutput(tempPath, finalPath, options.folder);
  }

  /** Moves the finished output into place (replacing what was there) and gives its size in bytes. */
  async commit(): Promise<number> {
    try {
      const bytes = await sizeOf(this.tempPath);
      if (this.folder) await replaceFolder(this.tempPath, this.finalPath);
      else await rename(this.tempPath, this.finalPath);
      this.#done = true;
      return bytes;
    } catch (caught) {
      throw fileSystemFailure(caught, this.finalPath);
    }
  }

  /** Removes the partial output; safe to call more than once, and after commit (then it does nothing). */
  async discard(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await rm(this.tempPath, { recursive: true, force: true });
  }
}

/**
 * Refuses, before any work starts, a target that cannot be written: a missing or read-only folder, a file
 * that exists when replacing is not allowed, or an existing folder that is not a sequence Stir wrote.
 */
export async function checkExportTarget(
  path: string,
  options: { folder: boolean; overwrite: boolean },
): Promise<void> {
  const parent = dirname(path);
  const parentInfo = await stat(parent).catch(() => null);
  if (!parentInfo?.isDirectory()) {
    throw new StirError('OUTPUT_UNWRITABLE', `The folder ${parent} does not exist.`, {
      hint: 'Create it first, or choose another place.',
      details: { path },
    });
  }
  try {
    await access(parent, constants.W_OK);
  } catch (caught) {
    throw unwritable(path, caught);
  }
  await checkTarget(path, options);
}

async function checkTarget(path: string, options: { folder: boolean; overwrite: boolean }): Promise<void> {
  const existing = await stat(path).catch(() => null);
  if (!existing) return;
  if (!options.overwrite) {
    throw new StirError('OUTPUT_UNWRITABLE', `${path} already exists.`, {
      hint: 'Choose another name, or allow replacing it.',
      details: { path },
    });
  }
  if (options.folder) {
    if (!existing.isDirectory() || !(await isStirSequence(path))) {
      throw new StirError(
        'OUTPUT_UNWRITABLE',
        `${path} already exists and is not a PNG sequence Stir wrote, so Stir will not replace it.`,
        { hint: 'Choose a new folder name for the sequence.', details: { path } },
      );
    }
  } else if (existing.isDirectory()) {
    throw new StirError('OUTPUT_UNWRITABLE', `${path} is a folder; give a file name for the clip.`, {
      details: { path },
    });
  }
}

export async function isStirSequence(folder: string): Promise<boolean> {
  try {
    const sidecar = JSON.parse(await readFile(join(folder, SEQUENCE_SIDECAR), 'utf8')) as unknown;
    return (
      typeof sidecar === 'object' &&
      sidecar !== null &&
      (sidecar as { generator?: unknown }).generator === 'stir'
    );
  } catch {
    return false;
  }
}

/** A folder cannot be renamed over another: move the old one aside, move the new one in, then delete the old. */
async function replaceFolder(from: string, to: string): Promise<void> {
  const old = await stat(to).catch(() => null);
  if (!old) {
    await rename(from, to);
    return;
  }
  const aside = `${from}-old`;
  await rename(to, aside);
  try {
    await rename(from, to);
  } catch (caught) {
    await rename(aside, to).catch(() => undefined);
    throw caught;
  }
  await rm(aside, { recursive: true, force: true });
}

async function sizeOf(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const name of await readdir(path)) total += (await stat(join(path, name))).size;
  return total;
}

/** Beside the clip: "clip.mov" -> "clip-matte.mov"; a sequence folder "clip" -> "clip-matte". */
export function mattePathFor(path: string, folder: boolean): string {
  const extension = folder ? '' : extname(path);
  return join(dirname(path), `${basename(path, extension)}-matte${extension}`);
}
