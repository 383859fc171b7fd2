// Renders one frame of a plan: the photo, then each region bottom to top. A pure function of the plan and
// the frame index, shared by the worker threads and the main thread. Inner loops work only inside each
// region's box, sample bilinearly from typed arrays and allocate nothing per pixel.
import { carriedFields, drawCarrier } from '../people/carried-fields.js';
import { drawField } from '../people/render-field.js';
import { drawSkin } from '../people/render-skin.js';
import { StirError } from '../../shared/errors.js';
import {
  CELL_OUTSIDE,
  CELL_PART,
  POSE_STRIDE,
  type CameraRegionPlan,
  type FluidRegionPlan,
  type FramePlan,
  type LayerRegionPlan,
  type WarpRegionPlan,
} from './plan.js';
import { motionTime } from './timing.js';
import { mirror } from './depth.js';
import type { PixelBox } from './mask.js';

/** Returns true when the frame should stop (cancellation is checked every few rows). */
export type CancelCheck = () => boolean;

export interface RenderScratch {
  /** A second frame buffer, for camera motions (they move everything drawn below them). */
  frame: Uint8Array | null;
  /** Per-frame trace offsets of a fluid region (back, ahead). */
  back: Float32Array;
  ahead: Float32Array;
  /** Per-frame cross-fade weights of a fluid region's grid. */
  blend: Float32Array;
  /**
   * The pictures a body field or skin carries (carried-fields.ts): copies of `pictureOf` (a plan's photo) but in
   * the boxes of the face fields drawn into them.
   */
  pictures: [Uint8Array, Uint8Array] | null;
  pictureOf: Uint8Array | null;
  /** What a fluid cell covered in part held before the fluid drew it (step * step RGBA). */
  cell: Uint8Array;
  /** The frame drawn below a warp, which the warp moves (a copy of it; warps sample it). */
  below: Uint8Array | null;
}

export function createScratch(): RenderScratch {
  return {
    frame: null,
    back: new Float32Array(0),
    ahead: new Float32Array(0),
    blend: new Float32Array(0),
    pictures: null,
    pictureOf: null,
    cell: new Uint8Array(0),
    below: null,
  };
}

/** The scratch's carried pictures for this plan's photo (copies of the photo, made once per plan). */
function carriedPictures(plan: FramePlan, scratch: RenderScratch): [Uint8Array, Uint8Array] {
  if (scratch.pictures === null || scratch.pictureOf !== plan.photo) {
    scratch.pictures = [Uint8Array.from(plan.photo), Uint8Array.from(plan.photo)];
    scratch.pictureOf = plan.photo;
  }
  return scratch.pictures;
}

// The hot loops below sample bilinearly inline rather than through a helper: a helper returning four
// channels through shared state measured two to three times slower in V8 here. Source coordinates are
// clamped to [0, size - 1.001], so the right and lower neighbours always exist (sizes are at least 2).
const EDGE = 1.001;

/** Fixed-point steps that invert a warp's displacement field. */
const INVERSE_STEPS = 3;

/** Index into a box-sized RGBA array of the pixel nearest (x, y), clamped to the box. */
function meanIndex(
  x: number,
  y: number,
  box: { x0: number; y0: number; x1: number; y1: number },
  boxWidth: number,
): number {
  let px = (x + 0.5) | 0;
  let py = (y + 0.5) | 0;
  px = px < box.x0 ? box.x0 : px >= box.x1 ? box.x1 - 1 : px;
  py = py < box.y0 ? box.y0 : py >= box.y1 ? box.y1 - 1 : py;
  return ((py - box.y0) * boxWidth + (px - box.x0)) * 4;
}

/** Whether each photo (by its array) has no transparent pixel: computed once per plan and thread. */
const opaquePhotos = new WeakMap<Uint8Array, boolean>();

/**
 * True when every pixel of the RGBA photo is fully opaque. Then every sample of it is opaque too, and the
 * fluid's loop (most of a frame's time on a sky or a field, issue 13.1) skips its alpha channel.
 */
function isOpaque(photo: Uint8Array): boolean {
  let opaque = opaquePhotos.get(photo);
  if (opaque === undefined) {
    opaque = true;
    for (let i = 3; i < photo.length; i += 4) {
      if (photo[i] !== 255) {
        opaque = false;
        break;
      }
    }
    opaquePhotos.set(photo, opaque);
  }
  return opaque;
}

function cancelledError(): StirError {
  return new StirError('CANCELLED', 'The job was cancelled.');
}

