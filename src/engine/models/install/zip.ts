// Unpacks a pack's .zip into a staging folder. yauzl reads the central directory (random access, so a
// multi-gigabyte zip is never held in memory, and zip64 works) and checks each entry's size as it
// inflates. Every entry name is checked before anything is written: a name that climbs out of the folder,
// a symbolic link, a device file, a name given twice or a name that is both a file and a folder refuses
// the whole zip. Then the caller chooses what to unpack (the files its manifest lists, with the sizes it
// declares); nothing else in the zip is ever inflated.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { StirError } from '../../../shared/index.js';
import { confinedPath, symlinkRefused, unsafePathReason } from './confine.js';

export interface ZipProgress {
  bytesDone: number;
  bytesTotal: number;
  file: string;
}

/** The zip's files as its central directory lists them, and a way to read a small one (a manifest). */
export interface ZipListing {
  files: ReadonlyArray<{ name: string; bytes: number }>;
  /** The file's bytes, refused when it unpacks to more than `maxBytes`. */
  read(name: string, maxBytes: number): Promise<Uint8Array>;
}

/** The files to unpack, each with the size it must have. */
export type ZipSelection = ReadonlyMap<string, number>;

export interface ExtractedZip {
  files: Array<{ path: string; bytes: number }>;
  bytes: number;
}

/** More entries than any pack has; a central directory of millions is refused before it is read. */
const MAX_ENTRIES = 100_000;

/** Unix file types in the high 16 bits of "external file attributes" (zip APPNOTE 4.4.15, made by Unix). */
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const MADE_BY_UNIX = 3;

interface PlannedEntry {
  entry: yauzl.Entry;
  name: string;
  isDirectory: boolean;
}

export async function extractZip(
  zipPath: string,
  destDir: string,
  options: {
    signal: AbortSignal;
    onProgress?: (progress: ZipProgress) => void;
    /** Chooses what to unpack, from the listing. */
    select: (listing: ZipListing) => Promise<ZipSelection>;
  },
): Promise<ExtractedZip> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, {
      decodeStrings: false,
      validateEntrySizes: true,
      autoClose: false,
    });
  } catch (caught) {
    throw notAZip(zipPath, caught);
  }
  try {
    // 1. Read and check every entry name first: a bad zip is refused before it writes anything.
    if (zip.entryCount > MAX_ENTRIES) {
      throw damaged(zipPath, `it lists ${zip.entryCount} entries, more than any pack holds`);
    }
    const planned: PlannedEntry[] = [];
    try {
      for await (const entry of zip.eachEntry()) planned.push(plan(entry));
    } catch (caught) {
      if (caught instanceof StirError) throw caught;
      throw notAZip(zipPath, caught);
    }
    const byName = checkLayout(planned, zipPath);

    // 2. Choose what to unpack: nothing else is inflated.
    const listing: ZipListing = {
      files: [...byName.values()].map((p) => ({ name: p.name, bytes: p.entry.uncompressedSize })),
      read: async (name, maxBytes) => {
        const planned = byName.get(name);
        if (!planned) throw damaged(zipPath, `it has no "${name}"`);
        if (planned.entry.uncompressedSize > maxBytes) {
          throw damaged(
            zipPath,
            `its "${name}" is ${planned.entry.uncompressedSize} bytes, more than it can be`,
          );
        }
        const parts: Buffer[] = [];
        try {
          for await (const part of await zip.openReadStreamPromise(planned.entry)) parts.push(part as Buffer);
        } catch (caught) {
          throw damaged(zipPath, `its "${name}" does not unpack`, caught);
        }
        return new Uint8Array(Buffer.concat(parts));
      },
    };
    const selection = await options.select(listing);
    const chosen: PlannedEntry[] = [];
    for (const [name, size] of selection) {
      const planned = byName.get(name);
      if (!planned) continue; // the pack's check names what is missing, all at once
      if (planned.entry.uncompressedSize !== size) {
        throw damaged(
          zipPath,
          `its "${name}" unpacks to ${planned.entry.uncompressedSize} bytes, but the manifest says ${size}`,
        );
      }
      chosen.push(planned);
    }
    const bytesTotal = chosen.reduce((sum, p) => sum + p.entry.uncompressedSize, 0);

    // 3. Unpack. yauzl stops an entry that inflates past its declared size, which is the manifest's.
    const files: ExtractedZip['files'] = [];
    let bytesDone = 0;
    for (const { entry, name } of chosen) {
      if (options.signal.aborted) throw new StirError('CANCELLED', 'The job was cancelled.');
      const target = confinedPath(destDir, name, 'the zip');
      await mkdir(dirname(target), { recursive: true });
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          bytesDone += chunk.length;
          options.onProgress?.({ bytesDone, bytesTotal, file: name });
          done(null, chunk);
        },
      });
      try {
        const source = await zip.openReadStreamPromise(entry);
        await pipeline(source, counter, createWriteStream(target, { flags: 'wx' }), {
          signal: options.signal,
        });
      } catch (caught) {
        if (options.signal.aborted) throw new StirError('CANCELLED', 'The job was cancelled.');
        if (typeof caught === 'object' && caught !== null && 'code' in caught && caught.code === 'ENOSPC') {
          throw new StirError('DISK_FULL', 'The disk is full: the pack could not be unpacked.', {
            hint: `The pack needs ${bytesTotal} bytes once unpacked. Free some space and try again.`,
            cause: caught,
          });
        }
        throw damaged(zipPath, caught instanceof Error ? caught.message : String(caught), caught);
      }
      files.push({ path: name, bytes: entry.uncompressedSize });
    }
    return { files, bytes: bytesDone };
  } finally {
    zip.close();
  }
}

