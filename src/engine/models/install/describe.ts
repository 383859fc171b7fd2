// What the model manager shows for an installed pack: its manifest's name, version and capabilities,
// its components with their files and sizes, and what is on disk.
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StirError, type InstalledPack, type PackComponentInfo } from '../../../shared/index.js';
import { MANIFEST_NAME, componentPaths, parseManifest, type PackManifest } from '../manifest.js';
import { symlinkRefused } from './confine.js';
import { listFolderFiles } from './folder-files.js';

/** Written into a pack's folder by the installer: where it came from and when. */
export const INSTALL_RECORD_NAME = '.stir-installed.json';

export interface InstallRecord {
  source: string;
  installedAt: string;
}

export async function readManifestFile(dir: string): Promise<PackManifest> {
  const file = join(dir, MANIFEST_NAME);
  // A linked manifest could describe (and so vouch for) files anywhere on the machine.
  if ((await lstat(file).catch(() => null))?.isSymbolicLink()) throw symlinkRefused(MANIFEST_NAME);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (caught) {
    throw new StirError('PACK_MISSING', `${dir} is not a model pack: it has no ${MANIFEST_NAME}.`, {
      hint: 'A model pack is a folder (or a .zip of one) with a stir-pack.json and its ONNX files.',
      details: { dir },
      cause: caught,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (caught) {
    throw new StirError('PACK_INVALID', `The ${MANIFEST_NAME} in ${dir} is not valid JSON.`, {
      hint: 'Get the pack again from where it was published.',
      details: { dir },
      cause: caught,
    });
  }
  return parseManifest(raw, `the pack in ${dir}`);
}

export async function readInstallRecord(dir: string): Promise<InstallRecord | null> {
  try {
    const raw = JSON.parse(await readFile(join(dir, INSTALL_RECORD_NAME), 'utf8')) as Record<string, unknown>;
    if (typeof raw.source === 'string' && typeof raw.installedAt === 'string') {
      return { source: raw.source, installedAt: raw.installedAt };
    }
  } catch {
    // a pack copied in by hand has no record
  }
  return null;
}

/** Components with the files they use and those files' sizes (from the manifest). */
export function componentInfo(manifest: PackManifest): PackComponentInfo[] {
  const sizes = new Map(manifest.files.map((f) => [f.path, f.size]));
  const byComponent = new Map<string, Set<string>>();
  for (const [field, path] of componentPaths(manifest.components)) {
    const name = field.split('.')[0] ?? field;
    const files = byComponent.get(name) ?? new Set<string>();
    files.add(path);
    byComponent.set(name, files);
  }
  return [...byComponent].map(([name, files]) => ({
    name,
    files: [...files],
    bytes: [...files].reduce((sum, f) => sum + (sizes.get(f) ?? 0), 0),
  }));
}

/** Describes the pack in folder `dir` (named `id`); a pack that cannot be read is listed as broken, not hidden. */
export async function describePack(id: string, dir: string): Promise<InstalledPack> {
  const record = await readInstallRecord(dir);
  const files = await listFolderFiles(dir).catch(() => []);
  const onDisk = {
    dir,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    fileCount: files.length,
    installedAt: record?.installedAt ?? null,
    source: record?.source ?? null,
  };
  try {
    const manifest = await readManifestFile(dir);
    return {
      id,
      name: manifest.name,
      version: manifest.version,
      description: manifest.description,
      license: manifest.license,
      homepage: manifest.homepage ?? null,
      ...onDisk,
      capabilities: manifest.capabilities,
      components: componentInfo(manifest),
      status: 'ready',
      problem:
        manifest.id === id
          ? null
          : `its manifest gives the id "${manifest.id}", but its folder is named "${id}"`,
    };
  } catch (caught) {
    return {
      id,
      name: id,
      version: '',
      description: '',
      license: '',
      homepage: null,
      ...onDisk,
      capabilities: [],
      components: [],
      status: 'broken',
      problem: caught instanceof Error ? caught.message : String(caught),
    };
  }
}
