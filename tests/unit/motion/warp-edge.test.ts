// A sway on a region that reaches the photo's edge (grass to the frame's side, issue 10): what would show
// at the edge lies beyond the photo, which a warp could only take mirrored, and the blades met their own
// reflection in chevrons along the frame. The swing across the edge fades to nothing there instead
// (plan-warp.ts holdAtPhotoEdge): no frame samples beyond the photo, and the grass still sways.
import { beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { decodePhoto } from '../../../src/engine/image/decode.js';
import { resizeRgba } from '../../../src/engine/image/encode.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { preparePlan } from '../../../src/engine/motion/prepare.js';
import type { WarpRegionPlan } from '../../../src/engine/motion/plan.js';
import { rasterize } from '../../../src/engine/eval/shapes.js';

const control = { signal: new AbortController().signal, progress: () => undefined };
let photo: RgbaImage;

beforeAll(async () => {
  const path = fileURLToPath(new URL('../../../examples/photos/hard/dune-grass.jpg', import.meta.url));
  const { image } = await decodePhoto({ kind: 'path', path });
  photo = await resizeRgba(image, 420, 263);
});

/** The grass: the photo's lower half, from its left edge to its right and down to its bottom. */
const GRASS = {
  kind: 'polygon' as const,
  points: [
    [0, 0.55],
    [0.5, 0.5],
    [1, 0.47],
    [1, 1],
    [0, 1],
  ] as [number, number][],
};

async function swayPlan(strength: number): Promise<WarpRegionPlan> {
  const { width, height } = photo;
  const { plan } = await preparePlan(
    {
      photo,
      regions: [
        {
          id: 'grass',
          mask: rasterize(GRASS, width, height),
          prompt: 'sway',
          strength,
          direction: null,
          seed: 1,
          start: 0,
          end: null,
          pose: null,
        },
      ],
      timing: { seconds: 3, fps: 24, loop: 'loop' },
      size: { width, height },
    },
    control,
  );
  return plan.regions[0] as WarpRegionPlan;
}

/** Over a whole cycle: the farthest any grid point's sample lands beyond the photo, and the widest swing. */
function reachBeyond(
  plan: WarpRegionPlan,
  width: number,
  height: number,
): { beyond: number; widest: number } {
  const { grid, amplitude, phase, direction } = plan;
  let beyond = 0;
  let widest = 0;
  for (let k = 0; k < 96; k++) {
    const theta = (2 * Math.PI * k) / 96;
    for (let j = 0; j < grid.rows; j++)
      for (let i = 0; i < grid.cols; i++) {
        const p = j * grid.cols + i;
        const gx = grid.x0 + i * grid.step;
        const gy = grid.y0 + j * grid.step;
        // The grid's last points may lie past the photo's edge: no pixel is drawn there.
        if (gx > width - 1 || gy > height - 1) continue;
        const s = amplitude[p]! * (Math.sin(theta - phase[p]!) + Math.sin(phase[p]!));
        const dx = s * direction[p * 2]!;
        const dy = s * direction[p * 2 + 1]!;
        const x = gx - dx;
        const y = gy - dy;
        if (x < 0 || y < 0 || x > width - 1 || y > height - 1) {
          const outside = Math.max(-x, -y, x - (width - 1), y - (height - 1));
          beyond = Math.max(beyond, outside);
        }
        widest = Math.max(widest, Math.hypot(dx, dy));
      }
  }
  return { beyond, widest };
}

describe('a sway that reaches the photo’s edge', () => {
  it.each([0.6, 1.5])('never samples beyond the photo at strength %s, and still swings', async (strength) => {
    const plan = await swayPlan(strength);
    const { beyond, widest } = reachBeyond(plan, photo.width, photo.height);
    expect(widest).toBeGreaterThan(1);
    expect(beyond).toBeLessThan(0.01);
  });
});
