// Exemplar fill for the hole a moving object leaves (issue 10, point 1): the hole takes real patches of
// the photo around it, chosen so they agree with each other and with the hole's edge, so grass, bokeh,
// a stem or a horizon runs on into it instead of stopping at a smooth blob. Wexler, Shechtman and Irani's
// completion ("Space-Time Completion of Video", PAMI 2007): coarse to fine over a pyramid, at every level
// alternate (1) the nearest known patch for every patch that touches the hole, found by PatchMatch
// (Barnes et al., SIGGRAPH 2009: random init, propagation from neighbours, random search at shrinking
// radii), and (2) each hole pixel set to the similarity-weighted vote of the patches that cover it. The
// pyramid stops where the hole is a few patches across, so the coarsest level lays out structure (where a
// horizon or a stem runs) and the finer ones only add detail: the fill works at the hole's scale.
// Straight structures that cross the hole (a stem's edges, a horizon) are found first (inpaint-lines.ts)
// and every level is told where they run: a patch's distance to each line is part of its match, so a
// stem is laid across the hole at every level instead of depending on a random draw keeping it.
// Last, the fill is stitched in the gradient domain (inpaint-poisson.ts): it keeps the gradients its
// patches carried, not their shades, so pieces of other shades meet without a step.
import { FILL, IGNORE, KNOWN, fillBounds, pushPull } from './inpaint-core.js';
import { stitchFill } from './inpaint-poisson.js';
import { findStructureLines, type StructureLine } from './inpaint-lines.js';
import { seededRandom } from './noise.js';

/** Patch radius: 7x7 patches. */
const RADIUS = 3;
const PATCH_AREA = (2 * RADIUS + 1) ** 2;
/** The coarsest level's hole is about this many pixels across its shorter side. */
const COARSEST_HOLE = 28;
/** Sources come from the hole's box grown by this share of its longer side (and at least MARGIN_LEAST). */
const MARGIN_SHARE = 1;
const MARGIN_LEAST = 24;
/**
 * EM iterations per level, and how far the random search reaches (in that level's pixels; null: the
 * whole level). The coarsest level lays the structure out from scratch; a finer level starts from the
 * coarser field doubled, which is right to within a pixel or two, so it only needs a local search. The
 * finest level is not searched at all: the field from the level above, doubled, copies the photo's
 * full-size texture (searching there too costs three times as much as everything else, for a change
 * that is hard to see).
 */
const SCHEDULE = {
  coarsest: { iterations: 8, reach: null },
  middle: { iterations: 2, reach: 16 },
  finest: { iterations: 1, reach: 2 },
} as const;

/** A level's finished field: its matches, which the next finer level starts from. */
interface Finished {
  nnf: Int32Array;
  level: Level;
}

interface Level {
  width: number;
  height: number;
  /** RGB, 0-255 floats. */
  color: Float32Array;
  state: Uint8Array;
  /** 1 where a KNOWN pixel is a light (LIGHT_LEVEL; at a coarser level, where any of its children is). */
  light: Uint8Array;
  /** The structure lines crossing the hole (inpaint-lines.ts), in this level's pixels. */
  lines: StructureLine[];
  /**
   * Per pixel, per line: the signed distance to the line in this level's pixels, clamped to
   * +-GUIDE_CLAMP (lines.length values a pixel).
   */
  guide: Float32Array;
}

/**
 * How strongly a patch must sit where the structure lines say (Sun et al.'s structure first): the cost of
 * a source whose centre lies d pixels further from a line than the target's is GUIDE_WEIGHT d^2, beside a
 * summed 7x7 RGB squared difference. A stem edge of 60 grey levels one pixel off costs about 40 000 in
 * colour alone, so a pixel off costs about a quarter of that again; the wrong side of a line (2 clamps
 * off) never wins.
 */
const GUIDE_WEIGHT = 10_000;
/** Beyond this distance from a line (level pixels) only the side counts. */
const GUIDE_CLAMP = 6;
/** Sources along a line at the target's distance from it, tried per target in the first guess. */
const LINE_TRIES = 40;

/**
 * A light is a small patch of about white (luminance at least LIGHT_LEVEL, its longer side at most
 * LIGHT_SIZE of the photo's) that is burnt out in places (at least LIGHT_CLIPPED of it white to the last
 * level): a lamp, the sun, a glint, the core of a starburst. A light is a thing of its own, never texture,
 * so the fill copies one only where the hole's edge already holds one (a glint running on into the hole):
 * elsewhere a copied light is a second lamp that was never there (rocket.jpg's launch left two new
 * starbursts on the pad where it stood; their cores are 18 px across at 640 px, a fifth of them burnt
 * out). A white surface (a cup, an overcast sky) is larger; a piece of a white rim between darker things
 * is not burnt out (coffee.png's cup rim beside its spoon); warm bokeh (red clipped) is far darker; all
 * are texture, copied anywhere.
 */
