// Selection alone (issue 10, point 5): the segmenter's answer to each scene's clicks against the outline
// drawn by hand, without rendering anything, so a change to the segmenter is measured in seconds. The
// clicked regions of the hard scenes come with their outlines; two easy photos' objects, drawn in code
// for eval (scenes.ts), are clicked here too so a change for the hard photos cannot quietly cost them.
import { basename } from 'node:path';
import type { Mask } from '../../shared/index.js';
import { decodePhoto } from '../image/decode.js';
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

export interface SelectionRow {
  name: string;
  photo: string;
  iou: number;
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
}

export interface SelectionOptions {
  /** Full paths of the photos to run (cases for other photos are skipped). */
  photos: readonly string[];
  segmenter: Segmenter;
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
    for (const c of mine) {
      options.onProgress?.(c.name);
      const started = performance.now();
      const clicks = c.clicks.map(([x, y]) => ({ x: x * photo.width, y: y * photo.height, positive: true }));
      const { mask } = await options.segmenter.segment(photo, {
        clicks,
        box: null,
        previous: null,
        photoKey: path,
      });
      const outline = rasterize(c.outline, photo.width, photo.height);
      rows.push({
        name: c.name,
        photo: c.photo,
        iou: maskIou(mask, outline),
        share: coverage(mask),
        outlineShare: coverage(outline),
        seconds: (performance.now() - started) / 1000,
      });
    }
    options.segmenter.forget(path);
  }
  const meanIou = rows.length > 0 ? rows.reduce((sum, r) => sum + r.iou, 0) / rows.length : 0;
  return { segmenter: options.segmenter.id, rows, meanIou };
}

export function formatSelectionTable(report: SelectionReport): string {
  const rows = report.rows.map((r) => [
    r.name,
    fixed(r.iou, 2),
    fixed(r.share * 100, 1),
    fixed(r.outlineShare * 100, 1),
    fixed(r.seconds, 2),
  ]);
  const lines = alignedTable(['region', 'IoU', 'mask %', 'outline %', 's'], rows, [
    `mean of ${report.rows.length}`,
    fixed(report.meanIou, 3),
    '',
    '',
    '',
  ]);
  return `Selection (${report.segmenter} segmenter) against outlines drawn by hand\n${lines.join('\n')}\n`;
}

function coverage(mask: Mask): number {
  let on = 0;
  for (const v of mask.data) if (v >= 128) on++;
  return on / mask.data.length;
}
