// `stir eval` on people (issue 12, point 5): each people scene's words rendered with the built-in engine on
// the region a click gives (the face, or the whole person), measured on the frames: frame 0 is the photo,
// the background outside the dilated region stays (PSNR), the loop closes (seam), the face outside the
// moving parts stays still (SSIM to the photo), a blink shuts the eyes and opens them again and leaves the
// glasses' rim where it was (glasses-band.ts), a smile lifts the mouth corners in proportion to strength. A
// word the engine refuses on a face (a blink over glasses whose rim shades the lids or leaves too little lid skin) is
// reported as refused, with the engine's sentence.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { StirError, type Mask, type PeoplePart } from '../../../shared/index.js';
import { toGrey, type GreyImage } from '../../flow/index.js';
import { decodePhoto } from '../../image/decode.js';
import { resizeRgba } from '../../image/encode.js';
import { fitLongSide, type RgbaImage } from '../../image/types.js';
import { MotionAnimation } from '../../motion/index.js';
import { matchMotion } from '../../motion/lexicon.js';
import type { PeopleDetector } from '../../people/detector.js';
import { FACE_OVAL, LEFT_EYE, RIGHT_EYE, meshPoints, type Point } from '../../people/landmarks.js';
import { builtWord, PEOPLE_WORDS } from '../../people/people-words.js';
import { faceMask, fillPolygon, selectPerson } from '../../people/select.js';
import { keypoint, type FoundFace, type FoundPeople } from '../../people/types.js';
import type { AnimationEngine, JobControl, RegionSpec } from '../../render/types.js';
import type { Segmenter } from '../../segment/types.js';
import {
  BackgroundStability,
  dilatedRegions,
  i1Mse,
  loopSeam,
  maskAt,
  meanAbsoluteDifference,
  strengthFit,
} from '../metrics.js';
import { GlassesBand } from './glasses-band.js';
import { cornerLift, EyeOpening, mouthCorners, ssimInside } from './measures.js';
import { PEOPLE_SCENES, SMILE_SWEEP } from './scenes.js';
import { alignedTable, fixed } from '../table.js';

export const PEOPLE_TARGETS = {
  i1Mse: { below: 1 },
  backgroundPsnr: { atLeast: 45 },
  loopSeam: { atMost: 1.2 },
  faceStill: { atLeast: 0.98 },
  /** The lowest SSIM to the photo over the frames, on the glasses' upper rim (a blink must not move it). */
  glassesStill: { atLeast: 0.98 },
  /**
   * The eyes' opening at the blink's deepest, as a share of the photo's, at the word's natural strength
   * (4); a lighter blink closes in proportion: below 1 - 0.6 x strength / 4.
   */
  blinkShut: { below: 0.4 },
  /** ...and on the clip's last frame. */
  blinkOpenAgain: { atLeast: 0.9 },
  smileSlope: { from: 0.8, to: 1.25 },
  smileR2: { atLeast: 0.95 },
} as const;

export type PeopleRowStatus = 'measured' | 'not built' | 'no face' | 'no person' | 'refused';

export interface PeopleEvalRow {
  photo: string;
  /** The people word's name (people-words.ts) and what the lexicon made of it. */
  word: string;
  lexiconWord: string | null;
  part: PeoplePart;
  status: PeopleRowStatus;
  strength: number | null;
  i1Mse: number | null;
  /** dB outside the region dilated by 2% of the long side; 100 = identical. */
  backgroundPsnr: number | null;
  loopSeam: number | null;
  /** The lowest SSIM to the photo over the frames, on the face outside the parts the word moves. */
  faceStill: number | null;
  /** Blink on a face with glasses only: the rim's SSIM to the photo, the lowest over the frames. */
  glassesStill: number | null;
  blink: { deepest: number; deepestAt: number; end: number } | null;
  /** The lift drawn at each strength of SMILE_SWEEP (null: refused there), and the fit over those drawn. */
  smile: { sweep: { strength: number; lift: number | null }[]; slope: number; r2: number } | null;
  pass: boolean;
  failures: string[];
  seconds: number;
}

