// Writes a file so that it is either the old file or the whole new one, never half of either: the bytes go
// to a temporary name in the same folder, are flushed to disk, and the temporary file is renamed over the
// target (rename within one file system is atomic on POSIX and replaces the target on Windows). A write
// that fails removes its temporary file; one cut short by a crash or kill -9 is removed by the next
// start's sweep (system/leftovers.ts), which knows it by its name.
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StirError } from '../../shared/errors.js';
import { OWNED_TOKEN, ownedToken } from '../system/temp-owner.js';

/**
 * The temporary names this module writes: ".work.stir.stir-save-p4242-1a2b3c4d5e6f.tmp" (the writer's
 * process id, temp-owner.ts), and the names of earlier versions (".work.stir.stir-save-1a2b3c4d5e6f.tmp",
 * ".work.stir.1a2b3c4d5e6f.tmp"), so crashes of those are swept too.
 */
export const SAVE_TEMP_NAME = new RegExp(
  `^\\..+\\.(stir-save-${OWNED_TOKEN(12)}|stir\\.[0-9a-f]{12})\\.tmp$`,
);

export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.stir-save-${ownedToken(6)}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (caught) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw writeError(path, caught);
  }
}

function writeError(path: string, caught: unknown): StirError {
  const code = (caught as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC') {
    return new StirError('DISK_FULL', `The disk is full: ${basename(path)} could not be saved.`, {
      hint: 'Free some space, then save again. Your work is still open.',
      cause: caught,
    });
  }
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new StirError('OUTPUT_UNWRITABLE', `The folder ${dirname(path)} does not exist.`, {
      hint: 'Choose another place to save.',
      cause: caught,
    });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new StirError('OUTPUT_UNWRITABLE', `Stir is not allowed to write ${path}.`, {
      hint: 'Choose a folder you can write to.',
      cause: caught,
    });
  }
  if (code === 'EISDIR') {
    return new StirError('OUTPUT_UNWRITABLE', `${path} is a folder; give a file name.`, { cause: caught });
  }
  return StirError.fromCaught(caught);
}
