// Blink: the upper eyelid slides down over the eye and back up. Per column of each eye, the lid's lash
// line moves down towards the lower lid; the lid skin between the brow and the lash line unfolds after
// it (sampled from above the eye, stretched most near the crease, carried rigidly at the lash line), and
// the lid is laid over the eye with an anti-aliased edge at the lash line, so the lashes stay one
// continuous line and the eye under the lid does not move. The lower lid stays where it is.
// Over glasses (face-glasses.ts) the lid takes its skin only from below the frame's upper rim, so the
// frame never moves; a blink deeper than that skin allows is refused, naming the strength that works, and
// so is any blink where that skin lies in the frame's shadow (a lid made from it is a dark band), and
// any blink under brows that sit on the lids (the lid would be made of brow).
// A lid position is not a linear function of a weight (the lid's edge is a cut over the eye), so each
// position a frame shows is a basis of its own and a frame weighs exactly one of them.
import { StirError } from '../../shared/index.js';
import type { FieldRegionPlan } from '../motion/plan.js';
import {
  boxAround,
  cyclePhases,
  emptyField,
  FACE_STRENGTH,
  sizeAt,
  smoothstep,
  type FaceRequest,
  type FieldBox,
} from './face-field.js';
import { glassesRim, lumaAt, type FacePhoto } from './face-glasses.js';
import { curveAt, LEFT_EYE, meshPoints, RIGHT_EYE, type EyeIndices } from './landmarks.js';
import type { FoundFace } from './types.js';

/** Seconds between blinks (a clip shorter than that blinks once, at its middle). */
const BLINK_EVERY = 3;
/** How long a blink takes, lid down and up again. */
const BLINK_SECONDS = 0.36;
/**
 * How far past the lower lid's landmarks the lash line goes at full closure, as a share of the eye's
 * width (at least a pixel): the landmarks sit a little inside the eye's white, which must not show under
 * a closed lid.
 */
const OVERSHOOT = 0.06;
/** How much of the lid above the lash line (the lashes, the lid's rim) moves whole: a share of the eye's width. */
const RIM = 0.06;
/** How far the lash line reaches below the upper lid's landmarks, as a share of the eye's width. */
const LASH = 0.05;
/**
 * The mesh's eye corners sit inside the eye's visible corners: the lids are drawn over an eye this much
 * wider, about its middle.
 */
const WIDEN = 1.2;
/** Brow hairs: darker than this share of the lid skin just above the lid's rim. */
const BROW_HAIR = 0.75;
/** Lid positions differing by less than this share of the way are drawn as one. */
const LEVEL_STEP = 1 / 64;

/** One eye's lids per column: where each lid is, and where the brow's lower edge is above them. */
interface EyeColumns {
  x0: number;
  x1: number;
  upper: Float64Array;
  lower: Float64Array;
  brow: Float64Array;
  /** The highest row the lid may take skin from: below the glasses' rim, or -Infinity without glasses. */
  skinTop: Float64Array;
  /** How much of the lid above the lash line moves down whole, in pixels. */
  rim: number;
  /** Whether the skin stops at a glasses' rim (else at the brow's hairs). */
  glasses: boolean;
  /**
   * Under a glasses' rim: the mean luma of the skin the lid unfolds from (between the rim and the lid's
   * rim) over that of the lid skin around the rim; 1 without glasses.
   */
  shade: number;
}

