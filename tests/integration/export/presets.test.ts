// Every export preset through the engine service (the contract's params, the job, the exporter, ffmpeg),
// decoded back with ffprobe/ffmpeg: codec, pixel format, size, frame count, fps, alpha present where
// promised and absent where not, and the first frame equal to the photo within the codec's error.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type EngineHandle } from '../../../src/engine/create-service.js';
import { createClipExporter } from '../../../src/engine/export/index.js';
import { resizeRgba } from '../../../src/engine/image/encode.js';
import { fitLongSide, type RgbaImage } from '../../../src/engine/image/types.js';
import type { EnginePorts } from '../../../src/engine/ports.js';
import {
  createClient,
  runJob,
  StirError,
  type ExportPresetId,
  type ExportResult,
  type JobProgress,
  type StirClient,
} from '../../../src/shared/index.js';
import { inProcessTransport } from '../../../src/shared/rpc/in-process.js';
import { loadPhoto, photoPath, type PhotoName } from '../../helpers/photos.js';
import {
  alphaCounts,
  cropTo,
  decodeFrame,
  gifLoopCount,
  moovFirst,
  probe,
  psnr,
  readSidecar,
  sequenceFrames,
} from './decode.js';
import { ellipseMask, slideEngine } from './test-animation.js';

let dir: string;
let handle: EngineHandle;
let client: StirClient;

function testPorts(exportDir: string): EnginePorts {
  return {
    vocabulary: {
      list: () => [],
      resolve: (prompt) => ({ ok: true, word: prompt, primitive: 'sway', message: null, suggestions: [] }),
    },
    engines: { get: async () => slideEngine(), check: () => undefined, list: async () => [] },
    segmenters: {
      get: async () => {
        throw new StirError('INTERNAL', 'export tests do not segment');
      },
      forget: () => undefined,
    },
    exporter: createClipExporter(),
    doctor: async () => {
      throw new StirError('INTERNAL', 'export tests do not run doctor');
    },
    exportDir,
  };
}

/** A document with one ellipse region, 1 s at 12 fps. */
async function openDoc(name: PhotoName): Promise<string> {
  const doc = await client.openPhoto({ source: { kind: 'path', path: photoPath(name) } });
  await client.createRegion({
    docId: doc.docId,
    region: { mask: ellipseMask(doc.width, doc.height), motion: { prompt: 'sway' } },
  });
  await client.updateSettings({ docId: doc.docId, patch: { seconds: 1, fps: 12 } });
  return doc.docId;
}

/** The photo at the clip's size, as the engine renders frame 0. */
async function reference(name: PhotoName, longSide: number | null): Promise<RgbaImage> {
  const { image } = await loadPhoto(name);
  const size = fitLongSide(image.width, image.height, longSide);
  return resizeRgba(image, size.width, size.height);
}

