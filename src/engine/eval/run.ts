// `stir eval`: animates each example photo with the clicks and motions of scenes.ts and measures the
// clips with the metrics of QUALITY.md, printing a table and writing eval.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { EngineId, LoopMode, Mask } from '../../shared/index.js';
import { flowWhereChanged, toGrey, type GreyImage } from '../flow/index.js';
import { decodePhoto } from '../image/decode.js';
import { encodePng, resizeRgba } from '../image/encode.js';
import { fitLongSide, type RgbaImage } from '../image/types.js';
import { createMotionEngine, MotionAnimation } from '../motion/index.js';
import type { AnimationEngine, JobControl, RegionSpec } from '../render/types.js';
import { ClassicSegmenter } from '../segment/classic/classic-segmenter.js';
import type { PeopleDetector } from '../people/detector.js';
import type { SegmentRequest, Segmenter } from '../segment/types.js';
import {
  ClipDefects,
  DEFECT_TARGETS,
  defectFailures,
  formatDefectTable,
  type DefectRegionResult,
} from './defects/index.js';
import {
  BackgroundStability,
  dilatedRegions,
  i1Mse,
  MaskCorrespondence,
  maskAt,
  meanAbsoluteDifference,
  meanFlowInside,
  meanFlowWhereChanged,
  loopSeam,
  ssim,
  strengthFit,
} from './metrics.js';
import { HARD_SCENES } from './scenes-hard.js';
import { SCENES, type Scene } from './scenes.js';
import { rasterize } from './shapes.js';
import { alignedTable, fixed } from './table.js';

/** QUALITY.md's targets for a good built-in engine result. */
export const EVAL_TARGETS = {
  i1Mse: { below: 1 },
  maskCorrespondence: { atLeast: 0.95 },
  backgroundPsnr: { atLeast: 45 },
  strengthSlope: { from: 0.8, to: 1.25 },
  strengthR2: { atLeast: 0.95 },
  loopSeam: { atMost: 1.2 },
} as const;

export interface EvalRegionResult {
  name: string;
  prompt: string;
  /** Requested, px/frame at a 512-px long side. */
  strength: number;
  /** Mean optical-flow magnitude measured inside the region over the clip. */
  measured: number;
  /** The engine's own displacement field's strength (built-in engine only). */
  field: number | null;
}

export interface EvalSweepPoint {
  strength: number;
  measured: number;
  field: number | null;
}

export interface EvalRow {
  scene: string;
  photo: string;
  engine: EngineId;
  loop: LoopMode;
  width: number;
  height: number;
  frameCount: number;
  regions: EvalRegionResult[];
  i1Mse: number;
  /** null when nothing moved. */
  maskCorrespondence: number | null;
  /** dB; 100 = identical; null when the region is the whole photo (there is no background). */
  backgroundPsnr: number | null;
  /** Which region the strength sweep animated. */
  sweepRegion: string;
  sweep: EvalSweepPoint[];
  strengthSlope: number;
  strengthR2: number;
  /** Mean SSIM between consecutive frames. */
  temporalConsistency: number;
  /** null for clips that do not loop. */
  loopSeam: number | null;
  /** The defect metrics of issue 10, per region. */
  defects: DefectRegionResult[];
  /** Defect metrics missed, as "region: metric". */
  defectFailures: string[];
  pass: boolean;
  failures: string[];
  seconds: number;
}

export interface EvalReport {
  createdAt: string;
  engine: EngineId;
  longSide: number;
  seconds: number;
  fps: number;
  sweepStrengths: number[];
  targets: typeof EVAL_TARGETS;
  defectTargets: typeof DEFECT_TARGETS;
  rows: EvalRow[];
  pass: boolean;
}