function drawLayer(
  plan: FramePlan,
  region: LayerRegionPlan,
  frame: number,
  out: Uint8Array,
  covered: boolean,
  cancelled?: CancelCheck,
): boolean {
  const poses = region.poses;
  const at = frame * POSE_STRIDE;
  if (!poses[at + 7]) {
    if (covered) restoreLayer(plan, region, frame, out);
    return false;
  }
  const ia = poses[at]!;
  const ib = poses[at + 1]!;
  const ic = poses[at + 2]!;
  const id = poses[at + 3]!;
  const ie = poses[at + 4]!;
  const iff = poses[at + 5]!;
  const opacity = poses[at + 6]!;
  const { box, clip, layerBox, alpha, background, foreground, detail } = region;
  const bw = box.x1 - box.x0;
  // The layer's opacity and the filled background live in the layer box (the box itself but for travel).
  const lx0 = layerBox.x0;
  const ly0 = layerBox.y0;
  const lw = layerBox.x1 - lx0;
  const lh = layerBox.y1 - ly0;
  const { width, photo } = plan;
  // A travel changes only the pixels around the layer where it is drawn and its footprint at rest.
  const frameBoxes = region.frameBoxes;
  const rest = region.vacate ? region.vacate.rest : null;
  const reach = region.vacate ? region.vacate.reach : null;
  const moved = region.vacate ? region.vacate.moved[frame]! : 0;
  const fx0 = frameBoxes ? frameBoxes[frame * 4]! : box.x0;
  const fy0 = frameBoxes ? frameBoxes[frame * 4 + 1]! : box.y0;
  const fx1 = frameBoxes ? frameBoxes[frame * 4 + 2]! : box.x1;
  const fy1 = frameBoxes ? frameBoxes[frame * 4 + 3]! : box.y1;
  for (let y = fy0; y < fy1; y++) {
    if (cancelled && (y & 15) === 0 && cancelled()) throw cancelledError();
    let i = (y - box.y0) * bw + (fx0 - box.x0);
    const inLayerRow = y >= ly0 && y < ly0 + lh;
    for (let x = fx0; x < fx1; x++, i++) {
      const c = clip[i]!;
      if (c <= 0) continue;
      const qx = ia * x + ib * y + ic;
      const qy = id * x + ie * y + iff;
      // Layer opacity at the source point: bilinear in the layer box, transparent outside it.
      const lx = qx - lx0;
      const ly = qy - ly0;
      let a = 0;
      if (lx > -1 && ly > -1 && lx < lw && ly < lh) {
        const x0 = Math.floor(lx);
        const y0 = Math.floor(ly);
        const fx = lx - x0;
        const fy = ly - y0;
        const in0 = x0 >= 0;
        const in1 = x0 + 1 < lw;
        const r0 = y0 >= 0;
        const r1 = y0 + 1 < lh;
        const base = y0 * lw + x0;
        const a00 = in0 && r0 ? alpha[base]! : 0;
        const a10 = in1 && r0 ? alpha[base + 1]! : 0;
        const a01 = in0 && r1 ? alpha[base + lw]! : 0;
        const a11 = in1 && r1 ? alpha[base + lw + 1]! : 0;
        a = (a00 * (1 - fx) + a10 * fx) * (1 - fy) + (a01 * (1 - fx) + a11 * fx) * fy;
        a *= opacity;
      }
      const oi = (y * width + x) * 4;
      const bi = inLayerRow && x >= lx0 && x < lx0 + lw ? ((y - ly0) * lw + (x - lx0)) * 4 : -1;
      const from = bi >= 0 ? background : photo;
      const fi = bi >= 0 ? bi : oi;
      let r = from[fi]!;
      let g = from[fi + 1]!;
      let b = from[fi + 2]!;
      let o = from[fi + 3]!;
      if (rest && reach && bi >= 0) {
        // A travel's background at rest gives way to the fill as the layer moves off the pixel.
        const vacate = moved / reach[bi >> 2]!;
        if (vacate < 1) {
          r = rest[bi]! + vacate * (r - rest[bi]!);
          g = rest[bi + 1]! + vacate * (g - rest[bi + 1]!);
          b = rest[bi + 2]! + vacate * (b - rest[bi + 2]!);
          o = rest[bi + 3]! + vacate * (o - rest[bi + 3]!);
        }
      }
      if (a > 0) {
        // The layer's own colours (the photo, unmixed from the fill along its feathered edge).
        const sx = lx < 0 ? 0 : lx > lw - EDGE ? lw - EDGE : lx;
        const sy = ly < 0 ? 0 : ly > lh - EDGE ? lh - EDGE : ly;
        const x0 = sx | 0;
        const y0 = sy | 0;
        const fx = sx - x0;
        const fy = sy - y0;
        const p = (y0 * lw + x0) << 2;
        const q = p + (lw << 2);
        const w00 = (1 - fx) * (1 - fy) * a;
        const w10 = fx * (1 - fy) * a;
        const w01 = (1 - fx) * fy * a;
        const w11 = fx * fy * a;
        const keep = 1 - a;
        // The detail the bilinear sample blurred away (detail.ts), in luma: added to each channel, and
        // weighed by the opacity once more: along the feathered edge the unmixed colours are extrapolated,
        // and their Laplacian is no detail of the photo.
        const dp = p >> 2;
        const dq = dp + lw;
        const lift =
          a *
          (fx * (1 - fx) + fy * (1 - fy)) *
          (detail[dp]! * w00 + detail[dp + 1]! * w10 + detail[dq]! * w01 + detail[dq + 1]! * w11);
        r =
          foreground[p]! * w00 +
          foreground[p + 4]! * w10 +
          foreground[q]! * w01 +
          foreground[q + 4]! * w11 +
          lift +
          keep * r;
        g =
          foreground[p + 1]! * w00 +
          foreground[p + 5]! * w10 +
          foreground[q + 1]! * w01 +
          foreground[q + 5]! * w11 +
          lift +
          keep * g;
        b =
          foreground[p + 2]! * w00 +
          foreground[p + 6]! * w10 +
          foreground[q + 2]! * w01 +
          foreground[q + 6]! * w11 +
          lift +
          keep * b;
        o =
          foreground[p + 3]! * w00 +
          foreground[p + 7]! * w10 +
          foreground[q + 3]! * w01 +
          foreground[q + 7]! * w11 +
          keep * o;
      }
      if (c < 1) {
        r = c * r + (1 - c) * out[oi]!;
        g = c * g + (1 - c) * out[oi + 1]!;
        b = c * b + (1 - c) * out[oi + 2]!;
        o = c * o + (1 - c) * out[oi + 3]!;
      }
      // The detail lift may overshoot the byte range where the photo is at its darkest or brightest.
      out[oi] = r < 0 ? 0 : r > 255 ? 255 : r + 0.5;
      out[oi + 1] = g < 0 ? 0 : g > 255 ? 255 : g + 0.5;
      out[oi + 2] = b < 0 ? 0 : b > 255 ? 255 : b + 0.5;
      out[oi + 3] = o + 0.5;
    }
  }
  return true;
}

/**
 * Per grid point, the weight of the arriving content (b) in the cross-fade. Holynski et al. fade
 * linearly with cycle time; here each side's weight is also scaled by how little its trace map squeezes
 * the photo there (the Jacobian determinant of p -> p + offset): where a trace piles up against the
 * region's inflow edge its content is a smear, so the other side shows instead. Both ends of the cycle
 * are unchanged (weight 0 at the start, 1 at the end), so frame 0 is the photo and the loop closes.
 */
function crossfadeWeights(
  back: Float32Array,
  ahead: Float32Array,
  grid: FluidRegionPlan['grid'],
  linear: number,
  into: Float32Array,
): void {
  const { cols, rows, step } = grid;
  const squeeze = (offsets: Float32Array, i: number, j: number): number => {
    const il = Math.max(0, i - 1);
    const ir = Math.min(cols - 1, i + 1);
    const jt = Math.max(0, j - 1);
    const jb = Math.min(rows - 1, j + 1);
    const sx = (ir - il) * step;
    const sy = (jb - jt) * step;
    const l = (j * cols + il) * 2;
    const r = (j * cols + ir) * 2;
    const t = (jt * cols + i) * 2;
    const b = (jb * cols + i) * 2;
    const dxdx = sx > 0 ? 1 + (offsets[r]! - offsets[l]!) / sx : 1;
    const dydx = sx > 0 ? (offsets[r + 1]! - offsets[l + 1]!) / sx : 0;
    const dxdy = sy > 0 ? (offsets[b]! - offsets[t]!) / sy : 0;
    const dydy = sy > 0 ? 1 + (offsets[b + 1]! - offsets[t + 1]!) / sy : 1;
    const det = dxdx * dydy - dxdy * dydx;
    const q = det < 0 ? 0 : det > 1 ? 1 : det;
    return q * q;
  };
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const a = (1 - linear) * squeeze(back, i, j);
      const b = linear * squeeze(ahead, i, j);
      into[j * cols + i] = a + b > 1e-6 ? b / (a + b) : linear;
    }
  }
}

/** Whether grid point g (index of its x offset) traces nowhere, back or ahead. */
function stillCorner(back: Float32Array, ahead: Float32Array, g: number): boolean {
  return back[g] === 0 && back[g + 1] === 0 && ahead[g] === 0 && ahead[g + 1] === 0;
}

/** Trace offsets at a fractional step k: linear between the stored whole steps. */
function tracesAt(traces: Float32Array, points: number, steps: number, k: number, into: Float32Array): void {
  const clamped = Math.min(steps, Math.max(0, k));
  const k0 = Math.min(steps - 1, Math.floor(clamped));
  const f = clamped - k0;
  const a = k0 * points * 2;
  const b = (k0 + 1) * points * 2;
  for (let p = 0; p < points * 2; p++) into[p] = traces[a + p]! * (1 - f) + traces[b + p]! * f;
}

