// GrabCut (Rother et al. 2004) on superpixels: alternate between fitting the object and background colour
// models to the current labelling and finding the labelling of least energy by a minimum cut, where the
// energy is the colour models' cost plus a contrast-sensitive cost for every boundary the cut runs along.
import { ColourModel } from './gmm.js';
import { CutGraph } from './maxflow.js';
import type { Superpixels } from './superpixels.js';

/** Per-superpixel constraint, as GrabCut's trimap. */
export const enum Seed {
  /** Must be background (a negative click, outside a box). */
  Background = 0,
  /** Must be the object (a positive click). */
  Object = 1,
  /** Starts as background, free to change. */
  ProbablyBackground = 2,
  /** Starts as object, free to change. */
  ProbablyObject = 3,
}

export interface GrabCutOptions {
  /** Weight of the boundary term against the colour term (GrabCut's gamma, per boundary pixel pair). */
  smoothness: number;
  iterations: number;
}

/** Large enough to be a hard constraint, finite so flow arithmetic stays exact. */
const HARD = 1e12;

/** Contrast weights of the superpixel boundaries, exp(-beta |mean_a - mean_b|^2) times boundary length. */
export function boundaryWeights(superpixels: Superpixels): Float64Array {
  const { a, b, length } = superpixels.edges;
  const m = superpixels.mean;
  const difference = new Float64Array(a.length);
  let sum = 0;
  let total = 0;
  for (let e = 0; e < a.length; e++) {
    const i = a[e]! * 3;
    const j = b[e]! * 3;
    const d = (m[i]! - m[j]!) ** 2 + (m[i + 1]! - m[j + 1]!) ** 2 + (m[i + 2]! - m[j + 2]!) ** 2;
    difference[e] = d;
    sum += d * length[e]!;
    total += length[e]!;
  }
  // GrabCut's beta = 1 / (2 <|z_m - z_n|^2>), the mean over neighbouring pairs.
  const beta = sum > 0 ? total / (2 * sum) : 0;
  const weights = new Float64Array(a.length);
  for (let e = 0; e < a.length; e++) weights[e] = length[e]! * Math.exp(-beta * difference[e]!);
  return weights;
}

/** Returns 1 per superpixel that ends in the object. */
export function grabCut(
  superpixels: Superpixels,
  seeds: Uint8Array,
  weights: Float64Array,
  options: GrabCutOptions,
): Uint8Array {
  const n = superpixels.count;
  let labels: Uint8Array = new Uint8Array(n);
  for (let s = 0; s < n; s++)
    labels[s] = seeds[s] === Seed.Object || seeds[s] === Seed.ProbablyObject ? 1 : 0;
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    const object: number[] = [];
    const background: number[] = [];
    for (let s = 0; s < n; s++) (labels[s] ? object : background).push(s);
    if (object.length === 0 || background.length === 0) break;
    const objectModel = ColourModel.fit(superpixels, object);
    const backgroundModel = ColourModel.fit(superpixels, background);

    const graph = new CutGraph(n);
    for (let s = 0; s < n; s++) {
      const seed = seeds[s]!;
      if (seed === Seed.Object) graph.addTerminal(s, HARD, 0);
      else if (seed === Seed.Background) graph.addTerminal(s, 0, HARD);
      else {
        const size = superpixels.size[s]!;
        // The source side is the object: ending on the sink side (background) costs the background
        // model's cost of these pixels, ending on the source side costs the object model's.
        graph.addTerminal(
          s,
          size * backgroundModel.cost(superpixels, s),
          size * objectModel.cost(superpixels, s),
        );
      }
    }
    const { a, b } = superpixels.edges;
    for (let e = 0; e < a.length; e++) graph.addEdge(a[e]!, b[e]!, options.smoothness * weights[e]!);
    const next = graph.solve();
    let changed = 0;
    for (let s = 0; s < n; s++) if (next[s] !== labels[s]) changed++;
    labels = next;
    if (changed === 0) break;
  }
  return labels;
}
