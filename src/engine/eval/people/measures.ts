// Measures of a people clip (issue 12, point 5), read off the rendered frames with the face mesh found on
// the photo (in output pixels): how open each eye is (an intensity profile down through the iris), how far
// a mouth corner moved (block matching around it), and how still the face is outside the moving parts
// (SSIM to the photo inside a mask).
import type { GreyImage } from '../../flow/index.js';
import type { RgbaImage } from '../../image/types.js';
import {
  LEFT_EYE,
  MOUTH,
  RIGHT_EYE,
  meshPoint,
  meshPoints,
  type EyeIndices,
} from '../../people/landmarks.js';
import type { FoundFace } from '../../people/types.js';

/** Where to read an eye's opening: the column through its iris, and its lids there. */
export interface EyeProbe {
  x: number;
  /** Upper and lower lid at the iris, in output pixels (top < bottom). */
  top: number;
  bottom: number;
  /** Half the strip's width, in pixels. */
  halfWidth: number;
}

export function eyeProbes(face: FoundFace): EyeProbe[] {
  return [RIGHT_EYE, LEFT_EYE].map((eye: EyeIndices) => {
    const upper = meshPoints(face, eye.upper);
    const lower = meshPoints(face, eye.lower);
    const iris = meshPoint(face, eye.iris[0]!);
    const width = Math.hypot(upper[0]![0] - upper.at(-1)![0], upper[0]![1] - upper.at(-1)![1]);
    // The lids where they cross the iris's column: the middle points of each lid.
    const mid = Math.floor(upper.length / 2);
    const top = Math.min(upper[mid - 1]![1], upper[mid]![1], upper[mid + 1]![1]);
    const bottom = Math.max(lower[mid - 1]![1], lower[mid]![1], lower[mid + 1]![1]);
    return { x: iris[0], top, bottom, halfWidth: Math.max(1, width * 0.12) };
  });
}

/** Mean colour of the rows y0..y1 (inclusive) of the probe's strip. */
function rowColour(image: RgbaImage, probe: EyeProbe, y: number): [number, number, number] {
  const x0 = Math.max(0, Math.round(probe.x - probe.halfWidth));
  const x1 = Math.min(image.width - 1, Math.round(probe.x + probe.halfWidth));
  const row = Math.min(image.height - 1, Math.max(0, y));
  const sum: [number, number, number] = [0, 0, 0];
  for (let x = x0; x <= x1; x++) {
    const i = (row * image.width + x) * 4;
    sum[0] += image.data[i]!;
    sum[1] += image.data[i + 1]!;
    sum[2] += image.data[i + 2]!;
  }
  const n = x1 - x0 + 1;
  return [sum[0] / n, sum[1] / n, sum[2] / n];
}

/** The eye's rows and the skin colour around it (above the upper lid and below the lower one). */
function eyeProfile(image: RgbaImage, probe: EyeProbe): { rows: number[]; distances: number[] } {
  const h = Math.max(3, probe.bottom - probe.top);
  const skinRows = [
    ...range(Math.round(probe.top - h), Math.round(probe.top - 0.6 * h)),
    ...range(Math.round(probe.bottom + 0.6 * h), Math.round(probe.bottom + h)),
  ];
  const skin = skinRows
    .map((y) => rowColour(image, probe, y))
    .reduce((a, c) => [a[0] + c[0], a[1] + c[1], a[2] + c[2]], [0, 0, 0])
    .map((v) => v / Math.max(1, skinRows.length));
  const rows = range(Math.round(probe.top - 0.4 * h), Math.round(probe.bottom + 0.4 * h));
  const distances = rows.map((y) => {
    const c = rowColour(image, probe, y);
    return Math.hypot(c[0] - skin[0]!, c[1] - skin[1]!, c[2] - skin[2]!);
  });
  return { rows, distances };
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v++) out.push(v);
  return out;
}

/**
 * How open the eyes are on a frame compared with the photo (1 = as open, 0 = shut): for each eye, the
 * rows of a strip down through the iris whose colour stands out from the skin around the eye (iris,
 * sclera, the lid's edge), counted on the frame against a threshold set on the photo (0.3 of the strongest, as the iris stands out more than the white of the eye); the mean of
 * both eyes.
 */
export class EyeOpening {
  readonly #probes: EyeProbe[];
  readonly #thresholds: number[];
  readonly #open: number[];

  constructor(photo: RgbaImage, face: FoundFace) {
    this.#probes = eyeProbes(face);
    this.#thresholds = [];
    this.#open = [];
    for (const probe of this.#probes) {
      const { distances } = eyeProfile(photo, probe);
      const threshold = 0.3 * Math.max(...distances);
      this.#thresholds.push(threshold);
      this.#open.push(distances.filter((d) => d > threshold).length);
    }
  }

  /** The photo's opening in rows, per eye. */
  get openRows(): readonly number[] {
    return this.#open;
  }