const LIGHT_LEVEL = 230;
const LIGHT_SIZE = 0.04;
const LIGHT_CLIPPED = 0.1;
/** Every channel at least this: burnt out. */
const BURNT_OUT = 250;

export interface PatchFillOptions {
  /** The same seed gives the same fill. Default 0. */
  seed?: number;
}

/**
 * Fills the FILL pixels of an RGBA image in place with patches of its KNOWN pixels (IGNORE pixels are
 * neither copied nor compared). Returns false, leaving the image alone, when no whole patch around the
 * hole is known (then a smooth fill is all there is).
 */
export function patchFill(
  rgba: Uint8Array,
  width: number,
  height: number,
  state: Uint8Array,
  options: PatchFillOptions = {},
): boolean {
  const hole = fillBounds(state, width);
  if (!hole) return false;
  const { x0: hx0, y0: hy0, x1: hx1, y1: hy1 } = hole;
  const margin = Math.max(MARGIN_LEAST, Math.ceil(MARGIN_SHARE * Math.max(hx1 - hx0, hy1 - hy0)));
  const bx0 = Math.max(0, hx0 - margin);
  const by0 = Math.max(0, hy0 - margin);
  const bx1 = Math.min(width, hx1 + 1 + margin);
  const by1 = Math.min(height, hy1 + 1 + margin);
  const base = crop(rgba, state, width, bx0, by0, bx1, by1);

  const lines = findStructureLines(base.color, base.state, base.width, base.height);
  const levels = [base];
  let shorter = Math.min(hx1 - hx0, hy1 - hy0) + 1;
  while (shorter > COARSEST_HOLE && levels.at(-1)!.width > 8 * RADIUS && levels.at(-1)!.height > 8 * RADIUS) {
    levels.push(halve(levels.at(-1)!));
    shorter /= 2;
  }
  levels.forEach((level, k) => attachGuide(level, lines, 2 ** k));
  const random = seededRandom(options.seed ?? 0);
  let previous: Finished | null = null as Finished | null;
  // The gradients the full-size level's last vote carries, what the stitch below keeps.
  const gradients = emptyGradients(base.width, base.height);
  for (let k = levels.length - 1; k >= 0; k--) {
    const level = levels[k]!;
    const sources = validSources(level);
    if (sources.length === 0) return false;
    const targets = targetsOf(level);
    const nnf = new Int32Array(level.width * level.height).fill(-1);
    const distance = new Float32Array(level.width * level.height);
    if (previous) {
      upsampleField(previous.nnf, previous.level, level, targets, nnf, sources, random);
      // The hole's colours at this level come from the coarse field's patches, before any matching.
      vote(level, targets, nnf, null);
    } else {
      peel(level, sources, nnf, random);
      for (const t of targets) if (nnf[t]! < 0) nnf[t] = randomSource(sources, t, random);
    }
    const schedule =
      k === levels.length - 1 ? SCHEDULE.coarsest : k === 0 ? SCHEDULE.finest : SCHEDULE.middle;
    const reach = schedule.reach ?? Math.max(level.width, level.height);
    const rounds = Math.max(1, schedule.iterations);
    for (let it = 0; it < rounds; it++) {
      for (const t of targets) distance[t] = patchDistance(level, t, nnf[t]!, Infinity);
      if (schedule.iterations > 0) {
        search(level, targets, nnf, distance, sources, random, reach, it % 2 === 1);
        search(level, targets, nnf, distance, sources, random, reach, it % 2 === 0);
      }
      vote(level, targets, nnf, distance, k === 0 && it === rounds - 1 ? gradients : null);
    }
    previous = { nnf, level };
  }

  matchEdge(base);
  ownGradients(base, gradients);
  const { gx, gy } = gradients;
  stitchFill({ width: base.width, height: base.height, color: base.color, state: base.state, gx, gy });
  const bw = bx1 - bx0;
  for (let y = by0; y < by1; y++) {
    for (let x = bx0; x < bx1; x++) {
      const i = y * width + x;
      if (state[i] !== FILL) continue;
      const k = ((y - by0) * bw + x - bx0) * 3;
      for (let c = 0; c < 3; c++) {
        const v = base.color[k + c]!;
        rgba[i * 4 + c] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
      }
      rgba[i * 4 + 3] = 255;
    }
  }
  return true;
}

/** Half-width of the window along the hole's edge whose two sides the seam correction compares. */
const EDGE_WINDOW = 12;
/**
 * The largest step (grey levels, any channel) the seam correction takes for a shade: a larger one is the
 * object's remnant beside the hole (a leg, the shadow under it) or a structure, not a shade of the
 * background, and carrying it into the fill smears it there.
 */
const SHADE_MOST = 16;

