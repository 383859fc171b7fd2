import { access, constants, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StirError } from '../shared/index.js';

/** Refuses, before any work starts, an output path that cannot be written: nothing is written then. */
export async function assertWritableTarget(path: string, overwrite: boolean): Promise<void> {
  const folder = dirname(path);
  const existing = await stat(path).catch(() => null);
  if (existing?.isDirectory()) {
    throw new StirError('OUTPUT_UNWRITABLE', `${path} is a folder; give a file name for the clip.`);
  }
  if (existing && !overwrite) {
    throw new StirError('OUTPUT_UNWRITABLE', `${path} already exists.`, {
      hint: 'Choose another name, or allow replacing it.',
    });
  }
  const folderInfo = await stat(folder).catch(() => null);
  if (!folderInfo?.isDirectory()) {
    throw new StirError('OUTPUT_UNWRITABLE', `The folder ${folder} does not exist.`, {
      hint: 'Create it first, or choose another place.',
    });
  }
  try {
    await access(folder, constants.W_OK);
  } catch (caught) {
    throw new StirError('OUTPUT_UNWRITABLE', `Stir is not allowed to write into ${folder}.`, {
      hint: 'Choose a folder you can write to.',
      cause: caught,
    });
  }
}
