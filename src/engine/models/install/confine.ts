// Nothing an installer writes may land outside the models folder. Paths that come from outside (a
// manifest's file list, a zip's entry names) are checked here before anything is created: no absolute
// paths, no drive letters, no backslashes, no ".." segments, nothing that resolves outside the root.
// ComfyUI Desktop's DownloadManager checks the real target path against its models folder the same way.
import type { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { StirError } from '../../../shared/index.js';

/** Why a relative path from a manifest or a zip is refused, or null when it is a plain path below the root. */
export function unsafePathReason(path: string): string | null {
  if (path.length === 0) return 'it is empty';
  if (path.includes('\0')) return 'it contains a NUL character';
  if (path.includes('\\')) return 'it contains a backslash';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'it is an absolute path';
  const segments = path.split('/');
  if (segments.includes('..')) return 'it climbs out with ".."';
  if (segments.some((s, i) => s === '' && i < segments.length - 1)) return 'it contains an empty folder name';
  return null;
}

/**
 * The absolute path of `path` (relative, "/"-separated) inside `root`, or PATH_ESCAPE naming the path and
 * where it came from ("the zip", "the manifest").
 */
export function confinedPath(root: string, path: string, from: string): string {
  const reason = unsafePathReason(path);
  const target = resolve(root, path);
  if (reason === null && isInside(root, target)) return target;
  throw new StirError(
    'PATH_ESCAPE',
    `${capitalise(from)} names the path "${path}", which would be written outside the pack's folder (${reason ?? 'it resolves outside'}).`,
    {
      hint: 'The pack is unsafe or damaged; nothing was installed. Get it again from where it was published.',
      details: { path, from },
    },
  );
}

/** True when `target` is `root` itself or lies below it (both made absolute first). */
export function isInside(root: string, target: string): boolean {
  const rel = relative(resolve(root), resolve(target));
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Refuses a symbolic link: a link inside a pack could point anywhere on the machine. */
export async function assertNotSymlink(path: string, shownAs: string): Promise<void> {
  const info = await lstat(path);
  if (info.isSymbolicLink()) throw symlinkRefused(shownAs);
}

/**
 * What `path` (relative, "/"-separated) below `root` is, found without following a link at any level: a
 * linked folder ("segmenter" -> /elsewhere) is refused as surely as a linked file. Null when it, or a
 * folder on the way, does not exist.
 */
export async function lstatNoLinks(root: string, path: string): Promise<Stats | null> {
  const segments = path.split('/');
  let info: Stats | null = null;
  for (let i = 1; i <= segments.length; i++) {
    const shownAs = segments.slice(0, i).join('/');
    info = await lstat(confinedPath(root, shownAs, 'the manifest')).catch(() => null);
    if (info === null) return null;
    if (info.isSymbolicLink()) throw symlinkRefused(shownAs);
  }
  return info;
}

export function symlinkRefused(shownAs: string): StirError {
  return new StirError(
    'PATH_ESCAPE',
    `The pack contains a symbolic link, "${shownAs}"; Stir does not install links.`,
    {
      hint: 'A link could point anywhere on this machine. Replace it with the file itself and try again.',
      details: { path: shownAs },
    },
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
