// Smile: the mouth corners lift up and outwards under a smooth local warp; the lips stay closed where
// they were (no teeth are invented).
//
// A frame samples the photo at x + w B(x), and a bump B = -g u centred on a corner moves the corner's
// content less than its peak w: the content at the corner shows where s = w g(s), which on a small mouth
// (12 px at 512, sigma 3.4 px) was 1.6, 2.8, 3.7 px for lifts of 2, 4, 6 (cold-water.jpg), and past
// w = sigma * sqrt(e) the warp folds over itself (the lip shows twice, and at 8 the corner's patch matched
// 7.8 px away). So the bump is stretched along the lift far enough that it never folds, and its peak is
// raised so that the corner's content lifts by exactly the strength at the smile's height. A bump that
// long reaches the glasses and the collar on a small face (cold-water.jpg at 8: the sunglasses bent and
// the shirt rose with the chin), so a lift over half the mouth's width is refused, naming the strength
// that works.
import { StirError } from '../../shared/index.js';
import type { FieldRegionPlan } from '../motion/plan.js';
import { boxAround, cyclePhases, emptyField, thereAndBack, type FaceRequest } from './face-field.js';
import { MOUTH, meshPoint, type Point } from './landmarks.js';

/** The lift's direction: up, and outwards by this much per pixel up. */
const OUTWARDS = 0.45;
/** The bump's width across the lift, as a share of the mouth's width. */
const ACROSS = 0.28;
/**
 * The bump's length along the lift, at least this many times the lift: its steepest slope along the lift
 * is then e^(1 / (2 * 1.2^2)) / (1.2 * sqrt(e)) = 0.71 of a pixel per pixel, short of a fold (1).
 */
const ALONG_PER_LIFT = 1.2;
/** The largest lift a mouth takes, as a share of its width. */
const MOST_LIFT = 0.5;

export function planSmile(request: FaceRequest): FieldRegionPlan {
  const { width, height, face, clock, frameCount, sizes } = request;
  const right = meshPoint(face, MOUTH.rightCorner);
  const left = meshPoint(face, MOUTH.leftCorner);
  const mouth = Math.hypot(left[0] - right[0], left[1] - right[1]);
  // Strength: the corners' peak lift, in pixels at a 512-pixel long side; one smile over the span.
  const lift = request.strength * sizes.unit;
  if (lift > MOST_LIFT * mouth) {
    const strongest = Math.floor(((MOST_LIFT * mouth) / sizes.unit) * 10) / 10;
    throw new StirError(
      'BAD_REQUEST',
      `Stir can smile on this face only up to strength ${strongest}: its mouth is small in the photo, and a higher lift would drag the cheeks, the chin and what lies around them along.`,
      {
        hint: 'Lower the strength, or smile on a photo where the face is larger.',
        // `refusal` marks a refusal by design (eval reports it as such, not as a failure).
        details: { refusal: 'small-mouth', strongest },
      },
    );
  }
  const across = ACROSS * mouth;
  const along = Math.max(across, ALONG_PER_LIFT * lift);
  // The corner's content shows where s = peak * g(s) along the lift: s = lift at this peak.
  const peak = lift * Math.exp((lift * lift) / (2 * along * along));
  const reach = Math.max(mouth, 3 * along);
  const box = boxAround(
    [right, left].flatMap((p) => [
      [p[0] - reach, p[1] - reach] as Point,
      [p[0] + reach, p[1] + reach] as Point,
    ]),
    2,
    width,
    height,
  );
  const field = emptyField(box, 1, frameCount, false);
  const basis = field.bases;
  const bw = box.x1 - box.x0;
  const norm = Math.hypot(OUTWARDS, 1);
  for (const [corner, outwards] of [
    [right, -1],
    [left, 1],
  ] as const) {
    const dx = (OUTWARDS * outwards) / norm;
    const dy = -1 / norm;
    for (let y = box.y0; y < box.y1; y++) {
      for (let x = box.x0; x < box.x1; x++) {
        const rx = x + 0.5 - corner[0];
        const ry = y + 0.5 - corner[1];
        // Along the lift (u = (dx, dy)) and across it.
        const a = rx * dx + ry * dy;
        const c = rx * dy - ry * dx;
        const g = Math.exp(-(a * a) / (2 * along * along) - (c * c) / (2 * across * across));
        if (g < 1e-3) continue;
        const i = ((y - box.y0) * bw + (x - box.x0)) * 2;
        // A forward lift d is shown by sampling the photo at x - d.
        basis[i] = basis[i]! - g * dx;
        basis[i + 1] = basis[i + 1]! - g * dy;
      }
    }
  }
  const { phases } = cyclePhases(clock, frameCount, request.fps, Number.POSITIVE_INFINITY);
  for (let f = 0; f < frameCount; f++) field.weights[f] = peak * thereAndBack(phases[f]!);
  return field;
}