function drawFluid(
  plan: FramePlan,
  region: FluidRegionPlan,
  frame: number,
  out: Uint8Array,
  scratch: RenderScratch,
  covered: boolean,
  cancelled?: CancelCheck,
): boolean {
  const tau = motionTime(region.clock, frame);
  const cycle = region.cycle;
  let c = tau - Math.floor(tau / cycle + 1e-9) * cycle;
  if (c < 1e-6 || cycle - c < 1e-6) {
    // At the start of a cycle the region is the photo.
    if (covered) restoreFluidCells(plan, region, out);
    return false;
  }
  if (c < 0) c = 0;
  const { grid, steps, active } = region;
  const points = grid.cols * grid.rows;
  if (scratch.back.length < points * 2) {
    scratch.back = new Float32Array(points * 2);
    scratch.ahead = new Float32Array(points * 2);
  }
  const back = scratch.back;
  const ahead = scratch.ahead;
  // Holynski et al.: content carried forward for c frames (traced back c steps), cross-faded with content
  // that arrives at the photo in cycle - c frames (traced ahead cycle - c steps).
  tracesAt(region.back, points, steps, c, back);
  tracesAt(region.ahead, points, steps, cycle - c, ahead);
  if (scratch.blend.length < points) scratch.blend = new Float32Array(points);
  const blend = scratch.blend;
  crossfadeWeights(back, ahead, grid, c / cycle, blend);
  const { width, height } = plan;
  // Held structures stand still in front of the fluid, which moves the region without them.
  const photo = region.hold?.plate ?? plan.photo;
  const step = grid.step;
  const cols = grid.cols;
  const meanBox = region.meanBox;
  const shared: FluidFrame = {
    photo,
    out,
    width,
    height,
    opaque: isOpaque(photo),
    mean: region.mean,
    meanBox,
    meanWidth: meanBox.x1 - meanBox.x0,
    detail: region.detail,
    decorrelate: 1 / region.grain,
    step,
    words: fluidWords(photo, region, out),
    row: new Float64Array(10),
  };
  const cell = shared.words ? fluidCellWords : fluidCell;
  const cover = region.cover;
  if (scratch.cell.length < step * step * 4) scratch.cell = new Uint8Array(step * step * 4);
  for (let j = 0; j + 1 < grid.rows; j++) {
    if (cancelled && (j & 3) === 0 && cancelled()) throw cancelledError();
    const py0 = grid.y0 + j * step;
    const ys = Math.max(0, py0);
    const ye = Math.min(height, py0 + step);
    if (ys >= ye) continue;
    for (let i = 0; i + 1 < cols; i++) {
      const c = j * (cols - 1) + i;
      if (!active[c] || cover[c] === CELL_OUTSIDE) continue;
      const px0 = grid.x0 + i * step;
      const xs = Math.max(0, px0);
      const xe = Math.min(width, px0 + step);
      if (xs >= xe) continue;
      const g00 = (j * cols + i) * 2;
      const g01 = g00 + cols * 2;
      // A cell whose four corners trace nowhere shows the photo (already in out): skip it whole.
      if (stillCorner(back, ahead, g00) && stillCorner(back, ahead, g00 + 2)) {
        if (stillCorner(back, ahead, g01) && stillCorner(back, ahead, g01 + 2)) continue;
      }
      if (cover[c] === CELL_PART) {
        const kept = keepCell(out, width, xs, xe, ys, ye, scratch.cell);
        cell(shared, back, ahead, blend, g00, cols, px0, py0, xs, xe, ys, ye);
        blendCell(out, kept, region.alpha, width, xs, xe, ys, ye);
      } else cell(shared, back, ahead, blend, g00, cols, px0, py0, xs, xe, ys, ye);
    }
  }
  if (region.hold) {
    const still = plan.photo;
    for (const i of region.hold.held) for (let c = i * 4; c < i * 4 + 4; c++) out[c] = still[c]!;
  }
  return true;
}

/** Copies a cell's pixels (columns xs..xe, rows ys..ye) of the frame into `into`, row after row. */
function keepCell(
  out: Uint8Array,
  width: number,
  xs: number,
  xe: number,
  ys: number,
  ye: number,
  into: Uint8Array,
): Uint8Array {
  const rowBytes = (xe - xs) * 4;
  for (let y = ys; y < ye; y++) {
    const from = (y * width + xs) * 4;
    into.set(out.subarray(from, from + rowBytes), (y - ys) * rowBytes);
  }
  return into;
}

/** A cell the region covers in part: what it drew where it covers, what was there before elsewhere. */
function blendCell(
  out: Uint8Array,
  kept: Uint8Array,
  alpha: Uint8Array,
  width: number,
  xs: number,
  xe: number,
  ys: number,
  ye: number,
): void {
  const rowBytes = (xe - xs) * 4;
  for (let y = ys; y < ye; y++) {
    for (let x = xs; x < xe; x++) {
      const a = alpha[y * width + x]!;
      if (a === 255) continue;
      const o = (y * width + x) * 4;
      mixPixel(out, o, out, o, kept, (y - ys) * rowBytes + (x - xs) * 4, a);
    }
  }
}

/** Pixel `into` of `out` (RGBA) becomes `a`/255 of pixel `o` of `over` on pixel `u` of `under`, rounded. */
function mixPixel(
  out: Uint8Array,
  into: number,
  over: Uint8Array,
  o: number,
  under: Uint8Array,
  u: number,
  a: number,
): void {
  for (let ch = 0; ch < 4; ch++)
    out[into + ch] = (over[o + ch]! * a + under[u + ch]! * (255 - a) + 127) / 255;
}

/** A fluid at the start of its cycle over regions drawn below it: the photo again, where it covers. */
function restoreFluidCells(plan: FramePlan, region: FluidRegionPlan, out: Uint8Array): void {
  const { width, height, photo } = plan;
  const { grid, active, cover, alpha } = region;
  for (let j = 0; j + 1 < grid.rows; j++) {
    const ys = Math.max(0, grid.y0 + j * grid.step);
    const ye = Math.min(height, grid.y0 + (j + 1) * grid.step);
    for (let i = 0; i + 1 < grid.cols; i++) {
      const c = j * (grid.cols - 1) + i;
      if (!active[c] || cover[c] === CELL_OUTSIDE) continue;
      const xs = Math.max(0, grid.x0 + i * grid.step);
      const xe = Math.min(width, grid.x0 + (i + 1) * grid.step);
      const part = cover[c] === CELL_PART;
      for (let y = ys; y < ye; y++) {
        for (let x = xs; x < xe; x++) {
          const o = (y * width + x) * 4;
          mixPixel(out, o, photo, o, out, o, part ? alpha[y * width + x]! : 255);
        }
      }
    }
  }
}

/** What every cell of one fluid region shares in a frame. */
interface FluidFrame {
  photo: Uint8Array;
  out: Uint8Array;
  width: number;
  height: number;
  opaque: boolean;
  mean: Uint8Array;
  meanBox: PixelBox;
  meanWidth: number;
  detail: Int8Array;
  decorrelate: number;
  step: number;
  /** Whole-pixel views for fluidCellWords; null where fluidCell draws (fluidWords). */
  words: FluidWords | null;
  /** cellRow's ten values for the row being drawn. */
  row: Float64Array;
}

