// Loading and checking a model pack: the manifest against its schema, every file against the manifest
// (present, inside the folder, size, sha256), and, when asked, every ONNX session's declared inputs and
// outputs against the contract (contract.ts). Every problem is reported at once, naming the file.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { StirError, throwIfCancelled } from '../../shared/index.js';
import { contractsOf } from './contract.js';
import {
  MANIFEST_NAME,
  parseManifest,
  unsafePackPathReason,
  type PackFile,
  type PackManifest,
} from './manifest.js';
import { openSession, type ProviderPreference } from './sessions.js';

/** A pack whose manifest parsed and whose files were found where it says. */
export interface LoadedPack {
  /** Absolute, real path of the pack folder. */
  readonly dir: string;
  readonly manifest: PackManifest;
  /** Absolute path of a file the manifest lists (checked to lie inside the pack). */
  path(file: string): string;
}

export interface VerifyOptions {
  /** Hash every file (slow for gigabytes; the installer does it once after download). */
  verifyHashes?: boolean;
  /** Bytes hashed so far and in all, while verifying. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface LoadPackOptions extends VerifyOptions {
  /** Open every ONNX file (on the CPU) and check its inputs and outputs against the contract. */
  checkSessions?: boolean;
}

/** Reads, parses and checks the pack in `dir`. */
export async function loadPack(dir: string, options: LoadPackOptions = {}): Promise<LoadedPack> {
  const root = await packRoot(dir);
  const manifest = await readManifest(root);
  await verifyPackFiles(root, manifest, options);
  const pack: LoadedPack = {
    dir: root,
    manifest,
    path: (file) => resolvePackFile(root, file),
  };
  if (options.checkSessions) await checkPackSessions(pack, { signal: options.signal });
  return pack;
}

async function packRoot(dir: string): Promise<string> {
  try {
    const info = await stat(dir);
    if (info.isDirectory()) return await realpath(dir);
  } catch {
    // reported below, in words
  }
  throw new StirError('PACK_MISSING', `There is no model pack at ${dir}.`, {
    hint: 'Install a model pack (Settings > Models), or point --pack at a folder that holds a stir-pack.json.',
    details: { dir },
  });
}

async function readManifest(root: string): Promise<PackManifest> {
  const file = join(root, MANIFEST_NAME);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (caught) {
    throw new StirError('PACK_MISSING', `${root} is not a model pack: it has no ${MANIFEST_NAME}.`, {
      hint: 'A model pack is a folder with a stir-pack.json and its ONNX files.',
      details: { dir: root },
      cause: caught,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (caught) {
    throw new StirError('PACK_INVALID', `The ${MANIFEST_NAME} in ${root} is not valid JSON.`, {
      hint: 'Get the pack again from where it was published.',
      details: { dir: root },
      cause: caught,
    });
  }
  return parseManifest(raw, `the pack in ${root}`);
}

/**
 * The absolute path of `file` (a manifest path) inside `root`; PATH_ESCAPE if it would lie outside.
 * The manifest schema already refuses "..", absolute paths and backslashes; this is the second check,
 * on the resolved path.
 */
export function resolvePackFile(root: string, file: string): string {
  const reason = unsafePackPathReason(file);
  const target = resolve(root, file);
  if (reason === null && isInside(root, target)) return target;
  throw new StirError(
    'PATH_ESCAPE',
    `The pack names "${file}", which lies outside its folder (${reason ?? 'it resolves outside'}).`,
    {
      hint: 'The pack is unsafe; it was not used.',
      details: { file, dir: root },
    },
  );
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Checks that every listed file exists inside the pack with its size (and sha256, when asked); reports all problems at once. */
export async function verifyPackFiles(
  root: string,
  manifest: PackManifest,
  options: VerifyOptions = {},
): Promise<void> {
  const missing: string[] = [];
  const problems: string[] = [];
  const present: PackFile[] = [];
  for (const file of manifest.files) {
    const path = resolvePackFile(root, file.path);
    let size: number;
    try {
      const real = await realpath(path);
      // A link inside the pack must not lead out of it.
      if (!isInside(root, real)) {
        throw new StirError(
          'PATH_ESCAPE',
          `${file.path} in the pack at ${root} leads outside the pack's folder.`,
          {
            hint: 'The pack is unsafe; it was not used.',
            details: { file: file.path, dir: root },
          },
        );
      }
      const info = await stat(real);
      if (!info.isFile()) {
        problems.push(`${file.path} is not a file`);
        continue;
      }
      size = info.size;
    } catch (caught) {
      if (caught instanceof StirError) throw caught;
      missing.push(file.path);
      continue;
    }
    if (size !== file.size) {
      problems.push(`${file.path} is ${size} bytes, the manifest says ${file.size} (incomplete or replaced)`);
      continue;
    }
    present.push(file);
  }

  if (options.verifyHashes) {
    const total = present.reduce((sum, f) => sum + f.size, 0);
    let done = 0;
    for (const file of present) {
      const digest = await sha256File(resolvePackFile(root, file.path), options.signal, (bytes) => {
        options.onProgress?.(done + bytes, total);
      });
      done += file.size;
      if (digest !== file.sha256) {
        problems.push(
          `${file.path} has sha256 ${digest}, the manifest says ${file.sha256} (damaged or replaced)`,
        );
      }
    }
  }

  if (missing.length > 0 || problems.length > 0) {
    const parts = [];
    if (missing.length > 0) parts.push(`missing ${missing.join(', ')}`);
    parts.push(...problems);
    throw new StirError(
      'PACK_INVALID',
      `The model pack "${manifest.name}" in ${root} is not complete: ${parts.join('; ')}.`,
      {
        hint: 'Install the pack again; the installer resumes and re-checks every file.',
        details: { dir: root, missing, problems },
      },
    );
  }
}

/** The sha256 of a file, lower-case hex, read as a stream (packs hold files of gigabytes). */
export async function sha256File(
  path: string,
  signal?: AbortSignal,
  onBytes?: (bytesSoFar: number) => void,
): Promise<string> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    throwIfCancelled(signal);
    const buffer = chunk as Buffer;
    hash.update(buffer);
    bytes += buffer.length;
    onBytes?.(bytes);
  }
  return hash.digest('hex');
}

/**
 * Opens every ONNX file of the pack on the CPU, checks its declared inputs and outputs against the
 * contract, and closes it again. All problems of all files are reported in one PACK_INVALID.
 */
export async function checkPackSessions(
  pack: LoadedPack,
  options: { signal?: AbortSignal; provider?: ProviderPreference } = {},
): Promise<void> {
  const problems: string[] = [];
  for (const contract of contractsOf(pack.manifest).values()) {
    throwIfCancelled(options.signal);
    try {
      const session = await openSession(pack.path(contract.file), contract, {
        provider: options.provider ?? 'cpu',
      });
      await session.release();
    } catch (caught) {
      if (caught instanceof StirError && caught.code === 'PACK_INVALID') {
        const listed = caught.details?.problems;
        if (Array.isArray(listed)) problems.push(...listed.map(String));
        else problems.push(caught.message);
        continue;
      }
      throw caught;
    }
  }
  if (problems.length > 0) {
    throw new StirError(
      'PACK_INVALID',
      `The model pack "${pack.manifest.name}" cannot be used: ${problems.join('; ')}.`,
      {
        hint: 'The pack was exported with other inputs or outputs than its manifest says; get a pack made for Stir.',
        details: { dir: pack.dir, problems },
      },
    );
  }
}
