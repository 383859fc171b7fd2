// The classic segmenter: clicks (and a box, and the mask being refined) to a region mask without any
// model weights, with OpenCV.js and a little graph cutting of our own (issue 2, point 4).
//
//   photo -> working image (512 px long side) -> SLIC superpixels            once per photo, cached
//   clicks -> several GrabCut starts on the superpixels -> best separated     per request (hypotheses.ts)
//          -> negative clicks remove the object under them
//          -> mask snapped to edges at <= 1024 px (guided filter), pieces at positive clicks, holes filled
//          -> scaled to the photo's size, 255 inside / 0 outside
import type { Mask } from '../../../shared/index.js';
import { StirError, throwIfCancelled } from '../../../shared/index.js';
import type { RgbaImage } from '../../image/types.js';
import { loadOpenCv, type OpenCv } from '../opencv.js';
import type { DetectedObject, HoverFloods, SegmentOutput, SegmentRequest, Segmenter } from '../types.js';
import { ObjectFinder, type ObjectRequest, type ObjectResult } from './hypotheses.js';
import { dropSpecks, fillHoles, keepPiecesAt, maskHas, pixelIndex, type PixelPoint } from './mask-ops.js';
import { dropThinLeftovers, settleThinStructures, takeInAppendages } from './thin-structures.js';
import { makeGuide, resampleMask, snapToEdges, type Guide } from './refine.js';
import { boundarySeparation } from './separation.js';
import { computeSuperpixels, type Superpixels } from './superpixels.js';
import { findHorizons } from './horizon.js';
import { splitAtNecks } from './necks.js';
import { hoverSuperpixels, superpixelMask } from './hover.js';
import { superpixelTexture } from './texture.js';
import { makeWorkingImage } from './working-image.js';

export interface ClassicSegmenterOptions {
  /** Long side of the image the superpixels are computed on. */
  workingLongSide: number;
  /** Long side at which the mask is snapped to the photo's edges. */
  refineLongSide: number;
  /** About how many superpixels the working image is cut into. */
  superpixels: number;
  /** Photos whose superpixels are kept (least recently used dropped first). */
  cachedPhotos: number;
}

export const CLASSIC_DEFAULTS: ClassicSegmenterOptions = {
  workingLongSide: 512,
  refineLongSide: 1024,
  superpixels: 1500,
  cachedPhotos: 4,
};

/** Per-photo work, done on the first click and reused by the next ones. */
interface PhotoContext {
  width: number;
  height: number;
  superpixels: Superpixels;
  finder: ObjectFinder;
  guide: Guide;
  /** The last clicks' ranked objects: stepping through them (Tab) asks again with the same clicks. */
  lastRanked: { key: string; ranked: ObjectResult[] } | null;
}

type Scaled = { x: number; y: number; positive: boolean };

/** Pieces smaller than this share of the photo, left by a removal and holding no click, are dropped. */
const SPECK_SHARE = 0.0005;

export class ClassicSegmenter implements Segmenter {
  readonly id = 'classic' as const;
  readonly #options: ClassicSegmenterOptions;
  readonly #contexts = new Map<string, Promise<PhotoContext>>();

  constructor(options: Partial<ClassicSegmenterOptions> = {}) {
    this.#options = { ...CLASSIC_DEFAULTS, ...options };
  }

  async segment(photo: RgbaImage, request: SegmentRequest, signal?: AbortSignal): Promise<SegmentOutput> {
    throwIfCancelled(signal);
    const cv = await loadOpenCv();
    const context = await this.#context(cv, photo, request.photoKey);
    throwIfCancelled(signal);

    const { superpixels: sp, guide } = context;
    const toWorking = sp.width / photo.width;
    const toGuide = guide.width / photo.width;
    const at = (scale: number) => (c: { x: number; y: number }) => ({ x: c.x * scale, y: c.y * scale });
    const positives = request.clicks.filter((c) => c.positive);
    const negatives = request.clicks.filter((c) => !c.positive);

    let refined: Uint8Array; // at the guide's size
    let before: Uint8Array | null = null; // the previous mask at the guide's size
    let hypotheses = 1;
    let hypothesis = 0;
    if (request.previous) {
      ({ before, after: refined } = this.#refinePrevious(
        cv,
        context,
        request.previous,
        positives,
        negatives,
        signal,
      ));
    } else {
      const found = this.#newObject(context, positives, negatives, request, toWorking);
      ({ hypotheses, hypothesis } = found);
      const labels = found.labels;
      throwIfCancelled(signal);
      refined = this.#toGuide(cv, context, labels, positives.map(fixedClick(sp, toWorking, toGuide)));
    }

