// Selection alone (issue 10, point 5): the segmenter's answer to each scene's clicks against the outline
// drawn by hand, without rendering anything, so a change to the segmenter is measured in seconds. The
// clicked regions of the hard scenes come with their outlines; two easy photos' objects, drawn in code
// for eval (scenes.ts), are clicked here too so a change for the hard photos cannot quietly cost them.
import { basename } from 'node:path';
import type { Mask } from '../../shared/index.js';
import { decodePhoto } from '../image/decode.js';
import type { PeopleDetector } from '../people/detector.js';
import type { Segmenter } from '../segment/types.js';
import { maskIou } from './defects/iou.js';
import { HARD_SCENES } from './scenes-hard.js';
import { SCENES, type Scene } from './scenes.js';
import { rasterize, type SceneShape } from './shapes.js';
import { alignedTable, fixed } from './table.js';

export interface SelectionCase {
  /** "photo: region", shown in the table. */
  name: string;
  photo: string;
  /** Positive clicks as [x, y] fractions of the photo's width and height. */
  clicks: readonly (readonly [number, number])[];
  outline: SceneShape;
}

/** Easy-photo objects clicked where a person would click them: [photo, region name, click]. */
const EASY_CLICKS: readonly [string, string, readonly [number, number]][] = [
  ['rocket.jpg', 'rocket', [0.503, 0.585]],
  ['coffee.png', 'coffee', [0.48, 0.37]],
];

/** Every clicked region with an outline (hard scenes) and the easy objects above, once each. */
export function selectionCases(scenes: readonly Scene[] = [...SCENES, ...HARD_SCENES]): SelectionCase[] {
  const cases: SelectionCase[] = [];
  const seen = new Set<string>();
  const add = (c: SelectionCase) => {
    if (seen.has(c.name)) return;
    seen.add(c.name);
    cases.push(c);
  };
  for (const [photo, regionName, click] of EASY_CLICKS) {
    const region = scenes
      .filter((s) => s.photo === photo)
      .flatMap((s) => s.regions)
      .find((r) => r.name === regionName);
    if (region?.shape)
      add({ name: `${photo}: ${regionName}`, photo, clicks: [click], outline: region.shape });
  }
  for (const scene of scenes) {
    for (const region of scene.regions) {
      if (region.clicks === undefined) continue;
      add({
        name: `${scene.photo}: ${region.name}`,
        photo: scene.photo,
        clicks: region.clicks,
        outline: region.outline,
      });
    }
  }
  return cases;
}

/** The table's second IoU column: the best of the segmenter's first this many answers (Tab in the editor). */
export const FIRST_HYPOTHESES = 3;

export interface SelectionRow {
  name: string;
  photo: string;
  /** IoU of the segmenter's answer. */
  iou: number;
  /** The best IoU among its first FIRST_HYPOTHESES ranked answers. */
  bestOfFirst: number;
  /** How many ranked answers it had. */
  hypotheses: number;
  /** Share of the photo the mask covers, 0-1. */
  share: number;
  /** Share of the photo the outline covers, 0-1. */
  outlineShare: number;
  seconds: number;
}

export interface SelectionReport {
  segmenter: string;
  rows: SelectionRow[];
  meanIou: number;
  meanBestOfFirst: number;
}

export interface SelectionOptions {
  /** Full paths of the photos to run (cases for other photos are skipped). */
  photos: readonly string[];
  segmenter: Segmenter;
  /**
   * Finds the objects on each photo before its clicks, as the editor does when a photo opens; without it
   * the segmenter answers from colour and texture alone.
   */
  detector?: PeopleDetector;
  cases?: readonly SelectionCase[];
  onProgress?: (line: string) => void;
}

export async function runSelectionEval(options: SelectionOptions): Promise<SelectionReport> {
  const cases = options.cases ?? selectionCases();
  const rows: SelectionRow[] = [];
  for (const path of options.photos) {
    const mine = cases.filter((c) => c.photo === basename(path));
    if (mine.length === 0) continue;
    const { image: photo } = await decodePhoto({ kind: 'path', path });
    const objects = options.detector ? (await options.detector.find(photo)).objects : undefined;
    for (const c of mine) {
      options.onProgress?.(c.name);
      const started = performance.now();
      const clicks = c.clicks.map(([x, y]) => ({ x: x * photo.width, y: y * photo.height, positive: true }));
      const request = { clicks, box: null, previous: null, photoKey: path, ...(objects ? { objects } : {}) };
      const first = await options.segmenter.segment(photo, request);
      const seconds = (performance.now() - started) / 1000;
      const outline = rasterize(c.outline, photo.width, photo.height);
      const iou = maskIou(first.mask, outline);
      const hypotheses = first.hypotheses ?? 1;
      let bestOfFirst = iou;
      for (let h = 1; h < Math.min(hypotheses, FIRST_HYPOTHESES); h++) {
        const next = await options.segmenter.segment(photo, { ...request, hypothesis: h });
        bestOfFirst = Math.max(bestOfFirst, maskIou(next.mask, outline));
      }
      rows.push({
        name: c.name,
        photo: c.photo,
        iou,
        bestOfFirst,
        hypotheses,
        share: coverage(first.mask),
        outlineShare: coverage(outline),
        seconds,
      });
    }
    options.segmenter.forget(path);
  }
  const mean = (of: (row: SelectionRow) => number) =>
    rows.length > 0 ? rows.reduce((sum, r) => sum + of(r), 0) / rows.length : 0;
  return {
    segmenter: options.segmenter.id,
    rows,
    meanIou: mean((r) => r.iou),
    meanBestOfFirst: mean((r) => r.bestOfFirst),
  };
}

export function formatSelectionTable(report: SelectionReport): string {
  const rows = report.rows.map((r) => [
    r.name,
    fixed(r.iou, 2),
    fixed(r.bestOfFirst, 2),
    `${r.hypotheses}`,
    fixed(r.share * 100, 1),
    fixed(r.outlineShare * 100, 1),
    fixed(r.seconds, 2),
  ]);
  const lines = alignedTable(
    ['region', 'IoU', `best of ${FIRST_HYPOTHESES}`, 'answers', 'mask %', 'outline %', 's'],
    rows,
    [
      `mean of ${report.rows.length}`,
      fixed(report.meanIou, 3),
      fixed(report.meanBestOfFirst, 3),
      '',
      '',
      '',
      '',
    ],
  );
  return [
    `Selection (${report.segmenter} segmenter) against outlines drawn by hand: IoU of its answer, the best`,
    `IoU among its first ${FIRST_HYPOTHESES} ranked answers (Tab in the editor), the mask's and the outline's`,
    'share of the photo, and the seconds the first answer took.',
    ...lines,
    '',
  ].join('\n');
}

function coverage(mask: Mask): number {
  let on = 0;
  for (const v of mask.data) if (v >= 128) on++;
  return on / mask.data.length;
}
