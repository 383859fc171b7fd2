// Issue 13, point 2: where an export goes. A missing default folder is made; a folder (existing, ending in
// a slash, or a new name without an extension) gets a clip named after the photo and preset; the extension
// always matches the format, and a corrected one is said.
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { StirError, type ExportFormat, type ExportPresetId } from '../../../src/shared/index.js';
import { prepareExportFolder, resolveExportTarget } from '../../../src/engine/export/target-path.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stir-target-'));
});

function target(requested: string | null, format: ExportFormat, preset: ExportPresetId | null = null) {
  return resolveExportTarget({
    requested,
    defaultFolder: join(dir, 'home', 'Videos'),
    photoName: 'rocket.jpg',
    format,
    preset,
  });
}

describe('resolveExportTarget', () => {
  it('makes the default folder when it is missing, as on a fresh machine', async () => {
    const t = await target(null, 'mp4-h264', 'web-mp4');
    expect(t.path).toBe(join(dir, 'home', 'Videos', 'rocket-web-mp4.mp4'));
    expect(t.createFolder).toBe(join(dir, 'home', 'Videos'));
    await prepareExportFolder(t);
    expect(await readdir(join(dir, 'home'))).toEqual(['Videos']);
    // Made once, it is simply used.
    expect((await target(null, 'mp4-h264', 'web-mp4')).createFolder).toBeNull();
  });

  it('names a clip written into an existing folder after the photo and preset, never replacing a file', async () => {
    const first = await target(dir, 'mov-prores-422hq', 'resolve-prores-422hq');
    expect(first).toEqual({
      path: join(dir, 'rocket-resolve-prores-422hq.mov'),
      createFolder: null,
      notice: null,
    });
    await writeFile(first.path, 'an earlier clip');
    expect((await target(dir, 'mov-prores-422hq', 'resolve-prores-422hq')).path).toBe(
      join(dir, 'rocket-resolve-prores-422hq-2.mov'),
    );
    // Without a preset the format names it.
    expect((await target(dir, 'gif')).path).toBe(join(dir, 'rocket-gif.gif'));
  });

  it('makes a missing folder typed with a trailing slash or without an extension, instead of a file named like it', async () => {
    const slash = await target(`${join(dir, 'exports')}${sep}`, 'mp4-h264', 'web-mp4');
    expect(slash.path).toBe(join(dir, 'exports', 'rocket-web-mp4.mp4'));
    expect(slash.createFolder).toBe(join(dir, 'exports'));
    expect(slash.notice).toMatch(/Made the folder/);
    const bare = await target(join(dir, 'clips'), 'webm-vp9');
    expect(bare.path).toBe(join(dir, 'clips', 'rocket-webm-vp9.webm'));
    expect(bare.createFolder).toBe(join(dir, 'clips'));
  });

  it('corrects an extension of another format and says so', async () => {
    const prores = await target(join(dir, 'take.mp4'), 'mov-prores-422hq', 'resolve-prores-422hq');
    expect(prores.path).toBe(join(dir, 'take.mov'));
    expect(prores.notice).toBe(
      'QuickTime (ProRes 422 HQ) is not a .mp4 file, so take.mp4 was saved as take.mov.',
    );
    // An extension that is no media type is kept as part of the name.
    const dotted = await target(join(dir, 'take.v2'), 'gif');
    expect(dotted.path).toBe(join(dir, 'take.v2.gif'));
    expect(dotted.notice).toMatch(/take\.v2 was saved as take\.v2\.gif/);
  });

  it('keeps a path whose extension fits, in any case, and the aliases editors use', async () => {
    for (const [name, format] of [
      ['clip.MP4', 'mp4-h264'],
      ['clip.m4v', 'mp4-h265'],
      ['clip.mov', 'mov-prores-4444'],
      ['clip.apng', 'apng'],
      ['clip.png', 'apng'],
    ] as const) {
      expect(await target(join(dir, name), format)).toEqual({
        path: join(dir, name),
        createFolder: null,
        notice: null,
      });
    }
  });

  it('writes a PNG sequence as a folder: a media extension is dropped, a Stir sequence is the target itself', async () => {
    const named = await target(join(dir, 'frames.png'), 'png-sequence');
    expect(named.path).toBe(join(dir, 'frames'));
    expect(named.notice).toMatch(/folder frames/);
    expect((await target(join(dir, 'frames'), 'png-sequence')).path).toBe(join(dir, 'frames'));

    await mkdir(join(dir, 'earlier'));
    await writeFile(join(dir, 'earlier', 'sequence.json'), JSON.stringify({ generator: 'stir' }));
    expect((await target(join(dir, 'earlier'), 'png-sequence')).path).toBe(join(dir, 'earlier'));
    // A folder that is not a sequence receives one, named after the photo.
    await mkdir(join(dir, 'renders'));
    expect((await target(join(dir, 'renders'), 'png-sequence', 'png-sequence')).path).toBe(
      join(dir, 'renders', 'rocket-png-sequence'),
    );
  });

  it('refuses in words a folder to make under a file', async () => {
    await writeFile(join(dir, 'a-file'), 'x');
    const t = await target(`${join(dir, 'a-file', 'sub')}${sep}`, 'mp4-h264');
    const error = await prepareExportFolder(t).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StirError);
    expect((error as StirError).code).toBe('OUTPUT_UNWRITABLE');
    expect((error as StirError).message).toMatch(/part of that path is a file/);
  });
});