  ratio(frame: RgbaImage): number {
    let total = 0;
    this.#probes.forEach((probe, k) => {
      const { distances } = eyeProfile(frame, probe);
      const rows = distances.filter((d) => d > this.#thresholds[k]!).length;
      total += this.#open[k]! > 0 ? rows / this.#open[k]! : 1;
    });
    return total / this.#probes.length;
  }
}

/**
 * How far the content at `at` moved from the photo to the frame, in pixels: the offset whose patch of the
 * frame best matches the photo's patch around `at` (sum of squared grey differences over offsets up to
 * `reach`, refined to a fraction of a pixel by a parabola through the best and its neighbours).
 */
export function patchOffset(
  photo: GreyImage,
  frame: GreyImage,
  at: readonly [number, number],
  radius: number,
  reach: number,
): [number, number] {
  const { width, height } = photo;
  const cx = Math.round(at[0]);
  const cy = Math.round(at[1]);
  const cost = (dx: number, dy: number): number => {
    let sum = 0;
    for (let y = -radius; y <= radius; y++) {
      for (let x = -radius; x <= radius; x++) {
        const px = Math.min(width - 1, Math.max(0, cx + x));
        const py = Math.min(height - 1, Math.max(0, cy + y));
        const fx = Math.min(width - 1, Math.max(0, cx + x + dx));
        const fy = Math.min(height - 1, Math.max(0, cy + y + dy));
        const d = photo.data[py * width + px]! - frame.data[fy * width + fx]!;
        sum += d * d;
      }
    }
    return sum;
  };
  const side = 2 * reach + 1;
  const costs = new Float64Array(side * side);
  let bx = 0;
  let by = 0;
  let bestCost = Number.POSITIVE_INFINITY;
  for (let dy = -reach; dy <= reach; dy++) {
    for (let dx = -reach; dx <= reach; dx++) {
      const c = cost(dx, dy);
      costs[(dy + reach) * side + dx + reach] = c;
      // Ties go to the smaller offset: a flat patch that did not change has not moved.
      if (c < bestCost || (c === bestCost && Math.hypot(dx, dy) < Math.hypot(bx, by))) {
        bestCost = c;
        bx = dx;
        by = dy;
      }
    }
  }
  const refine = (minus: number, mid: number, plus: number) => {
    const curvature = minus - 2 * mid + plus;
    return curvature > 0 ? (0.5 * (minus - plus)) / curvature : 0;
  };
  const at2 = (dx: number, dy: number) => costs[(dy + reach) * side + dx + reach]!;
  // An exact match needs no refining (a parabola through a zero would lean towards the flatter side).
  if (bestCost === 0) return [bx, by];
  const sx = Math.abs(bx) < reach ? refine(at2(bx - 1, by), at2(bx, by), at2(bx + 1, by)) : 0;
  const sy = Math.abs(by) < reach ? refine(at2(bx, by - 1), at2(bx, by), at2(bx, by + 1)) : 0;
  return [bx + sx, by + sy];
}

/** The mouth corners (the person's right, then left) in the face's pixels, and the mouth's width. */
export function mouthCorners(face: FoundFace): { corners: [number, number][]; width: number } {
  const right = meshPoint(face, MOUTH.rightCorner);
  const left = meshPoint(face, MOUTH.leftCorner);
  return { corners: [right, left], width: Math.hypot(left[0] - right[0], left[1] - right[1]) };
}

/** How far the mouth corners moved on a frame (the mean of both), in pixels. */
export function cornerLift(photo: GreyImage, frame: GreyImage, face: FoundFace, reach: number): number {
  const { corners, width } = mouthCorners(face);
  const radius = Math.max(3, Math.round(0.15 * width));
  let sum = 0;
  for (const corner of corners) {
    const [dx, dy] = patchOffset(photo, frame, corner, radius, reach);
    sum += Math.hypot(dx, dy);
  }
  return sum / corners.length;
}

/**
 * Mean SSIM of a frame to the photo over the pixels of `inside` (1 inside; grey images of one size), with
 * the usual constants for 0-255 and square windows of side 2 * radius + 1.
 */
export function ssimInside(a: GreyImage, b: GreyImage, inside: Uint8Array, radius = 3): number {
  const { width, height } = a;
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let total = 0;
  let count = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!inside[y * width + x]) continue;
      let sa = 0;
      let sb = 0;
      let saa = 0;
      let sbb = 0;
      let sab = 0;
      let n = 0;
      for (let wy = Math.max(0, y - radius); wy <= Math.min(height - 1, y + radius); wy++) {
        for (let wx = Math.max(0, x - radius); wx <= Math.min(width - 1, x + radius); wx++) {
          const va = a.data[wy * width + wx]!;
          const vb = b.data[wy * width + wx]!;
          sa += va;
          sb += vb;
          saa += va * va;
          sbb += vb * vb;
          sab += va * vb;
          n++;
        }
      }
      const ma = sa / n;
      const mb = sb / n;
      const va = saa / n - ma * ma;
      const vb = sbb / n - mb * mb;
      const cov = sab / n - ma * mb;
      total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      count++;
    }
  }
  return count > 0 ? total / count : 1;
}
