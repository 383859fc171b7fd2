// The device each job ran on (issue 7, point 3; issue 4, point 2): a diffusion render through the real
// service reports it as a jobDevice event, and a provider that cannot be used fails with an error that
// offers the CPU (details.fallback = 'cpu', the editor's "Use the CPU" button).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiffusionEngine } from '../../../src/engine/diffusion/index.js';
import { createEngine, type EngineHandle } from '../../../src/engine/create-engine.js';
import { listExecutionProviders } from '../../../src/engine/models/providers.js';
import { StirError, type EventName, type EventPayload } from '../../../src/shared/index.js';
import { parseParams } from '../../../src/shared/rpc/validate.js';
import { photoPath } from '../../helpers/photos.js';
import { packDir } from '../models/fixture-packs.js';

let dir: string;
let engine: EngineHandle;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stir-job-device-'));
  engine = createEngine({ dataDir: join(dir, 'data'), exportDir: join(dir, 'exports'), workers: 1 });
});

afterAll(async () => {
  await engine.dispose();
  await rm(dir, { recursive: true, force: true });
});

type Recorded = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];

/** Starts a render of one region over the photo with `settings` and records the job's events until it ends. */
async function render(settings: Record<string, unknown>): Promise<Recorded[]> {
  const { service, bus } = engine;
  const doc = await service.openPhoto(
    parseParams('openPhoto', { source: { kind: 'path', path: photoPath('chelsea.png') } }),
  );
  const mask = new Uint8Array(doc.width * doc.height);
  for (let y = 40; y < 220; y++) for (let x = 120; x < 330; x++) mask[y * doc.width + x] = 255;
  await service.createRegion(
    parseParams('createRegion', {
      docId: doc.docId,
      region: { mask: { width: doc.width, height: doc.height, data: mask }, motion: { prompt: 'sway' } },
    }),
  );
  await service.updateSettings(parseParams('updateSettings', { docId: doc.docId, patch: settings }));
  const events: Recorded[] = [];
  const unsubscribe = bus.subscribe((event, payload) => events.push({ event, payload } as Recorded));
  try {
    const { jobId } = await service.startRender(
      parseParams('startRender', { docId: doc.docId, previewLongSide: 128 }),
    );
    await engine.jobs.settled(jobId);
    return events.filter((e) => 'jobId' in e.payload && e.payload.jobId === jobId);
  } finally {
    unsubscribe();
  }
}

describe('the device a job ran on', () => {
  it('a diffusion render on the tiny pack reports the CPU, once, before it is done', async () => {
    await engine.service.setDevice(parseParams('setDevice', { device: 'cpu' }));
    const events = await render({ engine: 'diffusion', packId: packDir('fyc-plain'), seconds: 1, fps: 8 });
    const names = events.map((e) => e.event);
    expect(names).toContain('jobDone');
    const devices = events.filter((e) => e.event === 'jobDevice');
    expect(devices.map((e) => e.payload)).toEqual([
      { jobId: expect.any(String), device: 'cpu', fellBackFrom: null, reason: null },
    ]);
    expect(names.indexOf('jobDevice')).toBeLessThan(names.indexOf('jobDone'));
  });

  it('a provider that cannot be used here fails with an error that offers the CPU', () => {
    const unavailable = listExecutionProviders().find((p) => !p.available);
    if (!unavailable) return; // every provider runs here: nothing to refuse
    let caught: unknown = null;
    try {
      createDiffusionEngine({ packDir: packDir('fyc-plain'), provider: unavailable.id });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StirError);
    const error = caught as StirError;
    expect(error.code).toBe('PROVIDER_FAILED');
    expect(error.message).toContain(unavailable.name);
    expect(error.details).toMatchObject({ provider: unavailable.id, fallback: 'cpu' });
    expect(error.hint).toMatch(/CPU/);
  });
});
