// The catalog of known packs (resources/models/*.json, one entry a file; src/shared/contract/catalog.ts
// says what an entry holds). It ships with the app (electron-builder's extraResources puts the folder at
// <resources>/models) and is read from the checkout otherwise. An installed pack is the entry one of whose
// variants carries its id: the exporters write those ids into the manifests they make.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CatalogEntrySchema, StirError, type CatalogEntry, type CatalogListing } from '../../shared/index.js';

/**
 * Where the catalog is: STIR_CATALOG_DIR when set; in the packaged app <resources>/models; else the
 * nearest resources/models above this module (the checkout, whether run from src/ or from out/).
 */
export function catalogDir(): string | null {
  if (process.env.STIR_CATALOG_DIR) return process.env.STIR_CATALOG_DIR;
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath && existsSync(join(resourcesPath, 'models'))) return join(resourcesPath, 'models');
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 8; up++) {
    const candidate = join(dir, 'resources', 'models');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

/** Every entry of the catalog in `dir`, by file name; a file that does not fit is named in the error. */
export async function readCatalog(dir: string): Promise<CatalogEntry[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  const entries: CatalogEntry[] = [];
  for (const name of names) {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(join(dir, name), 'utf8'));
    } catch (caught) {
      throw new StirError(
        'INTERNAL',
        `The model catalog's ${name} is not JSON: ${(caught as Error).message}.`,
      );
    }
    const parsed = CatalogEntrySchema.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`);
      throw new StirError('INTERNAL', `The model catalog's ${name} does not fit: ${problems.join('; ')}.`, {
        details: { problems },
      });
    }
    entries.push(parsed.data);
  }
  const ids = new Set<string>();
  for (const entry of entries) {
    for (const variant of entry.variants) {
      if (ids.has(variant.packId)) {
        throw new StirError('INTERNAL', `The model catalog names the pack id "${variant.packId}" twice.`);
      }
      ids.add(variant.packId);
    }
  }
  return entries;
}

/** The entries with the installed packs that are each, and the installed packs no entry knows. */
export function matchInstalled(
  entries: readonly CatalogEntry[],
  installedIds: readonly string[],
): CatalogListing {
  const known = new Set<string>();
  const listed = entries.map((entry) => {
    const ids = new Set(entry.variants.map((v) => v.packId));
    const installed = installedIds.filter((id) => ids.has(id));
    installed.forEach((id) => known.add(id));
    return { ...entry, installed };
  });
  return { entries: listed, unknownInstalled: installedIds.filter((id) => !known.has(id)) };
}
