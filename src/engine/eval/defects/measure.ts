// Runs the defect metrics over one clip: collects its grey frames and each region's sampled flow while
// eval measures it, then measures every region (hole texture and rim, invented lights and ghosting for travels, edge seams for
// motions that stay in place, tempo for all, stair-steps on the rendered edge, IoU against a hand-drawn outline).
import type { Mask } from '../../../shared/index.js';
import type { FlowField, GreyImage } from '../../flow/index.js';
import { maskAt } from '../metrics.js';
import { carriedRing } from './carried-ring.js';
import { edgeMirror } from './edge-mirror.js';
import { innerMirror } from './inner-mirror.js';
import { edgeSeam } from './edge-seam.js';
import { folding } from './fold.js';
import { ghosting } from './ghost.js';
import { holeRim } from './hole-rim.js';
import { holeTexture, vacatedArea } from './hole-texture.js';
import { intrusion } from './intrusion.js';
import { inventedLights } from './invented-lights.js';
import { maskIou } from './iou.js';
import { keptOutMoved } from './kept-out.js';
import { renderedStairSteps } from './rendered-edge.js';
import { spills } from './spill.js';
import { FlowSeries, TEMPO_RANGES } from './tempo.js';

export interface DefectRegionInput {
  name: string;
  /** The motion word the engine matched (tempo ranges are per word). */
  word: string;
  /** The mask the clip was rendered with, at the photo's size. */
  mask: Mask;
  travel: boolean;
  /** A body word (a limb skinned to the person's skeleton): it moves past its mask by design. */
  body?: boolean;
  /**
   * A warp or a fluid: what comes in at the photo's edge it takes from beyond it, mirrored, so its clip is
   * searched for reflections there (edge-mirror.ts). A camera's zoom never samples beyond the photo.
   */
  mirrors?: boolean;
  /** A fluid (drift, flow...): it only moves its own texture about inside its region (intrusion.ts). */
  fluid?: boolean;
  /** Where a travel moves by design: its mask swept along its path (the engine's motion area). */
  reach?: Mask;
  /** A hand-drawn outline at the photo's size, when the scene has one. */
  outline: Mask | null;
  /** What lies beside the region that its click must leave out, drawn by hand at the photo's size. */
  keptOut?: Mask | null;
}

export interface DefectRegionResult {
  name: string;
  word: string;
  /** Fill over ring texture, travels only (see hole-texture.ts). */
  holeTexture: number | null;
  /** The fill's step where it meets the photo over the photo's own (see hole-rim.ts), travels only. */
  holeRim: number | null;
  /** Lights in the fill that the photo has nowhere beside it (see invented-lights.ts), travels only. */
  inventedLights: number | null;
  /** Where those lights are, in pixels of the eval's frames. */
  inventedLightsAt: { x: number; y: number }[] | null;
  /** Share of a travelling layer's edge band that is the background it left (see carried-ring.ts), travels only. */
  carriedRing: number | null;
  /** Blend fit, travels only (see ghost.ts): low = a translucent ghost. */
  ghost: number | null;
  /** The motion's jump across the edge beyond the jumps beside it, about px (see edge-seam.ts), motions in place only. */
  edgeSeam: number | null;
  /** Where that jump is largest, in pixels of the eval's frames: where to look at the clip. */
  edgeSeamAt: { x: number; y: number } | null;
  /** Gradient energy where frames changed against the photo's there (see fold.ts), motions in place only. */
  fold: number | null;
  /** Share of a photo edge's textured lines that read as a reflection (see edge-mirror.ts), warps and fluids only. */
  edgeMirror: number | null;
  /** Share of the lines in from a fluid's own edge that read as a reflection (see inner-mirror.ts), fluids only. */
  innerMirror: number | null;
  /** Where those lines start, in pixels of the eval's frames. */
  innerMirrorAt: { x: number; y: number } | null;
  /** Structure moved beyond a band around the mask, over the region's area (see spill.ts), motions in place only. */
  spill: number | null;
  /** Share of the region, clear of its edge, showing grey levels it never held (see intrusion.ts), a fluid alone in its clip only. */
  intrusion: number | null;
  /** Where those pixels are in the frame they are most, in pixels of the eval's frames. */
  intrusionAt: { x: number; y: number } | null;
  /** Dominant temporal frequency, Hz. */
  tempo: number | null;
  /** The word's tempo range, when it has one. */
  tempoRange: { from: number; to: number } | null;
  /** Share of lone corners on the outline of what the frames changed: the layer's edge and the hole's rim. */
  stairSteps: number | null;
  /** IoU of the mask with the outline drawn by hand. */
  iou: number | null;
  /** Share of what the region must leave out that moved (see kept-out.ts), when the scene outlines it. */
  keptOut: number | null;
}