    // A new region is the pieces holding a positive click; a refined one keeps every piece it had but the
    // slivers a removal leaves along its edges. Holes are filled except those a negative click opened.
    const positivesAt = positives.map(at(toGuide));
    const negativesAt = negatives.map(at(toGuide));
    if (!request.previous && positives.length > 0) {
      refined = keepPiecesAt(refined, guide.width, guide.height, positivesAt);
      const clickedAt = positivesAt.map((p) => pixelIndex(p, guide.width, guide.height));
      refined = splitAtNecks(refined, guide.width, guide.height, clickedAt);
    } else if (request.previous) {
      const speck = Math.max(16, guide.width * guide.height * SPECK_SHARE);
      refined = dropSpecks(refined, guide.width, guide.height, speck, positivesAt);
    }
    if (request.box) clearOutsideBox(refined, guide.width, guide.height, request.box, toGuide);
    refined = fillHoles(refined, guide.width, guide.height, negativesAt);
    if (!request.previous && positives.length > 0) {
      // After the holes are filled: a seed head standing in a sky is a hole the carving opens again.
      const clicked = positivesAt.map((p) => pixelIndex(p, guide.width, guide.height));
      const changed = settleThinStructures({ ...guide, mask: refined }, clicked);
      if (changed !== refined) {
        // Stems taken in close holes against the region, which are filled as any new region's are, and
        // what joined only at a corner is a piece of its own, as a refinement would count it. (Stems
        // given up may cut a sky in pieces: all of them stay.)
        const grew = changed.some((v, i) => v > 0 && refined[i] === 0);
        refined = changed;
        if (grew) {
          refined = fillHoles(refined, guide.width, guide.height, negativesAt);
          refined = keepPiecesAt(refined, guide.width, guide.height, positivesAt);
        }
      }
    }
    if (!refined.some((v) => v > 0)) {
      throw new StirError('EMPTY_MASK', 'Nothing is left of the region after these clicks.', {
        hint: 'Remove the last negative click, or click inside what you want to animate.',
      });
    }

