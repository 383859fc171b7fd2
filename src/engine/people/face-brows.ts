// Raise the eyebrows: both brows lift and settle back. Each brow moves up whole; below it the lid skin
// stretches down to the lash line, which stays where it is (the eyes look a little more open, as they
// do), and above it the forehead gives way, fading out over a brow-and-a-half.
import type { FieldRegionPlan } from '../motion/plan.js';
import {
  boxAround,
  cyclePhases,
  emptyField,
  sizeAt,
  smoothstep,
  thereAndBack,
  type FaceRequest,
} from './face-field.js';
import { curveAt, LEFT_EYE, meshPoints, RIGHT_EYE, type EyeIndices, type Point } from './landmarks.js';
import type { FoundFace } from './types.js';

/** The shortest fade from a brow's lift down to the still lash line, as a share of the brow-to-lid gap. */
const FADE = 0.7;

function browShape(face: FoundFace, eye: EyeIndices) {
  const top = meshPoints(face, eye.browUpper);
  const bottom = meshPoints(face, eye.browLower);
  const lid = meshPoints(face, eye.upper);
  const xs = [...top, ...bottom].map((p) => p[0]);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const middle = (x0 + x1) / 2;
  // The gap between the brow and the lash line at the brow's middle: how far the brow may go.
  const gap = curveAt(lid, middle) - curveAt(bottom, middle);
  return { top, bottom, lid, x0, x1, gap, reach: 0.35 * (x1 - x0) };
}

export function planBrows(request: FaceRequest): FieldRegionPlan {
  const { face, width, height, frameCount, clock, fps } = request;
  const brows = [browShape(face, RIGHT_EYE), browShape(face, LEFT_EYE)];
  const forehead = (brow: (typeof brows)[number]) => 1.5 * (brow.gap + brow.reach);
  const box = boxAround(
    brows.flatMap((brow) => [
      [brow.x0 - brow.reach, Math.min(...brow.top.map((p) => p[1])) - forehead(brow)] as Point,
      [brow.x1 + brow.reach, Math.max(...brow.lid.map((p) => p[1]))] as Point,
    ]),
    1,
    width,
    height,
  );
  const field = emptyField(box, 1, frameCount, false);
  const bw = box.x1 - box.x0;
  for (const brow of brows) {
    const above = forehead(brow);
    for (let x = box.x0; x < box.x1; x++) {
      const cx = x + 0.5;
      const across =
        cx < brow.x0
          ? smoothstep(1 - (brow.x0 - cx) / brow.reach)
          : cx > brow.x1
            ? smoothstep(1 - (cx - brow.x1) / brow.reach)
            : 1;
      if (across <= 0) continue;
      const lid = curveAt(brow.lid, cx);
      // The lid skin below the brow takes the stretch over at least FADE of the gap, also where the
      // brow's tail curves down beside the eye (a shorter fade would shear the skin there).
      const bottom = Math.min(curveAt(brow.bottom, cx), lid - FADE * brow.gap);
      const top = Math.min(curveAt(brow.top, cx), bottom);
      for (let y = box.y0; y < box.y1; y++) {
        const cy = y + 0.5;
        const lift =
          cy > lid
            ? 0
            : cy > bottom
              ? 1 - smoothstep((cy - bottom) / (lid - bottom))
              : cy >= top
                ? 1
                : smoothstep(1 - (top - cy) / above);
        if (lift <= 0) continue;
        const i = ((y - box.y0) * bw + (x - box.x0)) * 2 + 1;
        // Backward: to lift the brow, each pixel shows the photo below it. Brows far apart never overlap;
        // where their fades meet, the larger lift holds.
        field.bases[i] = Math.max(field.bases[i]!, across * lift);
      }
    }
  }
  const gap = Math.min(...brows.map((brow) => brow.gap));
  // Two fifths of the brow-to-lid gap, never so far that the lid skin would fold (the fade's steepest
  // slope, 1.5 / (FADE gap), times the move stays under 1).
  const move = Math.min(0.45 * gap, 0.4 * gap * sizeAt(request.strength));
  const { phases } = cyclePhases(clock, frameCount, fps, 2);
  for (let f = 0; f < frameCount; f++) field.weights[f] = move * thereAndBack(phases[f]!);
  return field;
}
