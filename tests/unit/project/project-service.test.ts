// The projects area on real photos: a saved project reopens with the same photo, masks, motions, poses and
// settings; saves are atomic; damaged and newer files are refused in words; autosaves come back after a
// "crash" (a new engine on the same data folder); the recent list follows saves and opens.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, StirError, type Region } from '../../../src/shared/index.js';
import { DocumentStore } from '../../../src/engine/documents.js';
import { encodePng } from '../../../src/engine/image/encode.js';
import { ProjectService } from '../../../src/engine/project/service.js';
import { unzipSync } from 'fflate';
import { writeZip } from '../../../src/engine/project/zip.js';
import { PROJECT_FORMAT, PROJECT_VERSION, readManifest } from '../../../src/engine/project/format.js';
import { loadPhoto, type PhotoName } from '../../helpers/photos.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stir-project-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function makeService(docs = new DocumentStore()) {
  const service = new ProjectService({
    docs,
    ports: { dataDir: join(dir, 'data'), projectsDir: join(dir, 'projects') },
    publishDownload: (path) => `http://127.0.0.1/download/${encodeURIComponent(path)}`,
  });
  return { docs, service };
}

async function openDoc(docs: DocumentStore, name: PhotoName) {
  const photo = await loadPhoto(name);
  const display = { bytes: await encodePng(photo.image, 3), mime: 'image/png' as const };
  return docs.add({ name: photo.name, format: photo.format, photo: photo.image, display });
}

/** A region whose mask is a filled ellipse, with a pose and a non-default motion. */
function ellipseRegion(width: number, height: number, id: string, cx: number, cy: number): Region {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = ((x - cx) / (width * 0.2)) ** 2 + ((y - cy) / (height * 0.15)) ** 2;
      data[y * width + x] = d < 1 ? 255 : d < 1.1 ? 128 : 0;
    }
  }
  const joints = Array.from({ length: 18 }, (_, i) => (i === 4 ? null : { x: cx + i, y: cy - i }));
  return {
    id,
    name: `Cat ${id}`,
    color: '#ff7a45',
    visible: true,
    clicks: [
      { x: cx, y: cy, positive: true },
      { x: cx + 5, y: cy + 5, positive: false },
    ],
    box: { x0: cx - 10, y0: cy - 10, x1: cx + 10, y1: cy + 10 },
    mask: { width, height, data },
    motion: {
      prompt: 'sway',
      strength: 6.5,
      direction: 45,
      seed: 1234,
      start: 0.5,
      end: 2.5,
      tempo: 0.8,
      // Drawn guides (issue 13, point 5): a path, an arrow, an anchor and a freeze stroke with its eraser.
      paths: [
        [
          { x: cx - 8, y: cy },
          { x: cx, y: cy - 4.5 },
          { x: cx + 8, y: cy },
        ],
        [
          { x: cx, y: cy + 6 },
          { x: cx + 6, y: cy + 6 },
        ],
      ],
      anchors: [{ x: cx + 0.25, y: cy - 2 }],
      freeze: [
        {
          radius: 4,
          erase: false,
          points: [
            { x: cx - 3, y: cy + 3 },
            { x: cx - 1, y: cy + 4 },
          ],
        },
        { radius: 2, erase: true, points: [{ x: cx - 2, y: cy + 3.5 }] },
      ],
    },
    pose: {
      keyframes: [
        { time: 0, joints },
        { time: 1.5, joints: joints.map((j) => j && { x: j.x + 3, y: j.y }) },
      ],
    },
  };
}

/** Every file of a zip, read by another unzip (fflate) than the engine's. */
function unzipAll(bytes: Uint8Array): Map<string, Uint8Array> {
  return new Map(Object.entries(unzipSync(bytes)).filter(([name]) => !name.endsWith('/')));
}

