// Progress, cancel and failure: an export streams (one frame in flight), reports progress to 1, and a
// cancelled or failed export leaves nothing behind; a full disk or an unwritable folder is a clear error.
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../../../src/engine/export/ffmpeg-locate.js';
import { createClipExporter, type ClipExporterOptions } from '../../../src/engine/export/index.js';
import type { ExportRequest, ExportWritten } from '../../../src/engine/ports.js';
import { StirError, type ExportFormat } from '../../../src/shared/index.js';
import { probe, sequenceFrames } from './decode.js';
import { makeTestClip, type TestClip } from './test-animation.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'stir-lifecycle-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function freshDir(name: string): Promise<string> {
  return mkdtemp(join(root, `${name}-`));
}

interface Run {
  written: Promise<ExportWritten>;
  progress: Array<{ stage: string; fraction: number }>;
  controller: AbortController;
}

function startExport(
  clip: TestClip,
  request: Partial<ExportRequest> & { path: string; format: ExportFormat },
  options: ClipExporterOptions = {},
  onProgress?: (stage: string, fraction: number) => void,
): Run {
  const controller = new AbortController();
  const progress: Run['progress'] = [];
  const written = createClipExporter(options).export(
    clip.animation,
    { overwrite: true, mattes: [clip.mask], ...request },
    {
      signal: controller.signal,
      progress: (stage, fraction) => {
        progress.push({ stage, fraction });
        onProgress?.(stage, fraction);
      },
    },
  );
  return { written, progress, controller };
}

async function failureOf(promise: Promise<unknown>): Promise<StirError> {
  const caught = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(caught instanceof StirError)) throw new Error(`expected a StirError, got ${String(caught)}`);
  return caught;
}

/** Mounts a tmpfs (root only); null where this machine does not allow it. */
function mountTmpfs(path: string, options: string): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', path], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function unmount(path: string): void {
  execFileSync('umount', [path], { stdio: 'ignore' });
}