    const mask: Mask = {
      width: photo.width,
      height: photo.height,
      data: resampleMask(cv, refined, guide.width, guide.height, photo.width, photo.height),
    };
    if (request.previous && before) keepUntouchedPixels(mask, request.previous, before, refined, guide);
    const workingMask = resampleMask(cv, refined, guide.width, guide.height, sp.width, sp.height);
    return {
      mask,
      score: boundarySeparation(sp, superpixelMajority(sp, workingMask)),
      hypotheses,
      hypothesis,
    };
  }

  forget(photoKey: string): void {
    this.#contexts.delete(photoKey);
  }

  async prepare(photo: RgbaImage, photoKey: string): Promise<void> {
    await this.#context(await loadOpenCv(), photo, photoKey);
  }

  /** The object under a point as superpixels of the working image (hover.ts), at the working size. */
  async hover(photo: RgbaImage, photoKey: string, point: { x: number; y: number }): Promise<Mask> {
    const { superpixels: sp } = await this.#context(await loadOpenCv(), photo, photoKey);
    const scale = sp.width / photo.width;
    const taken = hoverSuperpixels(sp, point.x * scale, point.y * scale);
    return { width: sp.width, height: sp.height, data: superpixelMask(sp, taken) };
  }

  /** Hover floods from several points (photo pixels), sharing one lookup of the photo's superpixels. */
  async hoverFloods(
    photo: RgbaImage,
    photoKey: string,
    points: ReadonlyArray<{ x: number; y: number }>,
  ): Promise<HoverFloods> {
    const { superpixels: sp } = await this.#context(await loadOpenCv(), photo, photoKey);
    const scale = sp.width / photo.width;
    const floods = points.map((p) => hoverSuperpixels(sp, p.x * scale, p.y * scale));
    return { width: sp.width, height: sp.height, labels: sp.labels, floods };
  }

  async dispose(): Promise<void> {
    this.#contexts.clear();
  }

  // --- per-photo context --------------------------------------------------------------------------

  #context(cv: OpenCv, photo: RgbaImage, key: string): Promise<PhotoContext> {
    let entry = this.#contexts.get(key);
    if (entry) {
      this.#contexts.delete(key); // re-inserted below: most recently used last
    } else {
      entry = Promise.resolve().then(() => this.#prepare(cv, photo));
      entry.catch(() => this.#contexts.delete(key));
    }
    this.#contexts.set(key, entry);
    while (this.#contexts.size > this.#options.cachedPhotos) {
      const oldest = this.#contexts.keys().next().value;
      if (oldest === undefined) break;
      this.#contexts.delete(oldest);
    }
    return entry.then((context) =>
      context.width === photo.width && context.height === photo.height ? context : this.#prepare(cv, photo),
    );
  }

  #prepare(cv: OpenCv, photo: RgbaImage): PhotoContext {
    const working = makeWorkingImage(cv, photo, this.#options.workingLongSide);
    const superpixels = computeSuperpixels(working.lab, working.width, working.height, {
      count: this.#options.superpixels,
      compactness: 10,
      iterations: 5,
    });
    return {
      width: photo.width,
      height: photo.height,
      superpixels,
      finder: new ObjectFinder(superpixels, superpixelTexture(working.lab, superpixels), {
        smoothness: 50,
        iterations: 5,
        horizons: findHorizons(working.lab, working.width, working.height),
      }),
      guide: makeGuide(cv, photo, this.#options.refineLongSide),
      lastRanked: null,
    };
  }

  // --- a new region -------------------------------------------------------------------------------

  /**
   * Superpixel labels of the object under the positive clicks (or in the box), minus what negatives mark:
   * the request's hypothesis of those ranked (hypotheses.ts), and how many there are.
   */
  #newObject(
    context: PhotoContext,
    positives: Scaled[],
    negatives: Scaled[],
    request: SegmentRequest,
    toWorking: number,
  ): { labels: Uint8Array; hypotheses: number; hypothesis: number } {
    const box = request.box;
    const sp = context.superpixels;
    const pos = positives.map((c) => superpixelAt(sp, c.x * toWorking, c.y * toWorking));
    const neg = negatives.map((c) => superpixelAt(sp, c.x * toWorking, c.y * toWorking));
    const outside = new Uint8Array(sp.count);
    for (const n of neg) outside[n.superpixel] = 1;
    let inBox: Uint8Array | null = null;
    if (box) {
      inBox = superpixelsInBox(sp, {
        x0: Math.min(box.x0, box.x1) * toWorking,
        y0: Math.min(box.y0, box.y1) * toWorking,
        x1: Math.max(box.x0, box.x1) * toWorking,
        y1: Math.max(box.y0, box.y1) * toWorking,
      });
      for (let s = 0; s < sp.count; s++) if (!inBox[s]) outside[s] = 1;
    }
    for (const p of pos) outside[p.superpixel] = 0;
    const detected = box ? [] : detectedAround(sp, request.objects ?? [], positives, toWorking);
    const objectRequest: ObjectRequest = { positives: pos, outside, box: inBox, detected };
    const key = JSON.stringify([
      pos.map((p) => [p.superpixel, p.x, p.y]),
      [...outside],
      inBox && [...inBox],
      detected.map((d) => [...d]),
    ]);
    const ranked =
      context.lastRanked?.key === key ? context.lastRanked.ranked : context.finder.rank(objectRequest);
    context.lastRanked = { key, ranked };
    const hypothesis = Math.max(0, Math.min(ranked.length - 1, Math.floor(request.hypothesis ?? 0)));
    const object = ranked[hypothesis]!.labels;
    const labels = neg.length > 0 ? context.finder.remove(object, neg, pos) : object;
    return { labels, hypotheses: ranked.length, hypothesis };
  }

  /**
   * The superpixel labelling at the guide's size, snapped to the photo's edges. `fixed` are the superpixels
   * the cut took as hard constraints (the clicked ones): they keep their label whatever the snap says. The
   * guided filter only smooths toward edges, and a click beside an edge sits in a superpixel that straddles
   * it (a click on the rim of the cat's eye), so the snap can move the boundary past the click itself;
   * the pieces kept are then those at the clicks, and none would be left.
   */
  #toGuide(cv: OpenCv, context: PhotoContext, labels: Uint8Array, fixed: FixedClick[]): Uint8Array {
    const sp = context.superpixels;
    const working = new Uint8Array(sp.width * sp.height);
    for (let i = 0; i < working.length; i++) working[i] = labels[sp.labels[i]!] ? 255 : 0;
    const guide = context.guide;
    // Radius about a superpixel's half-width at the guide's size: boundaries move to an edge within it.
    const step = Math.sqrt((sp.width * sp.height) / sp.count) * (guide.width / sp.width);
    const snapped = snapToEdges(cv, guide, working, sp.width, sp.height, {
      radius: Math.max(2, Math.round(step * 0.6)),
      epsilon: 1e-3,
    });
    if (fixed.length > 0) keepSuperpixelLabels(snapped, guide, sp, labels, fixed);
    return snapped;
  }

  // --- refining a region --------------------------------------------------------------------------

  /**
   * Refinement keeps the previous mask and changes it only where clicks ask: a positive click outside it
   * adds the object under that click, a negative click inside it removes the object under that click.
   * Both are decided on superpixels and applied, snapped to edges, to the previous mask's own pixels.
   */
  #refinePrevious(
    cv: OpenCv,
    context: PhotoContext,
    previous: Mask,
    positives: Scaled[],
    negatives: Scaled[],
    signal: AbortSignal | undefined,
  ): { before: Uint8Array; after: Uint8Array } {
    const { guide, superpixels: sp } = context;
    const toWorking = sp.width / previous.width;
    const toGuide = guide.width / previous.width;
    const before = resampleMask(
      cv,
      previous.data,
      previous.width,
      previous.height,
      guide.width,
      guide.height,
    );
    const after = before.slice();
    const inPrevious = (c: PixelPoint) => maskHas(previous.data, previous.width, previous.height, c);
    const clicked = (c: Scaled) => superpixelAt(sp, c.x * toWorking, c.y * toWorking);
    const addingClicks = positives.filter((c) => !inPrevious(c));
    const adding = addingClicks.map(clicked);
    const removing = negatives.filter((c) => inPrevious(c)).map(clicked);
    const working = resampleMask(cv, previous.data, previous.width, previous.height, sp.width, sp.height);
    const object = superpixelMajority(sp, working);
    for (const c of positives) object[clicked(c).superpixel] = 1;

    if (adding.length > 0) {
      const outside = new Uint8Array(sp.count);
      for (const c of negatives) outside[clicked(c).superpixel] = 1;
      const added = context.finder.find({ positives: adding, outside, box: null }).labels;
      const addedMask = this.#toGuide(
        cv,
        context,
        added,
        addingClicks.map(fixedClick(sp, toWorking, toGuide)),
      );
      for (let i = 0; i < after.length; i++) if (addedMask[i]) after[i] = 255;
      for (let s = 0; s < sp.count; s++) if (added[s]) object[s] = 1;
      throwIfCancelled(signal);
    }
    if (removing.length > 0) {
      const kept = context.finder.remove(object, removing, positives.map(clicked));
      const removed = new Uint8Array(sp.count);
      for (let s = 0; s < sp.count; s++) removed[s] = object[s] && !kept[s] ? 1 : 0;
      // Positive clicks are hard object constraints of the removal: the snapped removal never covers them.
      const removedMask = this.#toGuide(
        cv,
        context,
        removed,
        positives.map(fixedClick(sp, toWorking, toGuide)),
      );
      for (let i = 0; i < after.length; i++) if (removedMask[i]) after[i] = 0;
      // The clicked spot itself always leaves, even where edge snapping kept a sliver around it.
      for (const c of negatives) clearDisc(after, guide.width, guide.height, c.x * toGuide, c.y * toGuide, 2);
      // The object removed takes its thin parts with it, as a click on it takes them in (a ladybird's legs).
      // What is left of them, thin and beside what was removed, goes too.
      const removedWhole = takeInAppendages({ ...guide, mask: removedMask });
      for (let i = 0; i < after.length; i++) if (removedWhole[i]) after[i] = 0;
      const gone = new Uint8Array(after.length);
      for (let i = 0; i < after.length; i++) gone[i] = before[i]! > 127 && after[i]! <= 127 ? 1 : 0;
      after.set(dropThinLeftovers(after, gone, guide.width, guide.height));
    }
    return { before, after };
  }
}

