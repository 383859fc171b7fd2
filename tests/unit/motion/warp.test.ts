// Sway, wave, flutter and swim as one displacement field (issue 10, points 2 and 3): tempo measured on
// rendered frames stays in the word's range and does not change with strength; strength widens the
// swing; a plant's base and an animal's head stay nearly still; the field fades to zero across a smooth
// band at the region's edge.
import { beforeAll, describe, expect, it } from 'vitest';
import { loopSeam, meanAbsoluteDifference } from '../../../src/engine/eval/metrics.js';
import { DEFECT_TARGETS, folding } from '../../../src/engine/eval/defects/index.js';
import { SCENES } from '../../../src/engine/eval/scenes.js';
import { rasterize, type SceneShape } from '../../../src/engine/eval/shapes.js';
import { toGrey } from '../../../src/engine/flow/index.js';
import { resizeRgba } from '../../../src/engine/image/encode.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { createMotionEngine, MotionAnimation } from '../../../src/engine/motion/index.js';
import { preparePlan } from '../../../src/engine/motion/prepare.js';
import type { WarpRegionPlan } from '../../../src/engine/motion/plan.js';
import type { AnimateInput, JobControl, RegionSpec } from '../../../src/engine/render/types.js';
import { loadPhoto } from '../../helpers/photos.js';
import { allFrames } from '../../helpers/frames.js';

const SIZE = { width: 192, height: 128 };
const FPS = 24;
const SECONDS = 3;
/** A tall plant-like region in grass.png, its base at 80% of the height. */
const PLANT: SceneShape = { kind: 'ellipse', cx: 0.5, cy: 0.5, rx: 0.12, ry: 0.3 };
/** A long body lying sideways, thicker at its left (head) end. */
/** A broad field of grass. */
const FIELD: SceneShape = { kind: 'ellipse', cx: 0.5, cy: 0.5, rx: 0.38, ry: 0.3 };
const FISH: SceneShape = {
  kind: 'polygon',
  points: [
    [0.2, 0.4],
    [0.45, 0.33],
    [0.75, 0.45],
    [0.8, 0.5],
    [0.75, 0.55],
    [0.45, 0.67],
    [0.2, 0.6],
  ],
};

let photo: RgbaImage;
const engine = createMotionEngine({ workers: 0 });
const control = (): JobControl => ({ signal: new AbortController().signal, progress: () => undefined });

beforeAll(async () => {
  photo = (await loadPhoto('grass.png')).image;
});

function spec(prompt: string, shape: SceneShape, extra: Partial<RegionSpec> = {}): RegionSpec {
  return {
    id: prompt,
    mask: rasterize(shape, photo.width, photo.height),
    prompt,
    strength: 1,
    direction: null,
    seed: 5,
    start: 0,
    end: null,
    pose: null,
    ...extra,
  };
}

function input(region: RegionSpec): AnimateInput {
  return { photo, regions: [region], timing: { seconds: SECONDS, fps: FPS, loop: 'loop' }, size: SIZE };
}

async function warpOf(region: RegionSpec): Promise<WarpRegionPlan> {
  const { plan } = await preparePlan(input(region), control());
  const warp = plan.regions[0];
  if (warp?.kind !== 'warp') throw new Error(`${region.prompt} is not planned as a warp`);
  return warp;
}

async function framesOf(region: RegionSpec): Promise<RgbaImage[]> {
  return allFrames(await engine.prepare(input(region), control()));
}

/** The dominant temporal frequency (Hz) of the pixels inside the mask: summed power of each pixel's series. */
function dominantFrequency(frames: RgbaImage[], inside: (x: number, y: number) => boolean): number {
  const n = frames.length;
  const power = new Float64Array(Math.floor(n / 2) + 1);
  const { width, height } = frames[0]!;
  const series = new Float64Array(n);
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      if (!inside(x, y)) continue;
      let mean = 0;
      for (let t = 0; t < n; t++) {
        const p = (y * width + x) * 4;
        const d = frames[t]!.data;
        series[t] = 0.299 * d[p]! + 0.587 * d[p + 1]! + 0.114 * d[p + 2]!;
        mean += series[t]! / n;
      }
      for (let k = 1; k < power.length; k++) {
        let re = 0;
        let im = 0;
        for (let t = 0; t < n; t++) {
          re += (series[t]! - mean) * Math.cos((2 * Math.PI * k * t) / n);
          im -= (series[t]! - mean) * Math.sin((2 * Math.PI * k * t) / n);
        }
        power[k]! += re * re + im * im;
      }
    }
  }
  let best = 1;
  for (let k = 2; k < power.length; k++) if (power[k]! > power[best]!) best = k;
  return (best * FPS) / n;
}

