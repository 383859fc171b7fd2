// Travel motions (launch, fly away, drive forward, fall): the object leaves along its path over the
// distance its strength and the clip's length give, inside its motion area (the mask swept along the
// path); the background it uncovers is filled; nothing beyond the area changes; and each loop mode ends
// as it should.
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoopMode } from '../../../src/shared/index.js';
import { carriedRing, DEFECT_TARGETS } from '../../../src/engine/eval/index.js';
import { dilatedRegions, maskAt } from '../../../src/engine/eval/metrics.js';
import { toGrey } from '../../../src/engine/flow/index.js';
import { rasterize, type SceneShape } from '../../../src/engine/eval/shapes.js';
import { resizeRgba } from '../../../src/engine/image/encode.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { layerFamily, TRAVEL_OFF_FRAME_LEAST } from '../../../src/engine/motion/layers.js';
import {
  createMotionEngine,
  type MotionAnimation,
  type RegionReport,
} from '../../../src/engine/motion/index.js';
import type { RegionSpec } from '../../../src/engine/render/types.js';
import { loadPhoto } from '../../helpers/photos.js';
import { allFrames } from '../../helpers/frames.js';

const SIZE = { width: 300, height: 200 };
const FPS = 12;
const SECONDS = 2;
const FRAMES = FPS * SECONDS;
/** The spoon on the saucer (coffee.png), a small object on a textured table. */
const SPOON: SceneShape = { kind: 'ellipse', cx: 0.62, cy: 0.55, rx: 0.06, ry: 0.16 };
const unit = Math.max(SIZE.width, SIZE.height) / 512;

let photo: RgbaImage;
let reference: RgbaImage;
const engine = createMotionEngine({ workers: 0 });

beforeAll(async () => {
  photo = (await loadPhoto('coffee.png')).image;
  reference = await resizeRgba(photo, SIZE.width, SIZE.height);
});

function spec(prompt: string, strength: number, direction: number | null = null): RegionSpec {
  return {
    id: 'spoon',
    mask: rasterize(SPOON, photo.width, photo.height),
    prompt,
    strength,
    direction,
    seed: 5,
    start: 0,
    end: null,
    pose: null,
  };
}

async function render(
  region: RegionSpec,
  loop: LoopMode,
  using = engine,
): Promise<{ frames: RgbaImage[]; report: RegionReport }> {
  const animation = (await using.prepare(
    { photo, regions: [region], timing: { seconds: SECONDS, fps: FPS, loop }, size: SIZE },
    { signal: new AbortController().signal, progress: () => undefined },
  )) as MotionAnimation;
  const frames = await allFrames(animation);
  return { frames, report: animation.regions[0]! };
}

/** The region's pixels at least 2 px inside its edge, at the output size (x y pairs). */
function innerPixels(): number[] {
  const inside = maskAt(rasterize(SPOON, photo.width, photo.height), SIZE.width, SIZE.height);
  const at = (x: number, y: number) => inside[y * SIZE.width + x] === 1;
  const points: number[] = [];
  for (let y = 2; y < SIZE.height - 2; y++) {
    for (let x = 2; x < SIZE.width - 2; x++) {
      if (at(x, y) && at(x - 2, y) && at(x + 2, y) && at(x, y - 2) && at(x, y + 2)) points.push(x, y);
    }
  }
  return points;
}

/** Mean squared colour error between the photo's object pixels and the frame at those pixels moved by (dx, dy). */
function mismatch(frame: RgbaImage, points: number[], dx: number, dy: number): number {
  let sum = 0;
  let count = 0;
  for (let k = 0; k < points.length; k += 2) {
    const x = points[k]! + dx;
    const y = points[k + 1]! + dy;
    if (x < 0 || y < 0 || x > SIZE.width - 2 || y > SIZE.height - 2) continue;
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const fx = x - x0;
    const fy = y - y0;
    const p = (points[k + 1]! * SIZE.width + points[k]!) * 4;
    for (let c = 0; c < 3; c++) {
      const v = (xx: number, yy: number) => frame.data[(yy * SIZE.width + xx) * 4 + c]!;
      const sample =
        (v(x0, y0) * (1 - fx) + v(x0 + 1, y0) * fx) * (1 - fy) +
        (v(x0, y0 + 1) * (1 - fx) + v(x0 + 1, y0 + 1) * fx) * fy;
      sum += (sample - reference.data[p + c]!) ** 2;
    }
    count++;
  }
  return count > 0 ? sum / (count * 3) : Infinity;
}

/** Where the object is drawn along a direction: the shift (quarter pixels, 0-80 px) that matches it best. */
function displacement(
  frame: RgbaImage,
  points: number[],
  ux: number,
  uy: number,
): { at: number; error: number } {
  let best = { at: 0, error: Infinity };
  for (let d = 0; d <= 80; d += 0.25) {
    const error = mismatch(frame, points, ux * d, uy * d);
    if (error < best.error) best = { at: d, error };
  }
  return best;
}

