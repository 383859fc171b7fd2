import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ffmpegCandidates,
  ffmpegCapabilities,
  ffmpegWith,
  findOnPath,
  locateFfmpeg,
  locateFfprobe,
  parseListing,
  parseVersion,
} from '../../../src/engine/export/ffmpeg-locate.js';
import { DoctorReportSchema, StirError } from '../../../src/shared/index.js';

const require = createRequire(import.meta.url);
let scratch: string;
let systemFfmpeg: string;

/** A stand-in ffmpeg: a script that answers -version and -encoders like a build without libx265. */
async function fakeFfmpeg(name: string, encoders: string[]): Promise<string> {
  const path = join(scratch, name);
  const listing = encoders.map((e) => ` V....D ${e.padEnd(20)} ${e} encoder`).join('\n');
  await writeFile(
    path,
    `#!/bin/sh
case "$*" in
  *-version*) echo "ffmpeg version 9.9-fake Copyright (c) the FFmpeg developers" ;;
  *-encoders*) printf 'Encoders:\\n V..... = Video\\n ------\\n%s\\n' "${listing}" ;;
  *-filters*) printf 'Filters:\\n ... scale V->V Scale.\\n' ;;
  *) exit 1 ;;
esac
`,
  );
  await chmod(path, 0o755);
  return path;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'stir-locate-'));
  const found = await findOnPath('ffmpeg');
  if (!found) throw new Error('these tests need ffmpeg on PATH (apt-get install ffmpeg)');
  systemFfmpeg = found;
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('ffmpeg discovery', () => {
  it('reads versions and listings as ffmpeg prints them', () => {
    expect(parseVersion('ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026')).toBe('5.1.9-0+deb12u1');
    expect(parseVersion('ffprobe version N-47683-g0e8eb07980-static https://...')).toBe(
      'N-47683-g0e8eb07980-static',
    );
    expect(parseVersion('not ffmpeg')).toBeNull();
    const encoders = execFileSync(systemFfmpeg, ['-hide_banner', '-encoders']).toString();
    const names = parseListing(encoders);
    expect(names.has('libx264')).toBe(true);
    expect(names.has('prores_ks')).toBe(true);
    expect(names.has('=')).toBe(false);
    const filters = parseListing(execFileSync(systemFfmpeg, ['-hide_banner', '-filters']).toString());
    expect(filters.has('palettegen')).toBe(true);
    expect(filters.has('scale')).toBe(true);
  });

  it('tries STIR_FFMPEG, ffmpeg-static, @ffmpeg-installer, then PATH, in that order', async () => {
    const env = { PATH: process.env.PATH, STIR_FFMPEG: '/nowhere/ffmpeg' };
    const candidates = await ffmpegCandidates({ env });
    const sources = candidates.map((c) => c.source);
    expect(sources[0]).toBe('env');
    expect(sources.at(-1)).toBe('path');
    expect(sources.indexOf('ffmpeg-static')).toBeLessThan(sources.indexOf('ffmpeg-installer'));
    expect(candidates.find((c) => c.source === 'path')?.path).toBe(systemFfmpeg);
  });

  it('skips candidates whose file is missing or does not run, and reports what it chose', async () => {
    // ffmpeg-static is installed without its binary here (its download is blocked): it must be passed over.
    const staticPath: unknown = require('ffmpeg-static');
    const candidates = await ffmpegCandidates({
      env: { PATH: process.env.PATH, STIR_FFMPEG: '/nowhere/ffmpeg' },
    });
    const located = await locateFfmpeg({ env: { PATH: process.env.PATH, STIR_FFMPEG: '/nowhere/ffmpeg' } });
    expect(located).not.toBeNull();
    expect(located?.source).not.toBe('env');
    const runs = (path: string) => {
      try {
        execFileSync(path, ['-version'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    };
    const expected = candidates.find((c) => runs(c.path));
    expect(located?.path).toBe(expected?.path);
    if (typeof staticPath === 'string' && !runs(staticPath))
      expect(located?.source).not.toBe('ffmpeg-static');
    // The shape `stir doctor` reports.
    expect(() => DoctorReportSchema.shape.ffmpeg.parse(located)).not.toThrow();
  });

  it('honours STIR_FFMPEG and STIR_FFPROBE when they run', async () => {
    const located = await locateFfmpeg({ env: { PATH: '', STIR_FFMPEG: systemFfmpeg } });
    expect(located).toMatchObject({ source: 'env', path: systemFfmpeg });
    expect(located?.version).toMatch(/\d/);
    const probe = await locateFfprobe({ env: { PATH: process.env.PATH } });
    expect(probe?.path).toMatch(/ffprobe/);
    expect(await locateFfprobe({ env: { PATH: '' } })).toBeNull();
    expect(await locateFfprobe({ env: { PATH: '', STIR_FFPROBE: probe?.path } })).toEqual(probe);
  });

  it('falls back to the next ffmpeg that has the encoder a format needs', async () => {
    const lacking = await fakeFfmpeg('ffmpeg-no-x265', ['libx264', 'png']);
    expect((await ffmpegCapabilities(lacking)).encoders.has('libx265')).toBe(false);
    const candidates = [
      { source: 'env' as const, path: lacking },
      { source: 'path' as const, path: systemFfmpeg },
    ];
    expect((await ffmpegWith({ encoders: ['libx264'] }, 'MP4', { candidates })).path).toBe(lacking);
    expect((await ffmpegWith({ encoders: ['libx265'] }, 'HEVC', { candidates })).path).toBe(systemFfmpeg);
  });

  it('says which encoder is missing when no ffmpeg has it, and when there is no ffmpeg at all', async () => {
    const lacking = await fakeFfmpeg('ffmpeg-tiny', ['png']);
    const failure = await ffmpegWith({ encoders: ['libx265'] }, 'MP4 (H.265)', {
      candidates: [{ source: 'env', path: lacking }],
    }).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(StirError);
    expect((failure as StirError).code).toBe('UNSUPPORTED_FORMAT');
    expect((failure as StirError).message).toMatch(/MP4 \(H\.265\).*lacks the libx265 encoder/);
    const none = await ffmpegWith({ encoders: ['png'] }, 'PNG', {
      candidates: [{ source: 'env', path: join(scratch, 'absent') }],
    }).catch((caught: unknown) => caught);
    expect((none as StirError).code).toBe('FFMPEG_MISSING');
  });
});