export interface EvalOptions {
  /** Photo files; each is animated with the scenes written for its file name (or a default scene). */
  photos: string[];
  /** Where eval.json goes. */
  outDir: string;
  /** Default: the built-in motion engine. */
  engine?: AnimationEngine;
  /** Output long side (default 512, where QUALITY.md measures flow). */
  longSide?: number;
  seconds?: number;
  fps?: number;
  sweepStrengths?: number[];
  sweepSeconds?: number;
  /** Answers the clicks of scenes that click (default: the classic segmenter, as with no model installed). */
  segmenter?: Segmenter;
  /** Finds the objects on each photo before its clicks are answered, as the editor does when a photo opens. */
  detector?: PeopleDetector;
  /** When set, a strip of four frames of each scene's clip (0, 1/4, 1/2, 3/4 of it) is written here as PNG. */
  stripsDir?: string;
  /** One line per step, for a progress display. */
  onProgress?: (line: string) => void;
}

const control = (): JobControl => ({ signal: new AbortController().signal, progress: () => undefined });

/** A scene for a photo eval has no scene for: a soft ellipse in the middle that ripples. */
function defaultScene(photo: string): Scene {
  return {
    name: `${photo}: the middle ripples`,
    photo,
    regions: [
      {
        name: 'middle',
        shape: { kind: 'ellipse', cx: 0.5, cy: 0.5, rx: 0.25, ry: 0.25 },
        prompt: 'ripple',
        strength: 1,
        direction: null,
      },
    ],
    sweep: 0,
    loop: 'loop',
  };
}

export function scenesFor(photoPath: string): Scene[] {
  const name = basename(photoPath);
  const found = [...SCENES, ...HARD_SCENES].filter((scene) => scene.photo === name);
  return found.length > 0 ? found : [defaultScene(name)];
}

interface ClipStats {
  frames: number;
  i1Mse: number;
  mask: number | null;
  background: number | null;
  /** Per region: mean measured flow inside it. */
  measured: number[];
  temporal: number;
  seam: number | null;
  fields: (number | null)[];
  /** Full clips only. */
  defects: DefectRegionResult[];
}

