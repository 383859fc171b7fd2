// The installed packs: one folder per pack id in the models folder. Listing reads manifests only (fast);
// verifying re-reads every byte (size and sha256 of each file, then every session against the contract);
// removing renames the folder away first, so a pack is never half there.
import { randomUUID } from 'node:crypto';
import { readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StirError, type InstalledPack, type VerifyPackResult } from '../../../shared/index.js';
import { checkPackSessions, loadPack, sha256File } from '../validate.js';
import { confinedPath, isInside, lstatNoLinks } from './confine.js';
import { describePack, readManifestFile } from './describe.js';
import { listFolderFiles } from './folder-files.js';
import { STAGING_PREFIX, TRASH_PREFIX } from './installer.js';

export class PackStore {
  readonly modelsDir: string;

  constructor(modelsDir: string) {
    this.modelsDir = modelsDir;
  }

  /** Installed packs by id; the models folder's own folders (names starting with ".") are not packs. */
  async list(): Promise<InstalledPack[]> {
    const entries = await readdir(this.modelsDir, { withFileTypes: true }).catch(() => []);
    const packs: InstalledPack[] = [];
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      packs.push(await describePack(entry.name, join(this.modelsDir, entry.name)));
    }
    return packs.sort((a, b) => a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<InstalledPack> {
    return describePack(id, await this.#dirOf(id));
  }

  async verify(id: string, signal?: AbortSignal): Promise<VerifyPackResult> {
    const started = performance.now();
    const dir = await this.#dirOf(id);
    const problems: string[] = [];
    const manifest = await readManifestFile(dir).catch((caught: unknown) => {
      problems.push(caught instanceof Error ? caught.message : String(caught));
      return null;
    });
    const files: VerifyPackResult['files'] = [];
    if (manifest) {
      for (const file of manifest.files) {
        const check = await checkFile(dir, file.path, file.size, file.sha256, signal);
        files.push(check);
        if (check.problem) problems.push(`${file.path}: ${check.problem}`);
      }
    }
    // The sessions are opened only when every file is whole: a damaged ONNX file says nothing new.
    if (manifest && problems.length === 0) {
      try {
        await checkPackSessions(await loadPack(dir, { signal }), { signal });
      } catch (caught) {
        if (caught instanceof StirError && caught.code === 'CANCELLED') throw caught;
        const listed = caught instanceof StirError ? caught.details?.problems : undefined;
        if (Array.isArray(listed)) problems.push(...listed.map(String));
        else problems.push(caught instanceof Error ? caught.message : String(caught));
      }
    }
    return { packId: id, ok: problems.length === 0, files, problems, millis: performance.now() - started };
  }

  /** Deletes a pack; gives the bytes freed. */
  async remove(id: string): Promise<{ removed: boolean; bytes: number }> {
    const dir = confinedPath(this.modelsDir, id, 'the request');
    if (!(await stat(dir).catch(() => null))?.isDirectory() || id.startsWith('.'))
      return { removed: false, bytes: 0 };
    const bytes = (await listFolderFiles(dir).catch(() => [])).reduce((sum, f) => sum + f.bytes, 0);
    const trash = join(this.modelsDir, `${TRASH_PREFIX}${process.pid}-${randomUUID()}`);
    try {
      await rename(dir, trash);
    } catch (caught) {
      const code = typeof caught === 'object' && caught !== null && 'code' in caught ? caught.code : null;
      if (code === 'EBUSY' || code === 'EPERM' || code === 'EACCES') {
        // Windows will not rename a folder with open files: a render or the segmenter still uses the pack.
        throw new StirError('BUSY', `The pack "${id}" is in use and cannot be removed now.`, {
          hint: 'Close the photos that use it (or wait for the render to end) and try again.',
          details: { id },
          cause: caught,
        });
      }
      throw caught;
    }
    await rm(trash, { recursive: true, force: true });
    return { removed: true, bytes };
  }

  /**
   * Removes what crashed installs left (staging folders and packs being replaced) by processes that no
   * longer run; another Stir using the same folder right now keeps its own.
   */
  async sweep(): Promise<string[]> {
    const entries = await readdir(this.modelsDir).catch(() => []);
    const removed: string[] = [];
    for (const name of entries) {
      const match = new RegExp(`^(?:${escape(STAGING_PREFIX)}|${escape(TRASH_PREFIX)})(\\d+)-`).exec(name);
      if (!match || processRuns(Number(match[1]))) continue;
      await rm(join(this.modelsDir, name), { recursive: true, force: true });
      removed.push(name);
    }
    return removed;
  }

  async #dirOf(id: string): Promise<string> {
    const dir = id.startsWith('.') ? null : confinedPath(this.modelsDir, id, 'the request');
    const info = dir ? await stat(dir).catch(() => null) : null;
    if (!dir || !info?.isDirectory() || !isInside(this.modelsDir, await realpath(dir))) {
      const installed = (await this.list()).map((p) => p.id);
      throw new StirError('NOT_FOUND', `No model pack "${id}" is installed.`, {
        hint:
          installed.length > 0
            ? `Installed: ${installed.join(', ')}.`
            : 'No pack is installed yet: stir models install <folder, .zip or URL>.',
        details: { id, installed },
      });
    }
    return dir;
  }
}

async function checkFile(
  dir: string,
  path: string,
  size: number,
  sha256: string,
  signal: AbortSignal | undefined,
): Promise<VerifyPackResult['files'][number]> {
  let target: string;
  try {
    target = confinedPath(dir, path, 'the manifest');
  } catch (caught) {
    return {
      path,
      bytes: null,
      ok: false,
      problem: caught instanceof Error ? caught.message : String(caught),
    };
  }
  let info;
  try {
    info = await lstatNoLinks(dir, path);
  } catch (caught) {
    // A link at any level: it could stand for any file on the machine.
    return {
      path,
      bytes: null,
      ok: false,
      problem: caught instanceof Error ? caught.message : String(caught),
    };
  }
  if (!info?.isFile()) return { path, bytes: null, ok: false, problem: 'missing' };
  if (info.size !== size) {
    return {
      path,
      bytes: info.size,
      ok: false,
      problem: `${info.size} bytes, the manifest says ${size} (incomplete or replaced)`,
    };
  }
  const actual = await sha256File(target, signal);
  if (actual !== sha256) {
    return {
      path,
      bytes: info.size,
      ok: false,
      problem: `sha256 ${actual}, the manifest says ${sha256} (damaged or replaced)`,
    };
  }
  return { path, bytes: info.size, ok: true, problem: null };
}

function processRuns(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (caught) {
    // EPERM: it runs, under another user.
    return typeof caught === 'object' && caught !== null && 'code' in caught && caught.code === 'EPERM';
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