/** Whether pixel i (in state `own`) has a 4-neighbour in another state: it lies on its state's edge. */
function borders(state: Uint8Array, width: number, height: number, i: number, own: number): boolean {
  const x = i % width;
  const y = (i - x) / width;
  return (
    (x > 0 && state[i - 1] !== own) ||
    (x + 1 < width && state[i + 1] !== own) ||
    (y > 0 && state[i - width] !== own) ||
    (y + 1 < height && state[i + width] !== own)
  );
}

/**
 * Removes what is left of a seam where the fill meets the photo: a shade or a gradient across a blurred
 * background that no patch had. At each FILL pixel on the hole's edge, the step is the difference between
 * the nearest known pixels (the first ring of KNOWN pixels, past the object's IGNORE rim) and the fill's
 * edge pixels in the window around it, each side's middle half averaged (the mean of the values between
 * its quartiles, so a thin leg or a highlight does not count). A step larger than SHADE_MOST is left out.
 * The steps are carried smoothly into the hole (push-pull: a membrane, as in Farbman et al.,
 * "Coordinates for Instant Image Cloning", SIGGRAPH 2009) and added. Before (issue 10.1), each known pixel
 * within 12 px was compared with what lay at the same offset from the edge pixel's source patch: unrelated
 * structure round a source far away read as a step, and a ladybird's legs and the shadow under it, left
 * beside its hole, smeared dark across the fill.
 */
function matchEdge(level: Level): void {
  const { width, height, color, state } = level;
  const first = new Uint8Array(width * height);
  for (let i = 0; i < first.length; i++) {
    if (state[i] === FILL && borders(state, width, height, i, FILL)) first[i] = 1;
    else if (state[i] === KNOWN && borders(state, width, height, i, KNOWN)) first[i] = 2;
  }
  const difference = new Float32Array(width * height * 3);
  const weight = new Float32Array(width * height);
  const window = (2 * EDGE_WINDOW + 1) ** 2;
  const knownSide = [new Float32Array(window), new Float32Array(window), new Float32Array(window)];
  const fillSide = [new Float32Array(window), new Float32Array(window), new Float32Array(window)];
  let any = false;
  for (let i = 0; i < first.length; i++) {
    if (first[i] !== 1) continue;
    const x = i % width;
    const y = (i - x) / width;
    let known = 0;
    let filled = 0;
    for (let yy = Math.max(0, y - EDGE_WINDOW); yy <= Math.min(height - 1, y + EDGE_WINDOW); yy++) {
      for (let xx = Math.max(0, x - EDGE_WINDOW); xx <= Math.min(width - 1, x + EDGE_WINDOW); xx++) {
        const j = yy * width + xx;
        if (first[j] === 2) {
          for (let c = 0; c < 3; c++) knownSide[c]![known] = color[j * 3 + c]!;
          known++;
        } else if (first[j] === 1) {
          for (let c = 0; c < 3; c++) fillSide[c]![filled] = color[j * 3 + c]!;
          filled++;
        }
      }
    }
    if (known < 4) continue;
    let largest = 0;
    for (let c = 0; c < 3; c++) {
      const step =
        middleMean(knownSide[c]!.subarray(0, known)) - middleMean(fillSide[c]!.subarray(0, filled));
      difference[i * 3 + c] = step;
      largest = Math.max(largest, Math.abs(step));
    }
    if (largest > SHADE_MOST) {
      for (let c = 0; c < 3; c++) difference[i * 3 + c] = 0;
      continue;
    }
    weight[i] = 1;
    any = true;
  }
  if (!any) return;
  pushPull(difference, weight, width, height, 3);
  for (let i = 0; i < state.length; i++) {
    if (state[i] !== FILL) continue;
    for (let c = 0; c < 3; c++) color[i * 3 + c]! += difference[i * 3 + c]!;
  }
}

/** The mean of the values between the lower and upper quartiles (sorts `values` in place). */
function middleMean(values: Float32Array): number {
  values.sort();
  const from = values.length >> 2;
  const to = Math.max(from + 1, values.length - from);
  let sum = 0;
  for (let k = from; k < to; k++) sum += values[k]!;
  return sum / (to - from);
}

function crop(
  rgba: Uint8Array,
  state: Uint8Array,
  width: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): Level {
  const w = x1 - x0;
  const h = y1 - y0;
  const color = new Float32Array(w * h * 3);
  const cropped = new Uint8Array(w * h);
  const luminance = new Float32Array(w * h);
  const burnt = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y0 + y) * width + x0 + x;
      const k = y * w + x;
      cropped[k] = state[i]!;
      for (let c = 0; c < 3; c++) color[k * 3 + c] = rgba[i * 4 + c]!;
      luminance[k] = 0.299 * rgba[i * 4]! + 0.587 * rgba[i * 4 + 1]! + 0.114 * rgba[i * 4 + 2]!;
      if (Math.min(rgba[i * 4]!, rgba[i * 4 + 1]!, rgba[i * 4 + 2]!) >= BURNT_OUT) burnt[k] = 1;
    }
  }
  return {
    width: w,
    height: h,
    color,
    state: cropped,
    light: lightsOf(luminance, burnt, cropped, w, h, Math.max(width, rgba.length / 4 / width)),
    lines: [],
    guide: new Float32Array(0),
  };
}