const isWhole = (mask: Mask) => mask.data.every((v) => v >= 128);

export class ClipDefects {
  readonly #frames: GreyImage[] = [];
  readonly #series: FlowSeries[];
  readonly #insides: Uint8Array[];

  constructor(
    private readonly regions: readonly DefectRegionInput[],
    private readonly width: number,
    private readonly height: number,
  ) {
    this.#insides = regions.map((region) => maskAt(region.mask, width, height));
    this.#series = this.#insides.map((inside) => new FlowSeries(inside, width));
  }

  addFrame(grey: GreyImage): void {
    this.#frames.push(grey);
  }

  addFlow(flow: FlowField): void {
    for (const series of this.#series) series.add(flow.u, flow.v);
  }

  measure(photo: GreyImage, fps: number): DefectRegionResult[] {
    // Where each region moves by design: a travel along its path, a skinned body anywhere its bones go.
    const reaches = this.regions.map((region, k) =>
      region.body
        ? new Uint8Array(this.width * this.height).fill(1)
        : region.reach
          ? maskAt(region.reach, this.width, this.height)
          : this.#insides[k]!,
    );
    const spilled = spills(this.#frames, photo, reaches);
    return this.regions.map((region, k) => {
      const inside = this.#insides[k]!;
      const whole = isWhole(region.mask);
      const range = TEMPO_RANGES[region.word] ?? null;
      const seam = !region.travel && !whole ? edgeSeam(this.#frames, photo, inside) : null;
      // The hole metrics read one median plate of the vacated area, made once.
      const vacated = region.travel ? vacatedArea(this.#frames, photo, inside) : null;
      const lights = vacated ? inventedLights(this.#frames, photo, inside, vacated) : null;
      // A fluid alone in its clip: what other regions move reaches into it by design (a sway's band carried
      // dune-grass's blade tips 40 px over its sky), and the frames cannot tell that from an intrusion.
      const alone = this.regions.length === 1;
      const intruded = region.fluid && alone && !whole ? intrusion(this.#frames, photo, inside) : null;
      const folded = region.fluid && !whole ? innerMirror(this.#frames, photo, inside) : null;
      return {
        name: region.name,
        word: region.word,
        holeTexture: vacated ? (holeTexture(this.#frames, photo, inside, vacated)?.ratio ?? null) : null,
        holeRim: region.travel ? (holeRim(this.#frames, photo, inside)?.ratio ?? null) : null,
        inventedLights: lights?.count ?? null,
        inventedLightsAt: lights?.at ?? null,
        carriedRing: region.travel ? (carriedRing(this.#frames, photo, inside)?.share ?? null) : null,
        ghost: region.travel ? (ghosting(this.#frames, photo, inside)?.blendFit ?? null) : null,
        edgeSeam: seam?.jump ?? null,
        edgeSeamAt: seam?.at ?? null,
        fold: region.travel ? null : (folding(this.#frames, photo, inside)?.ratio ?? null),
        edgeMirror: region.mirrors ? (edgeMirror(this.#frames, photo, inside)?.share ?? null) : null,
        innerMirror: folded?.share ?? null,
        innerMirrorAt: folded?.at ?? null,
        spill: region.travel || whole || region.body ? null : (spilled[k]?.ratio ?? null),
        intrusion: intruded?.share ?? null,
        intrusionAt: intruded?.at ?? null,
        tempo: region.travel ? null : this.#series[k]!.dominantFrequency(fps),
        tempoRange: range,
        stairSteps: whole ? null : (renderedStairSteps(this.#frames, photo, inside)?.share ?? null),
        iou: region.outline ? maskIou(region.mask, region.outline) : null,
        keptOut: region.keptOut
          ? keptOutMoved(this.#frames, photo, maskAt(region.keptOut, this.width, this.height))
          : null,
      };
    });
  }
}