export function createClassicSegmenter(options: Partial<ClassicSegmenterOptions> = {}): ClassicSegmenter {
  return new ClassicSegmenter(options);
}

function superpixelAt(sp: Superpixels, x: number, y: number): { superpixel: number; x: number; y: number } {
  const px = Math.min(sp.width - 1, Math.max(0, Math.round(x)));
  const py = Math.min(sp.height - 1, Math.max(0, Math.round(y)));
  return { superpixel: sp.labels[py * sp.width + px]!, x, y };
}

/**
 * Detected boxes grow by this share of their size on each side before they become GrabCut's rectangle:
 * a detector's box hugs its object, and the rectangle must hold all of it (the kite's tail, the cup's rim).
 */
const DETECTED_BOX_MARGIN = 0.1;

/** The superpixels of each detected object's box that holds every positive click (photo pixels in). */
function detectedAround(
  sp: Superpixels,
  objects: readonly DetectedObject[],
  positives: Scaled[],
  toWorking: number,
): Uint8Array[] {
  if (positives.length === 0) return [];
  const holding = objects.filter(({ box: [x, y, w, h] }) =>
    positives.every((c) => c.x >= x && c.x <= x + w && c.y >= y && c.y <= y + h),
  );
  return holding.map(({ box: [x, y, w, h] }) =>
    superpixelsInBox(sp, {
      x0: (x - w * DETECTED_BOX_MARGIN) * toWorking,
      y0: (y - h * DETECTED_BOX_MARGIN) * toWorking,
      x1: (x + w * (1 + DETECTED_BOX_MARGIN)) * toWorking,
      y1: (y + h * (1 + DETECTED_BOX_MARGIN)) * toWorking,
    }),
  );
}