/** 1 where a KNOWN pixel is a light (LIGHT_LEVEL, LIGHT_SIZE of `longSide`, LIGHT_CLIPPED): 8-connected pieces. */
function lightsOf(
  luminance: Float32Array,
  burnt: Uint8Array,
  state: Uint8Array,
  w: number,
  h: number,
  longSide: number,
): Uint8Array {
  const light = new Uint8Array(w * h);
  const seen = new Uint8Array(w * h);
  const largest = Math.max(2, LIGHT_SIZE * longSide);
  const piece: number[] = [];
  for (let start = 0; start < light.length; start++) {
    if (seen[start] || luminance[start]! < LIGHT_LEVEL) continue;
    piece.length = 0;
    piece.push(start);
    seen[start] = 1;
    let x0 = w;
    let y0 = h;
    let x1 = -1;
    let y1 = -1;
    let clipped = 0;
    for (let k = 0; k < piece.length; k++) {
      const i = piece[k]!;
      clipped += burnt[i]!;
      const x = i % w;
      const y = (i - x) / w;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          const j = yy * w + xx;
          if (seen[j] || luminance[j]! < LIGHT_LEVEL) continue;
          seen[j] = 1;
          piece.push(j);
        }
      }
    }
    if (Math.max(x1 - x0, y1 - y0) + 1 > largest || clipped < Math.max(1, LIGHT_CLIPPED * piece.length))
      continue;
    for (const i of piece) if (state[i] === KNOWN) light[i] = 1;
  }
  return light;
}

/**
 * Puts the structure lines (found at the finest level) on a level `scale` times coarser: a coarse pixel
 * x stands for fine pixels scale x .. scale x + scale - 1, whose middle is scale x + (scale - 1) / 2.
 */
function attachGuide(level: Level, lines: StructureLine[], scale: number): void {
  const { width, height } = level;
  const offset = (scale - 1) / 2;
  level.lines = lines.map((line) => ({
    nx: line.nx,
    ny: line.ny,
    rho: (line.rho - offset * (line.nx + line.ny)) / scale,
    runs: line.runs.map(
      ([t0, t1]) => [t0, t1].map((t) => (t - offset * (line.nx - line.ny)) / scale) as [number, number],
    ),
  }));
  const count = lines.length;
  level.guide = new Float32Array(width * height * count);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      level.lines.forEach((line, l) => {
        const d = x * line.nx + y * line.ny - line.rho;
        level.guide[(y * width + x) * count + l] = Math.max(-GUIDE_CLAMP, Math.min(GUIDE_CLAMP, d));
      });
}

/** GUIDE_WEIGHT times the squared differences of target t's and source s's distances to the lines. */
function guideCost(level: Level, t: number, s: number): number {
  const count = level.lines.length;
  let sum = 0;
  for (let l = 0; l < count; l++) sum += (level.guide[t * count + l]! - level.guide[s * count + l]!) ** 2;
  return GUIDE_WEIGHT * sum;
}

/**
 * A source for target t on the nearest structure line it lies close to: a random point of the line where
 * the photo shows it (its runs), moved off the line as far as t is. -1 where t is near no line.
 */
function lineSource(level: Level, t: number, random: () => number): number {
  const { width, height, lines, guide } = level;
  let nearest = -1;
  let distance = GUIDE_CLAMP;
  for (let l = 0; l < lines.length; l++) {
    const d = guide[t * lines.length + l]!;
    if (Math.abs(d) < Math.abs(distance)) {
      distance = d;
      nearest = l;
    }
  }
  if (nearest < 0) return -1;
  const line = lines[nearest]!;
  const run = line.runs[Math.floor(random() * line.runs.length)]!;
  const along = run[0] + random() * (run[1] - run[0]);
  const x = Math.round(line.rho * line.nx - along * line.ny + distance * line.nx);
  const y = Math.round(line.rho * line.ny + along * line.nx + distance * line.ny);
  return x < 0 || y < 0 || x >= width || y >= height ? -1 : y * width + x;
}

/**
 * Half the size: the mean of the known children; FILL where any child is FILL, KNOWN where all are
 * KNOWN, IGNORE otherwise (a coarse source must be wholly known, or it would copy the object's rim).
 */
