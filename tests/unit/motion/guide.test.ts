// Motion where the person wants it (issue 13, point 5), on a real photo: a drawn path bends a fluid
// region's field along it, an anchor and the freeze brush hold parts of it exactly still in every frame
// while the rest moves, and a travelling object follows its path.
import { beforeAll, describe, expect, it } from 'vitest';
import type { FreezeStroke, MotionPath, Point } from '../../../src/shared/index.js';
import { rasterize, type SceneShape } from '../../../src/engine/eval/shapes.js';
import { resizeRgba } from '../../../src/engine/image/encode.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { ANCHOR_RADIUS, HOLD_FALLOFF, routeOf, routeOffset } from '../../../src/engine/motion/guide.js';
import { createMotionEngine, type MotionAnimation } from '../../../src/engine/motion/index.js';
import { preparePlan } from '../../../src/engine/motion/prepare.js';
import type { FluidRegionPlan, LayerRegionPlan } from '../../../src/engine/motion/plan.js';
import type { JobControl, RegionSpec } from '../../../src/engine/render/types.js';
import { loadPhoto } from '../../helpers/photos.js';

const SIZE = { width: 300, height: 200 };
const FPS = 12;
const SECONDS = 2;
/** Most of coffee.png: the table, the cup and the saucer, as one large fluid region. */
const WIDE: SceneShape = { kind: 'ellipse', cx: 0.5, cy: 0.5, rx: 0.42, ry: 0.4 };
/** The spoon on the saucer. */
const SPOON: SceneShape = { kind: 'ellipse', cx: 0.62, cy: 0.55, rx: 0.06, ry: 0.16 };

let photo: RgbaImage;
let reference: RgbaImage;
const engine = createMotionEngine({ workers: 0 });
const control: JobControl = { signal: new AbortController().signal, progress: () => undefined };

beforeAll(async () => {
  photo = (await loadPhoto('coffee.png')).image;
  reference = await resizeRgba(photo, SIZE.width, SIZE.height);
});

/** A point given as shares of the photo, in the photo's pixels. */
function at(u: number, v: number): Point {
  return { x: u * photo.width, y: v * photo.height };
}

function region(
  shape: SceneShape,
  prompt: string,
  guides: { paths?: MotionPath[]; anchors?: Point[]; freeze?: FreezeStroke[] } = {},
): RegionSpec {
  return {
    id: 'r',
    mask: rasterize(shape, photo.width, photo.height),
    prompt,
    strength: 4,
    direction: null,
    seed: 3,
    start: 0,
    end: null,
    pose: null,
    ...guides,
  };
}

function input(spec: RegionSpec) {
  return {
    photo,
    regions: [spec],
    timing: { seconds: SECONDS, fps: FPS, loop: 'loop' as const },
    size: SIZE,
  };
}

async function fluidPlan(spec: RegionSpec): Promise<FluidRegionPlan> {
  const { plan } = await preparePlan(input(spec), control);
  const fluid = plan.regions[0];
  if (fluid?.kind !== 'fluid') throw new Error(`expected a fluid plan, got ${fluid?.kind}`);
  return fluid;
}

/** Where the field carries the grid point nearest to (x, y) (output pixels) in one frame. */
function oneStep(plan: FluidRegionPlan, x: number, y: number): [number, number] {
  const { grid } = plan;
  const i = Math.round((x - grid.x0) / grid.step);
  const j = Math.round((y - grid.y0) / grid.step);
  const at = (grid.cols * grid.rows + j * grid.cols + i) * 2;
  return [plan.ahead[at]!, plan.ahead[at + 1]!];
}

async function frames(spec: RegionSpec): Promise<RgbaImage[]> {
  const animation = (await engine.prepare(input(spec), control)) as MotionAnimation;
  const out: RgbaImage[] = [];
  try {
    for await (const { image } of animation.frames()) out.push(image);
  } finally {
    await animation.dispose();
  }
  return out;
}

/** Output pixels (x y) where `keep` holds and the wide region's mask is fully inside. */
function pixelsWhere(keep: (x: number, y: number) => boolean): number[] {
  const mask = rasterize(WIDE, SIZE.width, SIZE.height);
  const points: number[] = [];
  for (let y = 0; y < SIZE.height; y++) {
    for (let x = 0; x < SIZE.width; x++) {
      if (mask.data[y * SIZE.width + x] === 255 && keep(x, y)) points.push(x, y);
    }
  }
  return points;
}

/** Largest channel difference from the photo over the given pixels, across all frames. */
function largestChange(clip: RgbaImage[], points: number[]): number {
  let most = 0;
  for (const frame of clip) {
    for (let k = 0; k < points.length; k += 2) {
      const o = (points[k + 1]! * SIZE.width + points[k]!) * 4;
      for (let c = 0; c < 3; c++)
        most = Math.max(most, Math.abs(frame.data[o + c]! - reference.data[o + c]!));
    }
  }
  return most;
}

