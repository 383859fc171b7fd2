// Hostile packs cost bounded time and disk: a .zip installs only the files its manifest lists, at the
// sizes it declares; a link at any level of a pack folder (or of an installed pack, when verified) is
// refused; a zip holding a file and a folder of the same name is refused in words.
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listing, tempDir, zipEntries } from '../../unit/models-install/helpers/files.js';
import {
  DECODER,
  ENCODER,
  writeTinyPack,
  type TinyPack,
} from '../../unit/models-install/helpers/tiny-pack.js';
import { harness, type Harness } from './helpers.js';

describe('installing hostile packs', () => {
  let h: Harness;
  let work: string;
  let source: TinyPack;

  beforeEach(() => {
    h = harness();
    work = tempDir('hostile');
    source = writeTinyPack(join(work, 'pack'));
  });
  afterEach(async () => {
    await h.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  const file = (path: string) => readFileSync(join(source.dir, path));
  const writeZip = (bytes: Uint8Array) => {
    const path = join(work, 'pack.zip');
    writeFileSync(path, bytes);
    return path;
  };

  it('installs only the files the manifest lists from a .zip (an unlisted 16 MB entry is never unpacked)', async () => {
    const zip = zipSync(
      {
        'stir-pack.json': file('stir-pack.json'),
        [ENCODER]: file(ENCODER),
        [DECODER]: file(DECODER),
        'extra/filler.bin': [new Uint8Array(16 * 1024 * 1024), { level: 6 }],
      },
      { level: 0 },
    );
    expect(zip.length).toBeLessThan(1024 * 1024);
    const run = await h.install({ source: writeZip(zip) });
    expect(run.error).toBeNull();
    expect(
      listing(join(h.modelsDir, 'tiny-sam'))
        .filter((l) => !l.endsWith('/'))
        .map((l) => l.split(' ')[0]),
    ).toEqual(['.stir-installed.json', DECODER, ENCODER, 'stir-pack.json']);
    expect(listing(h.modelsDir).some((l) => l.includes('filler'))).toBe(false);
  });

  it('refuses a .zip whose listed file is not the size the manifest declares, before unpacking it', async () => {
    const bigger = new Uint8Array(file(ENCODER).length + 1000);
    const zipPath = writeZip(
      zipEntries({ 'stir-pack.json': file('stir-pack.json'), [ENCODER]: bigger, [DECODER]: file(DECODER) }),
    );
    const before = listing(h.modelsDir);
    const run = await h.install({ source: zipPath });
    expect(run.error?.code).toBe('PACK_INVALID');
    expect(run.error?.message).toBe(
      `${zipPath} is damaged: its "${ENCODER}" unpacks to ${bigger.length} bytes, but the manifest says ${bigger.length - 1000}.`,
    );
    expect(listing(h.modelsDir)).toEqual(before);
  });

  it('refuses a .zip holding a file and a folder of the same name, in words', async () => {
    const zipPath = writeZip(
      zipEntries({
        'stir-pack.json': file('stir-pack.json'),
        segmenter: file(ENCODER),
        [ENCODER]: file(ENCODER),
        [DECODER]: file(DECODER),
      }),
    );
    const run = await h.install({ source: zipPath });
    expect(run.error?.code).toBe('PACK_INVALID');
    expect(run.error?.message).toBe(
      `${zipPath} is damaged: it holds both a file and a folder named "segmenter".`,
    );
  });

  it('refuses a pack folder whose sub-folder is a link, and one whose manifest is a link', async () => {
    const elsewhere = join(work, 'elsewhere');
    renameSync(join(source.dir, 'segmenter'), elsewhere);
    symlinkSync(elsewhere, join(source.dir, 'segmenter'));
    const before = listing(h.modelsDir);
    const linkedFolder = await h.install({ source: source.dir });
    expect(linkedFolder.error?.code).toBe('PATH_ESCAPE');
    expect(linkedFolder.error?.message).toBe(
      'The pack contains a symbolic link, "segmenter"; Stir does not install links.',
    );
    expect(listing(h.modelsDir)).toEqual(before);

    const other = writeTinyPack(join(work, 'other'));
    renameSync(join(other.dir, 'stir-pack.json'), join(work, 'manifest.json'));
    symlinkSync(join(work, 'manifest.json'), join(other.dir, 'stir-pack.json'));
    const linkedManifest = await h.install({ source: other.dir });
    expect(linkedManifest.error?.code).toBe('PATH_ESCAPE');
    expect(linkedManifest.error?.message).toContain('symbolic link, "stir-pack.json"');
  });

  it('verify refuses links at every level of an installed pack', async () => {
    expect((await h.install({ source: source.dir })).error).toBeNull();
    const installed = join(h.modelsDir, 'tiny-sam');
    // A linked manifest.
    renameSync(join(installed, 'stir-pack.json'), join(work, 'manifest.json'));
    symlinkSync(join(work, 'manifest.json'), join(installed, 'stir-pack.json'));
    const manifestLinked = await h.service.verifyPack({ packId: 'tiny-sam' });
    expect(manifestLinked.ok).toBe(false);
    expect(manifestLinked.problems.join('\n')).toContain('symbolic link, "stir-pack.json"');
    rmSync(join(installed, 'stir-pack.json'));
    renameSync(join(work, 'manifest.json'), join(installed, 'stir-pack.json'));
    expect((await h.service.verifyPack({ packId: 'tiny-sam' })).ok).toBe(true);
    // A linked sub-folder, holding the very same files.
    const elsewhere = join(work, 'segmenter-elsewhere');
    mkdirSync(elsewhere);
    renameSync(join(installed, 'segmenter'), join(elsewhere, 'segmenter'));
    symlinkSync(join(elsewhere, 'segmenter'), join(installed, 'segmenter'));
    const folderLinked = await h.service.verifyPack({ packId: 'tiny-sam' });
    expect(folderLinked.ok).toBe(false);
    expect(folderLinked.files.map((f) => [f.path, f.ok])).toEqual([
      [ENCODER, false],
      [DECODER, false],
    ]);
    expect(folderLinked.files[0]?.problem).toContain('symbolic link, "segmenter"');
  });
});