function eyeColumns(photo: FacePhoto, face: FoundFace, eye: EyeIndices): EyeColumns {
  const upperPoints = meshPoints(face, eye.upper);
  const lowerPoints = meshPoints(face, eye.lower);
  const browPoints = meshPoints(face, eye.browLower);
  const xs = upperPoints.map((p) => p[0]);
  const middle = (Math.min(...xs) + Math.max(...xs)) / 2;
  const half = ((Math.max(...xs) - Math.min(...xs)) / 2) * WIDEN;
  const x0 = Math.floor(middle - half);
  const x1 = Math.ceil(middle + half);
  const n = x1 - x0 + 1;
  const lash = Math.max(0.75, LASH * 2 * half);
  const overshoot = Math.max(1, OVERSHOOT * 2 * half);
  const rim = RIM * 2 * half;
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const brow = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = x0 + i + 0.5;
    const onMesh = middle + (x - middle) / WIDEN;
    const landmark = curveAt(upperPoints, onMesh);
    const between = Math.max(0, curveAt(lowerPoints, onMesh) - landmark);
    // The lid's edge is the lashes' lower side: the lid carries its whole lash line down with it.
    upper[i] = landmark + Math.min(lash, between / 2);
    const open = Math.max(0, curveAt(lowerPoints, onMesh) - upper[i]!);
    // Past the lower lid by OVERSHOOT where the eye is open, tapering to nothing at the corners.
    lower[i] = upper[i]! + open + Math.min(overshoot, open);
    brow[i] = Math.min(upper[i]! - 1, curveAt(browPoints, x));
  }
  const glasses = glassesRim(photo, face, eye, x0, x1);
  // Two rows of margin under the rim's edge, which a JPEG blurs into the skin.
  const skinTop = glasses
    ? Float64Array.from(glasses.bottom, (bottom) => bottom + 2)
    : browHairBottom(photo, x0, upper, lower, rim);
  const shade = glasses ? skinUnderRim(photo, x0, skinTop, upper, rim) / glasses.skin : 1;
  return { x0, x1, upper, lower, brow, skinTop, rim, shade, glasses: glasses !== null };
}

/**
 * Per column, the first row of lid skin under the brow's hairs: walking up from the lid's rim, where the
 * photo first turns darker than BROW_HAIR of the lid skin just above the rim (the mesh's brow line lies
 * inside thick brows, and a lid unfolded from above it dragged the hairs down over the eye as a brown
 * smear: KPhotoAlbum's jesper.jpg). Smoothed over a few columns, as a brow's edge is.
 */
function browHairBottom(
  photo: FacePhoto,
  x0: number,
  upper: Float64Array,
  lower: Float64Array,
  rim: number,
): Float64Array {
  const n = upper.length;
  const raw = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = Math.min(photo.width - 1, Math.max(0, x0 + i));
    const start = Math.min(photo.height - 1, Math.floor(upper[i]! - rim) - 1);
    // No more than twice the eye's opening above the rim is ever unfolded.
    const reach = Math.max(3, 2 * (lower[i]! - upper[i]!) + 2);
    const skin: number[] = [];
    for (let y = start; y > start - 3 && y >= 0; y--) skin.push(lumaAt(photo, x, y));
    const reference = skin.sort((a, b) => a - b)[Math.floor(skin.length / 2)] ?? 0;
    let top = Math.max(0, start - reach);
    for (let y = start - 1; y >= Math.max(0, start - reach); y--) {
      if (lumaAt(photo, x, y) < BROW_HAIR * reference) {
        top = y + 1;
        break;
      }
    }
    raw[i] = top;
  }
  // Over a tenth of the eye's width each side (two columns on a 20-pixel eye), a median and then a mean:
  // at 1080x1920 the astronaut's lid crease read as hair in runs of 4-6 columns of an 80-pixel eye; two
  // columns each side left them as stripes where the lid stretched 2 pixels of skin over the eye, and a
  // median alone left a step in the lid where the runs gathered.
  const half = Math.max(2, Math.round(0.1 * n));
  const median = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const near: number[] = [];
    for (let k = Math.max(0, i - half); k <= Math.min(n - 1, i + half); k++) near.push(raw[k]!);
    median[i] = near.sort((a, b) => a - b)[Math.floor(near.length / 2)]!;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let count = 0;
    for (let k = Math.max(0, i - half); k <= Math.min(n - 1, i + half); k++, count++) sum += median[k]!;
    out[i] = sum / count;
  }
  return out;
}

