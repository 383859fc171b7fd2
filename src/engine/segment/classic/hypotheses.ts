// One click says where the object is but not how big it is. So several GrabCut runs start from different
// guesses (discs of growing radius around the clicks, and the colour-alike superpixels connected to each
// click), each is cut down to the pieces that touch a positive click, and the one whose boundary best
// separates inside from outside colours wins (separation.ts). Measured on the example photos against
// hand-drawn outlines, this multi-start choice beat every single start: small discs collapse on objects
// that fill the frame (the cat), large ones leak into smooth backgrounds around thin objects (the rocket's
// sky), colour growth misses textured objects. Three more kinds of answer came with the hard photos
// (issue 10, point 5): GrabCut from the box of an object a detector found around the click (the splash's
// crown), answers cut at a horizon they cross (a sky without the sea below it), and a start from the
// clicks' whole side of a clear horizon (a stormy sky of dark clouds and bright gaps).
import { boundaryWeights, grabCut, Seed } from './grabcut.js';
import type { Horizon } from './horizon.js';
import { boundarySeparation } from './separation.js';
import type { Superpixels } from './superpixels.js';
import type { SuperpixelTexture } from './texture.js';

/** A click and the superpixel under it, in working-image pixels. */
export interface ClickedSuperpixel {
  superpixel: number;
  x: number;
  y: number;
}

export interface ObjectRequest {
  /** Superpixels under positive clicks, with the clicks' working-image positions. */
  positives: ClickedSuperpixel[];
  /** Superpixels that must stay outside (negative clicks, outside a box). */
  outside: Uint8Array;
  /** Superpixels inside a box, when one was drawn: a start of its own, and all starts are clipped to it. */
  box: Uint8Array | null;
  /**
   * Superpixels inside each detected object's box that holds the clicks (an object detector's kite or
   * cup): each is cut as GrabCut's rectangle, and the best such cut is the first answer.
   */
  detected?: Uint8Array[];
}

export interface ObjectResult {
  /** 1 per superpixel of the object. */
  labels: Uint8Array;
  /** Boundary separation of the chosen labelling, 0-1. */
  score: number;
}

/** Disc radii, as fractions of the working image's long side. */
const DISC_RADII = [0.05, 0.1, 0.2, 0.35, 0.5];
/** Lab distances (about the just-noticeable difference times 4, 7 and 12) for colour growth. */
const GROWTH_THRESHOLDS = [8, 15, 25];
/** An object covering more than this share of the photo is almost always a leak into the background. */
const MAX_AREA = 0.85;
/** ...unless its boundary separates at least this well (separation.ts). */
const FRAME_FILLING_SEPARATION = 0.5;
/** Rank lost per share of the photo beyond half (lake water that takes the sky mirrored in it too). */
const LARGE_AREA_COST = 0.6;
/** Weight of the texture term against the colour term in the texture cuts (grabcut.ts). */
const TEXTURE_DATA_WEIGHT = 1;
/**
 * Share of texture in the texture cuts' boundary contrast (grabcut.ts). Small: at 0.3 and above the cut
 * follows texture edges inside smooth objects (the rocket, the coffee) and the boats' sky falls apart.
 * The colour cuts keep colour contrast alone, so negative clicks and the first answer stay as they were.
 */
const TEXTURE_BOUNDARY_WEIGHT = 0.1;
/**
 * With two or more clicks, an answer smaller than this share of the square of their distance apart has
 * collapsed onto the clicks. Two birds clicked far apart in a sky would still pass at 2% of it each.
 */
const COLLAPSED_SPREAD = 0.05;
/** A click has less than this share of the superpixels near it inside an answer: it sits on its rim. */
const CLICK_RIM = 0.25;
/** Lab distance (about 4 just-noticeable differences) within which the clicked surface goes on. */
const CLICK_SURFACE_GOES_ON = 10;
/** Lab distance beyond which nothing near the click inside an answer is of the clicked surface. */
const CLICK_UNLIKE = 25;
/** How far the best texture cut's rank must pass the best colour cut's for it to be the answer. */
const TEXTURE_LEAD = 0.2;
/** Ranks closer than this are a tie, which the smoother outline wins... */
const TEXTURE_TIE = 0.05;
/** ...when its compactness (compactness()) is more than this many times the other's. */
const SMOOTHER = 2;
/** The share of the colour cut a texture cut must hold to lead it. */
const HELD = 0.8;
/** A penalty this large (the rules that return 1) rules an answer out. */
const RULED_OUT = 0.99;
/** Hypotheses offered for one click. */
export const MAX_HYPOTHESES = 5;

