// GrabCut (Rother et al. 2004) on superpixels: alternate between fitting the object and background colour
// models to the current labelling and finding the labelling of least energy by a minimum cut, where the
// energy is the colour models' cost plus a contrast-sensitive cost for every boundary the cut runs along.
import { ColourModel } from './gmm.js';
import { CutGraph } from './maxflow.js';
import type { Superpixels } from './superpixels.js';
import { textureDistance, type SuperpixelTexture } from './texture.js';

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

/**
 * Contrast weights of the superpixel boundaries, exp(-beta |mean_a - mean_b|^2) times boundary length;
 * with `texture`, also times exp(-beta_t d_t^2) for their texture distance d_t, so a cut is as cheap along
 * a change of texture (a horizon between a rippled sea and a smooth sky of one colour) as along a change
 * of colour.
 */
export function boundaryWeights(
  superpixels: Superpixels,
  texture?: SuperpixelTexture,
  textureWeight = 1,
): Float64Array {
  const { a, b, length } = superpixels.edges;
  const m = superpixels.mean;
  const difference = new Float64Array(a.length);
  const textureDifference = new Float64Array(a.length);
  let sum = 0;
  let textureSum = 0;
  let total = 0;
  for (let e = 0; e < a.length; e++) {
    const i = a[e]! * 3;
    const j = b[e]! * 3;
    const d = (m[i]! - m[j]!) ** 2 + (m[i + 1]! - m[j + 1]!) ** 2 + (m[i + 2]! - m[j + 2]!) ** 2;
    difference[e] = d;
    sum += d * length[e]!;
    total += length[e]!;
    if (texture) {
      textureDifference[e] = textureDistance(texture, a[e]!, b[e]!) ** 2;
      textureSum += textureDifference[e]! * length[e]!;
    }
  }
  // GrabCut's beta = 1 / (2 <|z_m - z_n|^2>), the mean over neighbouring pairs.
  const beta = sum > 0 ? total / (2 * sum) : 0;
  const textureBeta = textureSum > 0 ? (textureWeight * total) / (2 * textureSum) : 0;
  const weights = new Float64Array(a.length);
  for (let e = 0; e < a.length; e++) {
    weights[e] = length[e]! * Math.exp(-beta * difference[e]! - textureBeta * textureDifference[e]!);
  }
  return weights;
}

/** Returns 1 per superpixel that ends in the object. */
export function grabCut(
  superpixels: Superpixels,
  seeds: Uint8Array,
  weights: Float64Array,
  options: GrabCutOptions,
  /** With it, each side also keeps a model of texture energy, weighted against the colour models. */
  texture?: { texture: SuperpixelTexture; weight: number },
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
    const objectTexture = texture ? EnergyModel.fit(superpixels, texture.texture, object) : null;
    const backgroundTexture = texture ? EnergyModel.fit(superpixels, texture.texture, background) : null;

    const graph = new CutGraph(n);
    for (let s = 0; s < n; s++) {
      const seed = seeds[s]!;
      if (seed === Seed.Object) graph.addTerminal(s, HARD, 0);
      else if (seed === Seed.Background) graph.addTerminal(s, 0, HARD);
      else {
        const size = superpixels.size[s]!;
        // The source side is the object: ending on the sink side (background) costs the background
        // model's cost of these pixels, ending on the source side costs the object model's.
        let toBackground = backgroundModel.cost(superpixels, s);
        let toObject = objectModel.cost(superpixels, s);
        if (texture && objectTexture && backgroundTexture) {
          const energy = texture.texture.energy[s]!;
          toBackground += texture.weight * backgroundTexture.cost(energy);
          toObject += texture.weight * objectTexture.cost(energy);
        }
        graph.addTerminal(s, size * toBackground, size * toObject);
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

/** A Gaussian over texture energy (log units), fitted by pixel count. */
class EnergyModel {
  readonly #mean: number;
  readonly #deviation: number;

  private constructor(mean: number, deviation: number) {
    this.#mean = mean;
    this.#deviation = deviation;
  }

  static fit(superpixels: Superpixels, texture: SuperpixelTexture, members: readonly number[]): EnergyModel {
    let total = 0;
    let sum = 0;
    for (const s of members) {
      total += superpixels.size[s]!;
      sum += superpixels.size[s]! * texture.energy[s]!;
    }
    const mean = total > 0 ? sum / total : 0;
    let variance = 0;
    for (const s of members) variance += superpixels.size[s]! * (texture.energy[s]! - mean) ** 2;
    const floor = Math.max(0.05, texture.spread) * 0.25;
    return new EnergyModel(mean, Math.max(floor, Math.sqrt(total > 0 ? variance / total : 0)));
  }

  /** Minus the log-likelihood of one energy, per pixel. */
  cost(energy: number): number {
    return 0.5 * ((energy - this.#mean) / this.#deviation) ** 2 + Math.log(this.#deviation);
  }
}
