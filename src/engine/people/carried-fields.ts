// Face words on a person who breathes or waves (issue 12): each field region (plan-face.ts, plan-body.ts)
// and each skinned person (plan-skin.ts) samples the photo, and regions are drawn in list order, so a
// breath or a wave listed after a smile or a blink drew the photo's face over them (and a smile, whose box
// holds the lower face, the photo's eyes over a blink). A field that overlaps a larger field or skin is
// carried by it instead: the smaller fields are drawn first, each sampling the picture the smaller ones
// drew, and the larger (the body's breath, the waving person) samples that picture rather than the photo.
// So the face moves with the body and still smiles and blinks, whichever order the regions were added
// in: out(x) = face(x + breath(x)), where face(y) is the photo with the face words drawn on it.
import type { FieldRegionPlan, FramePlan, RegionPlan, SkinRegionPlan } from '../motion/plan.js';
import { copyRows, drawField } from './render-field.js';
import { drawSkin } from './render-skin.js';

type Box = FieldRegionPlan['box'];

export interface CarriedFields {
  /** Per region of the plan: the index of the field that carries it, or -1. */
  carrier: Int32Array;
  /** Per region of the plan: the fields it carries, in list order (empty for most). */
  carries: number[][];
}

const area = (b: Box) => Math.max(0, b.x1 - b.x0) * Math.max(0, b.y1 - b.y0);

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Which field carries which: a field is carried by the larger field whose box covers most of its box
 * (the larger box on a tie), and by that one's carrier in turn when it has one, so a picture is carried
 * one level deep. Decided by the boxes alone, never by the list's order.
 */
export function findCarriedFields(plan: FramePlan): CarriedFields {
  const regions = plan.regions;
  const carrier = new Int32Array(regions.length).fill(-1);
  const carries: number[][] = regions.map(() => []);
  // Fields and skins may carry; only fields are carried (a skin draws its whole person, background
  // included, and is never drawn into a picture).
  const fields: number[] = [];
  regions.forEach((region, n) => {
    if (region.kind === 'field' || region.kind === 'skin') fields.push(n);
  });
  const boxOf = (n: number) => (regions[n] as FieldRegionPlan | SkinRegionPlan).box;
  // Largest first, so a larger field's own carrier is known when a smaller one looks for its carrier.
  const bySize = [...fields].sort((a, b) => area(boxOf(b)) - area(boxOf(a)) || a - b);
  for (const [rank, n] of bySize.entries()) {
    const box = boxOf(n);
    let best = -1;
    let bestOverlap = 0;
    for (const m of bySize.slice(0, rank)) {
      if (area(boxOf(m)) <= area(box)) continue;
      const shared = overlap(box, boxOf(m));
      if (shared > bestOverlap) {
        best = m;
        bestOverlap = shared;
      }
    }
    if (best >= 0 && regions[n]!.kind === 'field') carrier[n] = carrier[best]! >= 0 ? carrier[best]! : best;
  }
  for (const n of fields) if (carrier[n]! >= 0) carries[carrier[n]!]!.push(n);
  return { carrier, carries };
}

/** Found once per plan and thread, as the fields' runs are (field-runs.ts). */
const found = new WeakMap<FramePlan, CarriedFields>();

export function carriedFields(plan: FramePlan): CarriedFields {
  let carried = found.get(plan);
  if (!carried) {
    carried = findCarriedFields(plan);
    found.set(plan, carried);
  }
  return carried;
}

/**
 * Draws field `n` of the plan with the fields it carries, innermost (smallest box) first: each samples
 * the picture the ones before it drew, and the carrier samples the last. `pictures` are two frame-sized
 * buffers that hold the photo everywhere but the carried fields' boxes. Returns whether anything differs
 * from the photo, as drawField does.
 */
export function drawCarrier(
  plan: FramePlan,
  n: number,
  carried: readonly number[],
  frame: number,
  out: Uint8Array,
  pictures: readonly [Uint8Array, Uint8Array],
  covered: boolean,
): boolean {
  const { width, photo } = plan;
  const field = (k: number) => plan.regions[k] as FieldRegionPlan;
  // Smallest box first (the list's order only between fields of one size), so no order of the list
  // changes the frame.
  const chain = [...carried].sort((a, b) => area(field(a).box) - area(field(b).box) || a - b);
  const boxes = chain.map((k) => field(k).box);
  const copyBoxes = (from: Uint8Array, to: Uint8Array) => {
    for (const b of boxes) copyRows(from, to, width, b.x0, b.x1, b.y0, b.y1);
  };
  let source = photo;
  let into = pictures[0];
  copyBoxes(photo, into);
  for (const k of chain) {
    if (source !== photo) copyBoxes(source, into);
    if (!drawField(plan, field(k), frame, into, false, source)) continue;
    source = into;
    into = into === pictures[0] ? pictures[1] : pictures[0];
  }
  const moved = source !== photo;
  // Their picture in place where the carrier leaves a pixel still (the carrier only writes where it moves,
  // and over a region below only where it moves or covers).
  if (moved || covered) copyBoxes(source, out);
  const region: RegionPlan = plan.regions[n]!;
  const drew =
    region.kind === 'skin'
      ? drawSkin(plan, region, frame, out, covered, source)
      : drawField(plan, region as FieldRegionPlan, frame, out, covered, source);
  return drew || moved;
}
