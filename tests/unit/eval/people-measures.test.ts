// The people measures of `stir eval` (issue 12, point 5), each checked on made clips first: it fires on a
// made defect and stays quiet on a clean frame. A drawn eye that is painted over with skin reads as shut,
// a patch moved by a known offset around a mouth corner reads as that lift, and a face changed outside
// the moving parts loses SSIM while a change inside them does not count.
import { describe, expect, it } from 'vitest';
import { toGrey } from '../../../src/engine/flow/index.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { cornerLift, EyeOpening, patchOffset, ssimInside } from '../../../src/engine/eval/people/measures.js';
import { LEFT_EYE, MOUTH, RIGHT_EYE } from '../../../src/engine/people/landmarks.js';
import type { FoundFace } from '../../../src/engine/people/types.js';

const W = 160;
const H = 120;
const SKIN: [number, number, number] = [214, 170, 140];

function image(fill: (x: number, y: number) => [number, number, number]): RgbaImage {
  const data = new Uint8Array(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const [r, g, b] = fill(x, y);
      data.set([r, g, b, 255], (y * W + x) * 4);
    }
  }
  return { width: W, height: H, data };
}

/** Two eyes centred at (50, 50) and (110, 50), 24 px wide and 10 px open; the lids and irises as a mesh. */
const EYES = [
  { cx: 50, cy: 50 },
  { cx: 110, cy: 50 },
];
const HALF_W = 12;
const HALF_H = 5;

function faceWithEyes(): FoundFace {
  const mesh = new Array<number>(478 * 2).fill(0);
  const set = (index: number, x: number, y: number) => {
    mesh[index * 2] = x;
    mesh[index * 2 + 1] = y;
  };
  [RIGHT_EYE, LEFT_EYE].forEach((eye, k) => {
    const { cx, cy } = EYES[k]!;
    eye.upper.forEach((index, i) => {
      const t = (i / (eye.upper.length - 1)) * 2 - 1;
      set(index, cx + t * HALF_W, cy - HALF_H * Math.sqrt(1 - t * t));
    });
    eye.lower.forEach((index, i) => {
      const t = (i / (eye.lower.length - 1)) * 2 - 1;
      set(index, cx + t * HALF_W, cy + HALF_H * Math.sqrt(1 - t * t));
    });
    set(eye.iris[0]!, cx, cy);
  });
  set(MOUTH.rightCorner, 60, 95);
  set(MOUTH.leftCorner, 100, 95);
  return { box: [20, 20, 120, 100], score: 1, mesh };
}

/** Skin with open eyes (white with a dark iris), the upper `shut` share of each covered by skin. */
function eyesImage(shut: number): RgbaImage {
  return image((x, y) => {
    for (const { cx, cy } of EYES) {
      const inside = ((x - cx) / HALF_W) ** 2 + ((y - cy) / HALF_H) ** 2 <= 1;
      if (!inside) continue;
      if (y < cy - HALF_H + shut * 2 * HALF_H) return SKIN;
      return Math.hypot(x - cx, y - cy) < 4 ? [60, 40, 30] : [235, 235, 230];
    }
    return SKIN;
  });
}

describe('eye opening', () => {
  const face = faceWithEyes();
  const photo = eyesImage(0);
  const opening = new EyeOpening(photo, face);

  it('reads the open eye as open (quiet on a clean frame)', () => {
    expect(opening.openRows.every((rows) => rows >= 8)).toBe(true);
    expect(opening.ratio(photo)).toBe(1);
  });

  it('reads an eye painted over with skin as shut, and a half-shut eye as about half open', () => {
    expect(opening.ratio(eyesImage(1))).toBeLessThan(0.1);
    const half = opening.ratio(eyesImage(0.5));
    expect(half).toBeGreaterThan(0.35);
    expect(half).toBeLessThan(0.65);
  });
});

/** A smooth random texture (a sum of sines), so block matching has something to hold on to. */
function texture(x: number, y: number): number {
  return (
    128 +
    40 * Math.sin(x * 0.45 + y * 0.13) +
    30 * Math.sin(y * 0.37 - x * 0.21 + 1.3) +
    20 * Math.sin((x + y) * 0.71 + 0.4)
  );
}

/** The texture with a disc of radius 14 around (cx, cy) showing what lies at -offset (content moved by offset). */
function moved(cx: number, cy: number, dx: number, dy: number): RgbaImage {
  return image((x, y) => {
    const inDisc = Math.hypot(x - cx, y - cy) <= 14;
    const v = inDisc ? texture(x - dx, y - dy) : texture(x, y);
    return [v, v, v];
  });
}

describe('mouth-corner lift', () => {
  const photo = toGrey(moved(0, 0, 0, 0));
  const face = faceWithEyes();

  it('measures a patch moved by a known offset to a fraction of a pixel', () => {
    const [dx, dy] = patchOffset(photo, toGrey(moved(60, 95, 1.5, -3)), [60, 95], 5, 6);
    expect(dx).toBeCloseTo(1.5, 0);
    expect(dy).toBeCloseTo(-3, 0);
  });

  it('is the mean of both corners, and zero on a clean frame', () => {
    const both = image((x, y) => {
      const near = Math.hypot(x - 60, y - 95) <= 14 || Math.hypot(x - 100, y - 95) <= 14;
      const v = near ? texture(x, y + 2) : texture(x, y);
      return [v, v, v];
    });
    expect(cornerLift(photo, toGrey(both), face, 6)).toBeCloseTo(2, 0);
    expect(cornerLift(photo, photo, face, 6)).toBe(0);
  });
});

describe('face still (SSIM inside a mask)', () => {
  const photo = moved(0, 0, 0, 0);
  const grey = toGrey(photo);
  // The still part: the left half of the frame.
  const still = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W / 2; x++) still[y * W + x] = 1;

  it('stays at 1 on a clean frame and on a change outside the still part', () => {
    expect(ssimInside(grey, grey, still)).toBe(1);
    expect(ssimInside(grey, toGrey(moved(120, 60, 0, -3)), still)).toBeGreaterThan(0.999);
  });

  it('falls below 0.98 when the still part moves', () => {
    expect(ssimInside(grey, toGrey(moved(40, 60, 0, -3)), still)).toBeLessThan(0.98);
  });
});
