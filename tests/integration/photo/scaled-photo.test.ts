// A photo longer than Stir works at (8192 px) opens scaled down through the contract, says from what
// size, and exports at the size chosen: the clip is decoded back with ffprobe.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type EngineHandle } from '../../../src/engine/create-service.js';
import { createClipExporter } from '../../../src/engine/export/index.js';
import type { EnginePorts } from '../../../src/engine/ports.js';
import { createClient, LIMITS, runJob, StirError, type StirClient } from '../../../src/shared/index.js';
import { inProcessTransport } from '../../../src/shared/rpc/in-process.js';
import { probe } from '../export/decode.js';
import { ellipseMask, slideEngine } from '../export/test-animation.js';

let dir: string;
let handle: EngineHandle;
let client: StirClient;

function ports(exportDir: string): EnginePorts {
  const unused = (what: string) => async () => {
    throw new StirError('INTERNAL', `this test does not ${what}`);
  };
  return {
    vocabulary: {
      list: () => [],
      resolve: (prompt) => ({ ok: true, word: prompt, primitive: 'sway', message: null, suggestions: [] }),
    },
    engines: { get: async () => slideEngine(), check: () => undefined, list: async () => [] },
    segmenters: { get: unused('segment'), forget: () => undefined },
    exporter: createClipExporter(),
    doctor: unused('run doctor'),
    exportDir,
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stir-scaled-'));
  handle = createService(ports(dir));
  client = createClient(inProcessTransport(handle.dispatch, handle.bus));
});
afterAll(async () => {
  await handle.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('a photo larger than the working size', () => {
  it('opens scaled down with its own size in scaledFrom, and exports at the size chosen', async () => {
    const width = LIMITS.photoLongSideMax + 808;
    const height = 600;
    const pixels = new Uint8Array(width * height * 3).map((_, i) => ((i / 3) % width) % 256);
    const bytes = await sharp(pixels, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer();

    const doc = await client.openPhoto({ source: { kind: 'bytes', name: 'panorama.png', bytes } });
    expect(doc.scaledFrom).toEqual({ width, height });
    expect([doc.width, doc.height]).toEqual([
      LIMITS.photoLongSideMax,
      Math.round((height * LIMITS.photoLongSideMax) / width),
    ]);
    // The display copy is the scaled photo, the size every mask and click refers to.
    const display = await sharp(doc.image).metadata();
    expect([display.width, display.height]).toEqual([doc.width, doc.height]);

    await client.createRegion({
      docId: doc.docId,
      region: { mask: ellipseMask(doc.width, doc.height), motion: { prompt: 'sway' } },
    });
    await client.updateSettings({ docId: doc.docId, patch: { seconds: 1, fps: 8 } });
    const result = await runJob(
      client,
      () =>
        client.startExport({
          docId: doc.docId,
          preset: 'web-mp4',
          path: join(dir, 'panorama'),
          longSide: 640,
        }),
      'export',
    );
    expect(result.width).toBe(640);
    const facts = await probe(result.path);
    expect([facts.width, facts.height]).toEqual([result.width, result.height]);
    expect(Math.abs(result.height - (640 * height) / width)).toBeLessThanOrEqual(2);
  });

  it('opens a photo within the working size as it is, with scaledFrom null', async () => {
    const bytes = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const doc = await client.openPhoto({ source: { kind: 'bytes', name: 'small.png', bytes } });
    expect([doc.width, doc.height, doc.scaledFrom]).toEqual([300, 200, null]);
  });
});
