// Head motions: nod (pitch), shake (yaw) and look (the eyes turn inside still lids).
// The head is an egg about the face (an ellipse narrowing to the jaw), grown to take in short hair and ears;
// turning it moves what is near its middle most (the nose, the eyes) and its outline hardly at all, as a
// turning ball does, so the head keeps its place against the background and nothing behind it is
// uncovered. The field fades smoothly to nothing at the rim (below the chin, on the neck), gently enough
// never to fold, and inside the person: the hair and the neck, not the wall beside them.
// A look shifts each iris towards the eye's corner inside the eye's opening; the lids stay still.
import type { FieldRegionPlan } from '../motion/plan.js';
import {
  boxAround,
  cyclePhases,
  emptyField,
  goAndHold,
  sizeAt,
  smoothstep,
  thereAndBack,
  toAndFro,
  type FaceRequest,
  type FieldBox,
} from './face-field.js';
import {
  curveAt,
  FACE_OVAL,
  irisOf,
  LEFT_EYE,
  meshPoint,
  meshPoints,
  RIGHT_EYE,
  CHIN,
  FOREHEAD,
  type EyeIndices,
} from './landmarks.js';
import type { FoundFace } from './types.js';
import { motionTime } from '../motion/timing.js';

/** The head's ellipse around the face, in output pixels, with the face's own half width and height. */
export function headEllipse(face: FoundFace) {
  const oval = meshPoints(face, FACE_OVAL);
  const xs = oval.map((p) => p[0]);
  const halfWidth = (Math.max(...xs) - Math.min(...xs)) / 2;
  const top = meshPoint(face, FOREHEAD)[1];
  const halfHeight = (meshPoint(face, CHIN)[1] - top) / 2;
  return {
    cx: (Math.max(...xs) + Math.min(...xs)) / 2,
    // The skull's middle sits a little above the face's.
    cy: top + halfHeight * 0.9,
    // Sideways, a quarter of the face's half width past the face outline: as far as short hair or ears
    // reach. Wider (1.45) it ran past Grace Hopper's hair onto the flag behind her, and a shake moved the
    // flag's cord (39.7 dB outside her outline); big hair past it stays still, fading smoothly into the
    // moving head, which is softer than moving the wall.
    rx: halfWidth * 1.25,
    ry: halfHeight * 1.5,
    halfWidth,
    halfHeight,
  };
}

/** How much narrower the head is at its bottom than at its middle (see addHeadBasis). */
const EGG = 0.3;

/** How far each part of the head moves when its middle moves by 1: (1 - r^2)^2 inside the head's egg. */
function addHeadBasis(field: FieldRegionPlan, k: number, face: FoundFace, axis: 0 | 1): void {
  const { cx, cy, rx, ry } = headEllipse(face);
  const { box } = field;
  const bw = box.x1 - box.x0;
  const size = bw * (box.y1 - box.y0);
  for (let y = box.y0; y < box.y1; y++) {
    // An egg, not an ellipse: the head narrows from its middle to the jaw (to 70% at the bottom), so the
    // field stays on the hair and the neck there instead of reaching past them onto what is behind.
    const below = Math.max(0, (y + 0.5 - cy) / ry);
    const rxAt = rx * (1 - EGG * below);
    for (let x = box.x0; x < box.x1; x++) {
      const r2 = ((x + 0.5 - cx) / rxAt) ** 2 + ((y + 0.5 - cy) / ry) ** 2;
      if (r2 >= 1) continue;
      // Backward: to move the head's middle by +1, each pixel shows the photo that far behind it.
      field.bases[(k * size + (y - box.y0) * bw + (x - box.x0)) * 2 + axis] = -((1 - r2) ** 2);
    }
  }
}

function headBox(face: FoundFace, width: number, height: number): FieldBox {
  const { cx, cy, rx, ry } = headEllipse(face);
  return {
    x0: Math.max(0, Math.floor(cx - rx)),
    y0: Math.max(0, Math.floor(cy - ry)),
    x1: Math.min(width, Math.ceil(cx + rx)),
    y1: Math.min(height, Math.ceil(cy + ry)),
  };
}

/**
 * The head's largest move (of its middle) that keeps the field from folding: the falloff's steepest
 * slope, 4/(3 sqrt 3) per radius, times the move stays well under 1.
 */
function safeMove(face: FoundFace, axis: 0 | 1): number {
  const { rx, ry } = headEllipse(face);
  return 0.5 * (axis === 0 ? rx : ry) * ((3 * Math.sqrt(3)) / 4);
}

/** Nod: the chin goes down and comes back, about once a second and a bit. */
export function planNod(request: FaceRequest): FieldRegionPlan {
  const { face, width, height, frameCount, clock, fps } = request;
  const field = emptyField(headBox(face, width, height), 1, frameCount, false);
  addHeadBasis(field, 0, face, 1);
  const move = Math.min(safeMove(face, 1), 0.12 * headEllipse(face).halfHeight * sizeAt(request.strength));
  const { phases } = cyclePhases(clock, frameCount, fps, 1.2);
  for (let f = 0; f < frameCount; f++) field.weights[f] = move * thereAndBack(phases[f]!);
  return field;
}

