// A Gaussian mixture colour model over superpixels, as GrabCut keeps one for the object and one for the
// background (Rother et al., "GrabCut", SIGGRAPH 2004, section 3). Each superpixel brings its pixel count,
// its mean colour and its within-superpixel covariance, so a component's covariance is exactly what it
// would be over the pixels themselves, at the cost of a few thousand samples instead of a few hundred
// thousand.
import type { Superpixels } from './superpixels.js';

const COMPONENTS = 5;
/** Added to every covariance's diagonal (Lab units squared): keeps tiny or flat samples invertible. */
const REGULARISATION = 2;

interface Component {
  weight: number;
  mean: [number, number, number];
  /** Inverse covariance, symmetric, 6 numbers (xx, xy, xz, yy, yz, zz). */
  inverse: Float64Array;
  /** log(weight) - 0.5 log det(covariance) - 1.5 log(2 pi). */
  logNorm: number;
}

export class ColourModel {
  readonly #components: Component[];

  private constructor(components: Component[]) {
    this.#components = components;
  }

  /**
   * Fits the model to the chosen superpixels: k-means++ seeding on their mean colours, then a few rounds of
   * hard assignment (GrabCut assigns each sample to its most likely component, then re-estimates).
   */
  static fit(superpixels: Superpixels, members: readonly number[]): ColourModel {
    const k = Math.min(COMPONENTS, Math.max(1, members.length));
    const assignment = new Int32Array(members.length);
    seedComponents(superpixels, members, k, assignment);
    let components = estimate(superpixels, members, assignment, k);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < members.length; i++)
        assignment[i] = mostLikely(components, superpixels, members[i]!);
      components = estimate(superpixels, members, assignment, k);
    }
    return new ColourModel(components);
  }

  /**
   * Minus the log-likelihood of a superpixel's pixels, per pixel: the expected value of -log p over a
   * Gaussian with the superpixel's mean and covariance, under the best component.
   */
  cost(superpixels: Superpixels, s: number): number {
    let best = -Infinity;
    for (const component of this.#components) best = Math.max(best, logLikelihood(component, superpixels, s));
    return -best;
  }
}

function logLikelihood(component: Component, superpixels: Superpixels, s: number): number {
  const m = superpixels.mean;
  const c = superpixels.covariance;
  const inv = component.inverse;
  const d0 = m[s * 3]! - component.mean[0];
  const d1 = m[s * 3 + 1]! - component.mean[1];
  const d2 = m[s * 3 + 2]! - component.mean[2];
  const mahalanobis =
    inv[0]! * d0 * d0 +
    inv[3]! * d1 * d1 +
    inv[5]! * d2 * d2 +
    2 * (inv[1]! * d0 * d1 + inv[2]! * d0 * d2 + inv[4]! * d1 * d2);
  // E[(x - mu)^T S^-1 (x - mu)] over the superpixel's pixels adds trace(S^-1 C).
  const o = s * 6;
  const trace =
    inv[0]! * c[o]! +
    inv[3]! * c[o + 3]! +
    inv[5]! * c[o + 5]! +
    2 * (inv[1]! * c[o + 1]! + inv[2]! * c[o + 2]! + inv[4]! * c[o + 4]!);
  return component.logNorm - 0.5 * (mahalanobis + trace);
}

function mostLikely(components: Component[], superpixels: Superpixels, s: number): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < components.length; i++) {
    const value = logLikelihood(components[i]!, superpixels, s);
    if (value > bestValue) {
      bestValue = value;
      best = i;
    }
  }
  return best;
}

/**
 * k-means++ seeding on mean colours (weighted by size), then 4 Lloyd rounds; each member's component into
 * `assignment`. Plain loops over typed arrays (speed, issue 13.1: a click fits some 150 of these models).
 */
