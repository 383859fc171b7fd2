// A click beside a detected person or object gives a region without them (issue 10, point 5). The
// classic segmenter sees colour and texture only: a click on the sea behind a surfer in spray took the
// sea, the surfer and his board (58% of the frame), and a "flow" there carried the surfer off and faded
// him back in as two translucent surfers. The people pass has already found the people and the things
// (COCO's classes are all things: a board, a boat, a kite, never the sea or the sky), so each one the
// answer covers but the clicks are not on is cut out of it, as the segmenter outlines it, a little grown.
import type { Click, Mask } from '../../shared/index.js';
import { dilate } from '../diffusion/masks.js';
import { growBox, type PixelBox } from '../image/bounds.js';
import type { RgbaImage } from '../image/types.js';
import { hitPerson, insideBox, onPersonAt, personOf, personPrompt } from '../people/select.js';
import type { FoundBody, FoundPeople } from '../people/types.js';
import type { DetectedObject, SegmentOutput, SegmentRequest, Segmenter } from './types.js';

/**
 * A person counts as covered when this many of their keypoints lie inside the answer: the wader's
 * sweater stood out from the sea, but his hands and shins (three keypoints of sixteen) were in it, and
 * the flow carried his shins off. Cutting a person out of an answer that holds little of them costs one
 * outline, made once per photo.
 */
const PERSON_COVERED = 1;
/** A thing counts as covered when this share of its box lies inside the answer. */
const OBJECT_COVERED = 0.3;
/**
 * The segmenter's outline of a thing is taken when it holds this share of the thing's own points (a
 * person's keypoints, clicks along a thing's box) and leaves this share of its box out: an outline that
 * fills the box ran into what is round the thing, and the thing's own zone is cut instead.
 */
const HOLDS_POINTS = 0.5;
const LEAVES_OUT = 0.15;
/**
 * What is cut is grown by this share of the photo's long side: the rim the segmenter leaves (hair,
 * spray on a wetsuit's edge, a board's bevel) would otherwise flow off the still thing as a halo.
 */
const GROW = 0.006;
/** A body's keypoints stop at its joints: hair, a back, a hand's fingers lie up to this share beyond. */
const BODY_MARGIN = 0.15;
/** How far from a limb's bone its flesh reaches, in shoulder widths (forearms and shins). */
const LIMB_REACH = 0.12;
/** A thing whose box is under this share of the photo's long side is cut as its box. */
const SMALL = 0.04;
/** A detector's box hugs its thing; the board's tail and the kite's string reach a little past it. */
const BOX_MARGIN = 0.1;

interface Cut {
  /** Where the segmenter is asked to outline the thing. */
  box: PixelBox;
  clicks: Click[];
  /** The thing's own points: a person's keypoints, the clicks along a thing's box. */
  points: ReadonlyArray<{ x: number; y: number }>;
  /** What is cut when the segmenter's outline is not the thing's, or with it for a person. */
  fallback: (x: number, y: number) => boolean;
  /** Cut as `fallback` without asking the segmenter (a person MoveNet did not find, a tiny thing). */
  asBox?: boolean;
  /** Cut with the outline, when it is the thing's (a person's limbs: hands and shins it may miss). */
  withOutline?: (x: number, y: number) => boolean;
}

/**
 * The answer without the people and things it covers that no positive click is on. Only a new region's
 * clicks are judged (a box, or refining a region, says what the person wants already).
 */