const insideShape = (shape: SceneShape) => {
  const mask = rasterize(shape, SIZE.width, SIZE.height);
  return (x: number, y: number) => mask.data[y * SIZE.width + x]! > 0;
};

/** Largest swing of the field (|A| at its grid points). */
const largestSwing = (warp: WarpRegionPlan) => warp.amplitude.reduce((m, a) => Math.max(m, Math.abs(a)), 0);

/** The field's |A| at a pixel, bilinear on its grid. */
function swingAt(warp: WarpRegionPlan, x: number, y: number): number {
  const { x0, y0, step, cols, rows } = warp.grid;
  const gx = Math.min(cols - 1.001, Math.max(0, (x - x0) / step));
  const gy = Math.min(rows - 1.001, Math.max(0, (y - y0) / step));
  const i = Math.floor(gx);
  const j = Math.floor(gy);
  const fx = gx - i;
  const fy = gy - j;
  const a = (ii: number, jj: number) => Math.abs(warp.amplitude[jj * cols + ii]!);
  return (
    (a(i, j) * (1 - fx) + a(i + 1, j) * fx) * (1 - fy) + (a(i, j + 1) * (1 - fx) + a(i + 1, j + 1) * fx) * fy
  );
}

/**
 * The least Jacobian determinant of x -> x + d(x, theta) over the field's grid and a cycle of theta:
 * at or below zero the field folds (neighbouring pixels cross) and the frame shows noise.
 */
function leastJacobian(warp: WarpRegionPlan): number {
  const { step, cols, rows } = warp.grid;
  const { amplitude, phase, direction } = warp;
  let least = Infinity;
  const dx = new Float64Array(cols * rows);
  const dy = new Float64Array(cols * rows);
  for (let t = 0; t < 16; t++) {
    const theta = (2 * Math.PI * t) / 16;
    for (let p = 0; p < cols * rows; p++) {
      const d = amplitude[p]! * (Math.sin(theta - phase[p]!) + Math.sin(phase[p]!));
      dx[p] = d * direction[p * 2]!;
      dy[p] = d * direction[p * 2 + 1]!;
    }
    for (let j = 0; j + 1 < rows; j++) {
      for (let i = 0; i + 1 < cols; i++) {
        const p = j * cols + i;
        const a = (dx[p + 1]! - dx[p]!) / step;
        const b = (dx[p + cols]! - dx[p]!) / step;
        const c = (dy[p + 1]! - dy[p]!) / step;
        const e = (dy[p + cols]! - dy[p]!) / step;
        least = Math.min(least, (1 + a) * (1 + e) - b * c);
      }
    }
  }
  return least;
}

describe('folding', () => {
  /** A face-sized region: a strong wave here once folded its fronts into noise over the whole head. */
  const SMALL: SceneShape = { kind: 'ellipse', cx: 0.5, cy: 0.45, rx: 0.08, ry: 0.14 };
  it.each(['wave', 'flag', 'swim', 'flutter', 'sway'])(
    'a strong %s on a small region never folds the photo over itself',
    async (prompt) => {
      const warp = await warpOf(spec(prompt, SMALL, { strength: 4 }));
      // A plant's sway swings wide with a wide band outside; a wave's fade must fit mostly in the region
      // (it may not drag what lies beside it), so on a small region it swings less than asked.
      expect(largestSwing(warp)).toBeGreaterThan(prompt === 'sway' ? 4 : 1);
      expect(leastJacobian(warp)).toBeGreaterThan(0);
    },
  );

  it('a strong flag beside a person moves the flag, never the person', async () => {
    // The eval's astronaut scene: the flag behind her is a narrow strip. Its wave once faded out over a
    // band eight swings wide outside the strip, which moved her suit, her helmet and her face.
    const { image: astronaut } = await loadPhoto('astronaut.png');
    const size = { width: 256, height: 256 };
    const flag = SCENES[0]!.regions.find((r) => r.name === 'flag')!.shape!;
    const region = { ...spec('flag', flag, { strength: 1.5 }), mask: rasterize(flag, 512, 512) };
    const animation = (await engine.prepare(
      { photo: astronaut, regions: [region], timing: { seconds: 1, fps: FPS, loop: 'loop' }, size },
      control(),
    )) as MotionAnimation;
    const still = await resizeRgba(astronaut, size.width, size.height);
    // Her face and helmet: well right of the strip (it ends at x = 0.195 of the width).
    const face = { x0: 0.3, x1: 0.55, y0: 0.05, y1: 0.5 };
    let flagChanged = 0;
    let faceChanged = 0;
    try {
      for await (const { image } of animation.frames()) {
        for (let y = 0; y < size.height; y++) {
          for (let x = 0; x < size.width; x++) {
            const i = (y * size.width + x) * 4;
            const d =
              Math.abs(image.data[i]! - still.data[i]!) + Math.abs(image.data[i + 1]! - still.data[i + 1]!);
            if (d <= 6) continue;
            const u = x / size.width;
            const v = y / size.height;
            if (u < 0.1) flagChanged++;
            if (u >= face.x0 && u < face.x1 && v >= face.y0 && v < face.y1) faceChanged++;
          }
        }
      }
    } finally {
      await animation.dispose();
    }
    expect(flagChanged, 'the flag waves').toBeGreaterThan(1000);
    expect(faceChanged, 'her face and helmet stay still').toBe(0);
  });

  it('eval sees no speckle on the rendered frames of a strong wave on a face', async () => {
    // The astronaut's face: folded fronts turned her head into speckle (eval's fold read 11.5 at 512 px).
    const { image: astronaut } = await loadPhoto('astronaut.png');
    const size = { width: 256, height: 256 };
    const face: SceneShape = { kind: 'ellipse', cx: 0.44, cy: 0.24, rx: 0.1, ry: 0.14 };
    const region = { ...spec('wave', face, { strength: 4 }), mask: rasterize(face, 512, 512) };
    const animation = (await engine.prepare(
      { photo: astronaut, regions: [region], timing: { seconds: 2, fps: FPS, loop: 'loop' }, size },
      control(),
    )) as MotionAnimation;
    const frames = [];
    try {
      for await (const { image } of animation.frames()) frames.push(toGrey(image));
    } finally {
      await animation.dispose();
    }
    const still = toGrey(await resizeRgba(astronaut, size.width, size.height));
    const inside = rasterize(face, size.width, size.height).data.map((v) => (v ? 1 : 0));
    expect(folding(frames, still, inside)!.ratio).toBeLessThanOrEqual(DEFECT_TARGETS.fold.atMost);
  });
});

