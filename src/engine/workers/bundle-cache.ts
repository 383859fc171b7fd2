// An entry module bundled into one file, built once per source state (issue 13, point 1). Started from
// TypeScript source through tsx, a render worker transpiled its ~70 modules one by one (about 0.9 s of
// CPU per worker) and the `stir` command its ~250 before doing anything. One esbuild bundle of the same
// sources loads in a fraction of that. Used when running from source (bin/stir.js: the CLI and the
// browser mode; the workers the engine starts, tests included); the Electron build bundles itself.
// Packages stay imports, and each module keeps its own import.meta.url, so the bundle finds what the
// sources find.
//
// Never stale: a bundle is named by a hash of exactly the bytes esbuild read (an onLoad plugin reads
// them), with the listings of their folders (a new file can change what an import resolves to). Before a
// bundle is used, the inputs named in the entry's index are read and hashed again; any change gives a
// hash with no bundle, and a new one is built. Safe with several builders at once: every file is written
// under a name of its own and renamed into place (project/atomic-write.ts), and two builds of the same
// sources are the same bytes.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Loader, Plugin } from 'esbuild';
import { writeFileAtomic } from '../project/atomic-write.js';

/** Bumped when the build options below change, so bundles made with the old ones are not used. */
const BUILD_OPTIONS_VERSION = 2;
/** Bundles not used for this long are removed when a new one of the same entry is written. */
const UNUSED_BUNDLE_MS = 10 * 60_000;

const LOADERS: Record<string, Loader> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.jsx': 'jsx',
  '.json': 'json',
};

/** What the entry's index file keeps: the files its last bundle was built from. */
interface EntryIndex {
  inputs: string[];
}

/** The folder of the package the entry belongs to: the nearest one above it with a node_modules. */
function packageRoot(entry: string): string {
  for (let dir = dirname(entry); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no node_modules folder above ${entry}`);
  }
}

/**
 * The folder bundles are kept in: STIR_BUNDLE_CACHE, else node_modules/.cache/stir-bundles of the
 * package the entry belongs to. The bundle imports packages as the sources do (they stay outside it), so
 * it must sit where those imports resolve to the same node_modules.
 */
export function workerCacheDir(entry: string): string {
  const chosen = process.env.STIR_BUNDLE_CACHE;
  return chosen ? resolve(chosen) : join(packageRoot(entry), 'node_modules', '.cache', 'stir-bundles');
}

/** A file name for the entry: its path in its package, "src-engine-motion-worker". */
function entrySlug(entry: string): string {
  const path = relative(packageRoot(entry), entry);
  return path
    .slice(0, path.length - extname(path).length)
    .split(sep)
    .join('-')
    .replace(/[^A-Za-z0-9_-]/g, '_');
}

function esbuildVersion(): string {
  const manifest = createRequire(import.meta.url)('esbuild/package.json') as { version: string };
  return manifest.version;
}

/** The key of one source state: build settings, each input's path and bytes, and its folder's names. */
async function hashInputs(entry: string, contents: Map<string, Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`${BUILD_OPTIONS_VERSION}\0${esbuildVersion()}\0${process.versions.node}\0${entry}\0`);
  const paths = [...contents.keys()].sort();
  for (const path of paths) {
    hash.update(`${path}\0`);
    hash.update(contents.get(path)!);
    hash.update('\0');
  }
  const folders = [...new Set(paths.map((path) => dirname(path)))].sort();
  const listings = await Promise.all(folders.map((folder) => readdir(folder)));
  folders.forEach((folder, i) => hash.update(`${folder}\0${listings[i]!.sort().join('\0')}\0`));
  return hash.digest('hex').slice(0, 24);
}

/** The bundle of the current sources when one was built before, else null. */
async function cachedBundle(entry: string, cacheDir: string, slug: string): Promise<string | null> {
  let index: EntryIndex;
  try {
    index = JSON.parse(await readFile(join(cacheDir, `${slug}.json`), 'utf8')) as EntryIndex;
  } catch {
    return null;
  }
  if (!Array.isArray(index.inputs) || !index.inputs.includes(entry)) return null;
  const contents = new Map<string, Uint8Array>();
  try {
    const read = await Promise.all(index.inputs.map((path) => readFile(path)));
    index.inputs.forEach((path, i) => contents.set(path, read[i]!));
  } catch {
    return null; // an input was removed: the sources changed
  }
  const bundle = join(cacheDir, `${slug}-${await hashInputs(entry, contents)}.mjs`);
  try {
    // Marks it used, so pruning keeps it.
    const now = new Date();
    await utimes(bundle, now, now);
    return bundle;
  } catch {
    return null;
  }
}

/** Bundles the entry (its packages stay imports) and records every input's bytes as esbuild read them. */
async function build(entry: string, cacheDir: string, slug: string): Promise<string> {
  const esbuild = await import('esbuild');
  const contents = new Map<string, Uint8Array>();
  const recordInputs: Plugin = {
    name: 'stir-record-inputs',
    setup(builder) {
      builder.onLoad({ filter: /.*/, namespace: 'file' }, async ({ path }) => {
        const bytes = await readFile(path);
        contents.set(path, bytes);
        const loader = LOADERS[extname(path)] ?? 'default';
        if (loader === 'json' || loader === 'default') return { contents: bytes, loader };
        // Each module keeps its own import.meta.url, its source file's: what it finds beside itself (a
        // worker's entry, the example photos, a package through createRequire) is found as from source.
        const source = Buffer.from(bytes).toString('utf8');
        return {
          contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href)),
          loader,
        };
      });
    },
  };
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'node',
    // As tsx transforms the sources for this Node: the same syntax, so the same behaviour.
    target: `node${process.versions.node}`,
    packages: 'external',
    sourcemap: 'inline',
    write: false,
    outfile: join(cacheDir, `${slug}.mjs`),
    plugins: [recordInputs],
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild wrote no bundle');
  const bundle = join(cacheDir, `${slug}-${await hashInputs(entry, contents)}.mjs`);
  await mkdir(cacheDir, { recursive: true });
  await writeFileAtomic(bundle, output.contents);
  await writeFileAtomic(
    join(cacheDir, `${slug}.json`),
    Buffer.from(JSON.stringify({ inputs: [...contents.keys()].sort() } satisfies EntryIndex)),
  );
  await pruneUnused(cacheDir, slug, bundle);
  return bundle;
}

/** Removes this entry's bundles that nobody has used for a while (each source edit leaves one). */
async function pruneUnused(cacheDir: string, slug: string, keep: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(cacheDir)) {
    const path = join(cacheDir, name);
    if (path === keep || !name.startsWith(`${slug}-`) || !name.endsWith('.mjs')) continue;
    try {
      if (now - (await stat(path)).mtimeMs > UNUSED_BUNDLE_MS) await rm(path, { force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

/**
 * The URL of a bundle of the entry module `entryUrl` (a .ts file) built from the sources as they are
 * now: the cached one when they have not changed since it was built, else a new one.
 */
export async function entryBundle(entryUrl: URL): Promise<URL> {
  const entry = fileURLToPath(entryUrl);
  const cacheDir = workerCacheDir(entry);
  const slug = entrySlug(entry);
  const bundle = (await cachedBundle(entry, cacheDir, slug)) ?? (await build(entry, cacheDir, slug));
  return pathToFileURL(bundle);
}