type RankedResult = ObjectResult & { rank: number };

export interface HypothesisOptions {
  smoothness: number;
  iterations: number;
  /**
   * Rows of the working image where a horizon runs across the photo (horizon.ts), strongest first: an
   * answer that crosses one is offered cut at it too (the sky without the sea below it).
   */
  horizons?: readonly Horizon[];
}

/**
 * A horizon whose step (horizon.ts) reaches this starts a cut from the clicks' whole side of it. On the
 * example photos the storm's land line (22), the lake's far shore (25) and the boats' (36) pass; the
 * cups' shelf (14), the fallen leaf's ground (13) and the astronaut's flag (12) do not.
 */
const SIDE_START_STEP = 15;
/** Horizons tried: the strongest few; weaker rows that step across the width are mostly not horizons. */
const HORIZONS_TRIED = 3;
/** An answer crosses a horizon when at least this share of it lies on the side away from the clicks. */
const HORIZON_CROSSING = 0.15;
/**
 * An answer meets a horizon along at least this share of the photo's width: a sky or a sea spans the
 * frame, while a flower crossing a weak row step (bokeh behind it) does not.
 */
const HORIZON_SPAN = 0.8;
/** Mean Lab colours of the two sides farther apart than this make them two surfaces (sky and sea). */
const HORIZON_SIDES_APART = 12;
/** How far an answer cut at such a horizon ranks above the answer it was cut from. */
const HORIZON_PREFERENCE = 0.01;

export class ObjectFinder {
  readonly #superpixels: Superpixels;
  readonly #weights: Float64Array;
  /** The boundary weights of the texture cuts: contrast of colour and of texture. */
  readonly #textureWeights: Float64Array;
  readonly #options: HypothesisOptions;

  readonly #texture: SuperpixelTexture;

  constructor(superpixels: Superpixels, texture: SuperpixelTexture, options: HypothesisOptions) {
    this.#superpixels = superpixels;
    this.#texture = texture;
    this.#weights = boundaryWeights(superpixels);
    this.#textureWeights = boundaryWeights(superpixels, texture, TEXTURE_BOUNDARY_WEIGHT);
    this.#options = options;
  }

  get superpixels(): Superpixels {
    return this.#superpixels;
  }

  /** The best answer on colour alone: refinement and removal, which offer no other answers, need no more. */
  find(request: ObjectRequest): ObjectResult {
    return this.rank(request, false)[0]!;
  }