export interface PeopleEvalReport {
  createdAt: string;
  longSide: number;
  seconds: number;
  fps: number;
  targets: typeof PEOPLE_TARGETS;
  rows: PeopleEvalRow[];
  pass: boolean;
}

export interface PeopleEvalOptions {
  /** Photo files; those with a people scene (scenes.ts, by file name) are measured, the rest skipped. */
  photos: string[];
  outDir: string;
  /** The built-in engine, made with the same detector (face words need it). */
  engine: AnimationEngine;
  people: PeopleDetector;
  /** Answers the click on a person (as in the editor without a pack: the classic segmenter). */
  segmenter: Segmenter;
  longSide?: number;
  seconds?: number;
  fps?: number;
  onProgress?: (line: string) => void;
}

const control = (): JobControl => ({ signal: new AbortController().signal, progress: () => undefined });

/** A face's mesh at another size. */
function scaledFace(face: FoundFace, sx: number, sy: number): FoundFace {
  return { ...face, mesh: face.mesh.map((v, i) => v * (i % 2 === 0 ? sx : sy)) };
}

function boxMask(points: readonly Point[], grow: number, width: number, height: number): Mask {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const x0 = Math.min(...xs) - grow;
  const x1 = Math.max(...xs) + grow;
  const y0 = Math.min(...ys) - grow;
  const y1 = Math.max(...ys) + grow;
  return fillPolygon(
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
    ],
    width,
    height,
  );
}

/** The parts of the face a word moves (the rest of the face must stay still), or null: the whole face moves. */
function movingParts(word: string, face: FoundFace, width: number, height: number): Mask | null {
  const eyes = () => {
    const points = [RIGHT_EYE, LEFT_EYE].flatMap((eye) => meshPoints(face, [...eye.upper, ...eye.lower]));
    const eyeWidth = Math.abs(points[0]![0] - points[8]![0]);
    return boxMask(points, 0.6 * eyeWidth, width, height);
  };
  switch (word) {
    case 'smile': {
      const { corners, width: mouth } = mouthCorners(face);
      return boxMask(corners, mouth, width, height);
    }
    case 'blink':
    case 'look left':
    case 'look right':
      return eyes();
    case 'raise the eyebrows': {
      const points = [RIGHT_EYE, LEFT_EYE].flatMap((eye) =>
        meshPoints(face, [...eye.upper, ...eye.lower, ...eye.browLower, ...eye.browUpper]),
      );
      const eyeWidth = Math.abs(points[0]![0] - points[8]![0]);
      return boxMask(points, 0.6 * eyeWidth, width, height);
    }
    default:
      return null;
  }
}

/** The face minus its moving parts (grown by 2% of the long side), 1 inside, at width x height. */
function stillFace(face: FoundFace, moving: Mask, width: number, height: number): Uint8Array {
  const whole = maskAt(fillPolygon(meshPoints(face, FACE_OVAL), width, height), width, height);
  const grown = dilatedRegions([moving], width, height);
  for (let i = 0; i < whole.length; i++) if (grown[i]) whole[i] = 0;
  return whole;
}

/**
 * Words that turn the whole head on a face region: the hair, the ears, a cap and the top of the neck move
 * with the face, and the face's outline (the region) does not cover them, so their background is what lies
 * outside the dilated person (outlined by hand in scenes.ts: the segmenter's answer to a click on the
 * torso can be the wall) as well as the region; the motion must fade out inside the person. On a photo
 * with no outline the region alone is measured.
 */
const HEAD_WORDS: ReadonlySet<string> = new Set(['nod', 'shake the head']);

