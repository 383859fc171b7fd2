// Unpacks a pack's .zip into a staging folder. yauzl reads the central directory (random access, so a
// multi-gigabyte zip is never held in memory, and zip64 works) and checks each entry's size as it
// inflates. Every entry name is checked before anything is written: a name that climbs out of the folder,
// a symbolic link or a device file refuses the whole zip.
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

export interface ExtractedZip {
  files: Array<{ path: string; bytes: number }>;
  bytes: number;
}

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
  options: { signal: AbortSignal; onProgress?: (progress: ZipProgress) => void },
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
    const planned: PlannedEntry[] = [];
    try {
      for await (const entry of zip.eachEntry()) planned.push(plan(entry));
    } catch (caught) {
      if (caught instanceof StirError) throw caught;
      throw notAZip(zipPath, caught);
    }
    const bytesTotal = planned.reduce((sum, p) => sum + (p.isDirectory ? 0 : p.entry.uncompressedSize), 0);

    // 2. Unpack.
    const files: ExtractedZip['files'] = [];
    let bytesDone = 0;
    for (const { entry, name, isDirectory } of planned) {
      if (options.signal.aborted) throw new StirError('CANCELLED', 'The job was cancelled.');
      const target = confinedPath(destDir, isDirectory ? name.replace(/\/+$/, '') : name, 'the zip');
      if (isDirectory) {
        await mkdir(target, { recursive: true });
        continue;
      }
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
        // 'wx': a name given twice in one zip is refused rather than silently overwritten.
        await pipeline(source, counter, createWriteStream(target, { flags: 'wx' }), {
          signal: options.signal,
        });
      } catch (caught) {
        if (options.signal.aborted) throw new StirError('CANCELLED', 'The job was cancelled.');
        if (typeof caught === 'object' && caught !== null && 'code' in caught && caught.code === 'EEXIST') {
          throw damaged(zipPath, `it contains "${name}" twice`);
        }
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