/** Shake: the head turns to one side, to the other and back, about once a second. */
export function planShake(request: FaceRequest): FieldRegionPlan {
  const { face, width, height, frameCount, clock, fps } = request;
  const field = emptyField(headBox(face, width, height), 1, frameCount, false);
  addHeadBasis(field, 0, face, 0);
  const move = Math.min(safeMove(face, 0), 0.16 * headEllipse(face).halfWidth * sizeAt(request.strength));
  const { phases } = cyclePhases(clock, frameCount, fps, 1);
  const span = Math.max(1, clock.span);
  for (let f = 0; f < frameCount; f++)
    field.weights[f] = move * toAndFro(phases[f]!, motionTime(clock, f) / span);
  return field;
}

/** One eye's opening: its lids per column, the iris, and how far the iris may go before it folds. */
function gazeColumns(face: FoundFace, eye: EyeIndices) {
  const upper = meshPoints(face, eye.upper);
  const lower = meshPoints(face, eye.lower);
  const xs = upper.map((p) => p[0]);
  const inner = Math.min(...xs);
  const outer = Math.max(...xs);
  const iris = irisOf(face, eye);
  const left = Math.max(1, iris.centre[0] - iris.radius - inner);
  const right = Math.max(1, outer - iris.centre[0] - iris.radius);
  return { upper, lower, x0: inner, x1: outer, iris, left, right };
}

/** The iris slides sideways by 1 inside the eye's opening, fading towards the corners and at the lids. */
function addGazeBasis(field: FieldRegionPlan, k: number, eye: ReturnType<typeof gazeColumns>): void {
  const { box } = field;
  const bw = box.x1 - box.x0;
  const size = bw * (box.y1 - box.y0);
  const { centre, radius } = eye.iris;
  for (let x = Math.max(box.x0, Math.floor(eye.x0)); x < Math.min(box.x1, Math.ceil(eye.x1)); x++) {
    const cx = x + 0.5;
    const along =
      cx < centre[0] - radius
        ? smoothstep((cx - eye.x0) / eye.left)
        : cx > centre[0] + radius
          ? smoothstep((eye.x1 - cx) / eye.right)
          : 1;
    if (along <= 0) continue;
    const top = curveAt(eye.upper, cx);
    const bottom = curveAt(eye.lower, cx);
    for (let y = Math.max(box.y0, Math.floor(top)); y < Math.min(box.y1, Math.ceil(bottom)); y++) {
      const inside = Math.min(1, Math.max(0, Math.min(y + 0.5 - top, bottom - y - 0.5) / 1.2));
      if (inside <= 0) continue;
      field.bases[(k * size + (y - box.y0) * bw + (x - box.x0)) * 2] = -along * inside;
    }
  }
}

/**
 * Look: the eyes turn to the side and hold, then back; the rest of the face stays still. (A head that
 * "follows a little" was tried: a turn small enough to keep the head's outline in place moved the nose by
 * about a pixel at 512, which reads not as a turn but as the skin's texture and the glasses' rim swimming
 * under still eyes' corners; on a wrinkled face it took the face's SSIM to the photo from 1 to 0.75.)
 */
export function planLook(request: FaceRequest): FieldRegionPlan {
  const { face, width, height, frameCount, clock, fps, motion } = request;
  const side = motion.part === 'look' && Math.cos((motion.direction * Math.PI) / 180) < 0 ? -1 : 1;
  const eyes = [gazeColumns(face, RIGHT_EYE), gazeColumns(face, LEFT_EYE)];
  const field = emptyField(eyesBox(eyes, width, height), 1, frameCount, false);
  for (const eye of eyes) addGazeBasis(field, 0, eye);
  // The iris goes a sixth of the eye's width, short of folding the white on the side it leaves.
  const widest = Math.min(...eyes.map((eye) => 0.6 * (side > 0 ? eye.left : eye.right)));
  const gaze = Math.min(
    widest,
    0.17 * Math.min(...eyes.map((eye) => eye.x1 - eye.x0)) * sizeAt(request.strength),
  );
  const { phases } = cyclePhases(clock, frameCount, fps, 3);
  for (let f = 0; f < frameCount; f++) field.weights[f] = gaze * side * goAndHold(phases[f]!);
  return field;
}

/** The box around both eyes' openings (with two pixels to spare), which is all a look moves. */
function eyesBox(eyes: ReturnType<typeof gazeColumns>[], width: number, height: number): FieldBox {
  const points = eyes.flatMap((eye) => [...eye.upper, ...eye.lower]);
  return boxAround(points, 2, width, height);
}