/** The mean luma of the skin between the glasses' rim and the lid's own rim (what a lid unfolds). */
function skinUnderRim(
  photo: FacePhoto,
  x0: number,
  skinTop: Float64Array,
  upper: Float64Array,
  rim: number,
): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < upper.length; i++) {
    const x = Math.min(photo.width - 1, Math.max(0, x0 + i));
    const from = Math.max(0, Math.ceil(skinTop[i]!));
    const to = Math.min(photo.height, Math.floor(upper[i]! - rim));
    for (let y = from; y < to; y++) {
      const at = (y * photo.width + x) * 4;
      sum += 0.299 * photo.data[at]! + 0.587 * photo.data[at + 1]! + 0.114 * photo.data[at + 2]!;
      count++;
    }
  }
  // No skin at all between them: as dark as can be (the lid would be the rim's shadow).
  return count > 0 ? sum / count : 0;
}

/**
 * The least lid skin above the lash line for each pixel of travel: a lid without glasses unfolds at least
 * 0.8 of its travel (drawLid); under a glasses' rim, less skin stretched over the eye showed as a curtain
 * of vertical streaks (Grace Hopper's portrait, 2-3 pixels of skin for 8 of travel).
 */
const SKIN_PER_TRAVEL = 0.8;

/**
 * Under a glasses' rim, lid skin darker than this share of the skin around the rim lies in the frame's
 * shadow: Grace Hopper's reads 0.68 and 0.82 (437x512), and a half blink made from it measured 0.87 of the
 * eyes' opening where 0.7 was asked (the eval's EyeOpening), a brown band over the upper iris at full size.
 */
const SHADED = 0.85;

/**
 * How far the lid can close (share of the way, 0-1) with the skin it may unfold: the median over the
 * eye's columns; 1 without glasses.
 */
function deepestClosure(eye: EyeColumns): number {
  const shares = [...eye.upper.keys()]
    .map((i) => {
      const above = eye.upper[i]! - eye.skinTop[i]!;
      const skin = above - Math.min(eye.rim, Math.max(0, above / 2));
      return Math.max(0, skin) / (SKIN_PER_TRAVEL * Math.max(1e-6, eye.lower[i]! - eye.upper[i]!));
    })
    .sort((a, b) => a - b);
  return Math.min(1, shares[Math.floor(shares.length / 2)]!);
}

/**
 * Brows on the lids: the mesh's lower brow line no further above the lid's edge than this many times the
 * eye's opening (medians over the eye's columns). A closing lid unfolds about its travel in skin, and
 * here that skin is the brow: bar-couple.jpg's smiling man, light brown brows on his lids, reads 0.98 and
 * 1.00 (at 512 and 800 px) and his blink was a brown streaked band over eyes still 0.92 open; jesper.jpg,
 * whose lids close part way under low brows, reads 1.39-1.41, the astronaut 1.55-1.62 (512 px and enlarged
 * to 1080x1920). The measure is the mesh's, not the pixels': light brows are too close in luma to the
 * skin for browHairBottom to find them.
 */
const LOW_BROW = 1.2;

/** The gap between the brow's lower line and the lid's edge over the eye's opening (medians). */
function browGap(eye: EyeColumns): number {
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const columns = [...eye.upper.keys()];
  const gap = median(columns.map((i) => eye.upper[i]! - eye.brow[i]!));
  return gap / Math.max(1e-6, median(columns.map((i) => eye.lower[i]! - eye.upper[i]!)));
}

