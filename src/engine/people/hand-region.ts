// The hand a limb word moves, added to the person's region. A click on a person selects what the
// segmenter finds, and a hand held out against the sea or the sky often falls outside it (KPhotoAlbum's
// cold-water.jpg: his right hand): "raise an arm" then swung the sleeve up and left the hand floating
// where it was. Beyond the wrist, along the forearm, the pixels closer in colour to the hand's middle than
// to what lies around it join the region, so the hand goes where its wrist goes.
import type { Point } from '../../shared/index.js';
import { regionShape, type RegionShape } from '../motion/mask.js';

/** Where the hand's middle lies past the wrist, as a share of the forearm (elbow to wrist). */
const HAND_MIDDLE = 0.35;
/** The hand's reach from its middle, as a share of the forearm. */
const HAND_RADIUS = 0.42;

const medianOf = (values: number[]): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** The region's shape with the hand past `wrist` (seen from `elbow`) added where the photo shows it. */
export function withHand(shape: RegionShape, photo: Uint8Array, elbow: Point, wrist: Point): RegionShape {
  const { width, height } = shape;
  const fx = wrist.x - elbow.x;
  const fy = wrist.y - elbow.y;
  const forearm = Math.hypot(fx, fy);
  if (forearm < 2) return shape;
  const cx = wrist.x + HAND_MIDDLE * fx;
  const cy = wrist.y + HAND_MIDDLE * fy;
  const radius = HAND_RADIUS * forearm;
  const x0 = Math.max(0, Math.floor(cx - 1.6 * radius));
  const x1 = Math.min(width, Math.ceil(cx + 1.6 * radius));
  const y0 = Math.max(0, Math.floor(cy - 1.6 * radius));
  const y1 = Math.min(height, Math.ceil(cy + 1.6 * radius));
  if (x0 >= x1 || y0 >= y1) return shape;
  // The hand's colour: the middle of the disc around its middle; the surroundings': a ring around it,
  // off the person.
  const hand: number[][] = [[], [], []];
  const around: number[][] = [[], [], []];
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const d = Math.hypot(x - cx, y - cy);
      const at = (y * width + x) * 4;
      const target =
        d <= 0.35 * radius ? hand : d >= 1.2 * radius && !shape.inside[y * width + x] ? around : null;
      if (!target) continue;
      for (let c = 0; c < 3; c++) target[c]!.push(photo[at + c]!);
    }
  }
  if (around[0]!.length === 0) return shape;
  const handColour = hand.map(medianOf);
  const aroundColour = around.map(medianOf);
  const distance = (at: number, colour: number[]) =>
    Math.hypot(photo[at]! - colour[0]!, photo[at + 1]! - colour[1]!, photo[at + 2]! - colour[2]!);
  // Nothing to tell apart: a hand the colour of what is around it is left as the segmenter found it.
  if (
    Math.hypot(
      handColour[0]! - aroundColour[0]!,
      handColour[1]! - aroundColour[1]!,
      handColour[2]! - aroundColour[2]!,
    ) < 30
  ) {
    return shape;
  }
  let added = 0;
  const coverage = new Float32Array(width * height);
  for (let i = 0; i < coverage.length; i++) coverage[i] = shape.inside[i]!;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * width + x;
      if (shape.inside[i] || Math.hypot(x - cx, y - cy) > radius) continue;
      const at = i * 4;
      if (distance(at, handColour) < distance(at, aroundColour)) {
        coverage[i] = 1;
        added++;
      }
    }
  }
  return added > 0 ? regionShape(coverage, width, height) : shape;
}
