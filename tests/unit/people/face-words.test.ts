// The face words of the built-in engine beyond the smile (issue 12, point 4) on the astronaut, measured on
// the rendered frames: the face mesh found again on a frame says where the eyes, lids and nose went.
// Every word: frame 0 is the photo, the loop closes (seam <= 1.2, QUALITY.md), nothing outside the head
// changes, and the parts of the face that should stay still do (SSIM >= 0.98 to the photo). Then the head
// words on Grace Hopper, whose hair ends close to the flag behind her.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dilatedRegions, ssim, loopSeam, meanAbsoluteDifference } from '../../../src/engine/eval/metrics.js';
import { GRACE_HOPPER_PERSON } from '../../../src/engine/eval/people/person-outlines.js';
import { toGrey, type GreyImage } from '../../../src/engine/flow/grey.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { createMotionEngine } from '../../../src/engine/motion/index.js';
import { createPeopleDetector } from '../../../src/engine/people/detector.js';
import { headEllipse } from '../../../src/engine/people/face-head.js';
import { planFace } from '../../../src/engine/people/plan-face.js';
import { bandSizes } from '../../../src/engine/motion/band.js';
import type { FacePrimitive } from '../../../src/engine/motion/spec.js';
import { regionClock } from '../../../src/engine/motion/timing.js';
import {
  curveAt,
  eyeOpening,
  LEFT_EYE,
  meshPoint,
  meshPoints,
  type EyeIndices,
  MOUTH,
  NOSE_TIP,
  RIGHT_EYE,
} from '../../../src/engine/people/landmarks.js';
import { faceMask, fillPolygon } from '../../../src/engine/people/select.js';
import type { FoundFace } from '../../../src/engine/people/types.js';
import { decodePhoto } from '../../../src/engine/image/decode.js';
import { loadPhoto, PHOTOS_DIR } from '../../helpers/photos.js';
import { allFrames, faceOn, prepareFaceWord } from './frames.js';

const detector = createPeopleDetector();
const engine = createMotionEngine({ workers: 0, people: detector });
afterAll(() => detector.dispose());

let photo: RgbaImage;
let face: FoundFace;
beforeAll(async () => {
  photo = (await loadPhoto('astronaut.png')).image;
  face = (await detector.find(photo)).faces[0]!;
}, 120_000);

/** 3 s at 8 fps: 24 frames, enough for every word's cycle to land on whole frames. */
const FPS = 8;

async function render(prompt: string, strength: number): Promise<RgbaImage[]> {
  const animation = await prepareFaceWord(
    engine,
    photo,
    face,
    { prompt, strength },
    { seconds: 3, fps: FPS },
  );
  return allFrames(animation);
}

type Rect = { x0: number; y0: number; x1: number; y1: number };

function crop(image: GreyImage, rect: Rect): GreyImage {
  const width = rect.x1 - rect.x0;
  const height = rect.y1 - rect.y0;
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    data.set(
      image.data.subarray((rect.y0 + y) * image.width + rect.x0, (rect.y0 + y) * image.width + rect.x1),
      y * width,
    );
  return { width, height, data };
}

/** The lowest SSIM to the photo of `rect` over the frames. */
function stillness(frames: readonly RgbaImage[], rect: Rect): number {
  const still = crop(toGrey(photo), rect);
  return Math.min(...frames.map((frame) => ssim(crop(toGrey(frame), rect), still)));
}

/** The mouth and the chin below it, well clear of the eyes and brows. */
function mouthRect(): Rect {
  const right = meshPoint(face, MOUTH.rightCorner);
  const left = meshPoint(face, MOUTH.leftCorner);
  const top = meshPoint(face, NOSE_TIP)[1] + 4;
  return {
    x0: Math.round(right[0] - 12),
    y0: Math.round(top),
    x1: Math.round(left[0] + 12),
    y1: Math.round(top + 50),
  };
}

/**
 * Where the iris is across the eye: the centroid of darkness between the photo's lids (the lids stay put
 * in a look; the mesh's iris is read to a whole pixel, too coarse for an eye 17 pixels wide).
 */
function darkCentre(image: RgbaImage, eye: EyeIndices): number {
  const grey = toGrey(image);
  const upper = meshPoints(face, eye.upper);
  const lower = meshPoints(face, eye.lower);
  const xs = upper.map((p) => p[0]);
  let sum = 0;
  let weight = 0;
  for (let x = Math.floor(Math.min(...xs)); x < Math.ceil(Math.max(...xs)); x++) {
    for (let y = Math.floor(curveAt(upper, x + 0.5)); y < Math.ceil(curveAt(lower, x + 0.5)); y++) {
      const dark = Math.max(0, 120 - grey.data[y * grey.width + x]!) ** 2;
      sum += dark * (x + 0.5);
      weight += dark;
    }
  }
  return sum / weight;
}