function seedComponents(
  superpixels: Superpixels,
  members: readonly number[],
  k: number,
  assignment: Int32Array,
): void {
  const m = superpixels.mean;
  const size = superpixels.size;
  const n = members.length;
  const centres = new Float64Array(k * 3);
  const distance2 = (s: number, c: number) =>
    (m[s * 3]! - centres[c * 3]!) ** 2 +
    (m[s * 3 + 1]! - centres[c * 3 + 1]!) ** 2 +
    (m[s * 3 + 2]! - centres[c * 3 + 2]!) ** 2;
  // Deterministic k-means++: the first centre is the largest superpixel, then the farthest (by weighted
  // squared distance) from the centres chosen so far. Same input, same model, same mask.
  let first = members[0]!;
  for (let i = 0; i < n; i++) if (size[members[i]!]! > size[first]!) first = members[i]!;
  centres[0] = m[first * 3]!;
  centres[1] = m[first * 3 + 1]!;
  centres[2] = m[first * 3 + 2]!;
  // Each member's squared distance to its nearest centre so far, brought up to date with each new centre
  // rather than measured again against all of them (the same minimum: the seeding is a click's hot path).
  const nearest = new Float64Array(n);
  for (let i = 0; i < n; i++) nearest[i] = distance2(members[i]!, 0);
  for (let chosen = 1; chosen < k; chosen++) {
    let far = members[0]!;
    let farValue = -1;
    for (let i = 0; i < n; i++) {
      const s = members[i]!;
      const value = nearest[i]! * size[s]!;
      if (value > farValue) {
        farValue = value;
        far = s;
      }
    }
    centres[chosen * 3] = m[far * 3]!;
    centres[chosen * 3 + 1] = m[far * 3 + 1]!;
    centres[chosen * 3 + 2] = m[far * 3 + 2]!;
    for (let i = 0; i < n; i++) nearest[i] = Math.min(nearest[i]!, distance2(members[i]!, chosen));
  }
  const sums = new Float64Array(k * 4);
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < n; i++) {
      const s = members[i]!;
      let best = 0;
      let bestDistance = distance2(s, 0);
      for (let c = 1; c < k; c++) {
        const d = distance2(s, c);
        if (d < bestDistance) {
          best = c;
          bestDistance = d;
        }
      }
      assignment[i] = best;
    }
    sums.fill(0);
    for (let i = 0; i < n; i++) {
      const s = members[i]!;
      const o = assignment[i]! * 4;
      const w = size[s]!;
      sums[o] = sums[o]! + m[s * 3]! * w;
      sums[o + 1] = sums[o + 1]! + m[s * 3 + 1]! * w;
      sums[o + 2] = sums[o + 2]! + m[s * 3 + 2]! * w;
      sums[o + 3] = sums[o + 3]! + w;
    }
    for (let c = 0; c < k; c++) {
      const o = c * 4;
      if (sums[o + 3]! > 0) {
        centres[c * 3] = sums[o]! / sums[o + 3]!;
        centres[c * 3 + 1] = sums[o + 1]! / sums[o + 3]!;
        centres[c * 3 + 2] = sums[o + 2]! / sums[o + 3]!;
      }
    }
  }
}

function estimate(
  superpixels: Superpixels,
  members: readonly number[],
  assignment: Int32Array,
  k: number,
): Component[] {
  const m = superpixels.mean;
  const c = superpixels.covariance;
  const weight = new Float64Array(k);
  const sum = new Float64Array(k * 3);
  const outer = new Float64Array(k * 6);
  let total = 0;
  for (let i = 0; i < members.length; i++) {
    const s = members[i]!;
    const j = assignment[i]!;
    const w = superpixels.size[s]!;
    const l = m[s * 3]!;
    const a = m[s * 3 + 1]!;
    const b = m[s * 3 + 2]!;
    weight[j] = weight[j]! + w;
    total += w;
    sum[j * 3] = sum[j * 3]! + w * l;
    sum[j * 3 + 1] = sum[j * 3 + 1]! + w * a;
    sum[j * 3 + 2] = sum[j * 3 + 2]! + w * b;
    // Second moments of the pixels: the superpixel's own covariance plus its mean's outer product.
    const o = s * 6;
    const q = j * 6;
    outer[q] = outer[q]! + w * (c[o]! + l * l);
    outer[q + 1] = outer[q + 1]! + w * (c[o + 1]! + l * a);
    outer[q + 2] = outer[q + 2]! + w * (c[o + 2]! + l * b);
    outer[q + 3] = outer[q + 3]! + w * (c[o + 3]! + a * a);
    outer[q + 4] = outer[q + 4]! + w * (c[o + 4]! + a * b);
    outer[q + 5] = outer[q + 5]! + w * (c[o + 5]! + b * b);
  }
  const components: Component[] = [];
  for (let j = 0; j < k; j++) {
    const w = weight[j]!;
    if (w <= 0) continue;
    const mean: [number, number, number] = [sum[j * 3]! / w, sum[j * 3 + 1]! / w, sum[j * 3 + 2]! / w];
    const q = j * 6;
    const cov = [
      outer[q]! / w - mean[0] * mean[0] + REGULARISATION,
      outer[q + 1]! / w - mean[0] * mean[1],
      outer[q + 2]! / w - mean[0] * mean[2],
      outer[q + 3]! / w - mean[1] * mean[1] + REGULARISATION,
      outer[q + 4]! / w - mean[1] * mean[2],
      outer[q + 5]! / w - mean[2] * mean[2] + REGULARISATION,
    ] as const;
    const { inverse, determinant } = invertSymmetric3(cov);
    components.push({
      weight: w / total,
      mean,
      inverse,
      logNorm: Math.log(w / total) - 0.5 * Math.log(determinant) - 1.5 * Math.log(2 * Math.PI),
    });
  }
  return components;
}

function invertSymmetric3(c: readonly [number, number, number, number, number, number]): {
  inverse: Float64Array;
  determinant: number;
} {
  const [a, b, d, e, f, i] = c; // [[a b d] [b e f] [d f i]]
  const c00 = e * i - f * f;
  const c01 = d * f - b * i;
  const c02 = b * f - d * e;
  const c11 = a * i - d * d;
  const c12 = b * d - a * f;
  const c22 = a * e - b * b;
  const determinant = Math.max(1e-9, a * c00 + b * c01 + d * c02);
  return {
    inverse: Float64Array.from([c00, c01, c02, c11, c12, c22].map((v) => v / determinant)),
    determinant,
  };
}
