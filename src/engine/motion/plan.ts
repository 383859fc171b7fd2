// A prepared animation as plain data: typed arrays on SharedArrayBuffers, so the workers that render
// frames share the photo, layers and fields with the main thread instead of copying them (issue 3,
// point 6). Everything a frame needs is here; rendering a frame is a pure function of the plan and the
// frame index (render-frame.ts), which makes the clip the same whichever worker renders which frame.
import type { BandSizes } from './band.js';
import type { RegionClock } from './timing.js';
import type { PixelBox } from './mask.js';

/** What every planner is told of the clip and the region (plan-camera, -fluid, -layer, -warp add their own). */
export interface PlanRequest {
  /** The output size. */
  width: number;
  height: number;
  clock: RegionClock;
  frameCount: number;
  /** px/frame at a 512-px long side. */
  strength: number;
  sizes: BandSizes;
}

/** Per frame: inverse affine [a b c d e f] (output pixel -> layer pixel), opacity, moving (0 or 1). */
export const POSE_STRIDE = 8;

export interface LayerRegionPlan {
  kind: 'layer';
  /**
   * Where the region may change pixels: its bounding box grown by the allowed band; for a travel, the
   * bounding box of its motion area (the mask swept along its path, sweep.ts) grown by the band.
   */
  box: PixelBox;
  /** Box-sized: 1 in the region (or motion area) and most of the band, falling to 0 at the band's edge. */
  clip: Float32Array;
  /** The layer's box at rest: the region's bounding box grown by the band (equal to `box` but for travel). */
  layerBox: PixelBox;
  /** layerBox-sized: the layer's opacity in photo coordinates (1 in the region, feathered outside). */
  alpha: Float32Array;
  /**
   * layerBox-sized RGBA: the photo with the region filled in (inpaint.ts) where it can be uncovered.
   * Outside the layerBox the background is the photo.
   */
  background: Uint8Array;
  /**
   * layerBox-sized RGBA: the layer's colours. The photo, but along the feathered edge unmixed from the
   * background (F = (photo - (1 - alpha) background) / alpha), so the layer over the background is
   * exactly the photo at rest and the motion starts without a pop.
   */
  foreground: Uint8Array;
  /**
   * layerBox-sized: the foreground's detail map (detail.ts), so a layer drawn off the pixel grid (a
   * breath's swell, a bob, a travel) keeps the photo's fine texture instead of softening and sharpening
   * as its sampling offset crosses the grid.
   */
  detail: Int8Array;
  poses: Float32Array;
  /**
   * Travel only (null otherwise): per frame, x0 y0 x1 y1 of the pixels that may differ from the photo in
   * that frame (the layer where it is drawn, and its footprint at rest), inside `box`.
   */
  frameBoxes: Int32Array | null;
  /**
   * A travel cut on its coverage only (null otherwise). `rest`: layerBox-sized RGBA, the background that
   * makes the layer over it exactly the photo at rest (travel-matte.ts splitEdge: the photo round the cut,
   * the background's share of each soft-edge pixel inside it), where `background` is the fill throughout.
   * The fill takes over from `rest` at a pixel as the layer moves off it: the share is the layer's
   * displacement in the frame (`moved`, px per frame; huge while it is out of view) over the pixel's
   * `reach` (layerBox-sized: its distance from the cut, at least 1). So the travel starts without a pop,
   * the ring round the cut gives way from the object outwards rather than all at once, and no fragment of
   * the object that its mask missed (kept in `rest`) stays behind once it has moved as far as the ring.
   */
  vacate: { rest: Uint8Array; moved: Float32Array; reach: Float32Array } | null;
}

/** A fluid cell's cover (FluidRegionPlan.cover). */
export const CELL_OUTSIDE = 0;
export const CELL_PART = 1;
export const CELL_INSIDE = 2;

export interface FluidRegionPlan {
  kind: 'fluid';
  clock: RegionClock;
  /** Coarse grid the traces live on: point (i, j) is pixel (x0 + i*step, y0 + j*step). */
  grid: { x0: number; y0: number; step: number; cols: number; rows: number };
  /** Crossfade cycle in frames (a whole number of cycles fills the span; may be fractional). */
  cycle: number;
  /** Stored trace steps: 0..steps. */
  steps: number;
  /** (steps+1) * cols * rows * 2: where each grid point's content was k frames ago, minus the point. */
  back: Float32Array;
  /** The same, k frames ahead. */
  ahead: Float32Array;
  /** (cols-1) * (rows-1): 1 for cells with any motion. */
  active: Uint8Array;
  /**
   * (cols-1) * (rows-1): how much of each cell the region covers: OUTSIDE (nothing: the cell draws
   * nothing, whatever its corners' traces), INSIDE (all of it), or PART (its pixels are blended by
   * `alpha`). A fluid draws only inside its region, so what a region beside it moved stays.
   */
  cover: Uint8Array;
  /** The region's coverage at the output size, 0-255 (width * height), set in the cells it covers in part. */
  alpha: Uint8Array;
  /** Local mean of the photo (blurred RGBA) over `meanBox`, for variance-preserving blending. */
  mean: Uint8Array;
  meanBox: PixelBox;
  /** The photo's detail (detail.ts: width * height), restoring what bilinear samples blur away. */
  detail: Int8Array;
  /** Distance in pixels beyond which two samples of the photo count as unrelated (4 x the mean's blur). */
  grain: number;
  /**
   * What the fluid moves instead of the photo, and the pixels drawn from the photo in every frame: thin
   * structures standing in front of a smooth region (thin-hold.ts). null where none are held.
   */
  hold: { plate: Uint8Array; held: Int32Array } | null;
}