/** Writes the lid at `closure` (0 open, 1 closed) into basis/coverage `k` of the field. */
function drawLid(field: FieldRegionPlan, k: number, eye: EyeColumns, closure: number): void {
  const { box } = field;
  const bw = box.x1 - box.x0;
  const size = bw * (box.y1 - box.y0);
  const bases = field.bases;
  const alphas = field.alphas!;
  for (let i = 0; i < eye.upper.length; i++) {
    const x = eye.x0 + i;
    if (x < box.x0 || x >= box.x1) continue;
    const upper = eye.upper[i]!;
    const travel = closure * (eye.lower[i]! - upper);
    if (travel <= 0) continue;
    const edge = upper + travel;
    // The lid skin that unfolds: from the brow's lower edge down to the rim, and never less than the
    // travel (the skin's stretch stays moderate and the lid never folds over itself where the brow sits
    // low); never from the glasses' rim or above it.
    const top = Math.max(eye.skinTop[i]!, upper - Math.max(upper - eye.brow[i]!, eye.rim + 0.8 * travel));
    // The lashes and the lid's rim just above the lash line go down whole (stretched, they would streak),
    // leaving some skin to unfold under a glasses' rim.
    const rigid = edge - Math.min(eye.rim, Math.max(0, (upper - top) / 2));
    // Smoothstep folds the skin over itself (samples go back up) once the unfolding skin is shorter than
    // 1.5 times the travel, as under a glasses' rim: there the skin stretches evenly.
    const even = rigid - top < 1.5 * travel;
    for (let y = Math.max(box.y0, Math.floor(top)); y < Math.min(box.y1, Math.ceil(edge) + 1); y++) {
      const centre = y + 0.5;
      const j = k * size + (y - box.y0) * bw + (x - box.x0);
      const coverage = Math.min(1, Math.max(0, edge - y));
      if (coverage <= 0) continue;
      // Backward: the pixel shows the lid skin that far above it (all of `travel` from the rim down).
      const down = Math.max(0, (centre - top) / (rigid - top));
      bases[j * 2 + 1] = centre >= rigid ? -travel : -travel * (even ? down : smoothstep(down));
      alphas[j] = coverage;
    }
  }
}

/** How closed the eyes are at each frame, 0-1: one quick blink in the middle of each cycle. */
function closures(request: FaceRequest): Float64Array {
  const { clock, frameCount, fps } = request;
  const { phases, cycleFrames } = cyclePhases(clock, frameCount, fps, BLINK_EVERY);
  const share = Math.min(0.45, (BLINK_SECONDS * fps) / cycleFrames);
  const depth = Math.min(1, sizeAt(request.strength));
  const out = new Float64Array(frameCount);
  for (let f = 0; f < frameCount; f++) {
    const from = (phases[f]! - 0.5) / share;
    out[f] = Math.abs(from) < 0.5 ? (depth * (1 + Math.cos(2 * Math.PI * from))) / 2 : 0;
  }
  return out;
}

/**
 * Eyes behind dark glasses: both open eyes (between the lids) darker than this share of the face's median
 * luma. cold-water.jpg's lenses read 0.22; open eyes read 0.43 (jesper.jpg), 0.74 (the astronaut), 0.96
 * (Grace Hopper, through clear lenses).
 */
const HIDDEN_EYE = 0.3;

/** The mean luma between an eye's lids over the face's median luma (from the mesh's points). */
function eyeDarkness(photo: FacePhoto, face: FoundFace, eye: EyeColumns): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < eye.upper.length; i++) {
    const x = Math.min(photo.width - 1, Math.max(0, eye.x0 + i));
    for (let y = Math.ceil(eye.upper[i]!); y < Math.floor(eye.lower[i]!); y++) {
      if (y < 0 || y >= photo.height) continue;
      sum += lumaAt(photo, x, y);
      count++;
    }
  }
  const skin: number[] = [];
  for (let k = 0; k + 1 < face.mesh.length; k += 2) {
    const x = Math.round(face.mesh[k]!);
    const y = Math.round(face.mesh[k + 1]!);
    if (x >= 0 && y >= 0 && x < photo.width && y < photo.height) skin.push(lumaAt(photo, x, y));
  }
  skin.sort((a, b) => a - b);
  const median = skin[Math.floor(skin.length / 2)] ?? 0;
  return count > 0 && median > 0 ? sum / count / median : 1;
}

