import { describe, expect, it } from 'vitest';
import {
  allFramesConditions,
  firstFrameConditions,
  frameCoefficients,
} from '../../../src/engine/diffusion/conditioning.js';
import {
  blur,
  compositeAlpha,
  dilate,
  maskCoverage,
  maskNearest,
} from '../../../src/engine/diffusion/masks.js';
import { jointsAt, poseConditioning } from '../../../src/engine/diffusion/pose.js';
import { guideAndBlend, keepOutside, regionLayers } from '../../../src/engine/diffusion/regions.js';
import { SeededRandom, combineSeeds } from '../../../src/engine/diffusion/rng.js';
import { framePair, generatedFrameTimes, positionAt } from '../../../src/engine/diffusion/timeline.js';
import { workingSize } from '../../../src/engine/diffusion/working-size.js';
import { POSE_JOINTS, type Mask } from '../../../src/shared/index.js';

describe('seeded normal numbers', () => {
  it('repeat for a seed, differ between seeds, and have mean 0 and variance 1', () => {
    const a = new SeededRandom(7).fillNormal(new Float32Array(100_000));
    const b = new SeededRandom(7).fillNormal(new Float32Array(100_000));
    const c = new SeededRandom(8).fillNormal(new Float32Array(100_000));
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const variance = a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    // About 4.55% of a standard normal lies beyond 2 sigma.
    const tails = a.filter((v) => Math.abs(v) > 2).length / a.length;
    expect(Math.abs(tails - 0.0455)).toBeLessThan(0.004);
  });

  it('combines region seeds order-sensitively', () => {
    expect(combineSeeds([1, 2])).toBe(combineSeeds([1, 2]));
    expect(combineSeeds([1, 2])).not.toBe(combineSeeds([2, 1]));
  });
});

describe('working size', () => {
  it('puts about 512 on the long side, multiples of 64, aspect as close as that allows', () => {
    expect(workingSize(4000, 3000, 512)).toEqual({ width: 512, height: 384 });
    expect(workingSize(451, 300, 512)).toEqual({ width: 512, height: 320 });
    expect(workingSize(300, 4000, 512)).toEqual({ width: 64, height: 512 });
    expect(workingSize(1000, 1000, 512, { width: 40, height: 48 })).toEqual({ width: 320, height: 384 });
  });
});

function rectMask(width: number, height: number, x0: number, y0: number, x1: number, y1: number): Mask {
  const data = new Uint8Array(width * height);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * width + x] = 255;
  return { width, height, data };
}

describe('masks', () => {
  it('dilates like a brute-force square maximum, whatever the radius', () => {
    const random = new SeededRandom(3);
    const [w, h] = [37, 23];
    const values = Float32Array.from({ length: w * h }, () =>
      random.uniform() > 0.93 ? random.uniform() : 0,
    );
    for (const r of [1, 2, 5, 30]) {
      const fast = dilate(values, w, h, r);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          let best = 0;
          for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
            for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++)
              best = Math.max(best, values[yy * w + xx]!);
          }
          expect(fast[y * w + x], `r=${r} at ${x},${y}`).toBe(best);
        }
      }
    }
  });

  it('blurs without changing a constant or the total of an interior spot', () => {
    const flat = blur(new Float32Array(100).fill(0.5), 10, 10, 3);
    flat.forEach((v) => expect(v).toBeCloseTo(0.5, 6));
    const spot = new Float32Array(41 * 41);
    spot[20 * 41 + 20] = 1;
    expect(blur(spot, 41, 41, 3).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
  });

  it('samples the nearest cell for the UNet, and keeps a region smaller than a cell', () => {
    const mask = rectMask(64, 64, 16, 0, 48, 32);
    const nearest = maskNearest(mask, 8, 8);
    expect(Array.from(nearest.subarray(0, 8))).toEqual([0, 0, 1, 1, 1, 1, 0, 0]);
    expect(Array.from(nearest.subarray(32, 40))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const speck = maskNearest(rectMask(64, 64, 1, 1, 3, 3), 8, 8);
    expect(speck[0]).toBe(1);
    expect(speck.reduce((s, v) => s + v, 0)).toBe(1);
    expect(maskCoverage(mask, 2, 2)[0]).toBeCloseTo(0.5, 6);
  });

  it('makes a compositing alpha that reaches beyond the mask by the dilation and fades over the feather', () => {
    const alpha = compositeAlpha(rectMask(100, 100, 40, 40, 60, 60), 100, 100, 5, 2);
    expect(alpha[50 * 100 + 50]).toBe(255);
    expect(alpha[50 * 100 + 60]).toBe(255); // inside the dilation, a feather away from its edge
    expect(alpha[50 * 100 + 66]).toBeGreaterThan(0); // feathered edge
    expect(alpha[50 * 100 + 66]).toBeLessThan(255);
    expect(alpha[50 * 100 + 70]).toBe(0);
  });
});