export async function keepDetectedOut(
  answer: SegmentOutput,
  found: FoundPeople,
  photo: RgbaImage,
  request: SegmentRequest,
  segmenter: Segmenter,
  signal?: AbortSignal,
): Promise<SegmentOutput> {
  if (request.previous || request.box) return answer;
  const positives = request.clicks.filter((c) => c.positive);
  if (positives.length === 0) return answer;
  const { width, height } = photo;
  const mask = answer.mask;
  const inside = (x: number, y: number) => {
    const mx = Math.floor((x * mask.width) / width);
    const my = Math.floor((y * mask.height) / height);
    return mx >= 0 && my >= 0 && mx < mask.width && my < mask.height && mask.data[my * mask.width + mx]! > 0;
  };
  const cuts: { thing: object; cut: () => Cut }[] = [];
  for (const body of found.bodies) {
    if (positives.some((c) => isOn(found, body, c))) continue;
    const points = body.keypoints;
    const covered = points.filter((k) => inside(k.x, k.y)).length;
    if (covered < PERSON_COVERED) continue;
    cuts.push({ thing: body, cut: () => personCut(personOf(found, body), width, height) });
  }
  for (const object of found.objects) {
    if (positives.some((c) => insideBox(c.x, c.y, object.box))) continue;
    const [bx, by, bw, bh] = object.box;
    if (boxShare({ x0: bx, y0: by, x1: bx + bw, y1: by + bh }, inside) < OBJECT_COVERED) continue;
    cuts.push({ thing: object, cut: () => objectCut(object, width, height) });
  }
  if (cuts.length === 0) return answer;

  const data = mask.data.slice();
  const toMask = mask.width / width;
  for (const { thing, cut } of cuts) {
    const { box, inside: taken } = await cachedCut(segmenter, thing, mask.width, () =>
      thingAtMaskSize(cut(), photo, request.photoKey, mask, segmenter, signal),
    );
    const w = box.x1 - box.x0;
    // A thing whose grown outline takes a click is what the person clicked after all: it stays.
    const takesClick = positives.some((c) => {
      const x = Math.floor(c.x * toMask) - box.x0;
      const y = Math.floor(c.y * toMask) - box.y0;
      return x >= 0 && y >= 0 && x < w && y < box.y1 - box.y0 && taken[y * w + x]! > 0;
    });
    if (takesClick) continue;
    for (let y = box.y0; y < box.y1; y++) {
      for (let x = box.x0; x < box.x1; x++)
        if (taken[(y - box.y0) * w + x - box.x0]) data[y * mask.width + x] = 0;
    }
  }
  return { ...answer, mask: { ...mask, data } };
}

/** A thing's cut at a mask's size: the box it lies in, and 1 on the thing (grown) inside the box. */
interface ThingCut {
  box: PixelBox;
  inside: Uint8Array;
}

/**
 * Cuts made, per segmenter, detected thing (detection is cached per photo, so a thing is the same object
 * for as long as its photo is open) and mask width: the outline a thing needs takes the segmenter as long
 * as the click itself (440 ms for the surfer at 12 MP), and does not depend on the click.
 */
const madeCuts = new WeakMap<Segmenter, WeakMap<object, Map<number, Promise<ThingCut>>>>();

function cachedCut(
  segmenter: Segmenter,
  thing: object,
  maskWidth: number,
  make: () => Promise<ThingCut>,
): Promise<ThingCut> {
  let things = madeCuts.get(segmenter);
  if (!things) madeCuts.set(segmenter, (things = new WeakMap()));
  let sizes = things.get(thing);
  if (!sizes) things.set(thing, (sizes = new Map()));
  let made = sizes.get(maskWidth);
  if (!made) {
    made = make();
    sizes.set(maskWidth, made);
    // A cut that failed (an aborted click) is made again next time.
    made.catch(() => sizes.delete(maskWidth));
  }
  return made;
}

/** The segmenter's outline of the thing (or its fallback zone), at the answer mask's size, grown. */
async function thingAtMaskSize(
  cut: Cut,
  photo: RgbaImage,
  photoKey: string,
  mask: Mask,
  segmenter: Segmenter,
  signal?: AbortSignal,
): Promise<ThingCut> {
  const { width, height } = photo;
  // A thing a few pixels tall (a bather far off) is its box: outlining it costs a click's time for
  // nothing a person would see.
  const small = Math.max(cut.box.x1 - cut.box.x0, cut.box.y1 - cut.box.y0) < SMALL * Math.max(width, height);
  const outline =
    small || cut.asBox
      ? null
      : (
          await segmenter.segment(
            photo,
            { clicks: cut.clicks, box: cut.box, previous: null, photoKey },
            signal,
          )
        ).mask;
  // The segmenter's outline when it is the thing's (else the thing's zone is cut).
  const own = outline !== null && isOutlineOf(outline, cut) ? outline : null;
  const toMask = mask.width / width;
  const grow = Math.max(1, GROW * Math.max(mask.width, mask.height));
  const box = growBox(
    {
      x0: Math.floor(cut.box.x0 * toMask),
      y0: Math.floor(cut.box.y0 * toMask),
      x1: Math.ceil(cut.box.x1 * toMask),
      y1: Math.ceil(cut.box.y1 * toMask),
    },
    grow,
    mask.width,
    mask.height,
  );
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  const thing = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const px = (box.x0 + x + 0.5) / toMask;
      const py = (box.y0 + y + 0.5) / toMask;
      const onOutline = own !== null && own.data[Math.floor(py) * width + Math.floor(px)]! > 0;
      const onThing =
        own === null
          ? cut.fallback(px, py)
          : (onOutline && inBoxRect(cut.box, px, py)) || (cut.withOutline?.(px, py) ?? false);
      if (onThing) thing[y * w + x] = 1;
    }
  }
  const grown = dilate(thing, w, h, grow);
  return { box, inside: Uint8Array.from(grown, (v) => (v > 0 ? 1 : 0)) };
}