describe('saving and opening a project', () => {
  it('round-trips the photo, the regions with their masks, and the settings', async () => {
    const { docs, service } = makeService();
    const doc = await openDoc(docs, 'chelsea.png');
    const { width, height } = doc.photo;
    const regions = [
      ellipseRegion(width, height, 'a', 150, 120),
      ellipseRegion(width, height, 'b', 300, 200),
    ];
    const settings = { ...DEFAULT_SETTINGS, seconds: 4, fps: 30, loop: 'pingpong' as const };
    await service.setDocumentState({ docId: doc.id, regions, settings });

    const path = join(dir, 'cat project');
    const saved = await service.saveProject({ docId: doc.id, path });
    expect(saved.path).toBe(`${path}.stir`);
    expect(saved.downloadUrl).toContain('download');
    expect((await readdir(dir)).filter((f) => f.includes('.tmp'))).toEqual([]);

    const opened = await service.openProject({ source: { kind: 'path', path: saved.path } });
    expect(opened.path).toBe(saved.path);
    const reopened = opened.document;
    expect(reopened.docId).not.toBe(doc.id);
    expect([reopened.width, reopened.height]).toEqual([width, height]);
    expect(reopened.settings).toEqual(settings);
    expect(reopened.regions.map((r) => r.id)).toEqual(['a', 'b']);
    for (const [i, region] of reopened.regions.entries()) {
      const original = regions[i]!;
      expect({ ...region, mask: null }).toEqual({ ...original, mask: null });
      expect(Buffer.from(region.mask.data).equals(Buffer.from(original.mask.data))).toBe(true);
    }
    // The engine's copy of the photo is the one that was saved, pixel for pixel (PNG is lossless).
    expect(Buffer.from(docs.get(reopened.docId).photo.data).equals(Buffer.from(doc.photo.data))).toBe(true);
  });

  it('is an ordinary zip with project.json, the photo and one PNG per mask', async () => {
    const { docs, service } = makeService();
    const doc = await openDoc(docs, 'coffee.png');
    const region = ellipseRegion(doc.photo.width, doc.photo.height, 'r1', 100, 100);
    await service.setDocumentState({ docId: doc.id, regions: [region], settings: DEFAULT_SETTINGS });
    const saved = await service.saveProject({ docId: doc.id, path: join(dir, 'coffee.stir') });
    const files = unzipAll(await readFile(saved.path));
    expect([...files.keys()].sort()).toEqual(['masks/01-r1.png', 'photo.png', 'project.json']);
    const manifest = JSON.parse(new TextDecoder().decode(files.get('project.json'))) as Record<
      string,
      unknown
    >;
    expect(manifest).toMatchObject({ format: 'stir-project', version: 1, name: 'coffee.png' });
  });

  it('saves into the projects folder under a fresh name when no path is given', async () => {
    const { docs, service } = makeService();
    const doc = await openDoc(docs, 'grass.png');
    const first = await service.saveProject({ docId: doc.id, path: null });
    const second = await service.saveProject({ docId: doc.id, path: null });
    expect(first.path).toBe(join(dir, 'projects', 'grass.stir'));
    expect(second.path).toBe(join(dir, 'projects', 'grass-2.stir'));
  });

  it('replaces an existing file only as a whole, and leaves it untouched when the save fails', async () => {
    const { docs, service } = makeService();
    const doc = await openDoc(docs, 'grass.png');
    const path = join(dir, 'keep.stir');
    await writeFile(path, 'previous project');
    await expect(
      service.saveProject({ docId: doc.id, path: join(dir, 'missing-folder', 'x.stir') }),
    ).rejects.toMatchObject({ code: 'OUTPUT_UNWRITABLE' });
    expect(await readFile(path, 'utf8')).toBe('previous project');
    await service.saveProject({ docId: doc.id, path });
    expect((await readFile(path)).subarray(0, 2).toString()).toBe('PK');
  });
});