export async function measureClip(
  engine: AnimationEngine,
  photo: RgbaImage,
  regions: RegionSpec[],
  seconds: number,
  fps: number,
  loop: LoopMode,
  size: { width: number; height: number },
  full: boolean,
  described: readonly { name: string; outline: Mask | null; keptOut?: Mask | null }[] = [],
  strip?: string,
): Promise<ClipStats> {
  const animation = await engine.prepare({ photo, regions, timing: { seconds, fps, loop }, size }, control());
  try {
    const reference = await resizeRgba(photo, size.width, size.height);
    const insides = regions.map((region) => maskAt(region.mask, size.width, size.height));
    // Where each region moves: its mask, or for a travel its mask swept along its path (the built-in
    // engine reports it; QUALITY.md's 2% band is measured around it).
    const reports = animation instanceof MotionAnimation ? animation.regions : [];
    const reportOf = (region: RegionSpec) => reports.find((r) => r.id === region.id);
    const areas = regions.map((region) => reportOf(region)?.motionArea ?? region.mask);
    const travels = regions.map((region) => reportOf(region)?.primitive === 'travel');
    const travelAreas = areas.map((area) => maskAt(area, size.width, size.height));
    const dilated = dilatedRegions(areas, size.width, size.height);
    const defects = full
      ? new ClipDefects(
          regions.map((region, k) => ({
            name: described[k]?.name ?? region.id,
            word: reportOf(region)?.word ?? region.prompt,
            mask: region.mask,
            travel: travels[k]!,
            body: ['body', 'puppet'].includes(reportOf(region)?.primitive ?? ''),
            mirrors: ['warp', 'fluid'].includes(reportOf(region)?.family ?? ''),
            fluid: reportOf(region)?.family === 'fluid',
            reach: travels[k] ? areas[k] : undefined,
            outline: described[k]?.outline ?? null,
            keptOut: described[k]?.keptOut ?? null,
          })),
          size.width,
          size.height,
        )
      : null;
    const background = new BackgroundStability(reference, dilated);
    const mask = new MaskCorrespondence(dilated);
    const measured = regions.map(() => 0);
    // A travel's speed is measured on what moves, over the pairs where something did.
    const travelPairs = regions.map(() => 0);
    let pairs = 0;
    let ssimTotal = 0;
    const steps: number[] = [];
    let first: RgbaImage | null = null;
    let previous: RgbaImage | null = null;
    let previousGrey: GreyImage | null = null;
    let firstMse = 0;
    const stripFrames: RgbaImage[] = [];
    const stripAt = new Set([0, 1, 2, 3].map((q) => Math.floor((q * animation.frameCount) / 4)));
    for await (const { index, image } of animation.frames()) {
      if (strip && stripAt.has(index)) stripFrames.push(image);
      const grey = toGrey(image);
      if (index === 0) {
        first = image;
        firstMse = i1Mse(image, reference);
      }
      if (full) background.add(image);
      defects?.addFrame(grey);
      if (previous && previousGrey) {
        // Every pair: measuring one pair in k would alias with motions whose period is a multiple of k.
        const flow = flowWhereChanged(previousGrey, grey);
        const before = previousGrey;
        if (full) mask.add(flow);
        defects?.addFlow(flow);
        insides.forEach((inside, k) => {
          if (!travels[k]) {
            measured[k]! += meanFlowInside(flow, inside);
            return;
          }
          const speed = meanFlowWhereChanged(flow, travelAreas[k]!, before, grey);
          if (speed === null) return;
          measured[k]! += speed;
          travelPairs[k]!++;
        });
        pairs++;
        if (full) {
          ssimTotal += ssim(previousGrey, grey);
          steps.push(meanAbsoluteDifference(previous, image));
        }
      }
      previous = image;
      previousGrey = grey;
    }
    if (strip && stripFrames.length > 0) await writeStrip(strip, stripFrames);
    const fields =
      animation instanceof MotionAnimation
        ? regions.map((region) => animation.regions.find((r) => r.id === region.id)?.fieldStrength ?? null)
        : regions.map(() => null);
    return {
      frames: animation.frameCount,
      i1Mse: firstMse,
      mask: mask.value(),
      background: regions.some((region) => region.mask.data.every((v) => v === 255))
        ? null
        : background.psnr(),
      // Flow is in output pixels; strength is pixels at a 512-px long side.
      measured: measured.map(
        (m, k) =>
          ((m / Math.max(1, travels[k] ? travelPairs[k]! : pairs)) * 512) / Math.max(size.width, size.height),
      ),
      temporal: pairs > 0 ? ssimTotal / pairs : 1,
      seam: loop === 'loop' && previous && first ? loopSeam(previous, first, steps) : null,
      fields,
      defects: defects ? defects.measure(toGrey(reference), fps) : [],
    };
  } finally {
    await animation.dispose();
  }
}

/** Frames side by side, at their own size, as one PNG. */
async function writeStrip(path: string, frames: readonly RgbaImage[]): Promise<void> {
  const { width, height } = frames[0]!;
  const data = new Uint8Array(width * frames.length * height * 4);
  frames.forEach((frame, k) => {
    for (let y = 0; y < height; y++) {
      const row = frame.data.subarray(y * width * 4, (y + 1) * width * 4);
      data.set(row, (y * width * frames.length + k * width) * 4);
    }
  });
  await writeFile(path, await encodePng({ width: width * frames.length, height, data }));
}

/** Each region's mask at the photo's size: drawn, or the segmenter's answer to its clicks. */
async function sceneMasks(
  scene: Scene,
  photo: RgbaImage,
  photoKey: string,
  segmenter: Segmenter,
  objects: SegmentRequest['objects'],
): Promise<Mask[]> {
  const masks: Mask[] = [];
  for (const region of scene.regions) {
    if (region.shape) {
      masks.push(rasterize(region.shape, photo.width, photo.height));
      continue;
    }
    const clicks = region.clicks.map(([x, y]) => ({
      x: x * photo.width,
      y: y * photo.height,
      positive: true,
    }));
    const { mask } = await segmenter.segment(photo, {
      clicks,
      box: null,
      previous: null,
      photoKey,
      ...(objects ? { objects } : {}),
    });
    masks.push(mask);
  }
  return masks;
}