export interface WarpRegionPlan {
  kind: 'warp';
  clock: RegionClock;
  grid: { x0: number; y0: number; step: number; cols: number; rows: number };
  /** Whole sway cycles over the span. */
  cycles: number;
  /** Per grid point: sway amplitude in pixels (zero outside the region), phase, unit direction (x y). */
  amplitude: Float32Array;
  phase: Float32Array;
  direction: Float32Array;
  /** (cols-1) * (rows-1): 1 for cells with any motion. */
  active: Uint8Array;
  /** The photo's detail (detail.ts: width * height), restoring what bilinear samples blur away. */
  detail: Int8Array;
  /**
   * Where the backward offset is solved (render-frame.ts drawWarp): at the grid points and interpolated
   * between them ('grid', for a bending thing's wide, gentle band), or at every pixel ('pixel', for a
   * texture's steep fronts, whose measured strength interpolation would lower).
   */
  inverse: 'grid' | 'pixel';
}

export interface CameraRegionPlan {
  kind: 'camera';
  poses: Float32Array;
  /** A blurred copy of the photo, shown full frame behind it when zooming out; null when never needed. */
  backdrop: Uint8Array | null;
}

/** A face motion (src/engine/people/plan-face.ts): the photo sampled at x + sum_k w_k(t) B_k(x). */
export interface FieldRegionPlan {
  kind: 'field';
  box: PixelBox;
  /** How many bases. */
  count: number;
  /** count * box pixels * 2: backward displacements (dx dy), row-major over the box. */
  bases: Float32Array;
  /** frameCount * count: each basis's weight per frame. */
  weights: Float32Array;
  /**
   * count * box pixels, or null (all 1): how much of each pixel the displaced sample covers, the rest
   * showing the photo in place (an eyelid sliding over the eye: its edge is anti-aliased, the eye under
   * it does not move). Weighted per frame as the bases are.
   */
  alphas: Float32Array | null;
}

/**
 * A person deformed by their skeleton (src/engine/people/plan-skin.ts): a triangle mesh over the person,
 * posed per frame, drawn over the background with what the limbs uncover filled.
 */
export interface SkinRegionPlan {
  kind: 'skin';
  /** Where it may change pixels: the mesh's footprint at rest and in every pose. */
  box: PixelBox;
  /** box-sized RGBA: the photo, with the person filled in where a moving limb can uncover it. */
  background: Uint8Array;
  /** The box the rest-pose arrays cover. */
  meshBox: PixelBox;
  /** meshBox-sized: the person's opacity (1 inside, feathered outside). */
  alpha: Float32Array;
  /** meshBox-sized RGBA: the person's colours, unmixed from the background along the feathered edge. */
  foreground: Uint8Array;
  /** Rest positions, x y per vertex, in output pixels (pixel centres at +0.5). */
  rest: Float32Array;
  /** Three vertex indices per triangle, in drawing order (still parts first, moving limbs over them). */
  triangles: Uint32Array;
  /** frameCount * vertices * 2: each vertex's position per frame. */
  positions: Float32Array;
  /** frameCount: 1 where the frame differs from the photo. */
  moving: Uint8Array;
  /**
   * frameCount: how much of the fill shows where the person was (0-1), growing with how far the limbs
   * have moved, so a limb just leaving its place does not pop the fill in around it.
   */
  reveal: Float32Array;
}

export type RegionPlan =
  LayerRegionPlan | FluidRegionPlan | WarpRegionPlan | CameraRegionPlan | FieldRegionPlan | SkinRegionPlan;

export interface FramePlan {
  width: number;
  height: number;
  frameCount: number;
  /** The photo at the output size, RGBA: frame 0 is exactly this. */
  photo: Uint8Array;
  /** Bottom to top; camera regions act on everything below them. */
  regions: RegionPlan[];
}

export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(Math.max(4, length * 4)), 0, length);
}

export function sharedUint8(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(Math.max(1, length)), 0, length);
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Math.max(4, length * 4)), 0, length);
}

export function sharedInt8(length: number): Int8Array {
  return new Int8Array(new SharedArrayBuffer(Math.max(1, length)), 0, length);
}
