// Fills a hole with real texture: the photo copied from beside the hole, at one offset for the whole
// hole, with the seam made invisible by a smooth membrane that carries the colour difference along the
// hole's edge into it. The single-offset case of shift-map inpainting (Pritch et al., "Shift-Map Image
// Editing", ICCV 2009) with membrane interpolation for the seam (Farbman et al., "Coordinates for Instant
// Image Cloning", SIGGRAPH 2009; the membrane here is a push-pull fill of the edge difference). Where an
// object has left (a launch, a car driving off) the sky, wall or grass beside it shows its own grain and
// texture instead of a blurred patch.
import { distanceTransform } from './distance.js';
import { FILL, KNOWN, pushPull } from './inpaint-core.js';
import { boxHeight, boxWidth, growBox } from './mask.js';

/** Directions tried for the offset. */
const DIRECTIONS = 16;
/** Distances tried along each, as multiples of the least that clears the hole. */
const REACHES = [1, 1.4, 1.8];
/** Pixels between the hole's far edge and the copied patch's near edge. */
const GAP = 3;
/** Width of the band of known pixels around the hole that offsets are scored and the seam matched on. */
const EDGE_BAND = 4;
/** Grain allowed for on top of the surroundings' spread when accepting a patch (0-255 scale). */
const GRAIN_MARGIN = 6;

interface Candidate {
  dx: number;
  dy: number;
  score: number;
}

/**
 * Fills the FILL pixels of `into` (RGBA floats) by copying `rgba` from an offset where every source pixel
 * is KNOWN, plus a membrane that takes the colour difference along the hole's edge smoothly into it.
 * `into` holds a smooth fill already (push-pull): the patch must agree with it at large, so a patch of
 * something else (a face beside a model rocket) is not copied. Returns false, leaving `into` alone, when
 * no patch fits.
 */
export function offsetFill(
  rgba: Uint8Array,
  state: Uint8Array,
  width: number,
  height: number,
  into: Float32Array,
): boolean {
  const holes: number[] = [];
  const unknown: number[] = [];
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let i = 0; i < state.length; i++) {
    if (state[i] === KNOWN) continue;
    unknown.push(i);
    if (state[i] === FILL) holes.push(i);
    const x = i % width;
    const y = (i - x) / width;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (holes.length === 0) return false;
  // Everything below works in the box around the unknown pixels and the band of known ones around them.
  const box = growBox({ x0, y0, x1: x1 + 1, y1: y1 + 1 }, EDGE_BAND + 2, width, height);
  const bw = boxWidth(box);
  const bh = boxHeight(box);
  const toImage = (k: number) => (box.y0 + Math.floor(k / bw)) * width + box.x0 + (k % bw);
  const fromUnknown = distanceTransform(bw, bh, (k) => state[toImage(k)] !== KNOWN);
  const edge: number[] = [];
  for (let k = 0; k < fromUnknown.length; k++) {
    const i = toImage(k);
    if (state[i] === KNOWN && fromUnknown[k]! <= EDGE_BAND) edge.push(i);
  }
  if (edge.length === 0) return false;

  const best = bestOffset(rgba, into, state, width, height, holes, unknown, edge);
  if (!best || best.score > acceptable(rgba, edge)) return false;
  const shift = best.dy * width + best.dx;

  // Membrane: the smoothed colour difference between each edge pixel and its source, filled into the hole.
  const difference = new Float32Array(bw * bh * 3);
  const weight = new Float32Array(bw * bh);
  for (const i of edge) {
    const x = (i % width) + best.dx;
    const y = Math.floor(i / width) + best.dy;
    if (x < 0 || y < 0 || x >= width || y >= height) continue;
    const j = i + shift;
    if (state[j] !== KNOWN) continue;
    const k = (Math.floor(i / width) - box.y0) * bw + (i % width) - box.x0;
    const here = smoothedAt(rgba, state, width, height, i);
    const there = smoothedAt(rgba, state, width, height, j);
    for (let c = 0; c < 3; c++) difference[k * 3 + c] = here[c]! - there[c]!;
    weight[k] = 1;
  }
  pushPull(difference, weight, bw, bh, 3);
  for (const i of holes) {
    const j = i + shift;
    const k = (Math.floor(i / width) - box.y0) * bw + (i % width) - box.x0;
    for (let c = 0; c < 3; c++) into[i * 4 + c] = rgba[j * 4 + c]! + difference[k * 3 + c]!;
    into[i * 4 + 3] = rgba[j * 4 + 3]!;
  }
  return true;
}

