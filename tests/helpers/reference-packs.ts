// The reference fixtures of scripts/reference/reference_fixtures.py (issue 11): packs kept as a manifest
// (packs/NAME.json) and gzipped files named by their sha256 (blobs/), rebuilt here into a pack folder, and
// the reference outputs (data/*.f32, little-endian float32).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const REFERENCE_DIR = fileURLToPath(new URL('../fixtures/reference/', import.meta.url));

interface ManifestFiles {
  files: { path: string; sha256: string }[];
}

/** Writes the pack `name` into `into` (a folder Stir can load) and returns that folder. */
export function unpackReferencePack(name: string, into: string): string {
  const manifestText = readFileSync(join(REFERENCE_DIR, 'packs', `${name}.json`), 'utf8');
  const manifest = JSON.parse(manifestText) as ManifestFiles;
  const dir = join(into, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'stir-pack.json'), manifestText);
  // Files the repository already holds (the CLIP tokenizer's vocab and merges) are named, not stored twice.
  const inRepository = JSON.parse(
    readFileSync(join(REFERENCE_DIR, 'blobs', 'in-repository.json'), 'utf8'),
  ) as Record<string, string>;
  for (const file of manifest.files) {
    const target = join(dir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    const repositoryPath = inRepository[file.sha256];
    writeFileSync(
      target,
      repositoryPath
        ? readFileSync(join(REFERENCE_DIR, '..', '..', '..', repositoryPath))
        : gunzipSync(readFileSync(join(REFERENCE_DIR, 'blobs', `${file.sha256}.gz`))),
    );
  }
  return dir;
}

export function referenceJson<T>(name: string): T {
  return JSON.parse(readFileSync(join(REFERENCE_DIR, name), 'utf8')) as T;
}

export function referenceFloats(name: string): Float32Array {
  const bytes = readFileSync(join(REFERENCE_DIR, 'data', name));
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

/** The largest |a - b| over the elements, and where. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): { max: number; at: number } {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let max = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= max)) {
      max = d;
      at = i;
    }
  }
  return { max, at };
}

/** The pose ControlNet fixture's input: the skeleton, the frames' times and the photo's size. */
export interface PoseFixture {
  photo: { width: number; height: number };
  frameTimes: number[];
  pose: unknown;
}

export function readPoseFixture(): PoseFixture {
  return referenceJson<PoseFixture>('pose.json');
}

/** A gzipped little-endian float32 file of data/. */
export function referenceFloatsGz(name: string): Float32Array {
  const bytes = gunzipSync(readFileSync(join(REFERENCE_DIR, 'data', name)));
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