function halve(fine: Level): Level {
  const width = Math.ceil(fine.width / 2);
  const height = Math.ceil(fine.height / 2);
  const color = new Float32Array(width * height * 3);
  const state = new Uint8Array(width * height);
  const light = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let known = 0;
      let fill = false;
      let lit = 0;
      let all = 0;
      const sum = [0, 0, 0];
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          const fx = 2 * x + dx;
          const fy = 2 * y + dy;
          if (fx >= fine.width || fy >= fine.height) continue;
          const i = fy * fine.width + fx;
          all++;
          if (fine.state[i] === FILL) fill = true;
          lit |= fine.light[i]!;
          if (fine.state[i] !== KNOWN) continue;
          known++;
          for (let c = 0; c < 3; c++) sum[c]! += fine.color[i * 3 + c]!;
        }
      }
      const k = y * width + x;
      state[k] = fill ? FILL : known === all ? KNOWN : IGNORE;
      if (state[k] === KNOWN) light[k] = lit;
      if (known > 0) for (let c = 0; c < 3; c++) color[k * 3 + c] = sum[c]! / known;
    }
  }
  return { width, height, color, state, light, lines: [], guide: new Float32Array(0) };
}

/** Random sources each pixel of the coarsest hole tries while it is peeled. */
const PEEL_TRIES = 300;

/**
 * The coarsest hole's first guess, peeled from its edge inwards (the onion-peel order of Criminisi et
 * al., "Region Filling and Object Removal by Exemplar-Based Image Inpainting", 2004): each hole pixel,
 * nearest the edge first, takes the centre of the patch that best matches what is already known or
 * filled around it, among random sources and its filled neighbours' sources shifted by one. Starting
 * from a smooth blend instead lets smooth patches from anywhere (a wooden table beside a white cup)
 * win inside a hole that its edge says is cup.
 */
function peel(level: Level, sources: Sources, nnf: Int32Array, random: () => number): void {
  const { width, height, color, state } = level;
  const known = new Uint8Array(width * height);
  const order: number[] = [];
  for (let i = 0; i < known.length; i++) {
    if (state[i] === KNOWN) known[i] = 1;
    else if (state[i] === FILL) order.push(i);
  }
  // Distance to the nearest non-FILL pixel, by two chamfer passes (good enough to order the peel).
  const depth = new Float32Array(width * height);
  for (const i of order) depth[i] = 1e9;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (x > 0) depth[i] = Math.min(depth[i]!, depth[i - 1]! + 1);
      if (y > 0) depth[i] = Math.min(depth[i]!, depth[i - width]! + 1);
    }
  for (let y = height - 1; y >= 0; y--)
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      if (x + 1 < width) depth[i] = Math.min(depth[i]!, depth[i + 1]! + 1);
      if (y + 1 < height) depth[i] = Math.min(depth[i]!, depth[i + width]! + 1);
    }
  order.sort((a, b) => depth[a]! - depth[b]!);
  const distanceTo = (t: number, s: number, bound: number) => {
    const tx = t % width;
    const ty = (t - tx) / width;
    let sum = 0;
    let n = 0;
    for (let dy = -RADIUS; dy <= RADIUS; dy++) {
      const y = ty + dy;
      if (y < 0 || y >= height) continue;
      for (let dx = -RADIUS; dx <= RADIUS; dx++) {
        const x = tx + dx;
        if (x < 0 || x >= width) continue;
        const a = y * width + x;
        if (!known[a]) continue;
        const b = (s + dy * width + dx) * 3;
        for (let c = 0; c < 3; c++) sum += (color[a * 3 + c]! - color[b + c]!) ** 2;
        n++;
      }
      if (sum >= bound * Math.max(1, n)) break;
    }
    return n > 0 ? sum / n + guideCost(level, t, s) / PATCH_AREA : Infinity;
  };
  for (const t of order) {
    let best = -1;
    let bestDistance = Infinity;
    const consider = (s: number) => {
      if (s < 0 || s >= known.length || !usable(sources, t, s)) return;
      const d = distanceTo(t, s, bestDistance);
      if (d < bestDistance) {
        bestDistance = d;
        best = s;
      }
    };
    for (const step of [1, -1, width, -width]) {
      const neighbour = t - step;
      if (neighbour >= 0 && neighbour < known.length && nnf[neighbour]! >= 0)
        consider(nnf[neighbour]! + step);
    }
    for (let k = 0; k < PEEL_TRIES; k++) consider(sources.list[Math.floor(random() * sources.length)]!);
    if (level.lines.length > 0) for (let k = 0; k < LINE_TRIES; k++) consider(lineSource(level, t, random));
    if (best < 0) continue;
    nnf[t] = best;
    for (let c = 0; c < 3; c++) color[t * 3 + c] = color[best * 3 + c]!;
    known[t] = 1;
  }
}

/** valid[] of a source whose patch holds no light, and of one that does. */
const PLAIN = 1;
const LIT = 2;