async function exportPreset(
  docId: string,
  preset: ExportPresetId,
  extra: { longSide?: number } = {},
): Promise<{ result: ExportResult; progress: JobProgress[] }> {
  const progress: JobProgress[] = [];
  const result = await runJob(
    client,
    () => client.startExport({ docId, preset, path: join(dir, `preset-${preset}`), ...extra }),
    'export',
    { onProgress: (p) => progress.push(p) },
  );
  return { result, progress };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stir-presets-'));
  handle = createService(testPorts(dir));
  client = createClient(inProcessTransport(handle.dispatch, handle.bus));
});
afterAll(async () => {
  await handle.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe.sequential('export presets, decoded back', () => {
  let chelsea: string;
  beforeAll(async () => {
    chelsea = await openDoc('chelsea.png');
  });

  it('lists the presets through the contract', async () => {
    const presets = await client.listExportPresets({});
    expect(presets.map((p) => p.name)).toContain('Transparent overlay (ProRes 4444)');
  });

  it('"Edit in Resolve / Premiere (ProRes 422 HQ)": ProRes 422 HQ, even width, no alpha', async () => {
    const { result, progress } = await exportPreset(chelsea, 'resolve-prores-422hq', { longSide: 257 });
    expect(result).toMatchObject({
      format: 'mov-prores-422hq',
      width: 256,
      height: 171,
      frameCount: 12,
      fps: 12,
    });
    const facts = await probe(result.path);
    expect(facts).toMatchObject({
      codec: 'prores',
      codecTag: 'apch',
      width: 256,
      height: 171,
      frameCount: 12,
    });
    expect(facts.pixelFormat).toBe('yuv422p10le');
    expect(facts.colorSpace).toBe('bt709');
    expect(facts.fps).toBeCloseTo(12, 1);
    const first = await decodeFrame(result.path);
    expect(alphaCounts(first).opaque).toBe(256 * 171);
    expect(psnr(cropTo(await reference('chelsea.png', 257), 256, 171), first)).toBeGreaterThan(40);
    expect(progress.at(-1)?.fraction).toBe(1);
  });

  it('"Transparent overlay (ProRes 4444)": alpha is the region, colours exact where it shows', async () => {
    const { result } = await exportPreset(chelsea, 'overlay-prores-4444', { longSide: 257 });
    const facts = await probe(result.path);
    expect(facts).toMatchObject({
      codec: 'prores',
      codecTag: 'ap4h',
      width: 257,
      height: 171,
      frameCount: 12,
    });
    expect(facts.pixelFormat).toMatch(/^yuva444p/);
    const first = await decodeFrame(result.path);
    const mask = ellipseMask(257, 171);
    let agree = 0;
    for (let p = 0; p < mask.data.length; p++) {
      if ((first.data[p * 4 + 3] ?? 0) > 127 === (mask.data[p] ?? 0) > 127) agree++;
    }
    expect(agree / mask.data.length).toBeGreaterThan(0.995);
    const counts = alphaCounts(first);
    expect(counts.clear).toBeGreaterThan(0.6 * mask.data.length);
    const photo = await reference('chelsea.png', 257);
    expect(psnr(photo, first, (p) => (mask.data[p] ?? 0) === 255)).toBeGreaterThan(40);
  });

  it('"Web (MP4)": H.264 yuv420p, even sides, BT.709, faststart, no alpha', async () => {
    const { result } = await exportPreset(chelsea, 'web-mp4', { longSide: 257 });
    expect(result).toMatchObject({ format: 'mp4-h264', width: 256, height: 170, frameCount: 12 });
    const facts = await probe(result.path);
    expect(facts).toMatchObject({
      codec: 'h264',
      codecTag: 'avc1',
      pixelFormat: 'yuv420p',
      width: 256,
      height: 170,
    });
    expect(facts.frameCount).toBe(12);
    expect(facts.fps).toBeCloseTo(12, 1);
    expect(facts.colorSpace).toBe('bt709');
    expect(await moovFirst(result.path)).toBe(true);
    const first = await decodeFrame(result.path);
    expect(alphaCounts(first).opaque).toBe(256 * 170);
    // The odd last column and row are cropped off, not scaled: the rest lines up pixel for pixel.
    expect(psnr(cropTo(await reference('chelsea.png', 257), 256, 170), first)).toBeGreaterThan(35);
  });

  it('"Social loop (MP4, 3 loops)": the clip three times in one file', async () => {
    const { result } = await exportPreset(chelsea, 'social-loop-mp4', { longSide: 257 });
    expect(result.frameCount).toBe(36);
    const facts = await probe(result.path);
    expect(facts).toMatchObject({ codec: 'h264', pixelFormat: 'yuv420p', frameCount: 36 });
    expect(facts.fps).toBeCloseTo(12, 1);
    // Frame 24 starts the third play: the photo again.
    const photo = cropTo(await reference('chelsea.png', 257), 256, 170);
    expect(psnr(photo, await decodeFrame(result.path, 24))).toBeGreaterThan(35);
    expect(psnr(photo, await decodeFrame(result.path, 3))).toBeLessThan(30);
  });

  it('"GIF": 480 px long side at 15 fps, looping forever, opaque', async () => {
    const astronaut = await openDoc('astronaut.png');
    const { result } = await exportPreset(astronaut, 'gif');
    expect(result).toMatchObject({ format: 'gif', width: 480, height: 480, frameCount: 15, fps: 15 });
    const facts = await probe(result.path);
    expect(facts).toMatchObject({ codec: 'gif', width: 480, height: 480, frameCount: 15 });
    expect(facts.fps).toBeGreaterThan(14.5);
    expect(facts.fps).toBeLessThan(15.5);
    expect(await gifLoopCount(result.path)).toBe(0);
    const first = await decodeFrame(result.path);
    expect(alphaCounts(first).opaque).toBe(480 * 480);
    expect(psnr(await reference('astronaut.png', 480), first)).toBeGreaterThan(25);
  });

  it('"Image sequence (PNG)": a folder of lossless frames with the fps beside them', async () => {
    const { result } = await exportPreset(chelsea, 'png-sequence', { longSide: 257 });
    const frames = await sequenceFrames(result.path);
    expect(frames).toHaveLength(12);
    expect(frames[0]).toMatch(/preset-png-sequence_00000\.png$/);
    expect(await readSidecar(result.path)).toMatchObject({
      generator: 'stir',
      fps: 12,
      frameCount: 12,
      width: 257,
      height: 171,
      pattern: 'preset-png-sequence_%05d.png',
      alpha: false,
    });
    const facts = await probe(frames[0] ?? '');
    expect(facts).toMatchObject({ codec: 'png', pixelFormat: 'rgb24', width: 257, height: 171 });
    expect(psnr(await reference('chelsea.png', 257), await decodeFrame(frames[0] ?? ''))).toBe(Infinity);
    expect(psnr(await reference('chelsea.png', 257), await decodeFrame(frames[3] ?? ''))).toBeLessThan(30);
  });

  it('leaves only the finished files in the folder', async () => {
    const names = await readdir(dir);
    expect(names.filter((name) => name.startsWith('.'))).toEqual([]);
  });
});
