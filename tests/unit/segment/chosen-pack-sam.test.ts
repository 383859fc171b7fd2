// A pack folder given with `--pack DIR` (never installed) answers clicks with its own SAM (issue 11,
// point 3); with no pack chosen and none installed, the classic segmenter does.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineHandle } from '../../../src/engine/create-engine.js';
import { parseParams } from '../../../src/shared/rpc/validate.js';
import { photoPath } from '../../helpers/photos.js';
import { packDir } from '../models/fixture-packs.js';

let dir: string;
let engine: EngineHandle;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stir-chosen-sam-'));
  engine = createEngine({ dataDir: join(dir, 'data'), exportDir: join(dir, 'exports'), workers: 1 });
});

afterAll(async () => {
  await engine.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function segmenterFor(packId: string | null): Promise<string> {
  const { service } = engine;
  const doc = await service.openPhoto(
    parseParams('openPhoto', { source: { kind: 'path', path: photoPath('chelsea.png') } }),
  );
  await service.updateSettings(parseParams('updateSettings', { docId: doc.docId, patch: { packId } }));
  const result = await service.segment(
    parseParams('segment', { docId: doc.docId, clicks: [{ x: 225, y: 140, positive: true }] }),
  );
  expect(result.mask.width).toBe(doc.width);
  return result.segmenter;
}

describe('the segmenter of the chosen pack', () => {
  it('is the classic one when no pack is chosen or installed', async () => {
    expect(await segmenterFor(null)).toBe('classic');
  });

  it("is the folder's SAM when the chosen pack is a folder that is not installed", async () => {
    expect(await segmenterFor(packDir('sam'))).toBe('sam');
  });
});
