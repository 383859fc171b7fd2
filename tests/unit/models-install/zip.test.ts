import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StirError } from '../../../src/shared/index.js';
import { extractZip, type ZipListing } from '../../../src/engine/models/install/zip.js';
import { listing, tempDir, zipEntries, zipFolder } from './helpers/files.js';

const text = (s: string) => new TextEncoder().encode(s);

/** Unpacks every file, at the size the zip gives (the installer chooses only what its manifest lists). */
const everyFile = async (listing: ZipListing) => new Map(listing.files.map((f) => [f.name, f.bytes]));

describe('extractZip', () => {
  const dirs: string[] = [];
  const scratch = () => {
    const dir = tempDir('zip');
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function failure(zip: Uint8Array, dest: string): Promise<StirError> {
    const path = join(dest, '..', `${Math.random().toString(36).slice(2)}.zip`);
    writeFileSync(path, zip);
    try {
      await extractZip(path, dest, { signal: new AbortController().signal, select: everyFile });
    } catch (caught) {
      if (caught instanceof StirError) return caught;
      throw caught;
    } finally {
      rmSync(path, { force: true });
    }
    throw new Error('extractZip did not fail');
  }

  it('unpacks nested folders byte for byte, deflated or stored, and reports progress', async () => {
    const source = scratch();
    mkdirSync(join(source, 'unet'));
    const weights = new Uint8Array(300_000).map((_, i) => (i * 31) % 251);
    writeFileSync(join(source, 'unet', 'model.onnx_data'), weights);
    writeFileSync(join(source, 'stir-pack.json'), '{"id":"x"}');
    for (const deflate of [false, true]) {
      const root = scratch();
      const zipPath = join(root, 'pack.zip');
      writeFileSync(zipPath, zipFolder(source, 'pack/', deflate));
      const dest = join(root, 'out');
      mkdirSync(dest);
      const seen: number[] = [];
      const result = await extractZip(zipPath, dest, {
        signal: new AbortController().signal,
        onProgress: (p) => seen.push(p.bytesDone),
        select: everyFile,
      });
      expect(result.bytes).toBe(300_000 + 10);
      expect(result.files.map((f) => f.path).sort()).toEqual([
        'pack/stir-pack.json',
        'pack/unet/model.onnx_data',
      ]);
      expect(readFileSync(join(dest, 'pack', 'unet', 'model.onnx_data')).equals(Buffer.from(weights))).toBe(
        true,
      );
      expect(seen.at(-1)).toBe(300_010);
    }
  });

  it.each([
    ['../evil.txt', 'it climbs out'],
    ['pack/../../evil.txt', 'it climbs out'],
    ['/etc/evil.txt', 'absolute'],
    ['pack\\..\\..\\evil.txt', 'backslash'],
  ])('refuses the entry "%s" before writing anything', async (name, why) => {
    const root = scratch();
    const dest = join(root, 'out');
    mkdirSync(dest);
    const error = await failure(
      zipEntries({ 'pack/stir-pack.json': text('{}'), [name]: text('owned') }),
      dest,
    );
    expect(error.code).toBe('PATH_ESCAPE');
    expect(error.message).toContain(name);
    expect(error.message).toContain(why);
    expect(listing(root)).toEqual(['out/']); // nothing written, not even the good entry
  });

  it('refuses a symbolic link entry', async () => {
    const root = scratch();
    const dest = join(root, 'out');
    mkdirSync(dest);
    const link: [Uint8Array, { os: number; attrs: number }] = [
      text('/etc/passwd'),
      { os: 3, attrs: (0o120777 << 16) >>> 0 },
    ];
    const error = await failure(
      zipEntries({ 'pack/stir-pack.json': text('{}'), 'pack/model.onnx': link }),
      dest,
    );
    expect(error.code).toBe('PATH_ESCAPE');
    expect(error.message).toContain('symbolic link');
    expect(error.message).toContain('pack/model.onnx');
    expect(listing(root)).toEqual(['out/']);
  });

  it('calls a file that is not a zip unreadable, in words', async () => {
    const root = scratch();
    const dest = join(root, 'out');
    mkdirSync(dest);
    const error = await failure(text('this is not a zip at all, just text that goes on for a while'), dest);
    expect(error.code).toBe('PACK_INVALID');
    expect(error.message).toContain('is not a readable .zip file');
  });

  it('stops when cancelled', async () => {
    const root = scratch();
    const zipPath = join(root, 'pack.zip');
    writeFileSync(zipPath, zipEntries({ 'a.bin': new Uint8Array(1000), 'b.bin': new Uint8Array(1000) }));
    const dest = join(root, 'out');
    mkdirSync(dest);
    const controller = new AbortController();
    controller.abort();
    await expect(
      extractZip(zipPath, dest, { signal: controller.signal, select: everyFile }),
    ).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('unpacks only the files chosen, and refuses one whose size differs from the one declared', async () => {
    const root = scratch();
    const zipPath = join(root, 'pack.zip');
    writeFileSync(
      zipPath,
      zipEntries({
        'stir-pack.json': text('{}'),
        'model.onnx': new Uint8Array(100),
        'junk.bin': new Uint8Array(5000),
      }),
    );
    const dest = join(root, 'out');
    mkdirSync(dest);
    const chosen = async () =>
      new Map([
        ['stir-pack.json', 2],
        ['model.onnx', 100],
      ]);
    const result = await extractZip(zipPath, dest, { signal: new AbortController().signal, select: chosen });
    expect(result.files.map((f) => f.path)).toEqual(['stir-pack.json', 'model.onnx']);
    expect(listing(dest).map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual([
      'model.onnx 100',
      'stir-pack.json 2',
    ]);

    const other = join(root, 'other');
    mkdirSync(other);
    const lying = async () => new Map([['model.onnx', 10]]);
    const error = await extractZip(zipPath, other, {
      signal: new AbortController().signal,
      select: lying,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StirError);
    expect((error as StirError).message).toBe(
      `${zipPath} is damaged: its "model.onnx" unpacks to 100 bytes, but the manifest says 10.`,
    );
    expect(listing(other)).toEqual([]);
  });

  it('refuses a zip holding a file and a folder of the same name, in words', async () => {
    const root = scratch();
    const dest = join(root, 'out');
    mkdirSync(dest);
    const error = await failure(
      zipEntries({ 'stir-pack.json': text('{}'), model: text('a file'), 'model/weights.bin': text('data') }),
      dest,
    );
    expect([error.code, error.message]).toEqual([
      'PACK_INVALID',
      expect.stringMatching(/is damaged: it holds both a file and a folder named "model"\.$/),
    ]);
    expect(listing(root)).toEqual(['out/']);
  });
});
