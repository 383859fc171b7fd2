// `stir eval`: the quality metrics of QUALITY.md on the example photos, as a table and as JSON.
import { fileURLToPath } from 'node:url';
import { basename, join, resolve } from 'node:path';
import { readdir, mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  formatEvalTable,
  formatPeopleTable,
  formatSelectionTable,
  HARD_SCENES,
  runEval,
  runPeopleEval,
  runSelectionEval,
  SCENES,
} from '../../engine/eval/index.js';
import { createMotionEngine } from '../../engine/motion/index.js';
import { createPeopleDetector, type PeopleDetector } from '../../engine/people/detector.js';
import { ClassicSegmenter } from '../../engine/segment/classic/classic-segmenter.js';
import { createSegmenterProvider } from '../../engine/segment/provider.js';
import type { Segmenter } from '../../engine/segment/types.js';
import type { CliCommand } from '../command.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/photos/', import.meta.url));

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: 'measure animation quality on the example photos (table + JSON)',
  usage: `Usage: stir eval [--photos DIR] [--out DIR] [--strips] [--people] [--segment-only]

Renders each example photo (examples/photos and examples/photos/hard, or the photos in DIR) with
motions that fit it and measures I1-MSE, mask correspondence, background stability, strength fidelity,
temporal consistency and loop seam (QUALITY.md), then the defect metrics of issue 10: hole texture,
ghosting, edge seams, motion tempo, stair-steps and mask IoU against outlines drawn by hand. Prints two
tables and writes DIR/eval.json (default output/eval); with --strips, also DIR/strips/N-PHOTO.png, four
frames of each scene's clip side by side, to look at.
Then the people scenes (examples/photos/people and the astronaut): each people word on the face or the
person, with frame 0, background PSNR, loop seam, the face's stillness outside the moving parts, the
blink's eye opening, the glasses' rim staying still under a blink, and the smile's lift against strength;
words not built yet say so, and words the engine refuses on a face say why (DIR/people.json).
--people runs only the people scenes.
--segment-only only selects: the classic segmenter answers every clicked region that has an outline
drawn by hand (and the easy photos' rocket and coffee) behind the people pass, as in the editor (the
objects it finds seed a click inside one, and the people and things beside a click stay out), and a
table of IoU per region and their mean is printed and written to DIR/selection.json, in seconds
instead of minutes.`,
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: {
        photos: { type: 'string' },
        out: { type: 'string' },
        strips: { type: 'boolean' },
        people: { type: 'boolean' },
        'segment-only': { type: 'boolean' },
      },
    });
    const photoDirs = values.photos
      ? [resolve(context.cwd, values.photos)]
      : [EXAMPLES, join(EXAMPLES, 'hard'), join(EXAMPLES, 'people')];
    const outDir = resolve(context.cwd, values.out ?? 'output/eval');
    await mkdir(outDir, { recursive: true });
    const photos: string[] = [];
    for (const dir of photoDirs) {
      const names = (await readdir(dir)).filter((f) => /\.(png|jpe?g|webp)$/i.test(f)).sort();
      photos.push(...names.map((f) => join(dir, f)));
    }
    if (values['segment-only']) {
      const segmenter = new ClassicSegmenter();
      const detector = createPeopleDetector();
      try {
        const report = await runSelectionEval({
          photos,
          segmenter: await asInTheEditor(segmenter, detector),
          detector,
          onProgress: (line) => context.io.err(`${line}\n`),
        });
        context.io.out(formatSelectionTable(report));
        await writeFile(join(outDir, 'selection.json'), `${JSON.stringify(report, null, 2)}\n`);
        context.io.out(`\nWrote ${join(outDir, 'selection.json')}\n`);
      } finally {
        await segmenter.dispose();
        await detector.dispose();
      }
      return 0;
    }
    if (!values.people) {
      // The classic scenes are written for the example photos; the people photos get theirs below. Their
      // clicks are answered with the objects the people pass finds on each photo, as in the editor.
      const detector = createPeopleDetector();
      const segmenter = new ClassicSegmenter();
      try {
        const report = await runEval({
          // The people photos get their own scenes below, but for those with a scene of the classic kind.
          photos: photos.filter((p) => !p.startsWith(join(EXAMPLES, 'people')) || hasScene(p)),
          outDir,
          segmenter: await asInTheEditor(segmenter, detector),
          detector,
          ...(values.strips ? { stripsDir: join(outDir, 'strips') } : {}),
        });
        context.io.out(formatEvalTable(report));
        context.io.out(`\nWrote ${join(outDir, 'eval.json')}\n`);
      } finally {
        await segmenter.dispose();
        await detector.dispose();
      }
    }
    const people = createPeopleDetector();
    const segmenter = new ClassicSegmenter();
    try {
      const report = await runPeopleEval({
        photos,
        outDir,
        people,
        engine: createMotionEngine({ people }),
        segmenter,
        onProgress: (line) => context.io.err(`${line}\n`),
      });
      context.io.out(`\n${formatPeopleTable(report)}`);
      context.io.out(`\nWrote ${join(outDir, 'people.json')}\n`);
    } finally {
      await segmenter.dispose();
      await people.dispose();
    }
    return 0;
  },
};

/** Whether a photo has a scene written for it (a people photo's sea and sky, say). */
function hasScene(photo: string): boolean {
  return [...SCENES, ...HARD_SCENES].some((scene) => scene.photo === basename(photo));
}

/**
 * The classic segmenter as the editor asks it: behind the people pass, which answers a click on a person
 * with the person and keeps the people and things found beside a click out of its region.
 */
function asInTheEditor(classic: ClassicSegmenter, people: PeopleDetector): Promise<Segmenter> {
  return createSegmenterProvider({ classic, people }).get();
}