interface Sources {
  /** Centres whose whole patch is known: PLAIN or LIT (0: not a source). */
  valid: Uint8Array;
  /** 1 where a patch centred there holds a light: a target there may copy LIT sources. */
  nearLight: Uint8Array;
  /** Every source, PLAIN and LIT, in scan order (random picks; a LIT one is passed over where unusable). */
  list: Int32Array;
  length: number;
}

/** Sources after a random pick that a target tries before it takes the pick whatever it is. */
const RANDOM_STEPS = 64;

/**
 * A random source target t may take: the random pick, or the first usable source after it in scan order.
 * One random draw either way, so a fill near no light draws the same numbers and makes the same fill as
 * it would if lights were not told apart.
 */
function randomSource(sources: Sources, t: number, random: () => number): number {
  const pick = Math.floor(random() * sources.length);
  for (let k = 0; k < RANDOM_STEPS; k++) {
    const s = sources.list[(pick + k) % sources.length]!;
    if (usable(sources, t, s)) return s;
  }
  return sources.list[pick]!;
}

/** Whether target t may take the patch at s. */
function usable(sources: Sources, t: number, s: number): boolean {
  const kind = sources.valid[s];
  return kind === PLAIN || (kind === LIT && sources.nearLight[t] === 1);
}

/** Summed-area table of `flag(i)` over a width x height level, (width + 1) x (height + 1). */
function areaTable(width: number, height: number, flag: (i: number) => number): Int32Array {
  const w1 = width + 1;
  const table = new Int32Array(w1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += flag(y * width + x);
      table[(y + 1) * w1 + x + 1] = table[y * w1 + x + 1]! + row;
    }
  }
  return table;
}

function validSources(level: Level): Sources {
  const { width, height, state, light } = level;
  const w1 = width + 1;
  const unknown = areaTable(width, height, (i) => (state[i] === KNOWN ? 0 : 1));
  const lights = areaTable(width, height, (i) => light[i]!);
  // The count in the patch around (x, y), clipped at the level's edge.
  const inPatch = (table: Int32Array, x: number, y: number) => {
    const x0 = Math.max(0, x - RADIUS);
    const y0 = Math.max(0, y - RADIUS);
    const x1 = Math.min(width, x + RADIUS + 1);
    const y1 = Math.min(height, y + RADIUS + 1);
    return table[y1 * w1 + x1]! - table[y0 * w1 + x1]! - table[y1 * w1 + x0]! + table[y0 * w1 + x0]!;
  };
  const valid = new Uint8Array(width * height);
  const nearLight = new Uint8Array(width * height);
  const list = new Int32Array(width * height);
  let length = 0;
  let plainLength = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const lit = inPatch(lights, x, y) > 0;
      if (lit) nearLight[y * width + x] = 1;
      if (x < RADIUS || y < RADIUS || x >= width - RADIUS || y >= height - RADIUS) continue;
      if (inPatch(unknown, x, y) !== 0) continue;
      valid[y * width + x] = lit ? LIT : PLAIN;
      list[length++] = y * width + x;
      if (!lit) plainLength++;
    }
  }
  // Nothing but lights to copy: then they are what the photo is made of.
  if (plainLength === 0) for (let i = 0; i < valid.length; i++) if (valid[i] === LIT) valid[i] = PLAIN;
  return { valid, nearLight, list: list.subarray(0, length), length };
}

/** Centres of the patches that touch the hole (within RADIUS of a FILL pixel, in both axes). */
function targetsOf(level: Level): Int32Array {
  const { width, height, state } = level;
  const across = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    let last = -Infinity;
    for (let x = 0; x < width; x++) {
      if (state[y * width + x] === FILL) last = x;
      if (x - last <= RADIUS) across[y * width + x] = 1;
    }
    last = Infinity;
    for (let x = width - 1; x >= 0; x--) {
      if (state[y * width + x] === FILL) last = x;
      if (last - x <= RADIUS) across[y * width + x] = 1;
    }
  }
  const near = new Uint8Array(width * height);
  for (let x = 0; x < width; x++) {
    let last = -Infinity;
    for (let y = 0; y < height; y++) {
      if (across[y * width + x]) last = y;
      if (y - last <= RADIUS) near[y * width + x] = 1;
    }
    last = Infinity;
    for (let y = height - 1; y >= 0; y--) {
      if (across[y * width + x]) last = y;
      if (last - y <= RADIUS) near[y * width + x] = 1;
    }
  }
  const list = new Int32Array(near.length);
  let length = 0;
  for (let i = 0; i < near.length; i++) if (near[i]) list[length++] = i;
  return list.subarray(0, length);
}

/**
 * Sum of squared colour differences between the patch at target t and the one at source s, over the
 * target's pixels that are KNOWN or FILL (inside the level); stops early once past `bound`.
 */
