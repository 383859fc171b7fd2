// Nothing left behind (issue 14, point 2): a failed save removes its temporary file, and each start of
// the engine sweeps the temporary files of saves and exports that a crash left in the folders Stir wrote
// to, touching nothing else: not other files, not links, not the files of a Stir running now.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/engine/create-engine.js';
import { StagedOutput } from '../../../src/engine/export/staged-output.js';
import { writeFileAtomic } from '../../../src/engine/project/atomic-write.js';
import {
  isStirTempName,
  sweepLeftovers,
  WRITTEN_FOLDERS_MAX,
  WrittenFolders,
} from '../../../src/engine/system/leftovers.js';
import { tempNameOwner } from '../../../src/engine/system/temp-owner.js';
import { parseParams } from '../../../src/shared/rpc/validate.js';
import { photoPath } from '../../helpers/photos.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stir-leftovers-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Makes a file look as if an earlier run wrote it an hour ago. */
async function aged(path: string): Promise<string> {
  const hourAgo = new Date(Date.now() - 3600_000);
  await utimes(path, hourAgo, hourAgo);
  return path;
}

async function file(path: string, bytes = 10): Promise<string> {
  await writeFile(path, new Uint8Array(bytes));
  return aged(path);
}

describe("Stir's temporary names", () => {
  it('knows the names of saves, exports and encode scratch files, and nothing else', async () => {
    const staged = await StagedOutput.create(join(dir, 'clip.mp4'), { folder: false, overwrite: false });
    const sequence = await StagedOutput.create(join(dir, 'frames'), { folder: true, overwrite: false });
    expect(isStirTempName(basename(staged.tempPath))).toBe(true);
    expect(isStirTempName(basename(sequence.tempPath))).toBe(true);
    // Each carries its writer's process id, so a second Stir's sweep knows it is in use.
    expect(tempNameOwner(basename(staged.tempPath))).toBe(process.pid);
    expect(tempNameOwner(basename(sequence.tempPath))).toBe(process.pid);
    await Promise.all([staged.discard(), sequence.discard()]);
    for (const name of [
      '.work.stir.stir-save-0123456789ab.tmp',
      '.work.stir.stir-save-p4242-0123456789ab.tmp',
      '.work.stir.0123456789ab.tmp',
      '.clip.stir-partial-p4242-0123abcd.mp4',
      '.frames.stir-partial-p4242-0123abcd-old',
      '.stir-cycle-p4242-0123abcd.mp4',
      '.recent-projects.json.stir-save-0123456789ab.tmp',
      '.clip.stir-partial-0123abcd.mov',
      '.frames.stir-partial-0123abcd-old',
      '.stir-cycle-0123abcd.mp4',
      '.stir-cycle-0123abcd.txt',
      '.stir-palette-1234-1700000000000.png',
    ]) {
      expect(isStirTempName(name), name).toBe(true);
    }
    for (const name of [
      'clip.mp4',
      '.clip.mp4',
      'work.stir',
      '.notes.txt.0123456789ab.tmp',
      '.clip.stir-partial-xyz.mp4',
      '.clip.stir-partial-p-0123abcd.mp4',
      '.clip.stir-partial-p4242.mp4',
      'clip.stir-partial-0123abcd.mp4',
      '.stir-cycle-.mp4',
      '.bashrc',
    ]) {
      expect(isStirTempName(name), name).toBe(false);
    }
  });
});

describe('a failed save', () => {
  it('removes its temporary file', async () => {
    // The target is a folder with something in it: the final rename fails after the bytes are written.
    const target = join(dir, 'work.stir');
    await mkdir(target);
    await writeFile(join(target, 'inside'), 'x');
    await expect(writeFileAtomic(target, new Uint8Array(1000))).rejects.toMatchObject({
      code: 'OUTPUT_UNWRITABLE',
    });
    expect((await readdir(dir)).sort()).toEqual(['work.stir']);
  });
});

