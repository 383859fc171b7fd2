// Export failures in words a person understands: a full disk, a folder Stir may not write into, an ffmpeg
// that stopped. File-system errors arrive two ways: as Node errors (errno codes) from our own writes and
// renames, and as ffmpeg's stderr when ffmpeg writes the file itself (strerror texts).
import { dirname } from 'node:path';
import { StirError } from '../../shared/index.js';

const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);
const UNWRITABLE_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOENT', 'ENOTDIR', 'EISDIR', 'EEXIST']);

export function diskFull(target: string, cause?: unknown): StirError {
  return new StirError('DISK_FULL', `The disk is full: there is no room left to write ${target}.`, {
    hint: 'Free some space, choose another disk, or export a smaller clip (a lower long side, fewer seconds, or MP4).',
    details: { path: target },
    cause,
  });
}

export function unwritable(target: string, cause?: unknown): StirError {
  return new StirError(
    'OUTPUT_UNWRITABLE',
    `Stir cannot write ${target}: the folder ${dirname(target)} is missing, read-only, or not yours to write into.`,
    { hint: 'Choose a folder you can write to.', details: { path: target }, cause },
  );
}

function errnoCode(caught: unknown): string | null {
  if (typeof caught !== 'object' || caught === null || !('code' in caught)) return null;
  const code = (caught as { code: unknown }).code;
  return typeof code === 'string' ? code : null;
}

/** A Node file-system error while writing, renaming or creating the output, as a StirError. */
export function fileSystemFailure(caught: unknown, target: string): StirError {
  if (caught instanceof StirError) return caught;
  const code = errnoCode(caught);
  if (code && DISK_FULL_CODES.has(code)) return diskFull(target, caught);
  if (code && UNWRITABLE_CODES.has(code)) return unwritable(target, caught);
  return StirError.fromCaught(caught);
}

/** The last lines of ffmpeg's stderr, which say why it stopped. */
export function stderrTail(stderr: string, lines = 6): string {
  return stderr.trim().split('\n').slice(-lines).join('\n');
}

/** ffmpeg exited with an error: a full disk and an unwritable folder are named; anything else quotes it. */
export function ffmpegFailure(stderr: string, exitCode: number | null, target: string): StirError {
  if (/No space left on device|Disk quota exceeded|File too large/i.test(stderr)) return diskFull(target);
  if (/Permission denied|Read-only file system|Operation not permitted/i.test(stderr)) {
    return unwritable(target);
  }
  const tail = stderrTail(stderr);
  return new StirError(
    'FFMPEG_FAILED',
    `ffmpeg stopped while writing ${target}${exitCode === null ? '' : ` (exit code ${exitCode})`}${tail ? `: ${tail}` : '.'}`,
    {
      hint: 'Run `stir doctor` to see which ffmpeg Stir uses; STIR_FFMPEG chooses another.',
      details: { path: target, exitCode, stderr: tail },
    },
  );
}