/** An opaque alpha byte in a pixel read as a Uint32 (little-endian: the top byte). */
const OPAQUE = 255 << 24;

/** Whether a pixel's four bytes read as one Uint32 hold R in its low byte (as on x86 and ARM). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

interface FluidWords {
  /** The photo's red, green and blue with its detail value in the top byte: a pixel a Uint32. */
  pixels: Uint32Array;
  /** The region's local mean (RGBA), a pixel a Uint32. */
  mean: Uint32Array;
  /** The frame, a pixel a Uint32. */
  out: Uint32Array;
}

/** Each detail map's photo packed with it (fluidCellWords), made once per map and thread. */
const packedPhotos = new WeakMap<Int8Array, { photo: Uint8Array; pixels: Uint32Array }>();

/** The photo's colours with the detail map in the top byte of each pixel, made once per photo. */
function packedPixels(photo: Uint8Array, detail: Int8Array): Uint32Array {
  const known = packedPhotos.get(detail);
  if (known && known.photo === photo) return known.pixels;
  const words = new Uint32Array(photo.buffer, photo.byteOffset, photo.length >> 2);
  const pixels = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i++) pixels[i] = (words[i]! & 0xffffff) | (detail[i]! << 24);
  packedPhotos.set(detail, { photo, pixels });
  return pixels;
}

/**
 * The whole-pixel views fluidCellWords reads and writes; null (fluidCell draws, byte by byte) where the
 * photo has transparency (its alpha byte is needed), or an array is not 4-byte aligned.
 */
function fluidWords(photo: Uint8Array, region: FluidRegionPlan, out: Uint8Array): FluidWords | null {
  const { mean, detail } = region;
  const aligned = ((photo.byteOffset | mean.byteOffset | out.byteOffset) & 3) === 0;
  if (!LITTLE_ENDIAN || !aligned || !isOpaque(photo) || detail.length * 4 !== photo.length) return null;
  return {
    pixels: packedPixels(photo, detail),
    mean: new Uint32Array(mean.buffer, mean.byteOffset, mean.length >> 2),
    out: new Uint32Array(out.buffer, out.byteOffset, out.length >> 2),
  };
}

/**
 * One row of a fluid cell (fy: its share of the way down the cell; g00: the cell's top-left grid point):
 * the blend weight and the back and ahead offsets at the row's left end and their steps per pixel, into
 * row[0..9] as (value, step) pairs: weight, back x, back y, ahead x, ahead y. Speed (issue 13.1): the
 * five fields are bilinear in the cell, so along a row they are linear in x; both fluid kernels step along
 * the row by these increments instead of weighing four corners per pixel.
 */
function cellRow(
  back: Float32Array,
  ahead: Float32Array,
  blend: Float32Array,
  g00: number,
  cols: number,
  fy: number,
  step: number,
  row: Float64Array,
): void {
  const g10 = g00 + 2;
  const g01 = g00 + cols * 2;
  const g11 = g01 + 2;
  const gy = 1 - fy;
  const wbL = blend[g00 >> 1]! * gy + blend[g01 >> 1]! * fy;
  const baxL = back[g00]! * gy + back[g01]! * fy;
  const bayL = back[g00 + 1]! * gy + back[g01 + 1]! * fy;
  const abxL = ahead[g00]! * gy + ahead[g01]! * fy;
  const abyL = ahead[g00 + 1]! * gy + ahead[g01 + 1]! * fy;
  row[0] = wbL;
  row[1] = (blend[g10 >> 1]! * gy + blend[g11 >> 1]! * fy - wbL) / step;
  row[2] = baxL;
  row[3] = (back[g10]! * gy + back[g11]! * fy - baxL) / step;
  row[4] = bayL;
  row[5] = (back[g10 + 1]! * gy + back[g11 + 1]! * fy - bayL) / step;
  row[6] = abxL;
  row[7] = (ahead[g10]! * gy + ahead[g11]! * fy - abxL) / step;
  row[8] = abyL;
  row[9] = (ahead[g10 + 1]! * gy + ahead[g11 + 1]! * fy - abyL) / step;
}

/**
 * Draws one grid cell of a fluid region: rows ys..ye, columns xs..xe, its corner at (px0, py0) and its
 * top-left grid point at g00. A function of its own rather than a block inside drawFluid: V8 compiled
 * drawFluid's loops on stack replacement and boxed a double for about every pixel there (some 36 MB of
 * garbage a frame on the 1920x1280 storm photo, collected while the other threads wait for memory).
 */