describe('the sweep', () => {
  it('removes temporary files and folders an earlier run left, and nothing else', async () => {
    const left = [
      await file(join(dir, '.work.stir.stir-save-0123456789ab.tmp'), 300),
      await file(join(dir, '.work.stir.0123456789ab.tmp'), 200),
      await file(join(dir, '.clip.stir-partial-0123abcd.mp4'), 1000),
      // A palette names its writer directly; no process has this id (Linux stops at 4194304).
      await file(join(dir, '.stir-palette-99999999-1700000000000.png'), 50),
    ];
    const partialSequence = join(dir, '.frames.stir-partial-89abcdef');
    await mkdir(partialSequence);
    await file(join(partialSequence, 'frames_00000.png'), 400);
    left.push(await aged(partialSequence));

    const kept = [
      await file(join(dir, 'clip.mp4')),
      await file(join(dir, '.clip.mp4')),
      await file(join(dir, '.notes.txt.0123456789ab.tmp')),
      await file(join(dir, 'work.stir')),
    ];
    // A Stir running now: its temporary file is newer than this process.
    const running = join(dir, '.other.stir-partial-11112222.mov');
    await writeFile(running, 'x');
    kept.push(running);
    // A link with a Stir name is not followed, nor removed.
    const outside = await file(join(dir, 'outside.mp4'));
    const link = join(dir, '.link.stir-partial-33334444.mp4');
    await symlink(outside, link);
    kept.push(outside, link);

    const report = await sweepLeftovers([dir, join(dir, 'missing-folder'), dir]);
    expect(report.removed.sort()).toEqual(left.sort());
    expect(report.bytes).toBe(300 + 200 + 1000 + 50 + 400);
    expect((await readdir(dir)).map((name) => join(dir, name)).sort()).toEqual(kept.sort());
  });
});

describe('the sweep beside a Stir that is running', () => {
  it("leaves a running Stir's temporary files alone, however old, and removes a finished one's", async () => {
    // A long export's staged file sits untouched while its frames are planned and rendered; a second Stir
    // started meanwhile (the CLI beside the editor) must not take it from under the first.
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const pid = other.pid!;
      const held = [
        await aged(await file(join(dir, `.clip.stir-partial-p${pid}-0123abcd.mp4`))),
        await aged(await file(join(dir, `.work.stir.stir-save-p${pid}-0123456789ab.tmp`))),
        await aged(await file(join(dir, `.stir-cycle-p${pid}-0123abcd.mp4`))),
        await aged(await file(join(dir, `.stir-palette-${pid}-1700000000000.png`))),
      ];
      const before = await sweepLeftovers([dir]);
      expect(before.removed).toEqual([]);
      expect((await readdir(dir)).map((name) => join(dir, name)).sort()).toEqual(held.sort());

      other.kill('SIGKILL');
      await once(other, 'exit');
      const after = await sweepLeftovers([dir]);
      expect(after.removed.sort()).toEqual(held.sort());
      expect(await readdir(dir)).toEqual([]);
    } finally {
      other.kill('SIGKILL');
    }
  });
});

describe('the folders Stir wrote to', () => {
  it('are remembered most recent first, each once, up to a limit', async () => {
    const memory = new WrittenFolders(join(dir, 'data', 'written-folders.json'));
    expect(await memory.list()).toEqual([]);
    await Promise.all([memory.remember(join(dir, 'a')), memory.remember(join(dir, 'b'))]);
    await memory.remember(join(dir, 'a'));
    expect(await memory.list()).toEqual([join(dir, 'a'), join(dir, 'b')]);
    for (let i = 0; i < WRITTEN_FOLDERS_MAX + 5; i++) await memory.remember(join(dir, `f${i}`));
    const folders = await memory.list();
    expect(folders).toHaveLength(WRITTEN_FOLDERS_MAX);
    expect(folders[0]).toBe(join(dir, `f${WRITTEN_FOLDERS_MAX + 4}`));
  });

  it('a data folder that cannot be written does not stop the save', async () => {
    await writeFile(join(dir, 'data'), 'a file where the data folder should be');
    const memory = new WrittenFolders(join(dir, 'data', 'written-folders.json'));
    await expect(memory.remember(join(dir, 'a'))).resolves.toBeUndefined();
  });

  it('a save tells the engine its folder, and the next start sweeps it', async () => {
    const data = join(dir, 'data');
    const projects = join(dir, 'my projects');
    await mkdir(projects);
    const first = createEngine({ dataDir: data, exportDir: join(dir, 'exports'), workers: 0 });
    try {
      const doc = await first.service.openPhoto(
        parseParams('openPhoto', { source: { kind: 'path', path: photoPath('coffee.png') } }),
      );
      await first.service.saveProject(
        parseParams('saveProject', { docId: doc.docId, path: join(projects, 'work.stir') }),
      );
    } finally {
      await first.dispose();
    }
    const remembered = JSON.parse(await readFile(join(data, 'written-folders.json'), 'utf8')) as {
      folders: string[];
    };
    expect(remembered.folders).toContain(projects);

    // What a save cut short by kill -9 leaves: its temporary file beside the project.
    const crashed = await file(join(projects, '.work.stir.stir-save-0123456789ab.tmp'), 1234);
    const next = createEngine({ dataDir: data, exportDir: join(dir, 'exports'), workers: 0 });
    try {
      const report = await next.leftoversSwept;
      expect(report?.removed).toEqual([crashed]);
      expect(await readdir(projects)).toEqual(['work.stir']);
    } finally {
      await next.dispose();
    }
  });
});