function regionSpecs(
  scene: Scene,
  masks: readonly Mask[],
  only?: { index: number; strength: number },
): RegionSpec[] {
  return scene.regions
    .map((region, index) => ({ region, index }))
    .filter(({ index }) => only === undefined || index === only.index)
    .map(({ region, index }) => ({
      id: `${index}`,
      mask: masks[index]!,
      prompt: region.prompt,
      strength: only ? only.strength : region.strength,
      direction: region.direction,
      seed: 1 + index,
      start: 0,
      end: null,
      pose: null,
    }));
}

function failuresOf(row: Omit<EvalRow, 'pass' | 'failures' | 'defects' | 'defectFailures'>): string[] {
  const t = EVAL_TARGETS;
  const failures: string[] = [];
  if (!(row.i1Mse < t.i1Mse.below)) failures.push('I1-MSE');
  if (row.maskCorrespondence !== null && !(row.maskCorrespondence >= t.maskCorrespondence.atLeast))
    failures.push('mask');
  if (row.backgroundPsnr !== null && !(row.backgroundPsnr >= t.backgroundPsnr.atLeast))
    failures.push('background');
  if (!(row.strengthSlope >= t.strengthSlope.from && row.strengthSlope <= t.strengthSlope.to))
    failures.push('slope');
  if (!(row.strengthR2 >= t.strengthR2.atLeast)) failures.push('R2');
  if (row.loopSeam !== null && !(row.loopSeam <= t.loopSeam.atMost)) failures.push('seam');
  return failures;
}

