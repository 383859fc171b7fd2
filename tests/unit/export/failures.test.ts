import { describe, expect, it } from 'vitest';
import { ffmpegFailure, fileSystemFailure } from '../../../src/engine/export/failures.js';
import { StirError } from '../../../src/shared/index.js';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: something`), { code });
}

describe('export failures in words', () => {
  it('maps a full disk from Node and from ffmpeg to DISK_FULL', () => {
    for (const failure of [
      fileSystemFailure(errno('ENOSPC'), '/clips/a.mp4'),
      fileSystemFailure(errno('EDQUOT'), '/clips/a.mp4'),
      ffmpegFailure('[mp4 @ 0x1] Error writing trailer: No space left on device\n', 1, '/clips/a.mp4'),
    ]) {
      expect(failure.code).toBe('DISK_FULL');
      expect(failure.message).toMatch(/disk is full.*\/clips\/a\.mp4/);
      expect(failure.hint).toMatch(/Free some space/);
    }
  });

  it('maps an unwritable folder from Node and from ffmpeg to OUTPUT_UNWRITABLE', () => {
    for (const failure of [
      fileSystemFailure(errno('EACCES'), '/clips/a.mp4'),
      fileSystemFailure(errno('EROFS'), '/clips/a.mp4'),
      ffmpegFailure('/clips/a.mp4: Permission denied\n', 1, '/clips/a.mp4'),
      ffmpegFailure('/clips/a.mp4: Read-only file system\n', 1, '/clips/a.mp4'),
    ]) {
      expect(failure.code).toBe('OUTPUT_UNWRITABLE');
      expect(failure.message).toMatch(/cannot write \/clips\/a\.mp4.*\/clips/);
    }
  });

  it('quotes the end of ffmpeg stderr for any other failure, and keeps StirErrors as they are', () => {
    const failure = ffmpegFailure('line 1\nUnknown encoder libx999\n', 1, '/clips/a.mp4');
    expect(failure.code).toBe('FFMPEG_FAILED');
    expect(failure.message).toMatch(/exit code 1.*Unknown encoder libx999/s);
    const own = new StirError('CANCELLED', 'The export was cancelled.');
    expect(fileSystemFailure(own, '/x')).toBe(own);
  });
});