/** The click a person gives to select someone: the middle of the torso. */
function torsoClick(found: FoundPeople): { x: number; y: number } | null {
  const body = found.bodies[0];
  if (!body) return null;
  const parts = (['leftShoulder', 'rightShoulder', 'leftHip', 'rightHip'] as const)
    .map((p) => keypoint(body, p))
    .filter((k) => k !== undefined);
  if (parts.length === 0) return { x: body.box[0] + body.box[2] / 2, y: body.box[1] + body.box[3] / 2 };
  return {
    x: parts.reduce((s, k) => s + k.x, 0) / parts.length,
    y: parts.reduce((s, k) => s + k.y, 0) / parts.length,
  };
}

interface Clip {
  frames: number;
  i1Mse: number;
  background: number | null;
  seam: number | null;
  faceStill: number | null;
  glassesStill: number | null;
  eyes: number[];
  lifts: number[];
}

/** Renders one region and measures every frame as it comes. */
async function measureWord(
  engine: AnimationEngine,
  photo: RgbaImage,
  region: RegionSpec,
  reference: RgbaImage,
  timing: { seconds: number; fps: number },
  measure: {
    face: FoundFace | null;
    still: Uint8Array | null;
    eyes: EyeOpening | null;
    glasses: GlassesBand | null;
    lift: { grey: GreyImage; reach: number } | null;
    full: boolean;
    /** What else the word may move besides its region (the person, for a head word). */
    alsoMoving: Mask | null;
  },
): Promise<Clip> {
  const { width, height } = reference;
  const animation = await engine.prepare(
    { photo, regions: [region], timing: { ...timing, loop: 'loop' }, size: { width, height } },
    control(),
  );
  try {
    const moves = measure.alsoMoving ? [region.mask, measure.alsoMoving] : [region.mask];
    // A limb goes where its bones go, past the person's outline (a raised arm into the sky): the engine
    // reports that reach, and what lies there is the arm, not background (as a travel's path is in eval).
    const report = animation instanceof MotionAnimation ? animation.regions[0] : undefined;
    if (report && (report.primitive === 'body' || report.primitive === 'puppet'))
      moves.push(report.motionArea);
    const background = new BackgroundStability(reference, dilatedRegions(moves, width, height));
    const photoGrey = measure.lift?.grey ?? (measure.still ? toGrey(reference) : null);
    let firstMse = 0;
    let first: RgbaImage | null = null;
    let previous: RgbaImage | null = null;
    const steps: number[] = [];
    let still = measure.still ? 1 : null;
    const eyes: number[] = [];
    const lifts: number[] = [];
    let glassesStill = measure.glasses ? 1 : null;
    for await (const { index, image } of animation.frames()) {
      if (index === 0) {
        first = image;
        firstMse = i1Mse(image, reference);
      }
      if (measure.full) {
        background.add(image);
        if (previous) steps.push(meanAbsoluteDifference(previous, image));
      }
      const grey = measure.still || measure.lift ? toGrey(image) : null;
      if (measure.still && grey && photoGrey && still !== null)
        still = Math.min(still, ssimInside(photoGrey, grey, measure.still));
      if (measure.eyes) eyes.push(measure.eyes.ratio(image));
      if (measure.glasses && glassesStill !== null)
        glassesStill = Math.min(glassesStill, measure.glasses.still(image));
      if (measure.lift && grey && measure.face)
        lifts.push(cornerLift(measure.lift.grey, grey, measure.face, measure.lift.reach));
      previous = image;
    }
    return {
      frames: animation.frameCount,
      i1Mse: firstMse,
      background: measure.full ? background.psnr() : null,
      seam: measure.full && previous && first ? loopSeam(previous, first, steps) : null,
      faceStill: still,
      glassesStill,
      eyes,
      lifts,
    };
  } finally {
    await animation.dispose();
  }
}

/** What `measure` gives, or null where the engine refuses by design (a StirError with a `refusal`). */
async function measureRefusable<T>(measure: () => Promise<T>): Promise<T | null> {
  try {
    return await measure();
  } catch (caught) {
    if (caught instanceof StirError && typeof caught.details?.['refusal'] === 'string') return null;
    throw caught;
  }
}

