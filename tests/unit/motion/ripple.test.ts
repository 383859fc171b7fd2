// A ripple's strength fidelity on a small region (QUALITY.md): eval's own strength sweep (1, 2, 4, 8
// px/frame, measured with optical flow on the rendered frames) on coffee.png's crema stays linear, slope
// 0.8-1.25 with R^2 at least 0.95, because a strong ripple quickens within its natural tempo range once
// its swing would fill the region, instead of widening until it drags the cup's rim through it.
import { beforeAll, describe, expect, it } from 'vitest';
import { strengthFit } from '../../../src/engine/eval/metrics.js';
import { measureClip } from '../../../src/engine/eval/run.js';
import { regionShape, SCENES } from '../../../src/engine/eval/scenes.js';
import { rasterize } from '../../../src/engine/eval/shapes.js';
import { fitLongSide, type RgbaImage } from '../../../src/engine/image/types.js';
import { createMotionEngine } from '../../../src/engine/motion/index.js';
import type { WarpRegionPlan } from '../../../src/engine/motion/plan.js';
import { preparePlan } from '../../../src/engine/motion/prepare.js';
import type { JobControl, RegionSpec } from '../../../src/engine/render/types.js';
import { loadPhoto } from '../../helpers/photos.js';

/** As `stir eval` sweeps strength: 2 s at 24 fps, at a 512-px long side. */
const SECONDS = 2;
const FPS = 24;
const STRENGTHS = [1, 2, 4, 8];
/** A ripple's natural tempo range, Hz: from a slow lap to a choppy surface. */
const RIPPLE_HZ = { low: 0.5, high: 3 };

const coffee = SCENES.find((scene) => scene.photo === 'coffee.png')!;
const crema = coffee.regions.find((region) => region.prompt === 'ripple')!;
const engine = createMotionEngine({ workers: 0 });
const control = (): JobControl => ({ signal: new AbortController().signal, progress: () => undefined });
let photo: RgbaImage;

beforeAll(async () => {
  photo = (await loadPhoto('coffee.png')).image;
});

function spec(strength: number, tempo: number | null = null): RegionSpec {
  return {
    id: 'crema',
    mask: rasterize(regionShape(crema), photo.width, photo.height),
    prompt: crema.prompt,
    strength,
    direction: crema.direction,
    seed: 1,
    start: 0,
    end: null,
    pose: null,
    tempo,
  };
}

const size = () => fitLongSide(photo.width, photo.height, 512);

async function warpOf(region: RegionSpec): Promise<WarpRegionPlan> {
  const timing = { seconds: SECONDS, fps: FPS, loop: 'loop' as const };
  const { plan } = await preparePlan({ photo, regions: [region], timing, size: size() }, control());
  const warp = plan.regions[0];
  if (warp?.kind !== 'warp') throw new Error('the ripple is not planned as a warp');
  return warp;
}

describe('ripple on a small region', () => {
  it('measures flow linear in strength on the rendered frames (slope 0.8-1.25, R^2 >= 0.95)', async () => {
    const measured: number[] = [];
    for (const strength of STRENGTHS) {
      const clip = await measureClip(engine, photo, [spec(strength)], SECONDS, FPS, 'loop', size(), false);
      expect(clip.fields[0], `field strength at ${strength}`).toBeCloseTo(strength, 1);
      measured.push(clip.measured[0]!);
    }
    const fit = strengthFit(STRENGTHS, measured);
    expect(fit.r2, `measured ${measured.map((m) => m.toFixed(2)).join(', ')}`).toBeGreaterThanOrEqual(0.95);
    expect(fit.slope).toBeGreaterThanOrEqual(0.8);
    expect(fit.slope).toBeLessThanOrEqual(1.25);
  }, 240_000);

  it('keeps its tempo in a ripple’s natural range at every strength, quicker only when strong', async () => {
    const tempos: number[] = [];
    for (const strength of [0.1, ...STRENGTHS]) {
      const warp = await warpOf(spec(strength));
      tempos.push(warp.cycles / SECONDS);
    }
    for (const hz of tempos) {
      expect(hz).toBeGreaterThanOrEqual(RIPPLE_HZ.low);
      expect(hz).toBeLessThanOrEqual(RIPPLE_HZ.high);
    }
    // A gentle ripple keeps the word's own tempo (1 Hz); tempo never falls as strength grows.
    expect(tempos[0]).toBe(1);
    for (let k = 1; k < tempos.length; k++) expect(tempos[k]!).toBeGreaterThanOrEqual(tempos[k - 1]!);
  });

  it('keeps the tempo the person sets, however strong', async () => {
    const warp = await warpOf(spec(8, 1));
    expect(warp.cycles / SECONDS).toBe(1);
  });
});