describe('refusing what is not a project', () => {
  it('says a photo or random bytes are not a Stir project', async () => {
    const { service } = makeService();
    const bytes = await readFile(new URL('../../../examples/photos/rocket.jpg', import.meta.url));
    const error = await service
      .openProject({ source: { kind: 'bytes', name: 'rocket.jpg', bytes } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StirError);
    expect((error as StirError).code).toBe('PROJECT_INVALID');
    expect((error as StirError).message).toContain('rocket.jpg is not a Stir project');
  });

  it('refuses a project from a newer Stir, naming both versions', async () => {
    const { service } = makeService();
    const json = JSON.stringify({ format: 'stir-project', version: 99 });
    const bytes = writeZip([{ name: 'project.json', data: new TextEncoder().encode(json), compress: true }]);
    await expect(
      service.openProject({ source: { kind: 'bytes', name: 'future.stir', bytes } }),
    ).rejects.toThrow(/newer Stir \(project version 99; this Stir reads up to 1\)/);
  });

  it('refuses a project whose mask is missing, naming the region', async () => {
    const { docs, service } = makeService();
    const doc = await openDoc(docs, 'coffee.png');
    const region = ellipseRegion(doc.photo.width, doc.photo.height, 'r1', 100, 100);
    await service.setDocumentState({ docId: doc.id, regions: [region], settings: DEFAULT_SETTINGS });
    const saved = await service.saveProject({ docId: doc.id, path: join(dir, 'c.stir') });
    const files = unzipAll(await readFile(saved.path));
    files.delete('masks/01-r1.png');
    const damaged = writeZip([...files].map(([name, data]) => ({ name, data, compress: false })));
    await expect(
      service.openProject({ source: { kind: 'bytes', name: 'c.stir', bytes: damaged } }),
    ).rejects.toThrow('c.stir is damaged: the mask of "Cat r1" is missing.');
  });

  it('fills fields added since a file was written with their defaults', async () => {
    const { docs, service } = makeService();
    const doc = await openDoc(docs, 'coffee.png');
    const saved = await service.saveProject({ docId: doc.id, path: join(dir, 'old.stir') });
    const files = unzipAll(await readFile(saved.path));
    const manifest = JSON.parse(new TextDecoder().decode(files.get('project.json'))) as Record<
      string,
      unknown
    >;
    delete manifest.regionsMade;
    manifest.settings = { seconds: 2 };
    files.set('project.json', new TextEncoder().encode(JSON.stringify(manifest)));
    const older = writeZip([...files].map(([name, data]) => ({ name, data, compress: true })));
    const opened = await service.openProject({ source: { kind: 'bytes', name: 'old.stir', bytes: older } });
    expect(opened.document.settings).toEqual({ ...DEFAULT_SETTINGS, seconds: 2 });
  });

  it('opens a region saved before paths, anchors and the freeze brush with none of them', () => {
    const stored = {
      id: 'r1',
      name: 'Sky',
      color: '#3366ff',
      mask: { file: 'masks/01-r1.png', width: 4, height: 4 },
      motion: { prompt: 'drift', strength: 3, direction: null, seed: 0, start: 0, end: null },
    };
    const manifest = readManifest(
      {
        format: PROJECT_FORMAT,
        version: PROJECT_VERSION,
        savedAt: '2026-01-01T00:00:00.000Z',
        name: 'sky.png',
        photo: { file: 'photo.png', mime: 'image/png', format: 'png', width: 4, height: 4 },
        settings: {},
        regions: [stored],
      },
      'sky.stir',
    );
    const motion = manifest.regions[0]!.motion;
    expect([motion.paths, motion.anchors, motion.freeze]).toEqual([[], [], []]);
  });
});

describe('undo state, autosave and recovery', () => {
  it('refuses a state whose mask does not fit the photo', async () => {
    const { docs, service } = makeService();
    const doc = await openDoc(docs, 'coffee.png');
    const region = ellipseRegion(10, 10, 'tiny', 5, 5);
    await expect(
      service.setDocumentState({ docId: doc.id, regions: [region], settings: DEFAULT_SETTINGS }),
    ).rejects.toThrow(/must be the photo's size/);
    expect(docs.get(doc.id).regions).toEqual([]);
  });

  it('offers an autosaved document to the next engine, reopens it, and forgets it once saved', async () => {
    const first = makeService();
    const doc = await openDoc(first.docs, 'chelsea.png');
    const region = ellipseRegion(doc.photo.width, doc.photo.height, 'a', 150, 120);
    await first.service.setDocumentState({ docId: doc.id, regions: [region], settings: DEFAULT_SETTINGS });
    await first.service.autosaveProject({ docId: doc.id, projectPath: null });

    // "Crash": a new engine on the same data folder.
    const second = makeService();
    const recoveries = await second.service.listRecoveries({});
    expect(recoveries).toMatchObject([
      { id: doc.id, name: 'chelsea.png', regionCount: 1, projectPath: null },
    ]);
    const recovered = await second.service.recoverProject({ id: doc.id });
    expect(recovered.document.regions.map((r) => r.name)).toEqual(['Cat a']);
    // Until saved, the copy belongs to the reopened document.
    expect((await second.service.listRecoveries({})).map((r) => r.id)).toEqual([recovered.document.docId]);
    await second.service.saveProject({ docId: recovered.document.docId, path: join(dir, 'saved.stir') });
    expect(await second.service.listRecoveries({})).toEqual([]);
  });

  it('discards a recovery on request and rejects ids that could name other files', async () => {
    const { docs, service } = makeService();
    const doc = await openDoc(docs, 'coffee.png');
    await service.autosaveProject({ docId: doc.id, projectPath: '/somewhere/coffee.stir' });
    expect(await service.discardRecovery({ id: doc.id })).toEqual({ discarded: true });
    expect(await service.listRecoveries({})).toEqual([]);
    await expect(service.discardRecovery({ id: '../../etc/passwd' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});

describe('recent projects', () => {
  it('lists saved and opened projects newest first, marks missing ones, and forgets on request', async () => {
    const { docs, service } = makeService();
    const doc = await openDoc(docs, 'coffee.png');
    const a = await service.saveProject({ docId: doc.id, path: join(dir, 'a.stir') });
    const b = await service.saveProject({ docId: doc.id, path: join(dir, 'b.stir') });
    await service.openProject({ source: { kind: 'path', path: a.path } });
    await rm(b.path);
    const recent = await service.listRecentProjects({});
    expect(recent.map((r) => [r.name, r.exists])).toEqual([
      ['a', true],
      ['b', false],
    ]);
    expect(await service.forgetRecentProject({ path: b.path })).toEqual({ forgotten: true });
    expect((await service.listRecentProjects({})).map((r) => r.name)).toEqual(['a']);
  });
});
