// People eval's smile sweep on a small face (issue 12): cold-water.jpg's mouth is 12 px wide at 512, and
// the engine refuses a smile at 8 there (a lift over half the mouth). The sweep leaves the refused
// strength out of the fit and says so in the table; before, the refusal escaped the sweep and ended the
// whole eval.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatPeopleTable, runPeopleEval } from '../../../src/engine/eval/people/run.js';
import { createMotionEngine } from '../../../src/engine/motion/index.js';
import { createPeopleDetector } from '../../../src/engine/people/detector.js';
import { ClassicSegmenter } from '../../../src/engine/segment/classic/classic-segmenter.js';
import { PHOTOS_DIR } from '../../helpers/photos.js';

const people = createPeopleDetector();
const segmenter = new ClassicSegmenter();
const engine = createMotionEngine({ workers: 0, people });
afterAll(async () => {
  await segmenter.dispose();
  await people.dispose();
});

describe('people eval smile sweep', () => {
  it('fits the strengths the engine draws and reports the refused one', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'stir-people-sweep-'));
    try {
      const report = await runPeopleEval({
        photos: [`${PHOTOS_DIR}people/cold-water.jpg`],
        outDir,
        engine,
        people,
        segmenter,
        seconds: 1,
        fps: 8,
      });
      const smile = report.rows.find((row) => row.word === 'smile')!;
      expect(smile.smile!.sweep.map((p) => p.strength)).toEqual([2, 4, 6, 8]);
      expect(smile.smile!.sweep.at(-1)!.lift).toBeNull();
      expect(smile.smile!.sweep.slice(0, 3).every((p) => p.lift !== null)).toBe(true);
      expect(smile.smile!.r2).toBeGreaterThanOrEqual(0.95);
      expect(smile.pass).toBe(true);
      expect(formatPeopleTable(report)).toMatch(
        /cold-water\.jpg: smile lift \(px at 512\) 2→[\d.]+, 4→[\d.]+, 6→[\d.]+, 8→refused/,
      );
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  }, 300_000);
});