/** The mean colour of the known pixels in the 5x5 window around pixel i, binomially weighted. */
function smoothedAt(rgba: Uint8Array, state: Uint8Array, width: number, height: number, i: number): number[] {
  const x = i % width;
  const y = (i - x) / width;
  const sum = [0, 0, 0];
  let total = 0;
  for (let dy = -2; dy <= 2; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= height) continue;
    for (let dx = -2; dx <= 2; dx++) {
      const xx = x + dx;
      if (xx < 0 || xx >= width) continue;
      const j = yy * width + xx;
      if (state[j] !== KNOWN) continue;
      const w = BINOMIAL[dx + 2]! * BINOMIAL[dy + 2]!;
      for (let c = 0; c < 3; c++) sum[c]! += w * rgba[j * 4 + c]!;
      total += w;
    }
  }
  return sum.map((v) => v / Math.max(1e-9, total));
}

const BINOMIAL = [1, 4, 6, 4, 1];

/**
 * The largest mean squared difference a patch may have from the smooth fill: the spread of the colours
 * around the hole (a patch of the surroundings differs from their smooth blend by about that much), plus
 * a margin for grain.
 */
function acceptable(rgba: Uint8Array, edge: readonly number[]): number {
  const mean = [0, 0, 0];
  for (const i of edge) for (let c = 0; c < 3; c++) mean[c]! += rgba[i * 4 + c]!;
  for (let c = 0; c < 3; c++) mean[c]! /= edge.length;
  let spread = 0;
  for (const i of edge) for (let c = 0; c < 3; c++) spread += (rgba[i * 4 + c]! - mean[c]!) ** 2;
  return spread / edge.length + 3 * GRAIN_MARGIN * GRAIN_MARGIN;
}

/** The offset whose patch is wholly known and matches the smooth fill and the hole's surroundings best. */
function bestOffset(
  rgba: Uint8Array,
  predicted: Float32Array,
  state: Uint8Array,
  width: number,
  height: number,
  holes: readonly number[],
  unknown: readonly number[],
  edge: readonly number[],
): Candidate | null {
  let best: Candidate | null = null;
  for (let k = 0; k < DIRECTIONS; k++) {
    const angle = (2 * Math.PI * k) / DIRECTIONS;
    const ux = Math.cos(angle);
    const uy = Math.sin(angle);
    // Far enough along u that the patch clears the hole and everything unknown around it.
    let min = Infinity;
    let max = -Infinity;
    for (const i of unknown) {
      const p = (i % width) * ux + Math.floor(i / width) * uy;
      if (p < min) min = p;
      if (p > max) max = p;
    }
    // Just clear of the hole, and a little further out (what is right beside a hole is not always alike).
    for (const reach of REACHES) {
      const distance = (max - min + GAP) * reach;
      const dx = Math.round(ux * distance);
      const dy = Math.round(uy * distance);
      if (!wholeKnown(state, width, height, holes, dx, dy)) continue;
      const edgeScore = edgeMismatch(rgba, state, width, height, edge, dx, dy);
      if (edgeScore === null) continue;
      const score = Math.max(edgeScore, patchMismatch(rgba, predicted, width, holes, dx, dy));
      if (!best || score < best.score) best = { dx, dy, score };
    }
  }
  return best;
}

function wholeKnown(
  state: Uint8Array,
  width: number,
  height: number,
  holes: readonly number[],
  dx: number,
  dy: number,
): boolean {
  for (const i of holes) {
    const x = (i % width) + dx;
    const y = Math.floor(i / width) + dy;
    if (x < 0 || y < 0 || x >= width || y >= height) return false;
    if (state[y * width + x] !== KNOWN) return false;
  }
  return true;
}

/** Mean squared colour difference between the patch and the smooth fill, over (a sample of) the hole. */
function patchMismatch(
  rgba: Uint8Array,
  predicted: Float32Array,
  width: number,
  holes: readonly number[],
  dx: number,
  dy: number,
): number {
  const step = Math.max(1, Math.floor(holes.length / 4000));
  const shift = dy * width + dx;
  let sum = 0;
  let count = 0;
  for (let k = 0; k < holes.length; k += step) {
    const i = holes[k]!;
    for (let c = 0; c < 3; c++) sum += (rgba[(i + shift) * 4 + c]! - predicted[i * 4 + c]!) ** 2;
    count++;
  }
  return sum / Math.max(1, count);
}

/** Mean squared colour difference between the edge band and the same band shifted by (dx, dy). */
function edgeMismatch(
  rgba: Uint8Array,
  state: Uint8Array,
  width: number,
  height: number,
  edge: readonly number[],
  dx: number,
  dy: number,
): number | null {
  let sum = 0;
  let count = 0;
  for (const i of edge) {
    const x = (i % width) + dx;
    const y = Math.floor(i / width) + dy;
    if (x < 0 || y < 0 || x >= width || y >= height) continue;
    const j = y * width + x;
    if (state[j] !== KNOWN) continue;
    for (let c = 0; c < 3; c++) sum += (rgba[i * 4 + c]! - rgba[j * 4 + c]!) ** 2;
    count++;
  }
  return count > edge.length / 4 ? sum / count : null;
}
