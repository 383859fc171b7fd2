// Files of a pack folder: walking it (symbolic links refused: a link could point anywhere on the
// machine) and copying chosen files from one folder into another, each path confined to both.
import { constants } from 'node:fs';
import { copyFile, lstat, mkdir, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StirError } from '../../../shared/index.js';
import { confinedPath, lstatNoLinks, symlinkRefused } from './confine.js';

/** Deeper than any real pack; stops a walk that would never end. */
const MAX_DEPTH = 16;
const MAX_FILES = 100_000;

export interface FolderFile {
  /** Relative, "/"-separated. */
  path: string;
  bytes: number;
}

/** Every plain file below `root`, sorted by path. Names starting with `skip` prefixes at the top are left out. */
export async function listFolderFiles(
  root: string,
  skipTopLevel: (name: string) => boolean = () => false,
): Promise<FolderFile[]> {
  const files: FolderFile[] = [];
  const walk = async (relative: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH)
      throw new StirError('PACK_INVALID', `The pack's folders nest deeper than ${MAX_DEPTH} levels.`);
    const entries = await readdir(join(root, relative), { withFileTypes: true });
    for (const entry of entries) {
      if (depth === 0 && skipTopLevel(entry.name)) continue;
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isSymbolicLink()) throw symlinkRefused(path);
      if (entry.isDirectory()) await walk(path, depth + 1);
      else if (entry.isFile()) {
        files.push({ path, bytes: (await lstat(join(root, path))).size });
        if (files.length > MAX_FILES)
          throw new StirError('PACK_INVALID', `The pack holds more than ${MAX_FILES} files.`);
      } else {
        throw new StirError(
          'PATH_ESCAPE',
          `The pack contains "${path}", which is not a plain file or folder.`,
        );
      }
    }
  };
  await walk('', 0);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Copies `paths` (relative) from `from` to `to`. Each must be a plain file inside `from`, reached
 * through no link at any level; each target is confined to `to` and must not exist yet.
 */
export async function copyFiles(
  from: string,
  to: string,
  paths: readonly string[],
  options: { signal: AbortSignal; onFile?: (path: string, bytes: number) => void },
): Promise<number> {
  let total = 0;
  for (const path of paths) {
    if (options.signal.aborted) throw new StirError('CANCELLED', 'The job was cancelled.');
    const source = confinedPath(from, path, 'the manifest');
    const target = confinedPath(to, path, 'the manifest');
    const info = await lstatNoLinks(from, path);
    if (info === null) {
      throw new StirError('PACK_INVALID', `The pack names the file "${path}", but it is not in ${from}.`, {
        hint: 'The pack is incomplete: get it again, or copy the missing file into its folder.',
        details: { file: path },
      });
    }
    if (!info.isFile())
      throw new StirError('PACK_INVALID', `"${path}" in the pack is not a file.`, {
        details: { file: path },
      });
    await mkdir(dirname(target), { recursive: true });
    await copyFile(source, target, constants.COPYFILE_EXCL);
    total += info.size;
    options.onFile?.(path, info.size);
  }
  return total;
}