function patchDistance(level: Level, t: number, s: number, bound: number): number {
  const { width, height, color, state } = level;
  const tx = t % width;
  const ty = (t - tx) / width;
  const dx0 = Math.max(-RADIUS, -tx);
  const dx1 = Math.min(RADIUS, width - 1 - tx);
  const dy0 = Math.max(-RADIUS, -ty);
  const dy1 = Math.min(RADIUS, height - 1 - ty);
  let sum = guideCost(level, t, s);
  if (sum >= bound) return sum;
  for (let dy = dy0; dy <= dy1; dy++) {
    const rowT = t + dy * width;
    const rowS = s + dy * width;
    for (let dx = dx0; dx <= dx1; dx++) {
      const a = rowT + dx;
      if (state[a] === IGNORE) continue;
      const b = (rowS + dx) * 3;
      const a3 = a * 3;
      const r = color[a3]! - color[b]!;
      const g = color[a3 + 1]! - color[b + 1]!;
      const u = color[a3 + 2]! - color[b + 2]!;
      sum += r * r + g * g + u * u;
    }
    if (sum >= bound) return sum;
  }
  return sum;
}

/** One PatchMatch sweep: propagation from the previous two neighbours in scan order, then random search. */
function search(
  level: Level,
  targets: Int32Array,
  nnf: Int32Array,
  distance: Float32Array,
  sources: Sources,
  random: () => number,
  reach: number,
  backward: boolean,
): void {
  const { width, height } = level;
  const step = backward ? -1 : 1;
  const n = targets.length;
  const tryCandidate = (t: number, s: number) => {
    if (s < 0 || s >= sources.valid.length || s === nnf[t] || !usable(sources, t, s)) return;
    const d = patchDistance(level, t, s, distance[t]!);
    if (d < distance[t]!) {
      distance[t] = d;
      nnf[t] = s;
    }
  };
  for (let k = backward ? n - 1 : 0; backward ? k >= 0 : k < n; k += step) {
    const t = targets[k]!;
    const tx = t % width;
    // Propagation: the neighbour's match, shifted by one pixel the same way.
    const left = tx - step;
    if (left >= 0 && left < width) {
      const s = nnf[t - step]!;
      if (s >= 0) {
        const sx = (s % width) + step;
        if (sx >= 0 && sx < width) tryCandidate(t, s + step);
      }
    }
    const up = t - step * width;
    if (up >= 0 && up < nnf.length) {
      const s = nnf[up]!;
      if (s >= 0) tryCandidate(t, s + step * width);
    }
    if (level.lines.length > 0) tryCandidate(t, lineSource(level, t, random));
    // Random search around the current match at halving radii.
    const current = nnf[t]!;
    const cx = current % width;
    const cy = (current - cx) / width;
    for (let r = reach; r >= 1; r >>= 1) {
      const x = cx + Math.round((2 * random() - 1) * r);
      const y = cy + Math.round((2 * random() - 1) * r);
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      tryCandidate(t, y * width + x);
    }
  }
}

/**
 * Each FILL pixel becomes the weighted mean of what the patches covering it say it is. Weights fall off
 * with the patch's distance (Wexler et al.: exp(-d / 2 sigma^2), sigma at the 75th percentile of the
 * distances), so a good match outvotes a poor one; with no distances yet, every patch counts the same.
 * Given `gradients`, the same patches with the same weights also vote, under every pixel they cover, for
 * the differences they carry (see VotedGradients): one walk over the patches for both.
 */
function vote(
  level: Level,
  targets: Int32Array,
  nnf: Int32Array,
  distance: Float32Array | null,
  gradients: VotedGradients | null = null,
): void {
  const { width, height, color, state } = level;
  const weightOf = distance ? voteWeight(targets, distance) : () => 1;
  const sum = new Float32Array(width * height * 3);
  const weight = new Float32Array(width * height);
  const { gx, gy, weight: gradientWeight } = gradients ?? emptyGradients(0, 0);
  for (const t of targets) {
    const s = nnf[t]!;
    if (s < 0) continue;
    const w = weightOf(t);
    const tx = t % width;
    const ty = (t - tx) / width;
    const dx0 = Math.max(-RADIUS, -tx);
    const dx1 = Math.min(RADIUS, width - 1 - tx);
    const dy0 = Math.max(-RADIUS, -ty);
    const dy1 = Math.min(RADIUS, height - 1 - ty);
    // Differences need the pixel past the patch: one column and row fewer at the image's far sides.
    const gradientEnd = Math.min(dx1, width - 2 - tx);
    const gradientRows = gradients ? Math.min(dy1, height - 2 - ty) : dy0 - 1;
    for (let dy = dy0; dy <= dy1; dy++) {
      let a = t + dy * width + dx0;
      let b = (s + dy * width + dx0) * 3;
      let dx = dx0;
      if (dy <= gradientRows) {
        for (; dx <= gradientEnd; dx++, a++, b += 3) {
          gradientWeight[a]! += w;
          const k = a * 3;
          const below = b + width * 3;
          gx[k]! += w * (color[b + 3]! - color[b]!);
          gx[k + 1]! += w * (color[b + 4]! - color[b + 1]!);
          gx[k + 2]! += w * (color[b + 5]! - color[b + 2]!);
          gy[k]! += w * (color[below]! - color[b]!);
          gy[k + 1]! += w * (color[below + 1]! - color[b + 1]!);
          gy[k + 2]! += w * (color[below + 2]! - color[b + 2]!);
          if (state[a] !== FILL) continue;
          weight[a]! += w;
          sum[a * 3]! += w * color[b]!;
          sum[a * 3 + 1]! += w * color[b + 1]!;
          sum[a * 3 + 2]! += w * color[b + 2]!;
        }
      }
      for (; dx <= dx1; dx++, a++, b += 3) {
        if (state[a] !== FILL) continue;
        weight[a]! += w;
        sum[a * 3]! += w * color[b]!;
        sum[a * 3 + 1]! += w * color[b + 1]!;
        sum[a * 3 + 2]! += w * color[b + 2]!;
      }
    }
  }
  for (let a = 0; a < weight.length; a++) {
    const w = weight[a]!;
    if (w === 0) continue;
    color[a * 3] = sum[a * 3]! / w;
    color[a * 3 + 1] = sum[a * 3 + 1]! / w;
    color[a * 3 + 2] = sum[a * 3 + 2]! / w;
  }
}