function fluidCell(
  shared: FluidFrame,
  back: Float32Array,
  ahead: Float32Array,
  blend: Float32Array,
  g00: number,
  cols: number,
  px0: number,
  py0: number,
  xs: number,
  xe: number,
  ys: number,
  ye: number,
): void {
  const { photo, out, width, height, opaque, mean, meanBox, meanWidth, detail, decorrelate, step, row } =
    shared;
  const lastX = width - 1;
  const lastY = height - 1;
  for (let y = ys; y < ye; y++) {
    cellRow(back, ahead, blend, g00, cols, (y - py0) / step, step, row);
    const wbL = row[0]!;
    const dwb = row[1]!;
    const baxL = row[2]!;
    const dbax = row[3]!;
    const bayL = row[4]!;
    const dbay = row[5]!;
    const abxL = row[6]!;
    const dabx = row[7]!;
    const abyL = row[8]!;
    const daby = row[9]!;
    for (let x = xs; x < xe; x++) {
      const u = x - px0;
      // Weight of the arriving content, and the variance-preserving blend (Heitz and Neyret,
      // "High-Performance By-Example Noise using a Histogram-Preserving Blending Operator", HPG
      // 2018): deviations from the local mean are mixed with weights whose squares sum to one, so
      // mid-cycle frames keep the photo's contrast instead of washing out and pulsing once per
      // cycle.
      const wb = wbL + dwb * u;
      const wa = 1 - wb;
      const bax = baxL + dbax * u;
      const bay = bayL + dbay * u;
      const abx = abxL + dabx * u;
      const aby = abyL + daby * u;
      if (Math.abs(bax) + Math.abs(bay) + Math.abs(abx) + Math.abs(aby) < 1e-3) continue;
      // The boost assumes the two contents are unrelated; where their sources are closer than the
      // texture's grain (slow flow near the region's edge) they are alike, and boosting would
      // sharpen them into a visible rim. (sqrt, not Math.hypot: hypot is several times slower.)
      const ex = abx - bax;
      const ey = aby - bay;
      const apart = Math.sqrt(ex * ex + ey * ey) * decorrelate;
      const boost = 1 / Math.sqrt(wa * wa + wb * wb) - 1;
      const norm = 1 + boost * (apart < 1 ? apart : 1);
      // Content carried forward (a) and content arriving (b), each sampled bilinearly; mirrored only
      // when it comes from beyond the photo's edge (the modulo is costly, and rarely needed).
      let sx = x + bax;
      let sy = y + bay;
      if (sx < 0 || sx > lastX) sx = mirror(sx, width);
      if (sy < 0 || sy > lastY) sy = mirror(sy, height);
      if (sx > width - EDGE) sx = width - EDGE;
      if (sy > height - EDGE) sy = height - EDGE;
      // The local mean travels with each content (nearest sample: the mean is smooth).
      const ma = meanIndex(sx, sy, meanBox, meanWidth);
      let x0 = sx | 0;
      let y0 = sy | 0;
      let fx2 = sx - x0;
      let fy2 = sy - y0;
      let p = (y0 * width + x0) << 2;
      let q = p + (width << 2);
      let w0 = (1 - fx2) * (1 - fy2) * wa;
      let w1 = fx2 * (1 - fy2) * wa;
      let w2 = (1 - fx2) * fy2 * wa;
      let w3 = fx2 * fy2 * wa;
      let r = photo[p]! * w0 + photo[p + 4]! * w1 + photo[q]! * w2 + photo[q + 4]! * w3;
      let g = photo[p + 1]! * w0 + photo[p + 5]! * w1 + photo[q + 1]! * w2 + photo[q + 5]! * w3;
      let b = photo[p + 2]! * w0 + photo[p + 6]! * w1 + photo[q + 2]! * w2 + photo[q + 6]! * w3;
      // The detail the bilinear sample blurred away (detail.ts), in luma: added to each channel.
      let d = p >> 2;
      let e = d + width;
      let k = fx2 * (1 - fx2) + fy2 * (1 - fy2);
      let lift = k * (detail[d]! * w0 + detail[d + 1]! * w1 + detail[e]! * w2 + detail[e + 1]! * w3);
      let o = opaque
        ? 255
        : photo[p + 3]! * w0 + photo[p + 7]! * w1 + photo[q + 3]! * w2 + photo[q + 7]! * w3;
      sx = x + abx;
      sy = y + aby;
      if (sx < 0 || sx > lastX) sx = mirror(sx, width);
      if (sy < 0 || sy > lastY) sy = mirror(sy, height);
      if (sx > width - EDGE) sx = width - EDGE;
      if (sy > height - EDGE) sy = height - EDGE;
      const mbi = meanIndex(sx, sy, meanBox, meanWidth);
      x0 = sx | 0;
      y0 = sy | 0;
      fx2 = sx - x0;
      fy2 = sy - y0;
      p = (y0 * width + x0) << 2;
      q = p + (width << 2);
      w0 = (1 - fx2) * (1 - fy2) * wb;
      w1 = fx2 * (1 - fy2) * wb;
      w2 = (1 - fx2) * fy2 * wb;
      w3 = fx2 * fy2 * wb;
      r += photo[p]! * w0 + photo[p + 4]! * w1 + photo[q]! * w2 + photo[q + 4]! * w3;
      g += photo[p + 1]! * w0 + photo[p + 5]! * w1 + photo[q + 1]! * w2 + photo[q + 5]! * w3;
      b += photo[p + 2]! * w0 + photo[p + 6]! * w1 + photo[q + 2]! * w2 + photo[q + 6]! * w3;
      d = p >> 2;
      e = d + width;
      k = fx2 * (1 - fx2) + fy2 * (1 - fy2);
      lift += k * (detail[d]! * w0 + detail[d + 1]! * w1 + detail[e]! * w2 + detail[e + 1]! * w3);
      r += lift;
      g += lift;
      b += lift;
      if (!opaque) o += photo[p + 3]! * w0 + photo[p + 7]! * w1 + photo[q + 3]! * w2 + photo[q + 7]! * w3;
      // Restore the contrast the cross-fade loses, about the blended local mean.
      const oi = (y * width + x) * 4;
      const mr = wa * mean[ma]! + wb * mean[mbi]!;
      const mg = wa * mean[ma + 1]! + wb * mean[mbi + 1]!;
      const mb = wa * mean[ma + 2]! + wb * mean[mbi + 2]!;
      r = mr + (r - mr) * norm;
      g = mg + (g - mg) * norm;
      b = mb + (b - mb) * norm;
      out[oi] = r < 0 ? 0 : r > 255 ? 255 : r + 0.5;
      out[oi + 1] = g < 0 ? 0 : g > 255 ? 255 : g + 0.5;
      out[oi + 2] = b < 0 ? 0 : b > 255 ? 255 : b + 0.5;
      out[oi + 3] = opaque ? 255 : o + 0.5;
    }
  }
}

/**
 * fluidCell for an opaque photo, reading and writing whole pixels (issue 13.1: the fluid's loop is most
 * of a storm frame's time). Each photo pixel is one Uint32 holding its red, green and blue and, in the
 * byte an opaque photo's alpha wastes, its detail value (detail.ts): one load a neighbour instead of
 * three colour loads and a detail load. The local mean is read a pixel at a time too, and the frame
 * written one store a pixel. Every channel's arithmetic is fluidCell's, term for term and in the same
 * order, so the frames are the same bytes.
 */