/**
 * The zip's files by name, once its layout is known to unpack cleanly: no name twice, and no name that is
 * a file in one entry and a folder in another ("model" and "model/weights"), which would otherwise fail
 * half-way through with a raw EEXIST.
 */
function checkLayout(planned: readonly PlannedEntry[], zipPath: string): Map<string, PlannedEntry> {
  const files = new Map<string, PlannedEntry>();
  const folders = new Set<string>();
  for (const p of planned) {
    const bare = p.name.replace(/\/+$/, '');
    const segments = bare.split('/');
    for (let i = 1; i < segments.length; i++) folders.add(segments.slice(0, i).join('/'));
    if (p.isDirectory) folders.add(bare);
    else if (files.has(bare)) throw damaged(zipPath, `it contains "${bare}" twice`);
    else files.set(bare, p);
  }
  for (const name of files.keys()) {
    if (folders.has(name)) {
      throw damaged(zipPath, `it holds both a file and a folder named "${name}"`);
    }
  }
  return files;
}

function plan(entry: yauzl.Entry): PlannedEntry {
  const name = yauzl.getFileNameLowLevel(
    entry.generalPurposeBitFlag,
    entry.fileNameRaw,
    entry.extraFields,
    true,
  );
  const isDirectory = name.endsWith('/');
  const bare = isDirectory ? name.replace(/\/+$/, '') : name;
  const reason =
    unsafePathReason(bare) ??
    (yauzl.validateFileName(name) === null ? null : 'it is not a plain relative path');
  if (reason !== null) {
    throw new StirError(
      'PATH_ESCAPE',
      `The zip contains "${name}", a path outside the pack's folder (${reason}); nothing was installed.`,
      {
        hint: 'The zip is unsafe or damaged. Get the pack again from where it was published.',
        details: { path: name, from: 'zip' },
      },
    );
  }
  const type = entry.versionMadeBy >> 8 === MADE_BY_UNIX ? (entry.externalFileAttributes >>> 16) & S_IFMT : 0;
  if (type === S_IFLNK) throw symlinkRefused(name);
  if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) {
    throw new StirError('PATH_ESCAPE', `The zip contains "${name}", which is not a plain file or folder.`, {
      hint: 'A pack holds only files and folders. Get the pack again from where it was published.',
      details: { path: name, from: 'zip' },
    });
  }
  if (entry.isEncrypted()) {
    throw new StirError(
      'UNSUPPORTED_FORMAT',
      `The zip's file "${name}" is encrypted; Stir cannot unpack it.`,
      {
        hint: 'Unpack it yourself and install the folder instead.',
      },
    );
  }
  return { entry, name, isDirectory };
}

function notAZip(path: string, cause: unknown): StirError {
  return new StirError('PACK_INVALID', `${path} is not a readable .zip file.`, {
    hint: 'It may be incomplete or damaged: download it again.',
    details: { path, reason: cause instanceof Error ? cause.message : String(cause) },
    cause,
  });
}

function damaged(path: string, why: string, cause?: unknown): StirError {
  return new StirError('PACK_INVALID', `${path} is damaged: ${why}.`, {
    hint: 'Download the pack again.',
    details: { path },
    cause,
  });
}