export async function runEval(options: EvalOptions): Promise<EvalReport> {
  const engine = options.engine ?? createMotionEngine();
  const longSide = options.longSide ?? 512;
  const seconds = options.seconds ?? 3;
  const fps = options.fps ?? 24;
  const sweepStrengths = options.sweepStrengths ?? [1, 2, 4, 8];
  const sweepSeconds = options.sweepSeconds ?? 2;
  const segmenter = options.segmenter ?? new ClassicSegmenter();
  if (options.stripsDir) await mkdir(options.stripsDir, { recursive: true });
  const rows: EvalRow[] = [];
  for (const path of options.photos) {
    const { image: photo } = await decodePhoto({ kind: 'path', path });
    const size = fitLongSide(photo.width, photo.height, longSide);
    const objects = options.detector ? (await options.detector.find(photo)).objects : undefined;
    for (const scene of scenesFor(path)) {
      const started = performance.now();
      options.onProgress?.(`${scene.name}: selecting, rendering and measuring`);
      const masks = await sceneMasks(scene, photo, path, segmenter, objects);
      const described = scene.regions.map((region) => ({
        name: region.name,
        outline: region.outline ? rasterize(region.outline, photo.width, photo.height) : null,
        keptOut: region.keptOut ? rasterize(region.keptOut, photo.width, photo.height) : null,
      }));
      const clip = await measureClip(
        engine,
        photo,
        regionSpecs(scene, masks),
        seconds,
        fps,
        scene.loop,
        size,
        true,
        described,
        options.stripsDir
          ? join(options.stripsDir, `${rows.length + 1}-${basename(path).replace(/\.\w+$/, '')}.png`)
          : undefined,
      );
      const sweep: EvalSweepPoint[] = [];
      for (const strength of scene.sweepStrengths ?? sweepStrengths) {
        options.onProgress?.(`${scene.name}: strength ${strength}`);
        const specs = regionSpecs(scene, masks, { index: scene.sweep, strength });
        const point = await measureClip(engine, photo, specs, sweepSeconds, fps, scene.loop, size, false);
        sweep.push({ strength, measured: point.measured[0]!, field: point.fields[0]! });
      }
      const fit = strengthFit(
        sweep.map((p) => p.strength),
        sweep.map((p) => p.measured),
      );
      const row = {
        scene: scene.name,
        photo: basename(path),
        engine: engine.id,
        loop: scene.loop,
        width: size.width,
        height: size.height,
        frameCount: clip.frames,
        regions: scene.regions.map((region, k) => ({
          name: region.name,
          prompt: region.prompt,
          strength: region.strength,
          measured: clip.measured[k]!,
          field: clip.fields[k]!,
        })),
        i1Mse: clip.i1Mse,
        maskCorrespondence: clip.mask,
        backgroundPsnr: clip.background,
        sweepRegion: scene.regions[scene.sweep]!.name,
        sweep,
        strengthSlope: fit.slope,
        strengthR2: fit.r2,
        temporalConsistency: clip.temporal,
        loopSeam: clip.seam,
        seconds: (performance.now() - started) / 1000,
      };
      const failures = failuresOf(row);
      const missed = clip.defects.flatMap((region) =>
        defectFailures(region).map((metric) => `${region.name}: ${metric}`),
      );
      rows.push({
        ...row,
        defects: clip.defects,
        defectFailures: missed,
        pass: failures.length === 0,
        failures,
      });
    }
    segmenter.forget(path);
  }
  if (!options.segmenter) await segmenter.dispose();
  const report: EvalReport = {
    createdAt: new Date().toISOString(),
    engine: engine.id,
    longSide,
    seconds,
    fps,
    sweepStrengths,
    targets: EVAL_TARGETS,
    defectTargets: DEFECT_TARGETS,
    rows,
    pass: rows.every((row) => row.pass),
  };
  await mkdir(options.outDir, { recursive: true });
  await writeFile(join(options.outDir, 'eval.json'), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

/** The report as a plain-text table (one row per scene, then the targets). */
export function formatEvalTable(report: EvalReport): string {
  const header = [
    'scene',
    'I1-MSE',
    'mask corr',
    'bg PSNR dB',
    'slope',
    'R^2',
    'tem-consis',
    'loop seam',
    'result',
  ];
  const lines = report.rows.map((row) => [
    row.scene,
    fixed(row.i1Mse, 3),
    fixed(row.maskCorrespondence, 3),
    row.backgroundPsnr === 100 ? 'identical' : fixed(row.backgroundPsnr, 1),
    fixed(row.strengthSlope, 3),
    fixed(row.strengthR2, 4),
    fixed(row.temporalConsistency, 4),
    fixed(row.loopSeam, 3),
    row.pass ? 'pass' : `FAIL (${row.failures.join(', ')})`,
  ]);
  const t = report.targets;
  const targets = [
    'target',
    `< ${t.i1Mse.below}`,
    `>= ${t.maskCorrespondence.atLeast}`,
    `>= ${t.backgroundPsnr.atLeast}`,
    `${t.strengthSlope.from}-${t.strengthSlope.to}`,
    `>= ${t.strengthR2.atLeast}`,
    '',
    `<= ${t.loopSeam.atMost}`,
    '',
  ];
  const sweeps = report.rows.map(
    (row) =>
      `  ${row.scene} — ${row.sweepRegion}: ` +
      row.sweep
        .map(
          (p) =>
            `${p.strength}→${p.measured.toFixed(2)}${p.field === null ? '' : ` (field ${p.field.toFixed(2)})`}`,
        )
        .join(', '),
  );
  return [
    `Stir eval: ${report.engine} engine, ${report.longSide}-px long side, ${report.seconds} s at ${report.fps} fps`,
    ...alignedTable(header, lines, targets),
    '',
    `Strength sweep (requested → measured flow, px/frame at 512):`,
    ...sweeps,
    '',
    report.pass ? 'All scenes meet the targets.' : 'Some scenes miss the targets (see "result").',
    '',
    formatDefectTable(report.rows),
    '',
    report.rows.every((row) => row.defectFailures.length === 0)
      ? 'No defect metric fires.'
      : `Defect metrics fire on ${report.rows.filter((row) => row.defectFailures.length > 0).length} of ${report.rows.length} scenes (see "result"): each is a defect to look at.`,
  ].join('\n');
}