function fluidCellWords(
  shared: FluidFrame,
  back: Float32Array,
  ahead: Float32Array,
  blend: Float32Array,
  g00: number,
  cols: number,
  px0: number,
  py0: number,
  xs: number,
  xe: number,
  ys: number,
  ye: number,
): void {
  const { width, height, meanBox, meanWidth, decorrelate, step, row } = shared;
  const { pixels, mean, out } = shared.words!;
  const lastX = width - 1;
  const lastY = height - 1;
  for (let y = ys; y < ye; y++) {
    cellRow(back, ahead, blend, g00, cols, (y - py0) / step, step, row);
    const wbL = row[0]!;
    const dwb = row[1]!;
    const baxL = row[2]!;
    const dbax = row[3]!;
    const bayL = row[4]!;
    const dbay = row[5]!;
    const abxL = row[6]!;
    const dabx = row[7]!;
    const abyL = row[8]!;
    const daby = row[9]!;
    for (let x = xs; x < xe; x++) {
      const u = x - px0;
      const wb = wbL + dwb * u;
      const wa = 1 - wb;
      const bax = baxL + dbax * u;
      const bay = bayL + dbay * u;
      const abx = abxL + dabx * u;
      const aby = abyL + daby * u;
      if (Math.abs(bax) + Math.abs(bay) + Math.abs(abx) + Math.abs(aby) < 1e-3) continue;
      const ex = abx - bax;
      const ey = aby - bay;
      const apart = Math.sqrt(ex * ex + ey * ey) * decorrelate;
      const boost = 1 / Math.sqrt(wa * wa + wb * wb) - 1;
      const norm = 1 + boost * (apart < 1 ? apart : 1);
      let sx = x + bax;
      let sy = y + bay;
      if (sx < 0 || sx > lastX) sx = mirror(sx, width);
      if (sy < 0 || sy > lastY) sy = mirror(sy, height);
      if (sx > width - EDGE) sx = width - EDGE;
      if (sy > height - EDGE) sy = height - EDGE;
      const ma = mean[meanIndex(sx, sy, meanBox, meanWidth) >> 2]!;
      let x0 = sx | 0;
      let y0 = sy | 0;
      let fx2 = sx - x0;
      let fy2 = sy - y0;
      let d = y0 * width + x0;
      let e = d + width;
      let c00 = pixels[d]!;
      let c10 = pixels[d + 1]!;
      let c01 = pixels[e]!;
      let c11 = pixels[e + 1]!;
      let w0 = (1 - fx2) * (1 - fy2) * wa;
      let w1 = fx2 * (1 - fy2) * wa;
      let w2 = (1 - fx2) * fy2 * wa;
      let w3 = fx2 * fy2 * wa;
      let r = (c00 & 255) * w0 + (c10 & 255) * w1 + (c01 & 255) * w2 + (c11 & 255) * w3;
      let g =
        ((c00 >>> 8) & 255) * w0 +
        ((c10 >>> 8) & 255) * w1 +
        ((c01 >>> 8) & 255) * w2 +
        ((c11 >>> 8) & 255) * w3;
      let b =
        ((c00 >>> 16) & 255) * w0 +
        ((c10 >>> 16) & 255) * w1 +
        ((c01 >>> 16) & 255) * w2 +
        ((c11 >>> 16) & 255) * w3;
      // The top byte is the detail value, signed: >> (not >>>) keeps its sign.
      let k = fx2 * (1 - fx2) + fy2 * (1 - fy2);
      let lift = k * ((c00 >> 24) * w0 + (c10 >> 24) * w1 + (c01 >> 24) * w2 + (c11 >> 24) * w3);
      sx = x + abx;
      sy = y + aby;
      if (sx < 0 || sx > lastX) sx = mirror(sx, width);
      if (sy < 0 || sy > lastY) sy = mirror(sy, height);
      if (sx > width - EDGE) sx = width - EDGE;
      if (sy > height - EDGE) sy = height - EDGE;
      const mb = mean[meanIndex(sx, sy, meanBox, meanWidth) >> 2]!;
      x0 = sx | 0;
      y0 = sy | 0;
      fx2 = sx - x0;
      fy2 = sy - y0;
      d = y0 * width + x0;
      e = d + width;
      c00 = pixels[d]!;
      c10 = pixels[d + 1]!;
      c01 = pixels[e]!;
      c11 = pixels[e + 1]!;
      w0 = (1 - fx2) * (1 - fy2) * wb;
      w1 = fx2 * (1 - fy2) * wb;
      w2 = (1 - fx2) * fy2 * wb;
      w3 = fx2 * fy2 * wb;
      r += (c00 & 255) * w0 + (c10 & 255) * w1 + (c01 & 255) * w2 + (c11 & 255) * w3;
      g +=
        ((c00 >>> 8) & 255) * w0 +
        ((c10 >>> 8) & 255) * w1 +
        ((c01 >>> 8) & 255) * w2 +
        ((c11 >>> 8) & 255) * w3;
      b +=
        ((c00 >>> 16) & 255) * w0 +
        ((c10 >>> 16) & 255) * w1 +
        ((c01 >>> 16) & 255) * w2 +
        ((c11 >>> 16) & 255) * w3;
      k = fx2 * (1 - fx2) + fy2 * (1 - fy2);
      lift += k * ((c00 >> 24) * w0 + (c10 >> 24) * w1 + (c01 >> 24) * w2 + (c11 >> 24) * w3);
      r += lift;
      g += lift;
      b += lift;
      const mr = wa * (ma & 255) + wb * (mb & 255);
      const mg = wa * ((ma >>> 8) & 255) + wb * ((mb >>> 8) & 255);
      const mbl = wa * ((ma >>> 16) & 255) + wb * ((mb >>> 16) & 255);
      r = mr + (r - mr) * norm;
      g = mg + (g - mg) * norm;
      b = mbl + (b - mbl) * norm;
      // As a Uint8Array stores each channel (fluidCell): the clamped value, truncated.
      const red = (r < 0 ? 0 : r > 255 ? 255 : r + 0.5) & 255;
      const green = (g < 0 ? 0 : g > 255 ? 255 : g + 0.5) & 255;
      const blue = (b < 0 ? 0 : b > 255 ? 255 : b + 0.5) & 255;
      out[y * width + x] = red | (green << 8) | (blue << 16) | OPAQUE;
    }
  }
}

function drawWarp(
  plan: FramePlan,
  region: WarpRegionPlan,
  frame: number,
  out: Uint8Array,
  scratch: RenderScratch,
  covered: boolean,
  cancelled?: CancelCheck,
): boolean {
  const tau = motionTime(region.clock, frame);
  const theta = (2 * Math.PI * region.cycles * tau) / Math.max(1e-9, region.clock.span);
  // A whole number of cycles: at rest, what lies below it as it is.
  if (Math.abs(Math.sin(theta / 2)) < 1e-9) return false;
  const { grid, amplitude, phase, direction, active } = region;
  const points = grid.cols * grid.rows;
  if (scratch.back.length < points * 2) {
    scratch.back = new Float32Array(points * 2);
    scratch.ahead = new Float32Array(points * 2);
  }
  const d = scratch.back;
  for (let p = 0; p < points; p++) {
    const s = amplitude[p]! * (Math.sin(theta - phase[p]!) + Math.sin(phase[p]!));
    d[p * 2] = s * direction[p * 2]!;
    d[p * 2 + 1] = s * direction[p * 2 + 1]!;
  }
  const { width, height } = plan;
  const step = grid.step;
  const cols = grid.cols;
  // A warp moves what is drawn below it, not the photo: a sky drifting behind swaying grass goes on
  // drifting in the band the grass's swing stretches (sampling the photo there stopped it in a seam).
  let source = plan.photo;
  if (covered) {
    if (scratch.below?.length !== out.length) scratch.below = new Uint8Array(out.length);
    scratch.below.set(out);
    source = scratch.below;
  }
  // The content at a point x came from p with p + d(p) = x: the backward offset e(x) = d(x - e(x)). A
  // bend solves it at the grid points only and interpolates it between them, as d is: solving it at
  // every pixel (three fixed-point steps, each a bilinear lookup of d) was most of a sway frame, whose
  // band reaches far around a strong swing (a spoon's sway at 1.5 covered 80% of a 1024-px preview, 45 ms
  // a frame). Both are continuous warps of the same gentle field, a fraction of a pixel apart (the
  // spoon's: 0.01 px at the median and 1.6 px at the 99th percentile from the offset solved in forty
  // steps; three steps per pixel were 1.3 px off there). A texture's pixels solve their own, from d(x).
  const perPixel = region.inverse === 'pixel';
  const e = scratch.ahead;
  if (!perPixel) invertWarp(grid, d, e);
  // u / step for every column of a cell: the same quotients the pixels used to divide out one by one.
  const fractions = new Float64Array(step);
  for (let u = 0; u < step; u++) fractions[u] = u / step;
  const shared: WarpFrame = {
    source,
    out,
    width,
    height,
    grid,
    d,
    start: perPixel ? d : e,
    steps: perPixel ? INVERSE_STEPS : 0,
    solved: new Float64Array(2),
    fractions,
    detail: region.detail,
  };
  for (let j = 0; j + 1 < grid.rows; j++) {
    if (cancelled && (j & 3) === 0 && cancelled()) throw cancelledError();
    const py0 = grid.y0 + j * step;
    const ye = Math.min(height, py0 + step);
    for (let i = 0; i + 1 < cols; i++) {
      if (!active[j * (cols - 1) + i]) continue;
      const px0 = grid.x0 + i * step;
      warpCell(shared, (j * cols + i) * 2, px0, py0, Math.min(width, px0 + step), ye);
    }
  }
  return true;
}