export function planBlink(request: FaceRequest): FieldRegionPlan {
  const { face, width, height, frameCount } = request;
  const photo = { data: request.photo, width, height };
  const eyes = [eyeColumns(photo, face, RIGHT_EYE), eyeColumns(photo, face, LEFT_EYE)];
  const darkness = Math.max(...eyes.map((eye) => eyeDarkness(photo, face, eye)));
  if (darkness < HIDDEN_EYE) {
    throw new StirError(
      'BAD_REQUEST',
      'Stir cannot blink these eyes: they are hidden behind dark glasses, so a blink would not show.',
      {
        hint: 'Smile, nod or breathe work on this person; blink works where the eyes can be seen.',
        // `refusal` marks a refusal by design (eval reports it as such, not as a failure).
        details: { refusal: 'dark-glasses', darkness: Math.round(darkness * 100) / 100 },
      },
    );
  }
  const deepest = Math.min(...eyes.map(deepestClosure));
  const shade = Math.min(...eyes.map((eye) => eye.shade));
  if (shade < SHADED) {
    throw new StirError(
      'BAD_REQUEST',
      `Stir cannot blink these eyes: the glasses' frame shades the lid skin under it, and a lid made from that skin shows as a dark band over an open eye.`,
      {
        hint: 'Smile, raise the eyebrows, nod or look left work on this face; blink works on eyes without glasses or with the frame well clear of the lids.',
        // `refusal` marks a refusal by design (eval reports it as such, not as a failure).
        details: { refusal: 'glasses', strongest: 0, shade: Math.round(shade * 100) / 100 },
      },
    );
  }
  const brows = Math.min(...eyes.map(browGap));
  if (brows < LOW_BROW) {
    throw new StirError('BAD_REQUEST', 'Stir cannot blink these eyes: the brows sit on the lids.', {
      hint: 'A blink would drag the brows down over the eyes; smile, raise the eyebrows or nod work on this face.',
      // `refusal` marks a refusal by design (eval reports it as such, not as a failure).
      details: { refusal: 'brows', strongest: 0, browGap: Math.round(brows * 100) / 100 },
    });
  }
  if (Math.min(1, sizeAt(request.strength)) > deepest) {
    const strongest = Math.floor(deepest * FACE_STRENGTH * 10) / 10;
    const glasses = eyes.some((eye) => eye.glasses);
    const above = glasses ? "the glasses' frame sits" : 'the brows sit';
    throw new StirError(
      'BAD_REQUEST',
      strongest > 0
        ? `Stir can blink these eyes only up to strength ${strongest}: ${above} just above the lids and leave${glasses ? 's' : ''} too little lid skin to close them further.`
        : `Stir cannot blink these eyes: ${above} on the lids.`,
      {
        hint: glasses
          ? 'A deeper blink would pull the frame down over the eyes or streak the lids; lower the strength or pick another face word.'
          : 'A deeper blink would drag the brows down over the eyes; lower the strength or pick another face word.',
        // `refusal` marks a refusal by design (eval reports it as such, not as a failure).
        details: { refusal: glasses ? 'glasses' : 'brows', strongest },
      },
    );
  }
  const box: FieldBox = boxAround(
    eyes.flatMap((eye) => [
      [eye.x0, Math.min(...eye.brow) - 1] as [number, number],
      [eye.x1 + 1, Math.max(...eye.lower) + 2] as [number, number],
    ]),
    1,
    width,
    height,
  );
  const perFrame = closures(request);
  // One basis per lid position shown.
  const levels = [...new Set([...perFrame].filter((c) => c > 0).map((c) => Math.round(c / LEVEL_STEP)))];
  const field = emptyField(box, levels.length, frameCount, true);
  for (const [k, level] of levels.entries())
    for (const eye of eyes) drawLid(field, k, eye, level * LEVEL_STEP);
  for (let f = 0; f < frameCount; f++) {
    if (perFrame[f]! <= 0) continue;
    field.weights[f * levels.length + levels.indexOf(Math.round(perFrame[f]! / LEVEL_STEP))] = 1;
  }
  return field;
}