describe('tempo', () => {
  it.each([
    ['sway', 0.3, 1],
    ['wave', 0.3, 1],
    ['flutter', 2, 4],
  ])(
    '%s moves at a natural tempo on the rendered frames, whatever its strength',
    async (prompt, low, high) => {
      for (const strength of [0.5, 2]) {
        const frames = await framesOf(spec(prompt, PLANT, { strength }));
        const hz = dominantFrequency(frames, insideShape(PLANT));
        expect(hz, `${prompt} at ${strength}`).toBeGreaterThanOrEqual(low);
        expect(hz, `${prompt} at ${strength}`).toBeLessThanOrEqual(high);
      }
    },
  );

  it('follows the tempo the person sets, rounded to whole cycles in the clip', async () => {
    const warp = await warpOf(spec('sway', PLANT, { tempo: 0.9 }));
    // 0.9 Hz over 3 s is 2.7 cycles: 3 whole cycles, 1 Hz.
    expect(warp.cycles).toBe(3);
    const frames = await framesOf(spec('sway', PLANT, { tempo: 0.9 }));
    expect(dominantFrequency(frames, insideShape(PLANT))).toBeCloseTo(1, 5);
  });

  it('widens the swing with strength and keeps the tempo', async () => {
    const gentle = await warpOf(spec('sway', PLANT, { strength: 0.5 }));
    const strong = await warpOf(spec('sway', PLANT, { strength: 2 }));
    expect(strong.cycles).toBe(gentle.cycles);
    // Measured on the plant itself: at strength 2 the band above its top swings across the photo's top
    // edge, where the swing is held (plan-warp.ts holdAtPhotoEdge), so the field's largest value is not it.
    for (const height of [0.25, 0.4, 0.55]) {
      const x = 0.5 * SIZE.width;
      const y = height * SIZE.height;
      expect(swingAt(strong, x, y) / swingAt(gentle, x, y)).toBeCloseTo(4, 1);
    }
  });
});

describe('the loop seam of a bend', () => {
  it.each(['sway', 'wave'])(
    '%s joins its last frame to its first as an ordinary step (loop seam at most 1.2)',
    async (prompt) => {
      // Left at rest at its fastest, a bend's jump from the last frame to the first read 1.23-1.31 on
      // the eval's plants and flag (QUALITY.md bound 1.2).
      const frames = await framesOf(spec(prompt, PLANT, { strength: 2 }));
      const steps = frames.slice(1).map((frame, i) => meanAbsoluteDifference(frames[i]!, frame));
      const seam = loopSeam(frames[frames.length - 1]!, frames[0]!, steps);
      expect(seam).not.toBeNull();
      expect(seam!).toBeLessThanOrEqual(1.2);
      expect(seam!).toBeGreaterThan(0.6);
    },
  );
});

