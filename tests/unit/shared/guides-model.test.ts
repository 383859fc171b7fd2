// The motion guides in the project model (issue 13, point 5): optional with defaults, bounded, and at
// their limits 16 regions still fit in a project's project.json.
import { describe, expect, it } from 'vitest';
import { GUIDE_LIMITS, LIMITS, RegionMotionSchema, type FreezeStroke } from '../../../src/shared/index.js';

/** The most project.json may hold when a project is opened (src/engine/project/codec.ts). */
const MANIFEST_BYTES_MAX = 4_000_000;

/** A point of a photo at the largest size Stir keeps, to a tenth of a pixel (as the editor stores them). */
const far = (k: number) => ({ x: 8191.9 - (k % 7), y: 8190.1 - (k % 5) });

describe('motion guides in the model', () => {
  it('default to none, so a motion saved before them reads', () => {
    const motion = RegionMotionSchema.parse({ prompt: 'flow' });
    expect([motion.paths, motion.anchors, motion.freeze]).toEqual([[], [], []]);
  });

  it('refuse a one-point path, too many paths and too much freeze painting', () => {
    expect(RegionMotionSchema.safeParse({ prompt: 'flow', paths: [[far(0)]] }).success).toBe(false);
    const arrow = [far(0), far(1)];
    const paths = Array.from({ length: GUIDE_LIMITS.paths + 1 }, () => arrow);
    expect(RegionMotionSchema.safeParse({ prompt: 'flow', paths }).success).toBe(false);
    const stroke: FreezeStroke = {
      radius: 10,
      erase: false,
      points: Array.from({ length: GUIDE_LIMITS.freezePoints / 2 }, (_, k) => far(k)),
    };
    expect(RegionMotionSchema.safeParse({ prompt: 'flow', freeze: [stroke, stroke] }).success).toBe(true);
    const result = RegionMotionSchema.safeParse({ prompt: 'flow', freeze: [stroke, stroke, stroke] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/at most 4096 points in all/);
  });

  it('at their limits, in every region, still fit in project.json', () => {
    const path = Array.from({ length: GUIDE_LIMITS.pathPoints }, (_, k) => far(k));
    const strokeCount = GUIDE_LIMITS.freezeStrokes;
    const perStroke = GUIDE_LIMITS.freezePoints / strokeCount;
    const motion = RegionMotionSchema.parse({
      prompt: 'flow',
      paths: Array.from({ length: GUIDE_LIMITS.paths }, () => path),
      anchors: Array.from({ length: GUIDE_LIMITS.anchors }, (_, k) => far(k)),
      freeze: Array.from({ length: strokeCount }, (_, s) => ({
        radius: 1999.5,
        erase: s % 2 === 1,
        points: Array.from({ length: perStroke }, (_, k) => far(k)),
      })),
    });
    const regions = Array.from({ length: LIMITS.regionsMax }, () => ({ motion }));
    expect(JSON.stringify({ regions }).length).toBeLessThan(MANIFEST_BYTES_MAX * 0.8);
  });
});