  /**
   * The distinct labellings the starts lead to, best first, at most MAX_HYPOTHESES: the first is the
   * answer, the next are what a person steps through (Tab in the editor) when it is not what they meant.
   * Each start is cut twice, on colour alone and on colour and texture. The texture cut finds what colour
   * cannot (yellow petals against a dark ground that shares their shadows, seed fluff against a blur),
   * but on the example photos ranking both together cost the rocket and the coffee more than it gained,
   * as the separation measure favours the texture cut's bolder, wrong boundary there. So the answer is the
   * best colour cut, the second the best texture cut (the other way round when the texture cut holds the
   * colour cut and ranks far higher, or about as high with a far smoother outline), and the rest follow
   * by rank.
   */
  rank(request: ObjectRequest, withTextureCuts = true): ObjectResult[] {
    const sp = this.#superpixels;
    const positives = [...new Set(request.positives.map((p) => p.superpixel))];
    const starts = this.#starts(request, positives);
    const spread = clickSpread(request.positives);
    const seen = new Set<string>();
    const byColour: RankedResult[] = [];
    const byTexture: RankedResult[] = [];
    for (const withTexture of withTextureCuts ? [false, true] : [false]) {
      for (const start of starts) {
        const seeds = new Uint8Array(sp.count);
        for (let s = 0; s < sp.count; s++) {
          if (request.outside[s]) seeds[s] = Seed.Background;
          else seeds[s] = start[s] ? Seed.ProbablyObject : Seed.ProbablyBackground;
        }
        for (const s of positives) seeds[s] = Seed.Object;
        const texture = withTexture ? { texture: this.#texture, weight: TEXTURE_DATA_WEIGHT } : undefined;
        const weights = withTexture ? this.#textureWeights : this.#weights;
        const cut = grabCut(sp, seeds, weights, this.#options, texture);
        const whole = positives.length > 0 ? connectedTo(sp, cut, positives) : largestPiece(sp, cut);
        const rankOf = (labels: Uint8Array, score: number) =>
          score - this.#penalty(labels, positives, request.box !== null, score, spread);
        const wholeScore = boundarySeparation(sp, whole);
        const wholeRank = rankOf(whole, wholeScore);
        const candidates: RankedResult[] = [{ labels: whole, score: wholeScore, rank: wholeRank }];
        for (const { labels, sidesDiffer } of this.#cutAtHorizons(whole, request.positives, positives)) {
          const score = boundarySeparation(sp, labels);
          // Haze blends sky into sea over a few rows, so the bands either side of a horizon are alike and
          // the separation measure cannot see it; two sides of different colours can.
          const rank = sidesDiffer
            ? Math.max(rankOf(labels, score), wholeRank + HORIZON_PREFERENCE)
            : rankOf(labels, score);
          candidates.push({ labels, score, rank });
        }
        for (const candidate of candidates) {
          const key = candidate.labels.join('');
          if (seen.has(key)) continue;
          seen.add(key);
          (withTexture ? byTexture : byColour).push(candidate);
        }
      }
    }
    const byDetection = this.#detectedCuts(request, positives, seen);
    const byRank = (a: RankedResult, b: RankedResult) => b.rank - a.rank;
    byDetection.sort(byRank);
    byColour.sort(byRank);
    byTexture.sort(byRank);
    // A detected box's cut leads only when it ranks with the best colour cut: the box of a cup around a
    // click on the coffee in it must not take the cup over the coffee's own, better-separated answer.
    const detectedLeads = byDetection[0] && (!byColour[0] || byDetection[0].rank >= byColour[0].rank);
    // The texture cut comes before the colour cut when it separates by far the better: then the colour
    // cut is not a bolder boundary's near miss but a part of the object (one petal of the flower).
    // So does a texture cut that separates about as well with a far smoother outline: the colour cut's
    // ragged one has cut through the object (a marigold's petals without its stamens).
    // Either way the texture cut must hold the colour cut, a whole of which it is the part: a texture cut
    // of two superpixels beside the click separates well too, as small answers do.
    const textureLeads =
      byTexture[0] &&
      byColour[0] &&
      heldShare(sp, byColour[0].labels, byTexture[0].labels) >= HELD &&
      (byTexture[0].rank > byColour[0].rank + TEXTURE_LEAD ||
        (byTexture[0].rank > byColour[0].rank - TEXTURE_TIE &&
          compactness(sp, byTexture[0].labels) > SMOOTHER * compactness(sp, byColour[0].labels)));
    const [colour, texture] = [byColour.shift(), byTexture.shift()];
    const leaders = [
      detectedLeads ? byDetection.shift() : undefined,
      ...(textureLeads ? [texture, colour] : [colour, texture]),
    ].filter((r) => r !== undefined);
    // A leader the penalties rule out goes after the others (when every colour cut collapsed onto the
    // clicked seed cores, the texture cut that holds their fluff comes first); the sort is stable.
    const ruledOut = (r: RankedResult) => (r.score - r.rank >= RULED_OUT ? 1 : 0);
    leaders.sort((a, b) => ruledOut(a) - ruledOut(b));
    const rest = [...byDetection, ...byColour, ...byTexture].sort(byRank);
    const ranked = [...leaders, ...rest].slice(0, MAX_HYPOTHESES);
    if (ranked.length === 0) return [{ labels: seedsOnly(sp.count, positives), score: 0 }];
    return ranked.map(({ labels, score }) => ({ labels, score }));
  }

  /**
   * The answer cut at each horizon it crosses, keeping the clicks' side (superpixels by centroid): the
   * ranking then decides between the sky with the sea and the sky alone by how well each separates.
   */
  #cutAtHorizons(
    labels: Uint8Array,
    clicks: ClickedSuperpixel[],
    positives: number[],
  ): { labels: Uint8Array; sidesDiffer: boolean }[] {
    const sp = this.#superpixels;
    const out: { labels: Uint8Array; sidesDiffer: boolean }[] = [];
    if (clicks.length === 0) return out;
    for (const { y: row } of (this.#options.horizons ?? []).slice(0, HORIZONS_TRIED)) {
      const above = clicks[0]!.y < row;
      if (clicks.some((c) => c.y < row !== above)) continue; // clicks on both sides: both are meant
      const edgeRow = Math.max(0, Math.min(sp.height - 1, above ? row - 2 : row + 1));
      let span = 0;
      for (let x = 0; x < sp.width; x++) if (labels[sp.labels[edgeRow * sp.width + x]!]) span++;
      if (span < HORIZON_SPAN * sp.width) continue;
      const cut = new Uint8Array(sp.count);
      const kept = new Float64Array(4); // size-weighted L, a, b and the size, on the clicks' side
      const away = new Float64Array(4);
      for (let s = 0; s < sp.count; s++) {
        if (!labels[s]) continue;
        const near = sp.centroid[s * 2 + 1]! < row === above;
        if (near) cut[s] = 1;
        const sum = near ? kept : away;
        const size = sp.size[s]!;
        for (let c = 0; c < 3; c++) sum[c] = sum[c]! + sp.mean[s * 3 + c]! * size;
        sum[3] = sum[3]! + size;
      }
      if (away[3]! < HORIZON_CROSSING * (kept[3]! + away[3]!) || kept[3] === 0) continue;
      let apart = 0;
      for (let c = 0; c < 3; c++) apart += (kept[c]! / kept[3]! - away[c]! / away[3]!) ** 2;
      out.push({
        labels: connectedTo(sp, cut, positives),
        sidesDiffer: Math.sqrt(apart) > HORIZON_SIDES_APART,
      });
    }
    return out;
  }

  /**
   * GrabCut as its paper starts it, from a rectangle: a detected object's box, nothing outside it, the
   * clicks inside it. A detector knows a splash's crown from the water around it where colour alone does
   * not. Cuts that keep something of the box and do not collapse are returned; one the colour or texture
   * cuts already found (the kite's, the ladybird's, the coffee cup's) is left where they ranked it.
   */
  #detectedCuts(request: ObjectRequest, positives: number[], seen: Set<string>): RankedResult[] {
    const sp = this.#superpixels;
    const cuts: RankedResult[] = [];
    for (const inBox of request.detected ?? []) {
      const seeds = new Uint8Array(sp.count);
      for (let s = 0; s < sp.count; s++) {
        if (request.outside[s] || !inBox[s]) seeds[s] = Seed.Background;
        else seeds[s] = Seed.ProbablyObject;
      }
      for (const s of positives) seeds[s] = Seed.Object;
      const cut = grabCut(sp, seeds, this.#weights, this.#options);
      const labels = connectedTo(sp, cut, positives);
      const key = labels.join('');
      if (seen.has(key)) continue;
      seen.add(key);
      const score = boundarySeparation(sp, labels);
      const rank = score - this.#penalty(labels, positives, true, score, 0);
      if (rank > 0) cuts.push({ labels, score, rank });
    }
    return cuts;
  }

  /**
   * Takes out of `object` what lies under each negative click: the object found there as if clicked
   * positively, with the positive clicks as its background. (Marking the clicked superpixel alone would
   * not do: a graph cut prefers the short boundary around it to the long one around the part meant.)
   * When that part reaches a positive click, both clicks sit on one colour-alike surface (a face and the
   * wall behind it), and one GrabCut with both clicks as hard constraints decides where the cut goes.
   * Returns the new labelling; `object` is left as it was.
   */
  remove(object: Uint8Array, negatives: ClickedSuperpixel[], positives: ClickedSuperpixel[]): Uint8Array {
    const sp = this.#superpixels;
    const pos = positives.map((p) => p.superpixel);
    let labels: Uint8Array = object.slice();
    for (const negative of negatives) {
      const outside = new Uint8Array(sp.count);
      for (const s of pos) outside[s] = 1;
      const part = this.find({ positives: [negative], outside, box: null }).labels;
      if (pos.some((s) => touches(sp, part, s))) {
        const seeds = new Uint8Array(sp.count);
        for (let s = 0; s < sp.count; s++) {
          if (!labels[s]) seeds[s] = Seed.Background;
          else seeds[s] = part[s] ? Seed.ProbablyBackground : Seed.ProbablyObject;
        }
        for (const n of negatives) seeds[n.superpixel] = Seed.Background;
        for (const s of pos) seeds[s] = Seed.Object;
        labels = grabCut(sp, seeds, this.#weights, this.#options);
      } else {
        for (let s = 0; s < sp.count; s++) if (part[s]) labels[s] = 0;
      }
      labels[negative.superpixel] = 0;
    }
    return pos.length > 0 ? connectedTo(sp, labels, pos) : labels;
  }

  /** The distinct initial guesses of the object, each a 0/1 per superpixel. */
  #starts(request: ObjectRequest, positives: number[]): Uint8Array[] {
    const sp = this.#superpixels;
    const longSide = Math.max(sp.width, sp.height);
    const starts: Uint8Array[] = [];
    const seen = new Set<string>();
    const add = (start: Uint8Array) => {
      if (request.box) for (let s = 0; s < sp.count; s++) start[s] = start[s]! & request.box[s]!;
      for (const s of positives) start[s] = 1;
      const key = start.join('');
      if (seen.has(key)) return;
      seen.add(key);
      starts.push(start);
    };
    if (request.box) add(request.box.slice());
    if (request.positives.length === 0) return starts;
    for (const fraction of DISC_RADII) {
      const radius = fraction * longSide;
      const start = new Uint8Array(sp.count);
      for (let s = 0; s < sp.count; s++) {
        const x = sp.centroid[s * 2]!;
        const y = sp.centroid[s * 2 + 1]!;
        for (const p of request.positives) {
          if ((x - p.x) ** 2 + (y - p.y) ** 2 <= radius * radius) {
            start[s] = 1;
            break;
          }
        }
      }
      add(start);
    }
    for (const threshold of GROWTH_THRESHOLDS) add(growByColour(sp, positives, threshold, request.outside));
    // The clicks' side of the strongest horizon, when it is a clear one: a stormy sky whose dark clouds
    // and bright gaps colour growth and discs both split. (From a weak one, chelsea.png's row step of 6
    // halfway down, the cut that won left out part of the cat.)
    const strongest = this.#options.horizons?.[0];
    if (strongest && strongest.step >= SIDE_START_STEP) {
      const row = strongest.y;
      const above = request.positives[0]!.y < row;
      if (request.positives.every((c) => c.y < row === above)) {
        const start = new Uint8Array(sp.count);
        for (let s = 0; s < sp.count; s++) start[s] = sp.centroid[s * 2 + 1]! < row === above ? 1 : 0;
        add(start);
      }
    }
    return starts;
  }

  /** Rules out labellings that are almost certainly wrong, without removing them when nothing else is left. */
  #penalty(
    labels: Uint8Array,
    positives: readonly number[],
    hasBox: boolean,
    separation: number,
    spread: number,
  ): number {
    const sp = this.#superpixels;
    let area = 0;
    let members = 0;
    for (let s = 0; s < sp.count; s++) {
      if (labels[s]) {
        area += sp.size[s]!;
        members++;
      }
    }
    const share = area / (sp.width * sp.height);
    // Nearly the whole photo is a leak into the background, unless what is left out is clearly something
    // else (a meadow filling the frame but for a strip of sky): then the object fills the frame.
    if (!hasBox && share > MAX_AREA && separation < FRAME_FILLING_SEPARATION) return 1;
    // Nothing grown beyond the clicked superpixels: the start collapsed.
    if (members <= positives.length) return 1;
    // A click on an edge sits in a superpixel that straddles it, and a cut can keep that superpixel only
    // because it is a hard constraint while taking the surface beyond the edge (the dark ground past a
    // petal's rim): then the clicked colour goes on outside the answer and nowhere inside it.
    if (positives.some((s) => isOtherSideOfEdge(sp, labels, s, positives))) return 1;
    // Clicks far apart say the object spans them at least roughly: an answer much smaller than their
    // spread is a few bright cores around the clicks (the seed heads without their fluff).
    if (area < COLLAPSED_SPREAD * spread) return 1;
    // Size prior: more than half the photo has to separate better than a smaller answer to win.
    return hasBox ? 0 : LARGE_AREA_COST * Math.max(0, share - 0.5);
  }
}

/**
 * True when the clicked superpixel `clicked` sits on the rim of `labels` (under CLICK_RIM of the
 * superpixels within two hops of it inside) and its colour goes on outside (one of them within
 * CLICK_SURFACE_GOES_ON of it) while nothing inside near it is alike (all farther than CLICK_UNLIKE).
 * A kite's sky-blue panel clicked against the sky is not taken for this: the sky is no closer to it than
 * 29, so the panel is a thing of its own and the kite the answer (a rule on the whole answer's colours,
 * tried before, ruled the kite out).
 */
function isOtherSideOfEdge(
  sp: Superpixels,
  labels: Uint8Array,
  clicked: number,
  positives: readonly number[],
): boolean {
  const { offsets, list } = sp.neighbours;
  const m = sp.mean;
  const near = new Set<number>([clicked]);
  let frontier = [clicked];
  for (let hop = 0; hop < 2; hop++) {
    const next: number[] = [];
    for (const s of frontier) {
      for (let k = offsets[s]!; k < offsets[s + 1]!; k++) {
        const t = list[k]!;
        if (near.has(t)) continue;
        near.add(t);
        next.push(t);
      }
    }
    frontier = next;
  }
  let inside = 0;
  let total = 0;
  let nearestInside = Infinity;
  let nearestOutside = Infinity;
  for (const t of near) {
    if (t === clicked || positives.includes(t)) continue;
    const d = Math.hypot(
      m[t * 3]! - m[clicked * 3]!,
      m[t * 3 + 1]! - m[clicked * 3 + 1]!,
      m[t * 3 + 2]! - m[clicked * 3 + 2]!,
    );
    total++;
    if (labels[t]) {
      inside++;
      nearestInside = Math.min(nearestInside, d);
    } else {
      nearestOutside = Math.min(nearestOutside, d);
    }
  }
  return (
    total > 0 &&
    inside < CLICK_RIM * total &&
    nearestOutside < CLICK_SURFACE_GOES_ON &&
    nearestInside > CLICK_UNLIKE
  );
}

/**
 * 4 pi area / boundary length squared (1 for a disc, less the more ragged the outline), in working
 * pixels. The frame counts as boundary: left out, a sky or a sea running off the frame on three sides
 * would seem as smooth as a disc, and on a grid of clicks over the example photos took over from
 * answers a person would rather have.
 */
function compactness(sp: Superpixels, labels: Uint8Array): number {
  let area = 0;
  for (let s = 0; s < sp.count; s++) if (labels[s]) area += sp.size[s]!;
  let boundary = 0;
  const { a, b, length } = sp.edges;
  for (let e = 0; e < a.length; e++) if (labels[a[e]!] !== labels[b[e]!]) boundary += length[e]!;
  const { width, height } = sp;
  for (let x = 0; x < width; x++) {
    if (labels[sp.labels[x]!]) boundary++;
    if (labels[sp.labels[(height - 1) * width + x]!]) boundary++;
  }
  for (let y = 0; y < height; y++) {
    if (labels[sp.labels[y * width]!]) boundary++;
    if (labels[sp.labels[y * width + width - 1]!]) boundary++;
  }
  return (4 * Math.PI * area) / Math.max(1, boundary) ** 2;
}

/** The share of `part`'s area (pixels) that `whole` labels too. */
function heldShare(sp: Superpixels, part: Uint8Array, whole: Uint8Array): number {
  let area = 0;
  let held = 0;
  for (let s = 0; s < sp.count; s++) {
    if (!part[s]) continue;
    area += sp.size[s]!;
    if (whole[s]) held += sp.size[s]!;
  }
  return area > 0 ? held / area : 0;
}

/** Superpixels reachable from a seed through neighbours whose mean colour is within `threshold` of it. */
function growByColour(sp: Superpixels, seeds: number[], threshold: number, outside: Uint8Array): Uint8Array {
  const { offsets, list } = sp.neighbours;
  const m = sp.mean;
  const grown = new Uint8Array(sp.count);
  const limit = threshold * threshold;
  for (const seed of seeds) {
    const stack = [seed];
    grown[seed] = 1;
    while (stack.length > 0) {
      const s = stack.pop()!;
      for (let k = offsets[s]!; k < offsets[s + 1]!; k++) {
        const t = list[k]!;
        if (grown[t] || outside[t]) continue;
        const d =
          (m[t * 3]! - m[seed * 3]!) ** 2 +
          (m[t * 3 + 1]! - m[seed * 3 + 1]!) ** 2 +
          (m[t * 3 + 2]! - m[seed * 3 + 2]!) ** 2;
        if (d < limit) {
          grown[t] = 1;
          stack.push(t);
        }
      }
    }
  }
  return grown;
}

/** The squared distance between the two clicks farthest apart (working pixels), 0 for one click. */
function clickSpread(clicks: readonly ClickedSuperpixel[]): number {
  let spread = 0;
  for (let i = 0; i < clicks.length; i++) {
    for (let j = i + 1; j < clicks.length; j++) {
      spread = Math.max(spread, (clicks[i]!.x - clicks[j]!.x) ** 2 + (clicks[i]!.y - clicks[j]!.y) ** 2);
    }
  }
  return spread;
}

/** True when superpixel `s` or one of its neighbours is labelled. */
function touches(sp: Superpixels, labels: Uint8Array, s: number): boolean {
  if (labels[s]) return true;
  const { offsets, list } = sp.neighbours;
  for (let k = offsets[s]!; k < offsets[s + 1]!; k++) if (labels[list[k]!]) return true;
  return false;
}

/** The labelled superpixels connected (through labelled neighbours) to one of `seeds`. */
export function connectedTo(sp: Superpixels, labels: Uint8Array, seeds: number[]): Uint8Array {
  const { offsets, list } = sp.neighbours;
  const out = new Uint8Array(sp.count);
  const stack = seeds.filter((s) => labels[s]);
  for (const s of stack) out[s] = 1;
  while (stack.length > 0) {
    const s = stack.pop()!;
    for (let k = offsets[s]!; k < offsets[s + 1]!; k++) {
      const t = list[k]!;
      if (labels[t] && !out[t]) {
        out[t] = 1;
        stack.push(t);
      }
    }
  }
  return out;
}

/** The largest connected piece of a labelling (a box with no click). */
function largestPiece(sp: Superpixels, labels: Uint8Array): Uint8Array {
  const seen = new Uint8Array(sp.count);
  let best: Uint8Array = new Uint8Array(sp.count);
  let bestArea = 0;
  for (let s = 0; s < sp.count; s++) {
    if (!labels[s] || seen[s]) continue;
    const piece = connectedTo(sp, labels, [s]);
    let area = 0;
    for (let t = 0; t < sp.count; t++) {
      if (piece[t]) {
        seen[t] = 1;
        area += sp.size[t]!;
      }
    }
    if (area > bestArea) {
      bestArea = area;
      best = piece;
    }
  }
  return best;
}

function seedsOnly(count: number, seeds: number[]): Uint8Array {
  const out = new Uint8Array(count);
  for (const s of seeds) out[s] = 1;
  return out;
}