describe('travel', () => {
  it('drives the object right by the distance its strength gives, accelerating from rest (once)', async () => {
    const strength = 2;
    const { frames, report } = await render(spec('drive forward', strength), 'once');
    expect(report.fieldStrength).toBeCloseTo(strength, 2);
    const points = innerPixels();
    // Once: the path x(t) = D (t / N)^2 over the N frames; the mean speed over the N - 1 frame pairs is
    // the strength, so D = strength * unit * N^2 / (N - 1).
    const travelled = (strength * unit * FRAMES ** 2) / (FRAMES - 1);
    const expected = (t: number) => travelled * (t / FRAMES) ** 2;
    let last = -1;
    for (const t of [6, 12, 18, FRAMES - 1]) {
      const found = displacement(frames[t]!, points, 1, 0);
      expect(found.at, `frame ${t}`).toBeCloseTo(expected(t), 0);
      // And it is the object there: it matches far better than where it stood.
      expect(found.error, `frame ${t}`).toBeLessThan(0.25 * mismatch(frames[t]!, points, 0, 0));
      expect(found.at).toBeGreaterThan(last);
      last = found.at;
    }
    // It does not come back: the last frame is far from the photo where the object stood.
    expect(displacement(frames[FRAMES - 1]!, points, 1, 0).at).toBeGreaterThan(0.8 * travelled);
  });

  it('changes nothing beyond its motion area (the mask swept along the path) grown by 2%', async () => {
    const { frames, report } = await render(spec('drive forward', 3), 'once');
    const area = maskAt(report.motionArea, SIZE.width, SIZE.height);
    const own = maskAt(rasterize(SPOON, photo.width, photo.height), SIZE.width, SIZE.height);
    // The area holds the mask and reaches right along the path, not left of it.
    expect(own.every((v, i) => v === 0 || area[i] === 1)).toBe(true);
    let right = 0;
    let left = 0;
    let x0 = SIZE.width;
    for (let i = 0; i < own.length; i++) if (own[i]) x0 = Math.min(x0, i % SIZE.width);
    for (let i = 0; i < area.length; i++) {
      if (!area[i] || own[i]) continue;
      if (i % SIZE.width < x0 - 1) left++;
      else right++;
    }
    expect(right).toBeGreaterThan(200);
    expect(left).toBe(0);
    const band = dilatedRegions([report.motionArea], SIZE.width, SIZE.height, 0.02);
    let changed = 0;
    let checked = 0;
    for (const frame of frames) {
      for (let p = 0; p < band.length; p++) {
        if (band[p]) continue;
        checked++;
        for (let c = 0; c < 4; c++) if (frame.data[p * 4 + c] !== reference.data[p * 4 + c]) changed++;
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(changed).toBe(0);
    // Moving pixels did leave the region's own 2% band (it travels, it is not clipped to where it stood).
    const ownBand = dilatedRegions(
      [rasterize(SPOON, photo.width, photo.height)],
      SIZE.width,
      SIZE.height,
      0.02,
    );
    const last = frames[FRAMES - 1]!;
    let outside = 0;
    for (let p = 0; p < ownBand.length; p++) {
      if (!ownBand[p] && Math.abs(last.data[p * 4]! - reference.data[p * 4]!) > 10) outside++;
    }
    expect(outside).toBeGreaterThan(100);
  });

  it('starts on the photo and fills where the object was with the background around it', async () => {
    const { frames } = await render(spec('drive forward', 3), 'once');
    expect(Buffer.compare(Buffer.from(frames[0]!.data), Buffer.from(reference.data))).toBe(0);
    // Once the spoon has gone, where it stood looks like the table around it, not like the spoon.
    const own = maskAt(rasterize(SPOON, photo.width, photo.height), SIZE.width, SIZE.height);
    const ring = dilatedRegions([rasterize(SPOON, photo.width, photo.height)], SIZE.width, SIZE.height, 0.05);
    const mean = (image: RgbaImage, where: (p: number) => boolean) => {
      const sum = [0, 0, 0];
      let n = 0;
      for (let p = 0; p < own.length; p++) {
        if (!where(p)) continue;
        for (let c = 0; c < 3; c++) sum[c]! += image.data[p * 4 + c]!;
        n++;
      }
      return sum.map((v) => v / n);
    };
    const around = mean(reference, (p) => ring[p] === 1 && own[p] === 0);
    const spoon = mean(reference, (p) => own[p] === 1);
    const filled = mean(frames[FRAMES - 1]!, (p) => own[p] === 1);
    const distance = (a: number[], b: number[]) => Math.hypot(...a.map((v, c) => v - b[c]!));
    expect(distance(filled, around)).toBeLessThan(0.5 * distance(spoon, around));
  });

  it('loops: leaves the frame along its path and comes back from the other side, never see-through', async () => {
    const { frames } = await render(spec('drive forward', 3), 'loop');
    const points = innerPixels();
    // On its way it is the object, opaque, further right frame by frame, until it has left.
    const right = (t: number) => displacement(frames[t]!, points, 1, 0);
    expect(right(3).at).toBeGreaterThan(0);
    expect(right(3).error).toBeLessThan(0.25 * mismatch(frames[3]!, points, 0, 0));
    expect(right(6).at).toBeGreaterThan(right(3).at);
    // It comes back in from the left, opaque, and arrives at rest: two frames before the end it is
    // whole, a little left of where it stands.
    const left = (t: number) => displacement(frames[t]!, points, -1, 0);
    const late = left(FRAMES - 2);
    expect(late.at).toBeGreaterThan(0);
    expect(late.error).toBeLessThan(0.25 * mismatch(frames[FRAMES - 2]!, points, 0, 0));
    expect(left(FRAMES - 1).at).toBeLessThan(late.at);
    // Never a see-through object: every frame's pixels on the object's track are either the object
    // (matched above) or the filled background, never a blend; so a frame matches the object somewhere
    // along the line at least as well as the photo's background ever does, or shows no object at all.
    for (let t = 1; t < FRAMES; t++) {
      const here = mismatch(frames[t]!, points, 0, 0);
      expect(here, `frame ${t} is not the photo`).toBeGreaterThan(0);
    }
  });

  it('says so when a loop is too short for the strength asked: it has to leave and come back', async () => {
    // In a 2 s loop the spoon must cross out of the frame and back: faster than strength 1.
    const looped = (await render(spec('drive forward', 1), 'loop')).report;
    expect(looped.fieldStrength).toBeGreaterThan(1.5);
    expect(looped.note).toMatch(/^Moves at strength \d+\.\d, not 1\.0: in a 2\.0 s loop it has to leave/);
    expect(looped.note).toContain('choose Once or Ping-pong, or a longer clip');
    // Played once, strength 1 is what it gets, and nothing is said.
    const once = (await render(spec('drive forward', 1), 'once')).report;
    expect(once.fieldStrength).toBeCloseTo(1, 1);
    expect(once.note).toBeNull();
  });

  it('plays ping-pong out and back along the same path', async () => {
    const { frames } = await render(spec('launch', 3), 'pingpong');
    const points = innerPixels();
    for (let t = 1; t < FRAMES / 2; t++) {
      expect(Buffer.compare(Buffer.from(frames[t]!.data), Buffer.from(frames[FRAMES - t]!.data))).toBe(0);
    }
    const up = (t: number) => displacement(frames[t]!, points, 0, -1).at;
    expect(up(FRAMES / 2)).toBeGreaterThan(up(FRAMES / 4));
    expect(up(FRAMES / 4)).toBeGreaterThan(0);
  });

  it('takes the object’s rim with it: the layer reaches past the mask', async () => {
    const { frames } = await render(spec('drive forward', 3), 'once');
    // Just outside the mask's left edge, the pixels change once the spoon has gone (its rim went with it).
    const own = maskAt(rasterize(SPOON, photo.width, photo.height), SIZE.width, SIZE.height);
    const last = frames[FRAMES - 1]!;
    let rim = 0;
    let changed = 0;
    for (let y = 0; y < SIZE.height; y++) {
      for (let x = 1; x < SIZE.width; x++) {
        const p = y * SIZE.width + x;
        if (!own[p] || own[p - 1]) continue;
        rim++;
        const q = p - 1;
        if (Math.abs(last.data[q * 4]! - reference.data[q * 4]!) > 0) changed++;
      }
    }
    expect(rim).toBeGreaterThan(10);
    expect(changed / rim).toBeGreaterThan(0.9);
  });
});

describe('travel matte', () => {
  /** Mean absolute change (all channels) between two frames over the given pixels. */
  const change = (a: RgbaImage, b: RgbaImage, where: number[]) => {
    let sum = 0;
    for (const p of where)
      for (let c = 0; c < 3; c++) sum += Math.abs(a.data[p * 4 + c]! - b.data[p * 4 + c]!);
    return sum / (3 * where.length);
  };

  it('starts without a pop: the first step changes the rim as little as the motion does', async () => {
    for (const prompt of ['launch', 'drive forward']) {
      const { frames } = await render(spec(prompt, 3), 'once');
      expect(Buffer.compare(Buffer.from(frames[0]!.data), Buffer.from(reference.data))).toBe(0);
      // The rim: 3 px either side of the mask's edge, where a cut grown past the mask showed its fill.
      const own = maskAt(rasterize(SPOON, photo.width, photo.height), SIZE.width, SIZE.height);
      const near = dilatedRegions(
        [rasterize(SPOON, photo.width, photo.height)],
        SIZE.width,
        SIZE.height,
        0.01,
      );
      const rim: number[] = [];
      for (let y = 3; y < SIZE.height - 3; y++) {
        for (let x = 3; x < SIZE.width - 3; x++) {
          const p = y * SIZE.width + x;
          const edge = own[p - 3] !== own[p + 3] || own[p - 3 * SIZE.width] !== own[p + 3 * SIZE.width];
          if (edge && near[p]) rim.push(p);
        }
      }
      expect(rim.length).toBeGreaterThan(100);
      let mean = 0;
      for (let t = 1; t < FRAMES; t++) mean += change(frames[t - 1]!, frames[t]!, rim);
      mean /= FRAMES - 1;
      // (Cut with a grown feather and its rim ring filled at once: launch 1.04 against a mean of 0.95.)
      // From rest the object moves a third as far in the first step as in the second (it accelerates): so
      // must the rim change. Cut with a grown feather and its rim ring filled at once, launch's first step
      // changed it by 3.66 levels, more than the second (3.18) and a third of the mean step (11.5).
      const first = change(frames[0]!, frames[1]!, rim);
      expect(first, prompt).toBeLessThan(0.5 * change(frames[1]!, frames[2]!, rim));
      expect(first, prompt).toBeLessThan(0.2 * mean);
    }
  });

  it('renders the same frames on worker threads as inline (the rest background travels with the plan)', async () => {
    const workers = createMotionEngine({ workers: 1 });
    try {
      const inline = await render(spec('launch', 3), 'loop');
      const threaded = await render(spec('launch', 3), 'loop', workers);
      inline.frames.forEach((frame, t) =>
        expect(
          Buffer.compare(Buffer.from(frame.data), Buffer.from(threaded.frames[t]!.data)),
          `frame ${t}`,
        ).toBe(0),
      );
    } finally {
      await workers.dispose();
    }
  });

  it('carries no ring of the table it left: the layer is cut on the coverage, its soft edge split', async () => {
    const { frames } = await render(spec('drive forward', 3), 'once');
    const own = maskAt(rasterize(SPOON, photo.width, photo.height), SIZE.width, SIZE.height);
    const ring = carriedRing(frames.map(toGrey), toGrey(reference), own);
    expect(ring).not.toBeNull();
    expect(ring!.pixels).toBeGreaterThan(50);
    expect(ring!.share).toBeLessThanOrEqual(DEFECT_TARGETS.carriedRing.atMost);
  });
});

describe('travel path in a loop', () => {
  it('goes out of the frame, comes back in from the other side and ends at rest, opaque in view', () => {
    const samples = Float32Array.from([10, 10, 20, 10, 10, 30, 20, 30]);
    const frame = { width: 100, height: 80, reach: 3 };
    const family = layerFamily(
      { primitive: 'travel', direction: 90, shrink: 0, pace: 'accelerate' },
      { centroid: { x: 15, y: 20 }, samples, top: 10, bottom: 30, frame },
      48,
      24,
      true,
      1,
    );
    // A speed too slow to get round in 48 frames is raised to the least that does.
    for (const speed of [1, 8]) {
      const motion = family.build(speed, 1);
      const m = new Float64Array(6);
      let wentOut = false;
      let cameBack = false;
      let gone = 0;
      for (let tau = 0; tau <= 48; tau += 0.25) {
        motion.affine(tau, m);
        const top = 10 + m[5]!;
        const bottom = 30 + m[5]!;
        const inView = bottom > -frame.reach && top < frame.height + frame.reach;
        if (motion.opacity(tau) === 0) {
          // Hidden only while wholly out of view.
          expect(inView, `tau ${tau}`).toBe(false);
          gone += 0.25;
        } else expect(motion.opacity(tau)).toBe(1);
        if (bottom < 0) wentOut = true;
        if (wentOut && top > frame.height) cameBack = true;
      }
      expect(wentOut && cameBack).toBe(true);
      expect(gone).toBeGreaterThanOrEqual(TRAVEL_OFF_FRAME_LEAST - 0.5);
      motion.affine(48, m);
      expect(Array.from(m).map((v) => Math.abs(Math.round(v * 1e9) / 1e9))).toEqual([1, 0, 0, 0, 1, 0]);
    }
    // Fast enough, it keeps its speed: covering the way out takes leave / speed frames.
    const fast = family.build(8, 1);
    const m = new Float64Array(6);
    fast.affine(3, m);
    expect(m[5]!).toBeLessThan(0);
  });
});