describe('conditioning channels', () => {
  const shape = { frames: 4, height: 2, width: 3 };
  const plane = 6;
  const image = Float32Array.from({ length: 4 * plane }, (_, i) => i + 1);

  it('first-frame layout: the image latent on frame 0 only, the region mask on every frame', () => {
    const region = Float32Array.from([1, 0, 1, 0, 1, 0]);
    const c = firstFrameConditions(image, region, shape.frames, shape.height, shape.width);
    for (let f = 0; f < 4; f++)
      expect(Array.from(c.subarray(f * plane, (f + 1) * plane))).toEqual(Array.from(region));
    expect(Array.from(c.subarray(4 * plane, 5 * plane))).toEqual([1, 2, 3, 4, 5, 6]); // channel 5, frame 0
    expect(c.subarray(5 * plane, 8 * plane).every((v) => v === 0)).toBe(true); // channel 5, frames 1-3
    const none = firstFrameConditions(image, null, shape.frames, shape.height, shape.width);
    expect(Array.from(none.subarray(0, 2 * plane))).toEqual([
      ...new Array(plane).fill(1),
      ...new Array(plane).fill(0),
    ]);
  });

  it('all-frames layout: the image latent on every frame, one coefficient per frame', () => {
    const c = allFramesConditions(image, [1, 0.8, 0.7, 0.6], shape.frames, shape.height, shape.width);
    expect(c[plane * 2]).toBeCloseTo(0.7, 6);
    for (let f = 0; f < 4; f++) expect(c[(1 * 4 + f) * plane]).toBe(1); // channel 5 starts with the latent's 1
  });

  it("gives PIA's coefficients: preset by strength, looping presets for loops, extended with the last value", () => {
    expect(frameCoefficients(8, 2, 'once')).toEqual([1.0, 0.9, 0.85, 0.85, 0.85, 0.8, 0.8, 0.8]);
    expect(frameCoefficients(3, 6, 'once')).toEqual([1.0, 0.8, 0.8]);
    expect(frameCoefficients(16, 20, 'loop')).toEqual([
      1.0, 0.8, 0.7, 0.7, 0.7, 0.7, 0.6, 0.5, 0.5, 0.6, 0.7, 0.7, 0.7, 0.7, 0.8, 1.0,
    ]);
  });
});

describe('guidance and regions', () => {
  const shape = { channels: 1, frames: 1, height: 1, width: 3 };
  const run = (
    predictions: Float32Array[],
    pairs: { cond: number; uncond: number | null }[],
    weights: Float32Array[],
  ) => Array.from(guideAndBlend(predictions, pairs, 7.5, weights, shape, new Float32Array(3)));

  it('guides: uncond + scale (cond - uncond)', () => {
    expect(
      run(
        [Float32Array.of(2, 0, 1), Float32Array.of(1, 2, 1)],
        [{ cond: 0, uncond: 1 }],
        [Float32Array.of(0, 0, 0)],
      ),
    ).toEqual([8.5, -13, 1]);
  });

  it('blends bottom to top through the masks, the bottom region where none reaches', () => {
    const out = run(
      [Float32Array.of(1, 1, 1), Float32Array.of(3, 3, 3)],
      [
        { cond: 0, uncond: null },
        { cond: 1, uncond: null },
      ],
      [Float32Array.of(1, 1, 0), Float32Array.of(0, 1, 0)],
    );
    expect(out).toEqual([1, 3, 1]);
  });

  it('equals blending every region in turn, for overlapping soft regions with and without guidance', () => {
    const random = new SeededRandom(11);
    const big = { channels: 2, frames: 3, height: 5, width: 7 };
    const plane = big.height * big.width;
    const size = big.channels * big.frames * plane;
    const predictions = Array.from({ length: 5 }, () => random.fillNormal(new Float32Array(size)));
    const pairs = [
      { cond: 0, uncond: 1 },
      { cond: 2, uncond: null },
      { cond: 3, uncond: 4 },
    ];
    // Weights of exactly 0, exactly 1 and in between, overlapping.
    const weights = pairs.map(() =>
      Float32Array.from({ length: plane }, () => {
        const u = random.uniform();
        return u < 0.3 ? 0 : u > 0.7 ? 1 : u;
      }),
    );
    const expected = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      let value = 0;
      pairs.forEach((pair, r) => {
        const c = predictions[pair.cond]![i]!;
        const u = pair.uncond === null ? c : predictions[pair.uncond]![i]!;
        const guided = pair.uncond === null ? c : u + 7.5 * (c - u);
        value = r === 0 ? guided : value + weights[r]![i % plane]! * (guided - value);
      });
      expected[i] = value;
    }
    const out = guideAndBlend(predictions, pairs, 7.5, weights, big, new Float32Array(size));
    out.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
  });

  it('computes a region only where it shows: not under a region of weight 1', () => {
    const hidden = Float32Array.of(Number.NaN, Number.NaN, Number.NaN);
    const out = run(
      [Float32Array.of(1, 1, 1), hidden, Float32Array.of(3, 3, 3)],
      [
        { cond: 0, uncond: null },
        { cond: 1, uncond: null },
        { cond: 2, uncond: null },
      ],
      [Float32Array.of(1, 1, 1), Float32Array.of(1, 1, 0), Float32Array.of(1, 1, 0.5)],
    );
    // Cells 0-1: region 1 (NaN, were it computed) lies under the top region's weight 1. Cell 2: region 1
    // has weight 0, the top region 0.5 over the bottom one.
    expect(out).toEqual([3, 3, 2]);
    const layers = regionLayers(
      [Float32Array.of(1, 1, 1), Float32Array.of(1, 1, 0), Float32Array.of(1, 1, 0.5)],
      3,
    );
    expect(Array.from(layers.opaque[0]!)).toEqual([2, 3]);
    expect(Array.from(layers.opaque[1]!)).toEqual([]);
    expect(Array.from(layers.blended[1]!)).toEqual([]);
    expect(Array.from(layers.opaque[2]!)).toEqual([0, 2]);
    expect(Array.from(layers.blended[2]!)).toEqual([2, 3]);
  });

  it('keeps the reference outside the moving area', () => {
    const latents = Float32Array.of(5, 5, 5);
    keepOutside(latents, Float32Array.of(1, 1, 1), Float32Array.of(1, 0.5, 0), shape);
    expect(Array.from(latents)).toEqual([5, 3, 1]);
  });
});