/** How shut a blink at `strength` must get (the target at the word's natural strength, 4, in proportion). */
export function shutBelow(strength: number | null): number {
  const depth = Math.min(1, (strength ?? 4) / 4);
  return 1 - (1 - PEOPLE_TARGETS.blinkShut.below) * depth;
}

function failuresOf(row: Omit<PeopleEvalRow, 'pass' | 'failures' | 'seconds'>): string[] {
  const t = PEOPLE_TARGETS;
  const out: string[] = [];
  if (row.i1Mse !== null && !(row.i1Mse < t.i1Mse.below)) out.push('I1-MSE');
  // A clip whose frames never change has no loop seam: the word did nothing (an empty region, say).
  if (row.i1Mse !== null && row.loopSeam === null) out.push('nothing moved');
  if (row.backgroundPsnr !== null && !(row.backgroundPsnr >= t.backgroundPsnr.atLeast))
    out.push('background');
  if (row.loopSeam !== null && !(row.loopSeam <= t.loopSeam.atMost)) out.push('seam');
  if (row.faceStill !== null && !(row.faceStill >= t.faceStill.atLeast)) out.push('face still');
  if (row.glassesStill !== null && !(row.glassesStill >= t.glassesStill.atLeast)) out.push('glasses moved');
  if (row.blink && !(row.blink.deepest < shutBelow(row.strength))) out.push('eyes not shut');
  if (row.blink && !(row.blink.end >= t.blinkOpenAgain.atLeast)) out.push('eyes not open again');
  if (row.smile && !(row.smile.slope >= t.smileSlope.from && row.smile.slope <= t.smileSlope.to))
    out.push('smile slope');
  if (row.smile && !(row.smile.r2 >= t.smileR2.atLeast)) out.push('smile R2');
  return out;
}

