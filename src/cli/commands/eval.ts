// `stir eval`: the quality metrics of QUALITY.md on the example photos, as a table and as JSON.
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { readdir, mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatEvalTable, runEval } from '../../engine/eval/index.js';
import type { CliCommand } from '../command.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/photos/', import.meta.url));

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: 'measure animation quality on the example photos (table + JSON)',
  usage: `Usage: stir eval [--photos DIR] [--out DIR] [--strips]

Renders each example photo (examples/photos and examples/photos/hard, or the photos in DIR) with
motions that fit it and measures I1-MSE, mask correspondence, background stability, strength fidelity,
temporal consistency and loop seam (QUALITY.md), then the defect metrics of issue 10: hole texture,
ghosting, edge seams, motion tempo, stair-steps and mask IoU against outlines drawn by hand. Prints two
tables and writes DIR/eval.json (default output/eval); with --strips, also DIR/strips/N-PHOTO.png, four
frames of each scene's clip side by side, to look at.`,
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: { photos: { type: 'string' }, out: { type: 'string' }, strips: { type: 'boolean' } },
    });
    const photoDirs = values.photos
      ? [resolve(context.cwd, values.photos)]
      : [EXAMPLES, join(EXAMPLES, 'hard')];
    const outDir = resolve(context.cwd, values.out ?? 'output/eval');
    await mkdir(outDir, { recursive: true });
    const photos: string[] = [];
    for (const dir of photoDirs) {
      const names = (await readdir(dir)).filter((f) => /\.(png|jpe?g|webp)$/i.test(f)).sort();
      photos.push(...names.map((f) => join(dir, f)));
    }
    const report = await runEval({
      photos,
      outDir,
      ...(values.strips ? { stripsDir: join(outDir, 'strips') } : {}),
    });
    context.io.out(formatEvalTable(report));
    context.io.out(`\nWrote ${join(outDir, 'eval.json')}\n`);
    return 0;
  },
};
