// A preview render through the real service says where each region's motion reached (issue 12): the
// editor composes a partial re-render into that area (renderer/src/lib/preview/affected.ts). The reach is
// in the photo's own pixels at any preview size, takes in the mask, and stays inside the photo.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineHandle } from '../../../src/engine/create-engine.js';
import type { EventPayload } from '../../../src/shared/index.js';
import { parseParams } from '../../../src/shared/rpc/validate.js';
import { photoPath } from '../../helpers/photos.js';

let dir: string;
let engine: EngineHandle;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stir-render-reach-'));
  engine = createEngine({ dataDir: join(dir, 'data'), exportDir: join(dir, 'exports'), workers: 1 });
});

afterAll(async () => {
  await engine.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('a render reports where each region reached', () => {
  it('a sway reaches its mask bounds and more, in photo pixels, at a small preview size', async () => {
    const { service, bus } = engine;
    const doc = await service.openPhoto(
      parseParams('openPhoto', { source: { kind: 'path', path: photoPath('chelsea.png') } }),
    );
    const mask = new Uint8Array(doc.width * doc.height);
    for (let y = 40; y < 220; y++) for (let x = 120; x < 330; x++) mask[y * doc.width + x] = 255;
    const region = await service.createRegion(
      parseParams('createRegion', {
        docId: doc.docId,
        region: { mask: { width: doc.width, height: doc.height, data: mask }, motion: { prompt: 'sway' } },
      }),
    );
    const done: EventPayload<'jobDone'>[] = [];
    const unsubscribe = bus.subscribe((event, payload) => {
      if (event === 'jobDone') done.push(payload as EventPayload<'jobDone'>);
    });
    try {
      const { jobId } = await service.startRender(
        parseParams('startRender', { docId: doc.docId, previewLongSide: 128 }),
      );
      await engine.jobs.settled(jobId);
      const finished = done.find((d) => d.jobId === jobId)!;
      expect(finished.kind).toBe('render');
      const result = (finished as Extract<EventPayload<'jobDone'>, { kind: 'render' }>).result;
      expect(result.reach.map((r) => r.regionId)).toEqual([region.id]);
      const { rect } = result.reach[0]!;
      // The mask: x 120-330, y 40-220; a sway swings its top past the mask and holds its base (the
      // reach may end a little above the mask's bottom: the editor adds the grown mask to it).
      expect(rect.x).toBeLessThan(120);
      expect(rect.y).toBeLessThanOrEqual(40);
      expect(rect.x + rect.width).toBeGreaterThan(330);
      expect(rect.y + rect.height).toBeGreaterThan(200);
      expect(rect.x + rect.width).toBeLessThanOrEqual(doc.width);
      expect(rect.y + rect.height).toBeLessThanOrEqual(doc.height);
    } finally {
      unsubscribe();
    }
  }, 120_000);
});