export async function runPeopleEval(options: PeopleEvalOptions): Promise<PeopleEvalReport> {
  const longSide = options.longSide ?? 512;
  const seconds = options.seconds ?? 3;
  const fps = options.fps ?? 24;
  const rows: PeopleEvalRow[] = [];
  for (const path of options.photos) {
    const scene = PEOPLE_SCENES.find((s) => s.photo === basename(path));
    if (!scene) continue;
    const { image: photo } = await decodePhoto({ kind: 'path', path });
    const size = fitLongSide(photo.width, photo.height, longSide);
    const reference = await resizeRgba(photo, size.width, size.height);
    const referenceGrey = toGrey(reference);
    const found = await options.people.find(photo);
    const face = found.faces[0] ?? null;
    const faceOut = face ? scaledFace(face, size.width / photo.width, size.height / photo.height) : null;
    let personMask: Mask | null = null;
    const click = torsoClick(found);
    if (click) {
      const picked = await selectPerson(
        found,
        photo,
        { clicks: [{ ...click, positive: true }], box: null, previous: null, photoKey: path },
        options.segmenter,
      );
      // As the editor answers a click (segment/provider.ts): the person, or what the segmenter finds there.
      personMask =
        picked?.mask ??
        (
          await options.segmenter.segment(photo, {
            clicks: [{ ...click, positive: true }],
            box: null,
            previous: null,
            photoKey: path,
          })
        ).mask;
    }
    const drawnPerson = scene.person ? fillPolygon(scene.person, photo.width, photo.height) : null;
    for (const sceneWord of scene.words) {
      const started = performance.now();
      const word = PEOPLE_WORDS.find((w) => w.name === sceneWord.name);
      if (!word) throw new Error(`people scene word "${sceneWord.name}" is not in PEOPLE_WORDS`);
      const lexiconWord = builtWord(word, 'motion');
      const base = {
        photo: basename(path),
        word: word.name,
        lexiconWord,
        part: word.part,
        strength: null,
        i1Mse: null,
        backgroundPsnr: null,
        loopSeam: null,
        faceStill: null,
        glassesStill: null,
        blink: null,
        smile: null,
      };
      const mask =
        word.part === 'face' ? (face ? faceMask(face, photo.width, photo.height) : null) : personMask;
      const status: PeopleRowStatus =
        lexiconWord === null
          ? 'not built'
          : mask
            ? 'measured'
            : word.part === 'face'
              ? 'no face'
              : 'no person';
      if (status !== 'measured' || !mask || !lexiconWord) {
        const failures = status === 'not built' ? [] : [status];
        rows.push({ ...base, status, pass: status === 'not built', failures, seconds: 0 });
        continue;
      }
      options.onProgress?.(`${base.photo}: ${word.name}`);
      const match = matchMotion(lexiconWord);
      const strength = sceneWord.strength ?? (match.kind === 'motion' ? match.entry.defaultStrength : 1);
      const region = (s: number): RegionSpec => ({
        id: word.name,
        mask,
        prompt: lexiconWord,
        strength: s,
        direction: null,
        seed: 1,
        start: 0,
        end: null,
        pose: null,
      });
      const moving = faceOut ? movingParts(word.name, faceOut, size.width, size.height) : null;
      const still = faceOut && moving ? stillFace(faceOut, moving, size.width, size.height) : null;
      const eyes = faceOut && word.name === 'blink' ? new EyeOpening(reference, faceOut) : null;
      const glasses = faceOut && word.name === 'blink' ? GlassesBand.find(reference, faceOut) : null;
      const unit = Math.max(size.width, size.height) / 512;
      const lift =
        faceOut && word.name === 'smile'
          ? { grey: referenceGrey, reach: Math.ceil(Math.max(...SMILE_SWEEP, strength) * unit * 1.5) + 2 }
          : null;
      let clip: Clip;
      try {
        clip = await measureWord(
          options.engine,
          photo,
          region(strength),
          reference,
          { seconds, fps },
          {
            face: faceOut,
            still,
            eyes,
            glasses,
            lift,
            full: true,
            alsoMoving: HEAD_WORDS.has(word.name) ? drawnPerson : null,
          },
        );
      } catch (caught) {
        // A word the engine refuses here (no face inside the region, say) is a failure of that row only,
        // unless the engine says why it will not (a refusal is a result, and its sentence is reported).
        const message = caught instanceof Error ? caught.message : String(caught);
        const refused = caught instanceof StirError && typeof caught.details?.['refusal'] === 'string';
        rows.push({
          ...base,
          status: refused ? 'refused' : status,
          strength,
          pass: refused,
          failures: [message],
          seconds: (performance.now() - started) / 1000,
        });
        continue;
      }
      let smile: PeopleEvalRow['smile'] = null;
      if (lift) {
        const sweep: { strength: number; lift: number | null }[] = [];
        for (const s of SMILE_SWEEP) {
          options.onProgress?.(`${base.photo}: smile at ${s}`);
          const point = await measureRefusable(() =>
            measureWord(
              options.engine,
              photo,
              region(s),
              reference,
              { seconds: 2, fps },
              {
                face: faceOut,
                still: null,
                eyes: null,
                glasses: null,
                lift,
                full: false,
                alsoMoving: null,
              },
            ),
          );
          sweep.push({ strength: s, lift: point ? Math.max(...point.lifts) / unit : null });
        }
        // A strength the engine refuses on this face (a lift too high for a small mouth) is left out of
        // the fit, which needs three strengths it drew to say anything.
        const drawn = sweep.filter((p): p is { strength: number; lift: number } => p.lift !== null);
        const fit =
          drawn.length >= 3
            ? strengthFit(
                drawn.map((p) => p.strength),
                drawn.map((p) => p.lift),
              )
            : { slope: 0, r2: 0 };
        smile = { sweep, slope: fit.slope, r2: fit.r2 };
      }
      const deepest = clip.eyes.length ? Math.min(...clip.eyes) : null;
      const row = {
        ...base,
        status,
        strength,
        i1Mse: clip.i1Mse,
        backgroundPsnr: clip.background,
        loopSeam: clip.seam,
        faceStill: clip.faceStill,
        glassesStill: clip.glassesStill,
        blink:
          deepest === null
            ? null
            : {
                deepest,
                deepestAt: clip.eyes.indexOf(deepest) / Math.max(1, clip.frames - 1),
                end: clip.eyes.at(-1)!,
              },
        smile,
      };
      const failures = failuresOf(row);
      rows.push({
        ...row,
        pass: failures.length === 0,
        failures,
        seconds: (performance.now() - started) / 1000,
      });
    }
  }
  const report: PeopleEvalReport = {
    createdAt: new Date().toISOString(),
    longSide,
    seconds,
    fps,
    targets: PEOPLE_TARGETS,
    rows,
    pass: rows.every((row) => row.pass),
  };
  await mkdir(options.outDir, { recursive: true });
  await writeFile(join(options.outDir, 'people.json'), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

/** The people rows as a plain-text table, then the targets. */
export function formatPeopleTable(report: PeopleEvalReport): string {
  const header = [
    'photo: word',
    'I1-MSE',
    'bg PSNR dB',
    'loop seam',
    'face SSIM',
    'glasses SSIM',
    'blink shut/open',
    'smile slope/R^2',
    'result',
  ];
  const lines = report.rows.map((row) => [
    `${row.photo}: ${row.word}${row.strength !== null ? ` @${row.strength}` : ''}`,
    fixed(row.i1Mse, 3),
    row.backgroundPsnr === 100 ? 'identical' : fixed(row.backgroundPsnr, 1),
    fixed(row.loopSeam, 3),
    fixed(row.faceStill, 4),
    fixed(row.glassesStill, 4),
    row.blink ? `${row.blink.deepest.toFixed(2)}/${row.blink.end.toFixed(2)}` : 'n/a',
    row.smile ? `${row.smile.slope.toFixed(3)}/${row.smile.r2.toFixed(4)}` : 'n/a',
    row.status === 'not built'
      ? 'not built'
      : row.status === 'refused'
        ? 'refused'
        : row.pass
          ? 'pass'
          : `FAIL (${row.failures.join(', ')})`,
  ]);
  const t = report.targets;
  const targets = [
    'target',
    `< ${t.i1Mse.below}`,
    `>= ${t.backgroundPsnr.atLeast}`,
    `<= ${t.loopSeam.atMost}`,
    `>= ${t.faceStill.atLeast}`,
    `>= ${t.glassesStill.atLeast}`,
    `< ${t.blinkShut.below} (at 4) / >= ${t.blinkOpenAgain.atLeast}`,
    `${t.smileSlope.from}-${t.smileSlope.to} / >= ${t.smileR2.atLeast}`,
    '',
  ];
  const sweeps = report.rows
    .filter((row) => row.smile)
    .map(
      (row) =>
        `  ${row.photo}: smile lift (px at 512) ` +
        row
          .smile!.sweep.map((p) => `${p.strength}→${p.lift === null ? 'refused' : p.lift.toFixed(2)}`)
          .join(', '),
    );
  const refusals = report.rows
    .filter((row) => row.status === 'refused')
    .map((row) => `  ${row.photo}: ${row.word} @${row.strength} refused: ${row.failures.join(' ')}`);
  return [
    `People (issue 12): built-in engine, ${report.longSide}-px long side, ${report.seconds} s at ${report.fps} fps; eyes: opening as a share of the photo's`,
    ...alignedTable(header, lines, targets),
    ...(sweeps.length ? ['', ...sweeps] : []),
    ...(refusals.length ? ['', ...refusals] : []),
  ].join('\n');
}
