// What browser mode may read and write on the engine's machine. The token in the URL is a bearer key: whoever
// holds it drives the engine as the page does, so the engine must not reach further than the person asked.
//
// - Reads by path (a photo, a project, a pack folder or .zip) only inside Stir's folders: the projects and
//   export folders, and the folders the person named when starting `stir web --folder DIR` (typed in the
//   terminal, which the page cannot do). Uploaded photos and projects never touch the disk at all: their bytes
//   live in the engine's memory for the session.
// - Writes (saves and exports) only inside the same folders, and never over a file Stir did not write: a file
//   written or opened as a project in this session, or a .stir file (its first entry is project.json).
// - A refusal says the same words whether or not the file exists, and is decided before the file system is
//   touched outside those folders, so error codes cannot be used to probe the machine.
import { lstat, open, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { PROJECT_EXTENSION, StirError } from '../shared/index.js';

export interface BrowserFolders {
  /** Where exports without a path go. */
  exports: string;
  /** Where saves without a path go. */
  projects: string;
  /** Folders the person named on the command line (`stir web --folder DIR`). */
  chosen?: readonly string[];
}

/** A .stir file starts with a zip local header whose first entry is project.json (codec.ts writes it first). */
const PROJECT_MANIFEST = 'project.json';

export class BrowserFileAccess {
  readonly #roots: readonly string[];
  /** Files Stir wrote or opened as projects in this session: these it may replace. */
  readonly #ours = new Set<string>();

  constructor(folders: BrowserFolders) {
    this.#roots = [folders.exports, folders.projects, ...(folders.chosen ?? [])].map((f) => resolve(f));
  }

  /** The folders reads and writes are confined to, for messages and `stir web`'s banner. */
  get folders(): readonly string[] {
    return this.#roots;
  }

  /** Remembers a file Stir wrote (or opened as its own project), so a later save may replace it. */
  remember(path: string): void {
    this.#ours.add(resolve(path));
  }

  /** Checks that a path may be read; gives it resolved. `what` names it in the refusal ("the photo"). */
  async checkRead(path: string, what: string): Promise<string> {
    const target = resolve(path);
    if (!(await this.#insideRoots(target))) throw this.#refusal(what, 'open');
    return target;
  }

  /**
   * Checks that a file (or a PNG sequence's folder) may be written at a path: inside the folders, not a link,
   * and either new or one Stir wrote. Gives the path resolved.
   */
  async checkWrite(path: string, what: string): Promise<string> {
    const target = resolve(path);
    if (!(await this.#insideRoots(target))) throw this.#refusal(what, 'write');
    const existing = await lstat(target).catch(() => null);
    if (existing === null || (!existing.isSymbolicLink() && (await this.#isOurs(target, existing.isFile()))))
      return target;
    throw new StirError('OUTPUT_UNWRITABLE', `${target} already exists and Stir did not write it.`, {
      hint: 'Choose a new name: in browser mode Stir replaces only files it wrote.',
    });
  }

  async #isOurs(path: string, isFile: boolean): Promise<boolean> {
    if (this.#ours.has(path)) return true;
    return isFile && path.toLowerCase().endsWith(PROJECT_EXTENSION) && (await looksLikeProject(path));
  }

  /**
   * Whether a path lies inside one of the folders, links resolved: first by its words alone (nothing outside
   * is touched), then by the real path of its deepest existing folder (a link inside cannot lead out).
   */
  async #insideRoots(target: string): Promise<boolean> {
    const lexical = this.#roots.filter((root) => contains(root, target));
    if (lexical.length === 0) return false;
    const real = await realExisting(target);
    for (const root of lexical) {
      // A folder not made yet (the projects folder before the first save) resolves through its parents.
      const realRoot = (await realExisting(root)).path;
      if (contains(realRoot, real.path) && real.path !== realRoot) return true;
      // The folder itself is readable (a pack folder named on the command line), never replaceable.
      if (real.path === realRoot && real.exact) return true;
    }
    return false;
  }

  #refusal(what: string, verb: 'open' | 'write'): StirError {
    const list = this.#roots.join(', ');
    return new StirError(
      'UNAUTHORIZED',
      verb === 'open'
        ? `In browser mode Stir opens ${what} only from its own folders (${list}).`
        : `In browser mode Stir writes ${what} only inside its own folders (${list}).`,
      {
        hint:
          verb === 'open'
            ? 'Upload the file from the editor instead, or start `stir web --folder FOLDER` to let Stir read that folder.'
            : 'Leave the path empty to use the default folder, or start `stir web --folder FOLDER` to let Stir write there.',
      },
    );
  }
}

function contains(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The real path of a path, or (when it does not exist yet) of its deepest existing ancestor joined with the
 * rest; `exact` says whether the path itself exists.
 */
async function realExisting(path: string): Promise<{ path: string; exact: boolean }> {
  let current = path;
  const rest: string[] = [];
  for (;;) {
    const real = await realpath(current).catch(() => null);
    if (real !== null) return { path: resolve(real, ...rest), exact: rest.length === 0 };
    const parent = dirname(current);
    if (parent === current) return { path, exact: false };
    rest.unshift(relative(parent, current));
    current = parent;
  }
}

async function looksLikeProject(path: string): Promise<boolean> {
  const header = Buffer.alloc(30 + PROJECT_MANIFEST.length);
  const file = await open(path, 'r').catch(() => null);
  if (!file) return false;
  try {
    const { bytesRead } = await file.read(header, 0, header.length, 0);
    if (bytesRead < header.length || header.readUInt32LE(0) !== 0x04034b50) return false;
    const nameLength = header.readUInt16LE(26);
    return (
      nameLength === PROJECT_MANIFEST.length &&
      header.subarray(30, 30 + nameLength).toString('latin1') === PROJECT_MANIFEST
    );
  } finally {
    await file.close();
  }
}