/**
 * Where the content at pixel (x, y) came from, as its backward offset e = d(x - e): `steps` fixed-point
 * steps from the guess (ex, ey), d interpolated bilinearly between the grid points; a step that leaves the
 * grid keeps the last offset. Into out[0], out[1]. The field's slope stays well under 1 (plan-warp.ts),
 * so the steps converge fast. A multiply by 1 / step, not a division: three dependent divisions a pixel
 * were a fifth of a warp frame (it rounds differently in the last bit only).
 */
function solveOffset(
  grid: WarpRegionPlan['grid'],
  d: Float32Array,
  x: number,
  y: number,
  ex: number,
  ey: number,
  steps: number,
  out: Float64Array,
): void {
  const { step, cols, rows, x0: gx0, y0: gy0 } = grid;
  const perStep = 1 / step;
  for (let it = 0; it < steps; it++) {
    const qx = (x - ex - gx0) * perStep;
    const qy = (y - ey - gy0) * perStep;
    if (!(qx >= 0 && qy >= 0 && qx < cols - 1 && qy < rows - 1)) break;
    const ci = qx | 0;
    const cj = qy | 0;
    const ux = qx - ci;
    const uy = qy - cj;
    const h00 = (cj * cols + ci) * 2;
    const h01 = h00 + cols * 2;
    const v00 = (1 - ux) * (1 - uy);
    const v10 = ux * (1 - uy);
    const v01 = (1 - ux) * uy;
    const v11 = ux * uy;
    ex = d[h00]! * v00 + d[h00 + 2]! * v10 + d[h01]! * v01 + d[h01 + 2]! * v11;
    ey = d[h00 + 1]! * v00 + d[h00 + 3]! * v10 + d[h01 + 1]! * v01 + d[h01 + 3]! * v11;
  }
  out[0] = ex;
  out[1] = ey;
}

/**
 * The backward offset at every grid point (x, y pairs into e): fixed-point steps e = d(g - e) from
 * e = d(g), with d interpolated bilinearly between the grid points. They converge fast where the field's
 * slope is well under 1; a step that leaves the grid keeps the last offset.
 */
function invertWarp(grid: WarpRegionPlan['grid'], d: Float32Array, e: Float32Array): void {
  const { step, cols, rows } = grid;
  const solved = new Float64Array(2);
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const g = (j * cols + i) * 2;
      const ex = d[g]!;
      const ey = d[g + 1]!;
      if (ex === 0 && ey === 0) {
        e[g] = 0;
        e[g + 1] = 0;
        continue;
      }
      solveOffset(grid, d, grid.x0 + i * step, grid.y0 + j * step, ex, ey, INVERSE_STEPS, solved);
      e[g] = solved[0]!;
      e[g + 1] = solved[1]!;
    }
  }
}

/** What every cell of one warp region shares in a frame. */
interface WarpFrame {
  /** What the warp moves: the photo, or the frame drawn below it. */
  source: Uint8Array;
  out: Uint8Array;
  width: number;
  height: number;
  grid: WarpRegionPlan['grid'];
  /** This frame's displacement at every grid point (x, y). */
  d: Float32Array;
  /** The first guess of the backward offset at every grid point (x, y): d, or the solved offset e. */
  start: Float32Array;
  /** Fixed-point steps e = d(x - e) each pixel takes from its interpolated first guess. */
  steps: number;
  /** solveOffset's answer for the pixel being drawn. */
  solved: Float64Array;
  /** u / step for u in 0..step-1. */
  fractions: Float64Array;
  detail: Int8Array;
}

/**
 * Draws one grid cell of a warp region (columns px0..xe, rows py0..ye; its top-left grid point at g00).
 * A function of its own, as fluidCell: inside drawWarp's loops V8 boxed doubles on stack replacement.
 */
function warpCell(shared: WarpFrame, g00: number, px0: number, py0: number, xe: number, ye: number): void {
  const { source, out, width, height, grid, d, start: e, steps, fractions, detail, solved } = shared;
  const { step, cols } = grid;
  const lastX = width - 1;
  const lastY = height - 1;
  const g10 = g00 + 2;
  const g01 = g00 + cols * 2;
  const g11 = g01 + 2;
  const e00x = e[g00]!;
  const e10x = e[g10]!;
  const e01x = e[g01]!;
  const e11x = e[g11]!;
  const e00y = e[g00 + 1]!;
  const e10y = e[g10 + 1]!;
  const e01y = e[g01 + 1]!;
  const e11y = e[g11 + 1]!;
  // A cell whose corners all stay put draws nothing (the far rim of a wide band): nor did its pixels.
  if (
    Math.abs(e00x) + Math.abs(e00y) < 1e-4 &&
    Math.abs(e10x) + Math.abs(e10y) < 1e-4 &&
    Math.abs(e01x) + Math.abs(e01y) < 1e-4 &&
    Math.abs(e11x) + Math.abs(e11y) < 1e-4
  ) {
    return;
  }
  for (let y = py0; y < ye; y++) {
    const fy = (y - py0) / step;
    // The offset along this row is linear in x: its ends, then a share of the way between them.
    const leftX = e00x + (e01x - e00x) * fy;
    const rightX = e10x + (e11x - e10x) * fy;
    const leftY = e00y + (e01y - e00y) * fy;
    const rightY = e10y + (e11y - e10y) * fy;
    for (let x = px0; x < xe; x++) {
      const fx = fractions[x - px0]!;
      let ex = leftX + (rightX - leftX) * fx;
      let ey = leftY + (rightY - leftY) * fx;
      if (Math.abs(ex) + Math.abs(ey) < 1e-4) continue;
      if (steps > 0) {
        solveOffset(grid, d, x, y, ex, ey, steps, solved);
        ex = solved[0]!;
        ey = solved[1]!;
      }
      // Inside the photo mirror() returns its argument: call it (a costly modulo) only beyond the edge.
      let sx = x - ex;
      let sy = y - ey;
      if (!(sx >= 0 && sx <= lastX)) sx = mirror(sx, width);
      if (!(sy >= 0 && sy <= lastY)) sy = mirror(sy, height);
      if (sx > width - EDGE) sx = width - EDGE;
      if (sy > height - EDGE) sy = height - EDGE;
      const x0 = sx | 0;
      const y0 = sy | 0;
      const tx = sx - x0;
      const ty = sy - y0;
      const p = (y0 * width + x0) << 2;
      const q = p + (width << 2);
      const a = (1 - tx) * (1 - ty);
      const b = tx * (1 - ty);
      const c = (1 - tx) * ty;
      const w = tx * ty;
      const oi = (y * width + x) << 2;
      // The detail the bilinear sample blurred away (detail.ts), in luma: added to each channel.
      const k = tx * (1 - tx) + ty * (1 - ty);
      const dp = p >> 2;
      const dq = dp + width;
      const lift = k * (detail[dp]! * a + detail[dp + 1]! * b + detail[dq]! * c + detail[dq + 1]! * w);
      const red = source[p]! * a + source[p + 4]! * b + source[q]! * c + source[q + 4]! * w + lift;
      const green = source[p + 1]! * a + source[p + 5]! * b + source[q + 1]! * c + source[q + 5]! * w + lift;
      const blue = source[p + 2]! * a + source[p + 6]! * b + source[q + 2]! * c + source[q + 6]! * w + lift;
      out[oi] = red < 0 ? 0 : red > 255 ? 255 : red + 0.5;
      out[oi + 1] = green < 0 ? 0 : green > 255 ? 255 : green + 0.5;
      out[oi + 2] = blue < 0 ? 0 : blue > 255 ? 255 : blue + 0.5;
      out[oi + 3] = source[p + 3]! * a + source[p + 7]! * b + source[q + 3]! * c + source[q + 7]! * w + 0.5;
    }
  }
}