function superpixelsInBox(
  sp: Superpixels,
  box: { x0: number; y0: number; x1: number; y1: number },
): Uint8Array {
  const out = new Uint8Array(sp.count);
  for (let s = 0; s < sp.count; s++) {
    const x = sp.centroid[s * 2]!;
    const y = sp.centroid[s * 2 + 1]!;
    if (x >= box.x0 && x <= box.x1 && y >= box.y0 && y <= box.y1) out[s] = 1;
  }
  return out;
}

/** A clicked superpixel, and the click in guide pixels. */
interface FixedClick {
  superpixel: number;
  x: number;
  y: number;
}

function fixedClick(sp: Superpixels, toWorking: number, toGuide: number) {
  return (c: { x: number; y: number }): FixedClick => ({
    superpixel: superpixelAt(sp, c.x * toWorking, c.y * toWorking).superpixel,
    x: c.x * toGuide,
    y: c.y * toGuide,
  });
}

/**
 * Sets the guide-size mask to `labels` (0 or 255) on every pixel of the fixed clicks' superpixels, and on
 * the clicked pixels themselves (the working and guide sizes round differently, and the pieces kept are
 * flooded from exactly those pixels).
 */
function keepSuperpixelLabels(
  mask: Uint8Array,
  guide: Guide,
  sp: Superpixels,
  labels: Uint8Array,
  fixed: FixedClick[],
): void {
  const isFixed = new Uint8Array(sp.count);
  for (const c of fixed) isFixed[c.superpixel] = 1;
  for (let y = 0; y < guide.height; y++) {
    const wy = Math.min(sp.height - 1, Math.floor(((y + 0.5) * sp.height) / guide.height));
    for (let x = 0; x < guide.width; x++) {
      const wx = Math.min(sp.width - 1, Math.floor(((x + 0.5) * sp.width) / guide.width));
      const s = sp.labels[wy * sp.width + wx]!;
      if (isFixed[s]) mask[y * guide.width + x] = labels[s] ? 255 : 0;
    }
  }
  for (const c of fixed) {
    const x = Math.min(guide.width - 1, Math.max(0, Math.round(c.x)));
    const y = Math.min(guide.height - 1, Math.max(0, Math.round(c.y)));
    mask[y * guide.width + x] = labels[c.superpixel] ? 255 : 0;
  }
}