describe('anchoring', () => {
  it.each(['sway', 'wave'])('%s holds a plant still at its base and swings its top', async (prompt) => {
    const warp = await warpOf(spec(prompt, PLANT));
    const x = 0.5 * SIZE.width;
    const base = swingAt(warp, x, 0.79 * SIZE.height);
    const top = swingAt(warp, x, 0.22 * SIZE.height);
    expect(top).toBeGreaterThan(0.5);
    expect(base).toBeLessThan(0.05 * top);
  });

  it('swim undulates along the body: head nearly still, the tail swinging, the wave running head to tail', async () => {
    const warp = await warpOf(spec('swim', FISH));
    const y = 0.5 * SIZE.height;
    const head = swingAt(warp, 0.23 * SIZE.width, y);
    const tail = swingAt(warp, 0.77 * SIZE.width, y);
    expect(tail).toBeGreaterThan(0.5);
    expect(head).toBeLessThan(0.15 * tail);
    // The phase grows from head to tail (a travelling wave), and the swing is across the body (vertical).
    const { x0, y0, step, cols } = warp.grid;
    const at = (x: number) => Math.round((y - y0) / step) * cols + Math.round((x - x0) / step);
    expect(warp.phase[at(0.7 * SIZE.width)]!).toBeGreaterThan(warp.phase[at(0.3 * SIZE.width)]! + 1);
    expect(Math.abs(warp.direction[at(0.6 * SIZE.width) * 2 + 1]!)).toBeGreaterThan(0.9);
  });

  it('swim follows the heading the person gives', async () => {
    const left = await warpOf(spec('swim', FISH, { direction: 0 }));
    // Head to the right: now the right end is nearly still.
    const y = 0.5 * SIZE.height;
    expect(swingAt(left, 0.77 * SIZE.width, y)).toBeLessThan(0.15 * swingAt(left, 0.23 * SIZE.width, y));
  });
});

describe('the edge band', () => {
  it.each([
    ['sway', PLANT],
    ['wave', PLANT],
    ['blow', FIELD],
    ['ripple', FIELD],
  ] as const)(
    '%s fades to zero at the edge of its area, smoothly, without folding',
    async (prompt, shape) => {
      const warp = await warpOf(spec(prompt, shape, { strength: 1 }));
      const { cols, rows, step } = warp.grid;
      const gain = 2; // |d| <= 2 |A|
      let steepest = 0;
      for (let j = 0; j < rows; j++) {
        for (let i = 0; i < cols; i++) {
          const p = j * cols + i;
          const a = Math.abs(warp.amplitude[p]!);
          if (i + 1 < cols) steepest = Math.max(steepest, Math.abs(a - Math.abs(warp.amplitude[p + 1]!)));
          if (j + 1 < rows) steepest = Math.max(steepest, Math.abs(a - Math.abs(warp.amplitude[p + cols]!)));
        }
      }
      // The displacement changes by less than a pixel per pixel: no tear, no fold.
      expect((gain * steepest) / step).toBeLessThan(0.8);
      // Nothing moves on the grid's rim where it lies inside the photo (the field ends at zero there;
      // at the photo's own edge it runs on, sampled mirrored), yet it moves inside.
      const { x0, y0 } = warp.grid;
      for (let i = 0; i < cols; i++) {
        if (y0 > 0) expect(warp.amplitude[i]).toBe(0);
        if (y0 + (rows - 1) * step < SIZE.height - 1) expect(warp.amplitude[(rows - 1) * cols + i]).toBe(0);
      }
      for (let j = 0; j < rows; j++) {
        if (x0 > 0) expect(warp.amplitude[j * cols]).toBe(0);
        if (x0 + (cols - 1) * step < SIZE.width - 1) expect(warp.amplitude[j * cols + cols - 1]).toBe(0);
      }
      expect(largestSwing(warp)).toBeGreaterThan(0.3);
    },
  );

  it('a plant moves whole up to its edge, and the photo beyond follows over a band', async () => {
    const warp = await warpOf(spec('sway', PLANT, { strength: 1.5 }));
    const y = 0.3 * SIZE.height;
    const right = (0.5 + 0.12 * Math.sqrt(1 - (0.2 / 0.3) ** 2)) * SIZE.width;
    const edge = swingAt(warp, right - 1, y);
    expect(edge).toBeGreaterThan(0.5 * swingAt(warp, 0.5 * SIZE.width, y));
    // Continuous across the edge: a pixel further out moves almost as much.
    expect(Math.abs(swingAt(warp, right + 1, y) - edge)).toBeLessThan(0.2 * edge + 0.05);
  });
});