/** Pixels that differ from the photo outside the head's ellipse (the field's reach). */
function changedOutsideHead(frame: RgbaImage): number {
  const { cx, cy, rx, ry } = headEllipse(face);
  let changed = 0;
  for (let y = 0; y < frame.height; y++) {
    for (let x = 0; x < frame.width; x++) {
      if (((x + 0.5 - cx) / rx) ** 2 + ((y + 0.5 - cy) / ry) ** 2 < 1) continue;
      const i = (y * frame.width + x) * 4;
      if (
        frame.data[i] !== photo.data[i] ||
        frame.data[i + 1] !== photo.data[i + 1] ||
        frame.data[i + 2] !== photo.data[i + 2]
      )
        changed++;
    }
  }
  return changed;
}

/** Pixels that differ from the photo outside the box around both eyes' lids. */
function changedOutsideEyes(frame: RgbaImage): number {
  const lids = [RIGHT_EYE, LEFT_EYE].flatMap((eye) => meshPoints(face, [...eye.upper, ...eye.lower]));
  const x0 = Math.min(...lids.map((p) => p[0])) - 3;
  const x1 = Math.max(...lids.map((p) => p[0])) + 3;
  const y0 = Math.min(...lids.map((p) => p[1])) - 3;
  const y1 = Math.max(...lids.map((p) => p[1])) + 3;
  let changed = 0;
  for (let y = 0; y < frame.height; y++) {
    for (let x = 0; x < frame.width; x++) {
      if (x >= x0 && x <= x1 && y >= y0 && y <= y1) continue;
      const i = (y * frame.width + x) * 4;
      if (
        frame.data[i] !== photo.data[i] ||
        frame.data[i + 1] !== photo.data[i + 1] ||
        frame.data[i + 2] !== photo.data[i + 2]
      )
        changed++;
    }
  }
  return changed;
}

/** Frame 0 is the photo; the loop closes; nothing outside the head moves. Returns the loop seam. */
function expectLoop(frames: readonly RgbaImage[]): number {
  expect(Buffer.compare(Buffer.from(frames[0]!.data), Buffer.from(photo.data))).toBe(0);
  const steps = frames.slice(1).map((frame, i) => meanAbsoluteDifference(frame, frames[i]!));
  const seam = loopSeam(frames[frames.length - 1]!, frames[0]!, steps)!;
  expect(seam).toBeLessThanOrEqual(1.2);
  for (const frame of frames) expect(changedOutsideHead(frame)).toBe(0);
  return seam;
}

const figures: Record<string, Record<string, number>> = {};
afterAll(() => console.table(figures));