describe('timeline', () => {
  const F = 16;
  it('starts every loop mode on generated frame 0 and honours each mode', () => {
    const once = { seconds: 2, fps: 10, loop: 'once' as const };
    expect(positionAt(0, once, { start: 0, end: null }, F)).toBe(0);
    expect(positionAt(19, once, { start: 0, end: null }, F)).toBeCloseTo(F - 1, 6);
    const loop = { ...once, loop: 'loop' as const };
    expect(positionAt(10, loop, { start: 0, end: null }, F)).toBeCloseTo(8, 6);
    expect(positionAt(19, loop, { start: 0, end: null }, F)).toBeCloseTo(15.2, 6);
    expect(framePair(15.2, F, 'loop')).toEqual({ a: 15, b: 0, weight: expect.closeTo(0.2, 6) as number });
    const pingpong = { ...once, loop: 'pingpong' as const };
    expect(positionAt(10, pingpong, { start: 0, end: null }, F)).toBeCloseTo(15, 6);
    expect(positionAt(15, pingpong, { start: 0, end: null }, F)).toBeCloseTo(7.5, 6);
  });

  it('holds a region still outside its window', () => {
    const timing = { seconds: 4, fps: 10, loop: 'once' as const };
    const window = { start: 1, end: 2 };
    expect(positionAt(5, timing, window, F)).toBe(0);
    expect(positionAt(15, timing, window, F)).toBeGreaterThan(0);
    expect(positionAt(30, timing, window, F)).toBe(F - 1);
    expect(generatedFrameTimes(timing, window, F)[0]).toBe(1);
  });
});

describe('pose drawings', () => {
  const joints = (dx: number) => POSE_JOINTS.map((_, j) => ({ x: 20 + dx + (j % 3) * 5, y: 10 + j * 4 }));
  const pose = {
    keyframes: [
      { time: 0, joints: joints(0) },
      { time: 1, joints: joints(40) },
    ],
  };

  it('interpolates joints between keyframes and holds outside them', () => {
    expect(jointsAt(pose, 0.5)[0]).toEqual({ x: 40, y: 10 });
    expect(jointsAt(pose, 5)[0]).toEqual({ x: 60, y: 10 });
  });

  it('draws a skeleton per frame where its joints are, nothing for regions without a pose', () => {
    const drawings = poseConditioning(
      [null, pose],
      [0, 1],
      { width: 100, height: 100 },
      { width: 50, height: 50 },
    )!;
    expect(drawings).toHaveLength(2 * 3 * 50 * 50);
    const inked = (f: number, x: number, y: number) =>
      [0, 1, 2].some((c) => drawings[f * 3 * 2500 + c * 2500 + y * 50 + x]! > 0);
    expect(inked(0, 10, 5)).toBe(true); // the nose of frame 0 at (20, 10) in photo pixels
    expect(inked(1, 10, 5)).toBe(false);
    expect(inked(1, 30, 5)).toBe(true);
    expect(poseConditioning([null], [0], { width: 1, height: 1 }, { width: 8, height: 8 })).toBeNull();
  });
});