/** Whether a click is on this body (its torso, a limb, its head), as a click that selects the person. */
function isOn(found: FoundPeople, body: FoundBody, click: Click): boolean {
  const hit = hitPerson({ ...found, bodies: [body] }, click.x, click.y);
  return hit !== null;
}

function personCut(hit: ReturnType<typeof personOf>, width: number, height: number): Cut {
  const start = hit.body.keypoints[0]!;
  const { clicks, box } = personPrompt(hit, { x: start.x, y: start.y, positive: true }, width, height);
  // The prompt's box grows by the shoulder width, which a person seen side-on barely has (the surfer's
  // 9 px left his back outside it): grown by a share of the body's own box too.
  const [bx, by, bw, bh] = hit.body.box;
  const margin = Math.max(bw, bh) * BODY_MARGIN;
  const grown = {
    x0: Math.max(0, Math.min(box!.x0, bx - margin)),
    y0: Math.max(0, Math.min(box!.y0, by - margin)),
    x1: Math.min(width - 1, Math.max(box!.x1, bx + bw + margin)),
    y1: Math.min(height - 1, Math.max(box!.y1, by + bh + margin)),
  };
  // With the outline, the limbs' bones themselves (a hand, a shin of the sea's colour the outline left):
  // as wide as a forearm, not the broad zone that stands in for a failed outline.
  const limbs = onPersonAt(hit, LIMB_REACH);
  const zone = onPersonAt(hit);
  return { box: grown, clicks, points: hit.body.keypoints, fallback: zone, withOutline: limbs };
}

function objectCut(object: DetectedObject, width: number, height: number): Cut {
  const [x, y, w, h] = object.box;
  const box = {
    x0: Math.max(0, x - w * BOX_MARGIN),
    y0: Math.max(0, y - h * BOX_MARGIN),
    x1: Math.min(width - 1, x + w * (1 + BOX_MARGIN)),
    y1: Math.min(height - 1, y + h * (1 + BOX_MARGIN)),
  };
  const inDetected = (px: number, py: number) => insideBox(px, py, object.box);
  // A person MoveNet did not find is their box: the segmenter outlined a bather's blue top and left her
  // legs, shorts and the shoes in her hands to flow off with the sea, smeared and doubled. The sea in
  // the box's corners stands still with her, which reads as calm water beside her.
  if (object.label === 'person') return { box, clicks: [], points: [], fallback: inDetected, asBox: true };
  // Clicks along the box's long middle line: one at its centre may land on a detail (the board's logo)
  // and the segmenter outlines only that.
  const along = w >= h;
  const clicks = [0.25, 0.5, 0.75].map((t) => ({
    x: along ? x + w * t : x + w / 2,
    y: along ? y + h / 2 : y + h * t,
    positive: true,
  }));
  return { box, clicks, points: clicks, fallback: inDetected };
}

function inBoxRect(box: PixelBox, x: number, y: number): boolean {
  return x >= box.x0 && y >= box.y0 && x <= box.x1 && y <= box.y1;
}

/** The share of a box, sampled on a 16 x 16 grid, where `test` holds. */
function boxShare(box: PixelBox, test: (x: number, y: number) => boolean): number {
  const { x0, y0, x1, y1 } = box;
  let n = 0;
  for (let j = 0; j < 16; j++)
    for (let i = 0; i < 16; i++)
      if (test(x0 + ((x1 - x0) * (i + 0.5)) / 16, y0 + ((y1 - y0) * (j + 0.5)) / 16)) n++;
  return n / 256;
}

/** Whether the segmenter's outline is the thing's (see HOLDS_POINTS). */
function isOutlineOf(outline: Mask, cut: Cut): boolean {
  const at = (x: number, y: number) => {
    const px = Math.min(outline.width - 1, Math.max(0, Math.floor(x)));
    const py = Math.min(outline.height - 1, Math.max(0, Math.floor(y)));
    return outline.data[py * outline.width + px]! > 0;
  };
  const held = cut.points.filter((p) => at(p.x, p.y)).length;
  if (held < cut.points.length * HOLDS_POINTS) return false;
  return boxShare(cut.box, at) <= 1 - LEAVES_OUT;
}