/** 1 per superpixel that is mostly inside the mask (at the working size). */
function superpixelMajority(sp: Superpixels, mask: Uint8Array): Uint8Array {
  const inside = new Float64Array(sp.count);
  for (let i = 0; i < mask.length; i++) if (mask[i]) inside[sp.labels[i]!]! += 1;
  const out = new Uint8Array(sp.count);
  for (let s = 0; s < sp.count; s++) out[s] = inside[s]! * 2 > sp.size[s]! ? 1 : 0;
  return out;
}

/** A box is a hard limit: nothing of the region lies outside it. */
function clearOutsideBox(
  mask: Uint8Array,
  width: number,
  height: number,
  box: NonNullable<SegmentRequest['box']>,
  scale: number,
): void {
  const x0 = Math.min(box.x0, box.x1) * scale;
  const x1 = Math.max(box.x0, box.x1) * scale;
  const y0 = Math.min(box.y0, box.y1) * scale;
  const y1 = Math.max(box.y0, box.y1) * scale;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x + 0.5 < x0 || x + 0.5 > x1 || y + 0.5 < y0 || y + 0.5 > y1) mask[y * width + x] = 0;
    }
  }
}

function clearDisc(mask: Uint8Array, width: number, height: number, cx: number, cy: number, r: number): void {
  for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(height - 1, Math.ceil(cy + r)); y++) {
    for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(width - 1, Math.ceil(cx + r)); x++) {
      if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) mask[y * width + x] = 0;
    }
  }
}

/**
 * Refinement changes the region only where the clicks asked: where the guide-size decision did not change,
 * the previous mask's own pixels are kept (they may be finer than the guide size, from SAM or a larger
 * photo), so refining never blurs what was already right.
 */
function keepUntouchedPixels(
  mask: Mask,
  previous: Mask,
  before: Uint8Array,
  after: Uint8Array,
  guide: Guide,
): void {
  const gw = guide.width;
  const gh = guide.height;
  // Guide pixels whose value changed, grown by one pixel so the seams of the change come from one source.
  const changed = new Uint8Array(gw * gh);
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      if (before[y * gw + x] === after[y * gw + x]) continue;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy >= 0 && yy < gh && xx >= 0 && xx < gw) changed[yy * gw + xx] = 1;
        }
      }
    }
  }
  const { width, height } = mask;
  for (let y = 0; y < height; y++) {
    const gy = Math.min(gh - 1, Math.floor((y * gh) / height));
    for (let x = 0; x < width; x++) {
      const gx = Math.min(gw - 1, Math.floor((x * gw) / width));
      if (changed[gy * gw + gx]) continue;
      mask.data[y * width + x] = previous.data[y * width + x]! > 127 ? 255 : 0;
    }
  }
}