describe.sequential('export progress, cancel and failure', () => {
  it('reports progress up to 1 and keeps at most one frame ahead of ffmpeg', async () => {
    const clip = await makeTestClip({ seconds: 8, fps: 12, longSide: 96 });
    const dir = await freshDir('progress');
    let ahead = 0;
    const run = startExport(clip, { format: 'mp4-h264', path: join(dir, 'a.mp4') }, {}, (_s, fraction) => {
      const written = Math.round(fraction * 96);
      ahead = Math.max(ahead, clip.rendered() - written);
    });
    const written = await run.written;
    expect(written.frameCount).toBe(96);
    const fractions = run.progress.map((p) => p.fraction);
    expect(fractions.length).toBeGreaterThanOrEqual(96);
    expect(fractions.every((f, i) => i === 0 || f >= (fractions[i - 1] ?? 0))).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    expect(run.progress[0]?.stage).toBe('Encoding');
    // Rendered frames never run more than the one peeked frame ahead of what ffmpeg took: memory is bounded.
    expect(ahead).toBeLessThanOrEqual(1);
    expect(clip.rendered()).toBe(96);
  });

  it('repeats a video by stream copy: frames rendered once, every play in the file', async () => {
    const clip = await makeTestClip({ longSide: 96 });
    const dir = await freshDir('repeats');
    const run = startExport(clip, { format: 'mp4-h265', path: join(dir, 'a.mp4'), loops: 3, pingPong: true });
    const written = await run.written;
    expect(written.frameCount).toBe(3 * 22);
    expect(clip.rendered()).toBe(22);
    const facts = await probe(written.path);
    expect(facts).toMatchObject({ codec: 'hevc', codecTag: 'hvc1', frameCount: 66 });
    expect(facts.fps).toBeCloseTo(12, 1);
    expect(run.progress.at(-1)?.fraction).toBe(1);
    expect(await readdir(dir)).toEqual(['a.mp4']);
  });

  for (const [format, extra] of [
    ['mp4-h264', {}],
    ['mp4-h264', { loops: 3 }],
    ['gif', {}],
    ['png-sequence', {}],
    ['mov-prores-422hq', { matte: 'separate' }],
  ] as const) {
    const what = 'matte' in extra ? ' with its matte' : 'loops' in extra ? ' repeated by copy' : '';
    it(`a cancelled ${format} export${what} leaves nothing behind`, async () => {
      const clip = await makeTestClip({ seconds: 2, fps: 12, frameDelayMs: 15 });
      const dir = await freshDir(`cancel-${format}`);
      const run = startExport(clip, { format, path: join(dir, 'clip'), ...extra }, {}, (_stage, fraction) => {
        if (fraction > 0.3) run.controller.abort();
      });
      const failure = await failureOf(run.written);
      expect(failure.code).toBe('CANCELLED');
      expect(run.progress.some((p) => p.fraction > 0.3)).toBe(true);
      expect(await readdir(dir)).toEqual([]);
    });
  }

  it('a cancel before the first frame writes nothing', async () => {
    const clip = await makeTestClip();
    const dir = await freshDir('cancel-early');
    const run = startExport(clip, { format: 'webm-vp9', path: join(dir, 'a.webm') });
    run.controller.abort();
    expect((await failureOf(run.written)).code).toBe('CANCELLED');
    expect(await readdir(dir)).toEqual([]);
  });

  it('an ffmpeg that fails part way leaves no partial file and says what ffmpeg said', async () => {
    const system = await findOnPath('ffmpeg');
    if (!system) throw new Error('this test needs ffmpeg on PATH');
    const bin = await freshDir('bin');
    const fake = join(bin, 'ffmpeg-crashes');
    // Answers questions like the real one; when encoding, writes part of the output and fails.
    await writeFile(
      fake,
      `#!/bin/sh
case "$*" in *-version*|*-encoders*|*-filters*) exec "${system}" "$@";; esac
for last; do :; done
head -c 300000 > "$last"
echo "Simulated encoder crash" >&2
exit 1
`,
    );
    await chmod(fake, 0o755);
    const clip = await makeTestClip();
    const dir = await freshDir('crash');
    const failure = await failureOf(
      startExport(clip, { format: 'mp4-h264', path: join(dir, 'a.mp4') }, { ffmpegPath: fake }).written,
    );
    expect(failure.code).toBe('FFMPEG_FAILED');
    expect(failure.message).toMatch(/Simulated encoder crash/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses to replace a file unless asked, and leaves it as it was', async () => {
    const clip = await makeTestClip();
    const dir = await freshDir('keep');
    const path = join(dir, 'a.mp4');
    await writeFile(path, 'precious');
    const failure = await failureOf(
      startExport(clip, { format: 'mp4-h264', path, overwrite: false }).written,
    );
    expect(failure.code).toBe('OUTPUT_UNWRITABLE');
    expect(failure.message).toMatch(/already exists/);
    expect(await readFile(path, 'utf8')).toBe('precious');
    expect(await readdir(dir)).toEqual(['a.mp4']);
  });

  it('replaces a PNG sequence it wrote, but never a folder it did not', async () => {
    const clip = await makeTestClip();
    const dir = await freshDir('sequences');
    const path = join(dir, 'frames');
    await startExport(clip, { format: 'png-sequence', path }).written;
    await startExport(clip, { format: 'png-sequence', path, pingPong: true }).written;
    expect(await sequenceFrames(path)).toHaveLength(22);
    expect((await readdir(dir)).sort()).toEqual(['frames']);

    const mine = join(dir, 'holiday');
    await mkdir(mine);
    await writeFile(join(mine, 'photo.jpg'), 'not a sequence');
    const failure = await failureOf(startExport(clip, { format: 'png-sequence', path: mine }).written);
    expect(failure.code).toBe('OUTPUT_UNWRITABLE');
    expect(failure.message).toMatch(/not a PNG sequence Stir wrote/);
    expect(await readdir(mine)).toEqual(['photo.jpg']);
  });

  it('an unwritable folder gives OUTPUT_UNWRITABLE in words and writes nothing', async (context) => {
    const dir = await freshDir('readonly');
    let mounted = false;
    if (process.getuid?.() === 0) {
      // Root writes through file modes, so a read-only file system stands in for a folder it cannot write.
      mounted = mountTmpfs(dir, 'ro,size=1m');
      if (!mounted) context.skip('root without permission to mount a read-only tmpfs');
    } else {
      await chmod(dir, 0o555);
    }
    try {
      const clip = await makeTestClip();
      const failure = await failureOf(
        startExport(clip, { format: 'mp4-h264', path: join(dir, 'a.mp4') }).written,
      );
      expect(failure.code).toBe('OUTPUT_UNWRITABLE');
      expect(failure.message).toMatch(/cannot write .*a\.mp4/);
      expect(failure.hint).toMatch(/folder you can write to/);
      expect(await readdir(dir)).toEqual([]);
      expect(clip.rendered()).toBe(0); // refused before any frame was rendered
    } finally {
      if (mounted) unmount(dir);
      else await chmod(dir, 0o755);
    }
  });

  it('a full disk gives DISK_FULL in words and leaves no partial file', async (context) => {
    const dir = await freshDir('full');
    // A 256 KiB tmpfs: ProRes 4444 needs about 1 MB for this clip. Needs root; elsewhere the mapping of
    // ENOSPC is covered by tests/unit/export/failures.test.ts.
    if (!mountTmpfs(dir, 'size=256k')) context.skip('cannot mount a small tmpfs here (needs root on Linux)');
    try {
      const clip = await makeTestClip();
      const failure = await failureOf(
        startExport(clip, { format: 'mov-prores-4444', path: join(dir, 'a.mov') }).written,
      );
      expect(failure.code).toBe('DISK_FULL');
      expect(failure.message).toMatch(/disk is full.*a\.mov/);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      unmount(dir);
    }
  });
});
