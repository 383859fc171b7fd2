// How often a clip repeats itself (plan-period.ts): a loop of whole motion cycles repeats after a divisor
// of its length, so an export renders and encodes one period (tests/integration/export/periodic.test.ts).
import { describe, expect, it } from 'vitest';
import { stormScene } from '../../../bench/storm-scene.js';
import { preparePlan } from '../../../src/engine/motion/prepare.js';
import { planPeriod } from '../../../src/engine/motion/plan-period.js';
import { createScratch, renderFrameInto } from '../../../src/engine/motion/render-frame.js';
import type { RegionSpec } from '../../../src/engine/render/types.js';
import type { LoopMode } from '../../../src/shared/index.js';

const control = { signal: new AbortController().signal, progress: () => undefined };
const size = { width: 480, height: 320 };

async function stormPlan(strength: number, loop: LoopMode, change: Partial<RegionSpec> = {}) {
  const { photo, regions } = await stormScene();
  const specs = regions.map((region) => ({ ...region, strength, ...change }));
  const { plan } = await preparePlan(
    { photo, regions: specs, timing: { seconds: 3, fps: 24, loop }, size },
    control,
  );
  return plan;
}

describe('planPeriod', () => {
  it('finds the storm’s sky and field at strength 1.5 repeating after half the clip, frame for frame', async () => {
    const plan = await stormPlan(1.5, 'loop');
    expect(plan.regions.map((region) => region.kind === 'fluid' && region.cycle)).toEqual([36, 36]);
    expect(planPeriod(plan)).toBe(36);
    const scratch = createScratch();
    const a = new Uint8Array(size.width * size.height * 4);
    const b = new Uint8Array(a.length);
    for (const frame of [1, 17, 35]) {
      renderFrameInto(plan, frame, a, scratch);
      renderFrameInto(plan, frame + 36, b, scratch);
      expect(Buffer.compare(a, b)).toBe(0);
    }
    // ... and the clip does move within the period: it is no still picture.
    renderFrameInto(plan, 0, a, scratch);
    renderFrameInto(plan, 17, b, scratch);
    expect(Buffer.compare(a, b)).not.toBe(0);
  });

  it('finds no repeat where the motion runs one cycle, plays ping-pong or starts late', async () => {
    expect(planPeriod(await stormPlan(1, 'loop'))).toBe(72);
    expect(planPeriod(await stormPlan(1.5, 'pingpong'))).toBe(72);
    expect(planPeriod(await stormPlan(1.5, 'loop', { start: 0.5 }))).toBe(72);
  });
});