/** A layer at rest over regions that moved: its footprint shows the photo again. */
function restoreLayer(plan: FramePlan, region: LayerRegionPlan, frame: number, out: Uint8Array): void {
  const { box, clip, frameBoxes } = region;
  const bw = box.x1 - box.x0;
  const photo = plan.photo;
  const fx0 = frameBoxes ? frameBoxes[frame * 4]! : box.x0;
  const fy0 = frameBoxes ? frameBoxes[frame * 4 + 1]! : box.y0;
  const fx1 = frameBoxes ? frameBoxes[frame * 4 + 2]! : box.x1;
  const fy1 = frameBoxes ? frameBoxes[frame * 4 + 3]! : box.y1;
  for (let y = fy0; y < fy1; y++) {
    let i = (y - box.y0) * bw + (fx0 - box.x0);
    for (let x = fx0; x < fx1; x++, i++) {
      const c = clip[i]!;
      if (c <= 0) continue;
      const oi = (y * plan.width + x) * 4;
      for (let k = 0; k < 4; k++) out[oi + k] = c * photo[oi + k]! + (1 - c) * out[oi + k]! + 0.5;
    }
  }
}

/** Moves the whole picture drawn so far (src) as a camera would, into dst. */
function drawCamera(
  plan: FramePlan,
  region: CameraRegionPlan,
  frame: number,
  src: Uint8Array,
  dst: Uint8Array,
  cancelled?: CancelCheck,
): void {
  const at = frame * POSE_STRIDE;
  const p = region.poses;
  const ia = p[at]!;
  const ib = p[at + 1]!;
  const ic = p[at + 2]!;
  const id = p[at + 3]!;
  const ie = p[at + 4]!;
  const iff = p[at + 5]!;
  const { width, height } = plan;
  const backdrop = region.backdrop;
  for (let y = 0; y < height; y++) {
    if (cancelled && (y & 15) === 0 && cancelled()) throw cancelledError();
    for (let x = 0; x < width; x++) {
      const qx = ia * x + ib * y + ic;
      const qy = id * x + ie * y + iff;
      const outside = qx < -0.5 || qy < -0.5 || qx > width - 0.5 || qy > height - 0.5;
      // Beyond the photo's edge (zooming out): the blurred photo, full frame, behind the shrunk one.
      const from = outside && backdrop ? backdrop : src;
      let sx = outside && backdrop ? x : qx;
      let sy = outside && backdrop ? y : qy;
      sx = sx < 0 ? 0 : sx > width - EDGE ? width - EDGE : sx;
      sy = sy < 0 ? 0 : sy > height - EDGE ? height - EDGE : sy;
      const x0 = sx | 0;
      const y0 = sy | 0;
      const fx = sx - x0;
      const fy = sy - y0;
      const p = (y0 * width + x0) << 2;
      const q = p + (width << 2);
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      const oi = (y * width + x) << 2;
      dst[oi] = from[p]! * w00 + from[p + 4]! * w10 + from[q]! * w01 + from[q + 4]! * w11 + 0.5;
      dst[oi + 1] = from[p + 1]! * w00 + from[p + 5]! * w10 + from[q + 1]! * w01 + from[q + 5]! * w11 + 0.5;
      dst[oi + 2] = from[p + 2]! * w00 + from[p + 6]! * w10 + from[q + 2]! * w01 + from[q + 6]! * w11 + 0.5;
      dst[oi + 3] = from[p + 3]! * w00 + from[p + 7]! * w10 + from[q + 3]! * w01 + from[q + 7]! * w11 + 0.5;
    }
  }
}

/** Each plan's regions in the order they are drawn (drawingOrder), worked out once per plan. */
const drawingOrders = new WeakMap<FramePlan['regions'], number[]>();

/**
 * The order regions are drawn in, bottom to top: fluids first (a sky, water, smoke: what lies behind),
 * then the rest as listed. A fluid draws only inside its region and a warp moves what is drawn below it,
 * so grass swaying in front of a drifting sky sways over the drifting sky, whichever was clicked first.
 */
function drawingOrder(plan: FramePlan): number[] {
  let order = drawingOrders.get(plan.regions);
  if (!order) {
    const indices = plan.regions.map((_, n) => n);
    order = [
      ...indices.filter((n) => plan.regions[n]!.kind === 'fluid'),
      ...indices.filter((n) => plan.regions[n]!.kind !== 'fluid'),
    ];
    drawingOrders.set(plan.regions, order);
  }
  return order;
}

/** Renders frame `index` of the plan into `out` (width * height * 4 bytes). */
export function renderFrameInto(
  plan: FramePlan,
  index: number,
  out: Uint8Array,
  scratch: RenderScratch,
  cancelled?: CancelCheck,
): void {
  out.set(plan.photo);
  // Whether a region below has drawn: a region at rest then still covers it with the photo (later
  // regions are on top, moving or not).
  let covered = false;
  // A field inside a larger field or skin (a face word on a person who breathes or waves) is drawn with
  // it, wherever it is listed (carried-fields.ts).
  const { carrier, carries } = carriedFields(plan);
  for (const n of drawingOrder(plan)) {
    const region = plan.regions[n]!;
    if (cancelled?.()) throw cancelledError();
    if (carrier[n]! >= 0) continue;
    let drew = false;
    if ((region.kind === 'field' || region.kind === 'skin') && carries[n]!.length > 0) {
      drew = drawCarrier(plan, n, carries[n]!, index, out, carriedPictures(plan, scratch), covered);
    } else if (region.kind === 'layer') drew = drawLayer(plan, region, index, out, covered, cancelled);
    else if (region.kind === 'fluid') drew = drawFluid(plan, region, index, out, scratch, covered, cancelled);
    else if (region.kind === 'warp') drew = drawWarp(plan, region, index, out, scratch, covered, cancelled);
    else if (region.kind === 'field') drew = drawField(plan, region, index, out, covered);
    else if (region.kind === 'skin') drew = drawSkin(plan, region, index, out, covered);
    else if (region.poses[index * POSE_STRIDE + 7]) {
      scratch.frame ??= new Uint8Array(out.length);
      scratch.frame.set(out);
      drawCamera(plan, region, index, scratch.frame, out, cancelled);
      drew = true;
    }
    covered ||= drew;
  }
}