describe('face words', () => {
  it('blink: the lids close below 40% of the open eye at the middle and open again; the mouth stays', async () => {
    const frames = await render('blink', 4);
    const seam = expectLoop(frames);
    const opening = async (frame: RgbaImage) => {
      const found = await faceOn(detector, frame);
      return (eyeOpening(found, RIGHT_EYE) + eyeOpening(found, LEFT_EYE)) / 2;
    };
    const open = await opening(frames[0]!);
    const middle = await opening(frames[frames.length / 2]!);
    const after = await opening(frames[frames.length / 2 + 3]!);
    const mouth = stillness(frames, mouthRect());
    figures.blink = { open, middle, closedShare: middle / open, after, mouthSsim: mouth, seam };
    expect(open).toBeGreaterThan(4);
    expect(middle / open).toBeLessThan(0.4);
    expect(after / open).toBeGreaterThan(0.8);
    expect(mouth).toBeGreaterThanOrEqual(0.98);
  }, 120_000);

  it('blink: half the strength closes the eyes half way', async () => {
    const frames = await render('blink', 2);
    const open = eyeOpening(face, RIGHT_EYE) + eyeOpening(face, LEFT_EYE);
    const found = await faceOn(detector, frames[frames.length / 2]!);
    const share = (eyeOpening(found, RIGHT_EYE) + eyeOpening(found, LEFT_EYE)) / open;
    figures.blinkHalf = { share };
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.8);
  }, 120_000);

  const turns: [string, 0 | 1, number][] = [
    // Nod: the face is down at the middle of each nod (3 nods of 8 frames); shake: 3 swings of 8 frames,
    // each to the picture's right first, the middle one the widest.
    ['nod', 1, 4],
    ['shake the head', 0, 10],
  ];
  for (const [word, axis, peak] of turns) {
    it(`${word}: the nose moves ${axis ? 'down' : 'sideways'} in proportion to strength; the head keeps its place`, async () => {
      const moves: number[] = [];
      for (const strength of [2, 4]) {
        const frames = await render(word, strength);
        const seam = expectLoop(frames);
        const moved = await faceOn(detector, frames[peak]!);
        const nose = meshPoint(moved, NOSE_TIP)[axis] - meshPoint(face, NOSE_TIP)[axis];
        // The other axis hardly moves.
        const other = axis === 0 ? 1 : 0;
        const across = Math.abs(meshPoint(moved, NOSE_TIP)[other] - meshPoint(face, NOSE_TIP)[other]);
        moves.push(nose);
        figures[`${word} ${strength}`] = { nose, across, seam };
        expect(across).toBeLessThanOrEqual(1.5);
      }
      expect(moves[1]!).toBeGreaterThan(3);
      expect(moves[1]! / moves[0]!).toBeGreaterThan(1.4);
      expect(moves[1]! / moves[0]!).toBeLessThan(2.6);
    }, 120_000);
  }

  for (const [word, side] of [
    ['look left', -1],
    ['look right', 1],
  ] as const) {
    it(`${word}: the irises move ${side < 0 ? 'left' : 'right'} and come back; nothing outside the eyes moves`, async () => {
      const frames = await render(word, 4);
      const seam = expectLoop(frames);
      const iris =
        (darkCentre(frames[10]!, RIGHT_EYE) -
          darkCentre(photo, RIGHT_EYE) +
          darkCentre(frames[10]!, LEFT_EYE) -
          darkCentre(photo, LEFT_EYE)) /
        2;
      // The eyes turn and the face holds still: a head turning "a little" with them (a pixel at the
      // nose, the outline held) read as the skin and the glasses swimming, not as a turn.
      const outside = Math.max(...frames.map(changedOutsideEyes));
      figures[word] = { iris, changedOutsideEyes: outside, mouthSsim: stillness(frames, mouthRect()), seam };
      // Over a pixel at 512 (the eye is 17 wide; the iris stops short of folding the white it leaves:
      // about 1.3 to her right, where the eye has less room past the iris, 1.6 to her left).
      expect(iris * side).toBeGreaterThan(1);
      expect(outside).toBe(0);
    }, 120_000);
  }

  // Below the largest move each word allows (the fold-free cap: an iris near the eye's corner has little room).
  it('scales every face motion with strength', () => {
    const clock = regionClock({ frameCount: 24, fps: FPS, loop: 'loop' }, 0, null);
    const plan = (motion: FacePrimitive, strength: number) =>
      planFace({
        width: photo.width,
        height: photo.height,
        clock,
        frameCount: 24,
        strength,
        sizes: bandSizes(photo.width, photo.height),
        motion,
        face,
        photo: photo.data,
        fps: FPS,
      });
    const parts: FacePrimitive[] = [
      { primitive: 'face', part: 'blink' },
      { primitive: 'face', part: 'nod' },
      { primitive: 'face', part: 'shake' },
      { primitive: 'face', part: 'look', direction: 0 },
      { primitive: 'face', part: 'brows' },
    ];
    for (const motion of parts) {
      const ratio = plan(motion, 2).fieldStrength / plan(motion, 1).fieldStrength;
      figures[`strength ${motion.part}`] = { ratio };
      expect(ratio).toBeGreaterThan(1.8);
      expect(ratio).toBeLessThan(2.2);
    }
  });

  it('raise the eyebrows: the brows go up and come back; the mouth stays', async () => {
    const frames = await render('raise the eyebrows', 4);
    const seam = expectLoop(frames);
    const moved = await faceOn(detector, frames[6]!);
    const brows = [105, 334].map((i) => meshPoint(face, i)[1] - meshPoint(moved, i)[1]);
    const mouth = stillness(frames, mouthRect());
    figures.brows = { right: brows[0]!, left: brows[1]!, mouthSsim: mouth, seam };
    expect((brows[0]! + brows[1]!) / 2).toBeGreaterThan(1);
    expect(mouth).toBeGreaterThanOrEqual(0.98);
  }, 120_000);
});

// Her short hair ends close to her face, with the flag's cord just beyond it: the head's field must turn
// the hair with the face and fade out before the flag (the eval's background outside her dilated outline).
describe('head words on Grace Hopper', () => {
  let grace: RgbaImage;
  let graceFace: FoundFace;
  beforeAll(async () => {
    grace = (await decodePhoto({ kind: 'path', path: `${PHOTOS_DIR}people/grace-hopper.jpg` })).image;
    graceFace = (await detector.find(grace)).faces[0]!;
  }, 120_000);

  for (const part of ['nod', 'shake'] as const) {
    it(`${part}: moves the hair past the face's outline and nothing outside her dilated outline`, () => {
      const { width, height } = grace;
      const clock = regionClock({ frameCount: 72, fps: 24, loop: 'loop' }, 0, null);
      const { motionArea } = planFace({
        width,
        height,
        clock,
        frameCount: 72,
        strength: 4,
        sizes: bandSizes(width, height),
        motion: { primitive: 'face', part },
        face: graceFace,
        photo: grace.data,
        fps: 24,
      });
      const person = dilatedRegions([fillPolygon(GRACE_HOPPER_PERSON, width, height)], width, height);
      const faceOutline = faceMask(graceFace, width, height).data;
      let outsidePerson = 0;
      let pastFace = 0;
      for (let i = 0; i < width * height; i++) {
        if (!motionArea.data[i]) continue;
        if (!person[i]) outsidePerson++;
        if (!faceOutline[i]) pastFace++;
      }
      figures[`grace ${part}`] = { outsidePerson, pastFace };
      expect(outsidePerson).toBe(0);
      expect(pastFace).toBeGreaterThan(1000);
    });
  }
});
