// Reading a file a person named (a photo, a project) without trusting the path: it must be a regular file
// of a sane size. A FIFO would block the read forever and /dev/zero would grow without end, so the path is
// opened without blocking and checked on the open handle (no window between the check and the read), and
// no more than the cap is ever read even if the file grows meanwhile.
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { StirError, formatBytes, type ErrorCode } from '../../shared/index.js';

export interface BoundedRead {
  /** Bytes the file may hold at most. */
  maxBytes: number;
  /** What the file should be, in words: "a photo", "a Stir project". */
  kind: string;
  /** The code of a refusal for a file that is not a regular file, or too large. */
  refusalCode: ErrorCode;
  /** The code of a refusal for a file over the cap, when it differs. */
  tooLargeCode?: ErrorCode;
  /** The hint of a refusal. */
  hint: string;
}

export async function readBoundedFile(path: string, rules: BoundedRead): Promise<Uint8Array> {
  const name = basename(path);
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (caught) {
    throw openFailure(path, name, caught, rules);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) {
      throw new StirError(rules.refusalCode, `${path} is a folder, not ${rules.kind}.`, { hint: rules.hint });
    }
    if (!info.isFile()) {
      throw new StirError(
        rules.refusalCode,
        `${name} is not ${rules.kind}: it is a device, a pipe or a socket, not a regular file.`,
        { hint: rules.hint },
      );
    }
    if (info.size > rules.maxBytes) throw tooLarge(name, info.size, rules);
    // One byte more than the cap: a file that grew since the stat is refused, not cut short.
    const buffer = Buffer.alloc(Math.min(info.size, rules.maxBytes) + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > rules.maxBytes) throw tooLarge(name, filled, rules);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, filled);
  } catch (caught) {
    if (caught instanceof StirError) throw caught;
    throw unreadable(name, caught);
  } finally {
    await handle.close();
  }
}

function tooLarge(name: string, bytes: number, rules: BoundedRead): StirError {
  return new StirError(
    rules.tooLargeCode ?? rules.refusalCode,
    `${name} is ${formatBytes(bytes)}; Stir opens ${rules.kind} of up to ${formatBytes(rules.maxBytes)}.`,
    { hint: rules.hint, details: { bytes, maxBytes: rules.maxBytes } },
  );
}

function openFailure(path: string, name: string, caught: unknown, rules: BoundedRead): StirError {
  const code = (caught as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') {
    return new StirError(rules.refusalCode, `${path} is a folder, not ${rules.kind}.`, { hint: rules.hint });
  }
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new StirError('FILE_NOT_FOUND', `There is no file at ${path}.`, {
      hint: 'Check the path and the file name.',
      cause: caught,
    });
  }
  return unreadable(name, caught);
}

function unreadable(name: string, caught: unknown): StirError {
  const code = (caught as NodeJS.ErrnoException).code;
  return new StirError('FILE_UNREADABLE', `${name} cannot be read (${code ?? 'unknown error'}).`, {
    hint: code === 'EACCES' ? 'Stir is not allowed to read this file: check its permissions.' : undefined,
    cause: caught,
  });
}