/**
 * The gradients the patches over each pixel carry, what inpaint-poisson.ts stitches the fill from: per
 * pixel and channel, the weighted sum of color[s + 1] - color[s] (gx) and color[s + width] - color[s]
 * (gy) at the source pixels s that the patches covering it put there, and the weights' sum; ownGradients
 * turns the sums into means. Taking only the gradients of the patch centred on each pixel (a fiftieth of
 * the work) left them at odds along the seams between copied pieces, and the solve added the odds up
 * into a dark patch in the ladybird's bokeh (5.6% of the fill darker than the darkest 5% round it,
 * against 1.3%).
 */
interface VotedGradients {
  gx: Float32Array;
  gy: Float32Array;
  weight: Float32Array;
}

function emptyGradients(width: number, height: number): VotedGradients {
  return {
    gx: new Float32Array(width * height * 3),
    gy: new Float32Array(width * height * 3),
    weight: new Float32Array(width * height),
  };
}

/**
 * The voted sums become means; where no patch voted (the photo away from the hole) the level's own
 * differences stand, and NaN past the edge.
 */
function ownGradients(level: Level, { gx, gy, weight }: VotedGradients): void {
  const { width, color } = level;
  for (let a = 0; a < weight.length; a++) {
    const w = weight[a]!;
    const right = (a + 1) % width !== 0;
    const down = a + width < weight.length;
    for (let k = a * 3; k < a * 3 + 3; k++) {
      if (w > 0) {
        gx[k] = gx[k]! / w;
        gy[k] = gy[k]! / w;
      } else {
        gx[k] = right ? color[k + 3]! - color[k]! : NaN;
        gy[k] = down ? color[k + width * 3]! - color[k]! : NaN;
      }
    }
  }
}

/** Each patch's weight in a vote: exp(-d / 2 sigma^2), sigma^2 the 75th percentile of the distances. */
function voteWeight(targets: Int32Array, distance: Float32Array): (t: number) => number {
  const sample: number[] = [];
  const stride = Math.max(1, Math.floor(targets.length / 2000));
  for (let k = 0; k < targets.length; k += stride) sample.push(distance[targets[k]!]!);
  sample.sort((a, b) => a - b);
  const sigma2 = Math.max(1, sample[Math.floor(sample.length * 0.75)] ?? 1);
  return (t) => Math.exp(-distance[t]! / (2 * sigma2)) + 1e-6;
}

/** A finer level's field from the coarser one: each target takes its parent's match, doubled. */
function upsampleField(
  coarse: Int32Array,
  coarseLevel: Level,
  fine: Level,
  targets: Int32Array,
  nnf: Int32Array,
  sources: Sources,
  random: () => number,
): void {
  const cw = coarseLevel.width;
  const ch = coarseLevel.height;
  const fw = fine.width;
  for (const t of targets) {
    const x = t % fw;
    const y = (t - x) / fw;
    const cx = Math.min(cw - 1, x >> 1);
    const cy = Math.min(ch - 1, y >> 1);
    const s = coarse[cy * cw + cx]!;
    let candidate = -1;
    if (s >= 0) {
      const sx = 2 * (s % cw) + (x & 1);
      const sy = 2 * Math.floor(s / cw) + (y & 1);
      if (sx < fw && sy < fine.height) candidate = sy * fw + sx;
    }
    nnf[t] = candidate >= 0 && usable(sources, t, candidate) ? candidate : randomSource(sources, t, random);
  }
}