describe('drawn paths', () => {
  it('bend a flow along them: the field at points on the path runs along its tangent', async () => {
    // Down the left side, then right along the bottom: "flow" alone would run right everywhere.
    const path = [at(0.3, 0.2), at(0.3, 0.7), at(0.75, 0.7)];
    const guided = await fluidPlan(region(WIDE, 'flow', { paths: [path] }));
    const plain = await fluidPlan(region(WIDE, 'flow'));
    const sx = SIZE.width / photo.width;
    const sy = SIZE.height / photo.height;
    const cosines: number[] = [];
    const plainCosines: number[] = [];
    for (let s = 0; s + 1 < path.length; s++) {
      const a = path[s]!;
      const b = path[s + 1]!;
      const tx = (b.x - a.x) * sx;
      const ty = (b.y - a.y) * sy;
      const length = Math.hypot(tx, ty);
      // Points along the middle of each leg, away from the corner where the legs blend.
      for (const f of [0.2, 0.35, 0.5, 0.65]) {
        const x = (a.x + (b.x - a.x) * f) * sx;
        const y = (a.y + (b.y - a.y) * f) * sy;
        for (const [field, into] of [
          [guided, cosines],
          [plain, plainCosines],
        ] as const) {
          const [dx, dy] = oneStep(field, x, y);
          into.push((dx * tx + dy * ty) / (length * Math.hypot(dx, dy)));
        }
      }
    }
    expect(Math.min(...cosines)).toBeGreaterThan(0.8);
    expect(cosines.reduce((a, b) => a + b) / cosines.length).toBeGreaterThan(0.93);
    // Without the path the down leg would run across (right), not along it.
    expect(Math.min(...plainCosines)).toBeLessThan(0.5);
  });

  it('make a travelling object follow the path, round its corner', async () => {
    // Right, then straight down: the spoon's centre must pass the corner and go down, not on to the right.
    const start = at(0.62, 0.55);
    const corner = at(0.8, 0.55);
    const path = [start, corner, at(0.8, 0.95)];
    const route = routeOf(path)!;
    const leg = corner.x - start.x;
    expect(routeOffset(route, leg / 2)).toEqual([leg / 2, 0]);
    expect(routeOffset(route, leg + 10)[0]).toBeCloseTo(leg);
    expect(routeOffset(route, leg + 10)[1]).toBeCloseTo(10);

    const spec = { ...region(SPOON, 'drive forward', { paths: [path] }), strength: 8 };
    const { plan } = await preparePlan(
      { ...input(spec), timing: { ...input(spec).timing, loop: 'once' } },
      control,
    );
    const layer = plan.regions[0] as LayerRegionPlan;
    expect(layer.kind).toBe('layer');
    const sx = SIZE.width / photo.width;
    const sy = SIZE.height / photo.height;
    const centre = { x: start.x * sx, y: start.y * sy };
    // poses: per frame the inverse affine (output -> layer); the centre is drawn where inverse(p) = centre.
    const shown = (frame: number) => {
      const [a, b, c, d, e, f] = Array.from(layer.poses.subarray(frame * 8, frame * 8 + 6));
      const det = a! * e! - b! * d!;
      const rx = centre.x - c!;
      const ry = centre.y - f!;
      return { x: (e! * rx - b! * ry) / det, y: (-d! * rx + a! * ry) / det };
    };
    const last = shown(plan.frameCount - 1);
    const travelled = Math.hypot(last.x - centre.x, last.y - centre.y);
    const cornerX = corner.x * sx;
    // It gets past the corner, and ends below it, at its x.
    expect(travelled).toBeGreaterThan(leg * sx + 2);
    expect(Math.abs(last.x - cornerX)).toBeLessThan(1.5);
    expect(last.y).toBeGreaterThan(centre.y + 2);
    // Every frame lies on the route (the right leg, then the down leg), never off it.
    for (let k = 0; k < plan.frameCount; k++) {
      const p = shown(k);
      const onFirst = Math.abs(p.y - centre.y) < 1.5 && p.x <= cornerX + 1.5;
      const onSecond = Math.abs(p.x - cornerX) < 1.5 && p.y >= centre.y - 1.5;
      expect(onFirst || onSecond).toBe(true);
    }
  });
});

describe('holding still', () => {
  it('an anchor keeps its neighbourhood exactly as the photo in every frame, while the rest flows', async () => {
    const anchor = at(0.5, 0.45);
    const clip = await frames(region(WIDE, 'flow', { anchors: [anchor] }));
    const long = Math.max(SIZE.width, SIZE.height);
    const ax = (anchor.x * SIZE.width) / photo.width;
    const ay = (anchor.y * SIZE.height) / photo.height;
    const near = pixelsWhere((x, y) => Math.hypot(x - ax, y - ay) <= ANCHOR_RADIUS * long);
    const far = pixelsWhere((x, y) => Math.hypot(x - ax, y - ay) > (ANCHOR_RADIUS + 2 * HOLD_FALLOFF) * long);
    expect(near.length).toBeGreaterThan(100);
    expect(largestChange(clip, near)).toBe(0);
    expect(largestChange(clip, far)).toBeGreaterThan(40);
  });

  it('the freeze brush keeps the painted part exactly as the photo, and erasing gives it back its motion', async () => {
    // A band painted across the region, then its right half erased again.
    const band: FreezeStroke = {
      radius: photo.height * 0.06,
      erase: false,
      points: [at(0.2, 0.5), at(0.8, 0.5)],
    };
    const eraser: FreezeStroke = {
      radius: photo.height * 0.1,
      erase: true,
      points: [at(0.6, 0.5), at(0.9, 0.5)],
    };
    const clip = await frames(region(WIDE, 'flow', { freeze: [band, eraser] }));
    const r = (band.radius * SIZE.height) / photo.height;
    const cy = SIZE.height / 2;
    const frozen = pixelsWhere(
      (x, y) => Math.abs(y - cy) < r - 1 && x > 0.22 * SIZE.width && x < 0.45 * SIZE.width,
    );
    const erased = pixelsWhere(
      (x, y) => Math.abs(y - cy) < r - 1 && x > 0.75 * SIZE.width && x < 0.9 * SIZE.width,
    );
    expect(frozen.length).toBeGreaterThan(200);
    expect(largestChange(clip, frozen)).toBe(0);
    expect(largestChange(clip, erased)).toBeGreaterThan(40);
  });
});
