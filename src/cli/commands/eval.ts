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
  usage: `Usage: stir eval [--photos DIR] [--out DIR]

Renders each example photo with motions that fit it and measures I1-MSE, mask correspondence,
background stability, strength fidelity, temporal consistency and loop seam (QUALITY.md). Prints a
table and writes DIR/eval.json (default output/eval).`,
  async run(args, context) {
    const { values } = parseArgs({ args, options: { photos: { type: 'string' }, out: { type: 'string' } } });
    const photosDir = values.photos ? resolve(context.cwd, values.photos) : EXAMPLES;
    const outDir = resolve(context.cwd, values.out ?? 'output/eval');
    await mkdir(outDir, { recursive: true });
    const photos = (await readdir(photosDir))
      .filter((f) => /\.(png|jpe?g|webp)$/i.test(f))
      .sort()
      .map((f) => join(photosDir, f));
    const report = await runEval({ photos, outDir });
    context.io.out(formatEvalTable(report));
    context.io.out(`\nWrote ${join(outDir, 'eval.json')}\n`);
    return 0;
  },
};
